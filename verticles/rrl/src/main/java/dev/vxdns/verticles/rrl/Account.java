package dev.vxdns.verticles.rrl;

/**
 * One account's token bucket, as BIND's {@code debit_rrl_entry}: whole seconds; the balance earns
 * {@code rate} per second up to {@code rate}; each response costs one; below zero the response is
 * limited and the debt may grow to {@code window × rate}, so a client that keeps flooding stays
 * limited and one that stops is answered again once its debt is paid (at most {@code window}
 * seconds). An account idle longer than the window starts afresh. Every {@code slip}-th limited
 * response, beginning with the first, slips (is sent truncated); the others are dropped.
 *
 * <p>Shared by the event loops of every transport; one account's state is guarded by its own
 * monitor, held for a few arithmetic steps, so queries of different accounts never contend.
 */
final class Account {
  /** What to do with one response. */
  enum Decision {
    PASS,
    SLIP,
    DROP
  }

  private static final long NEVER = Long.MIN_VALUE / 2;

  private long lastSecond = NEVER;
  private int balance;
  private int slipCount;

  /**
   * Charges one response at {@code now} (seconds of a monotonic clock).
   *
   * @param mayTruncate false for accounts whose limited responses are always dropped (errors and
   *     all-per-second: BIND never slips them)
   */
  synchronized Decision debit(long now, int rate, int window, int slip, boolean mayTruncate) {
    long age = now - lastSecond;
    if (age > 0) {
      if (age > window) {
        balance = rate;
        slipCount = 0;
      } else {
        long earned = balance + rate * age;
        if (earned > rate) {
          balance = rate;
          slipCount = 0;
        } else {
          balance = (int) earned;
        }
      }
      lastSecond = now;
    }
    // A clock that went back (age < 0) earns nothing, as in BIND.
    if (--balance >= 0) {
      return Decision.PASS;
    }
    balance = Math.max(balance, -window * rate);
    if (slip == 0 || !mayTruncate) {
      return Decision.DROP;
    }
    boolean slips = slipCount == 0;
    slipCount = slipCount + 1 >= slip ? 0 : slipCount + 1;
    return slips ? Decision.SLIP : Decision.DROP;
  }

  /** Whether the account has been idle longer than the window: it would start afresh anyway. */
  synchronized boolean expired(long now, int window) {
    return now - lastSecond > window;
  }
}
