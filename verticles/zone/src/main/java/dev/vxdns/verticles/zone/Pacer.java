package dev.vxdns.verticles.zone;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * At most so many a second, in the order asked: BIND's {@code serial-query-rate} (the SOA queries
 * the node's secondary zones send their primaries), {@code notify-rate} (NOTIFY messages after
 * changes) and {@code startup-notify-rate} (NOTIFY messages after first loads), so that a node of
 * thousands of zones (all checked after a start, or changed by one reload) does not flood its
 * peers. Each gets the next free moment; the first of a quiet spell goes at once.
 *
 * <p>Used on the zone verticle's event loop only.
 */
final class Pacer {
  private final Vertx vertx;
  private final long intervalNanos;
  private long nextFree = System.nanoTime();

  Pacer(Vertx vertx, int perSecond) {
    this.vertx = vertx;
    this.intervalNanos = 1_000_000_000L / perSecond;
  }

  /** Completes when the next one may go. */
  Future<Void> turn() {
    long now = System.nanoTime();
    long at = nextFree - now < 0 ? now : nextFree;
    nextFree = at + intervalNanos;
    long waitMillis = (at - now + 999_999) / 1_000_000;
    if (waitMillis <= 0) {
      return Future.succeededFuture();
    }
    Promise<Void> turn = Promise.promise();
    vertx.setTimer(waitMillis, id -> turn.complete());
    return turn.future();
  }
}
