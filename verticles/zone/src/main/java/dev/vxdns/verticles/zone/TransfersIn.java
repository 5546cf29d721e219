package dev.vxdns.verticles.zone;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * BIND's {@code transfers-in} and {@code transfers-per-ns}: how many incoming zone transfers run at
 * once on this node, and from one primary (by address). A transfer beyond them waits its turn, in
 * the order asked, as in named; a primary at its limit does not hold up transfers from the others.
 * SOA checks are not counted (named does not count them either), so a node with many secondary
 * zones learns quickly which need a transfer and asks no primary for more than it allows.
 *
 * <p>Used on the zone verticle's event loop only; the counts are also read by the gauges, at scrape
 * time on another thread.
 */
final class TransfersIn {
  private final int total;
  private final int perPrimary;
  private final Map<InetAddress, Integer> running = new HashMap<>();
  private volatile int runningTotal;
  private final Deque<Waiting> waiting = new ArrayDeque<>();
  private volatile int waitingCount;

  private record Waiting(InetAddress primary, Promise<Slot> turn) {}

  /** A running transfer's place: released once, when the transfer is over. */
  interface Slot {
    void release();
  }

  TransfersIn(int total, int perPrimary) {
    this.total = total;
    this.perPrimary = perPrimary;
  }

  /** A slot for a transfer from {@code primary}, now or once one is free. */
  Future<Slot> take(InetAddress primary) {
    if (hasRoom(primary)) {
      return Future.succeededFuture(start(primary));
    }
    Promise<Slot> turn = Promise.promise();
    waiting.add(new Waiting(primary, turn));
    waitingCount = waiting.size();
    return turn.future();
  }

  /** Transfers waiting for a slot now. */
  int waiting() {
    return waitingCount;
  }

  /** Transfers running now. */
  int running() {
    return runningTotal;
  }

  private boolean hasRoom(InetAddress primary) {
    return runningTotal < total && running.getOrDefault(primary, 0) < perPrimary;
  }

  private Slot start(InetAddress primary) {
    runningTotal++;
    running.merge(primary, 1, Integer::sum);
    return new Running(primary);
  }

  private final class Running implements Slot {
    private final InetAddress primary;
    private boolean released;

    private Running(InetAddress primary) {
      this.primary = primary;
    }

    @Override
    public void release() {
      if (!released) {
        released = true;
        finish(primary);
      }
    }
  }

  private void finish(InetAddress primary) {
    runningTotal--;
    running.computeIfPresent(primary, (address, count) -> count == 1 ? null : count - 1);
    for (Iterator<Waiting> next = waiting.iterator(); next.hasNext() && runningTotal < total; ) {
      Waiting candidate = next.next();
      if (hasRoom(candidate.primary())) {
        next.remove();
        waitingCount = waiting.size();
        candidate.turn().complete(start(candidate.primary()));
      }
    }
  }
}
