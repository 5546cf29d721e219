package dev.vxdns.verticles.rrl;

import dev.vxdns.verticles.rrl.Account.Decision;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.xbill.DNS.Name;

/**
 * The accounts of every client prefix, shared by the event loops of all transports, and the
 * decision for one response.
 *
 * <p>Bounded: a spoofed-source flood makes a new account per prefix, so once {@code max-table-size}
 * accounts exist, a new one first makes room: accounts idle longer than the window are removed
 * (they would start afresh anyway), and if that is not enough, arbitrary accounts are evicted until
 * an eighth of the table is free again (counted). An evicted account that comes back starts with a
 * full balance, as a stolen entry does in BIND. One thread makes room at a time and the others
 * never wait for it (they add their account anyway), so the table can exceed the bound by at most
 * the number of threads calling at once. Nothing here blocks: the only locks are one account's
 * monitor, held for a few arithmetic steps, and a tryLock.
 */
final class RateLimiter {
  private final RrlSettings settings;
  private final LongSupplier seconds;
  private final ConcurrentHashMap<AccountKey, Account> accounts = new ConcurrentHashMap<>();
  private final ReentrantLock makingRoom = new ReentrantLock();
  private final LongAdder evicted = new LongAdder();
  private final LongAdder expired = new LongAdder();

  /**
   * @param seconds a monotonic clock in whole seconds (tests pass a fake one)
   */
  RateLimiter(RrlSettings settings, LongSupplier seconds) {
    this.settings = settings;
    this.seconds = seconds;
  }

  /** The decision for one response of {@code kind} to {@code client}. */
  Decision judge(InetAddress client, ResponseKind kind, Name name, int type, int dclass) {
    int rate = settings.rate(kind);
    if (rate == 0 && settings.allPerSecond() == 0) {
      return Decision.PASS;
    }
    long now = seconds.getAsLong();
    AccountKey key =
        AccountKey.of(
            client,
            settings.ipv4PrefixLength(),
            settings.ipv6PrefixLength(),
            kind,
            name,
            kind == ResponseKind.ANSWER ? type : 0,
            dclass);
    Decision decision =
        rate == 0
            ? Decision.PASS
            : account(key, now)
                .debit(now, rate, settings.window(), settings.slip(), kind != ResponseKind.ERROR);
    if (settings.allPerSecond() == 0) {
      return decision;
    }
    // BIND: the all-per-second account is charged too, and when it is over its limit the response
    // is dropped (never slipped), whatever the other account said.
    Decision all =
        account(key.allOfPrefix(), now)
            .debit(now, settings.allPerSecond(), settings.window(), settings.slip(), false);
    return all == Decision.PASS ? decision : Decision.DROP;
  }

  private Account account(AccountKey key, long now) {
    Account found = accounts.get(key);
    if (found != null) {
      return found;
    }
    if (accounts.size() >= settings.maxTableSize()) {
      makeRoom(now);
    }
    return accounts.computeIfAbsent(key, absent -> new Account());
  }

  /** Removes idle accounts, then evicts others until an eighth of the table is free. */
  private void makeRoom(long now) {
    if (!makingRoom.tryLock()) {
      return;
    }
    try {
      removeExpired(now);
      int target = settings.maxTableSize() - Math.max(1, settings.maxTableSize() / 8);
      Iterator<Account> iterator = accounts.values().iterator();
      while (accounts.size() > target && iterator.hasNext()) {
        iterator.next();
        iterator.remove();
        evicted.increment();
      }
    } finally {
      makingRoom.unlock();
    }
  }

  /** Drops accounts idle longer than the window; the verticle calls it periodically too. */
  void removeExpired(long now) {
    accounts
        .values()
        .removeIf(
            account -> {
              boolean idle = account.expired(now, settings.window());
              if (idle) {
                expired.increment();
              }
              return idle;
            });
  }

  /** Removes expired accounts as of now. */
  void removeExpired() {
    removeExpired(seconds.getAsLong());
  }

  int size() {
    return accounts.size();
  }

  long evicted() {
    return evicted.sum();
  }

  long expired() {
    return expired.sum();
  }
}
