package dev.vxdns.verticles.zone;

import dev.vxdns.message.RateLimitedLog;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * BIND's {@code transfers-out}: how many outgoing zone transfers run at once on this node (0: no
 * limit). A transfer holds its slot from its start until its last message is written or the client
 * goes away; one more is answered SERVFAIL, as named answers it. Shared by the stages of one zone
 * verticle, which run on several event loops.
 */
final class TransfersOut {
  private static final System.Logger LOG = System.getLogger(TransfersOut.class.getName());

  private final int limit;
  private final AtomicInteger running = new AtomicInteger();
  // A client allowed to transfer can ask again and again: its refusals must not flood the log.
  private final RateLimitedLog refusals = RateLimitedLog.perMinute(LOG);

  TransfersOut(int limit) {
    this.limit = limit;
  }

  /** Takes a slot; false when all are taken. */
  boolean tryTake() {
    while (true) {
      int now = running.get();
      if (limit != 0 && now >= limit) {
        return false;
      }
      if (running.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Logs a transfer refused for want of a slot ({@code what}: its type, zone and client). */
  void refused(String what) {
    refusals.log(
        "transfers-out",
        System.Logger.Level.WARNING,
        "{0} denied: transfers-out ({1}) are running",
        what,
        Integer.toString(limit));
  }

  void release() {
    running.decrementAndGet();
  }

  int limit() {
    return limit;
  }

  int running() {
    return running.get();
  }
}
