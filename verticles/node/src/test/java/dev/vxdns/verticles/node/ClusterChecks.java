package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * What the cluster tests send and check: updates that each add one name {@code r<n>}, which of them
 * were acknowledged, and whether the nodes agree.
 */
final class ClusterChecks {
  private final ClusterNodes nodes;
  private final Random random = new Random();
  private final AtomicInteger next = new AtomicInteger();

  /** Every name sent, and whether its update was acknowledged (NOERROR, verified). */
  private final Map<Integer, Boolean> sent = new ConcurrentHashMap<>();

  private final List<Long> visibleMillis = Collections.synchronizedList(new ArrayList<>());

  ClusterChecks(ClusterNodes nodes) {
    this.nodes = nodes;
  }

  /** A new name's number, noted as sent and not acknowledged. */
  int newName() {
    int n = next.getAndIncrement();
    sent.put(n, false);
    return n;
  }

  void acknowledged(int n) {
    sent.put(n, true);
  }

  long acknowledgedCount() {
    return sent.values().stream().filter(ack -> ack).count();
  }

  int sentCount() {
    return sent.size();
  }

  /** Acknowledged to visible on the other nodes: p50, p99 and max in ms. */
  String latencies() {
    List<Long> sorted = new ArrayList<>(visibleMillis);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return "none measured";
    }
    return String.format(
        "p50 %d ms, p99 %d ms, max %d ms (%d updates)",
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
        sorted.get(sorted.size() - 1),
        sorted.size());
  }

  /** Like {@link #stream(int, int, Set)} to any running node. */
  void stream(int count, int unstable) throws Exception {
    stream(count, unstable, null);
  }

  /**
   * Sends {@code count} updates, one at a time, each to a random running node of {@code targets}
   * (null: any), and waits for each acknowledged one to be served by the other running nodes of
   * {@code targets}; meanwhile a client queries every node of {@code targets} but {@code unstable}
   * (being killed, -1: none) and every such query must be answered.
   */
  void stream(int count, int unstable, Set<Integer> targets) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<String> unanswered = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger queries = new AtomicInteger();
    Thread querier =
        new Thread(
            () -> {
              while (!stop.get()) {
                for (int i = 0; i < nodes.size(); i++) {
                  if (i != unstable && (targets == null || targets.contains(i))) {
                    queries.incrementAndGet();
                    if (nodes.query(i, ClusterNodes.ORIGIN, Type.SOA, Duration.ofSeconds(2))
                        == null) {
                      unanswered.add("node " + (i + 1) + " at query " + queries.get());
                    }
                  }
                }
                sleep(20);
              }
            });
    querier.start();
    try {
      for (int k = 0; k < count; k++) {
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
          if (nodes.isRunning(i) && (targets == null || targets.contains(i))) {
            up.add(i);
          }
        }
        int target = up.get(random.nextInt(up.size()));
        int n = newName();
        int rcode = nodes.update(target, n);
        if (rcode == Rcode.NOERROR) {
          sent.put(n, true);
          long acked = System.nanoTime();
          for (int i = 0; i < nodes.size(); i++) {
            if (i != target
                && i != unstable
                && nodes.isRunning(i)
                && (targets == null || targets.contains(i))) {
              long deadline = acked + Duration.ofSeconds(10).toNanos();
              while (!nodes.serves(i, n) && System.nanoTime() < deadline) {
                sleep(2);
              }
              assertTrue(
                  nodes.serves(i, n),
                  "r" + n + " acknowledged by node " + (target + 1) + ", not served by " + (i + 1));
            }
          }
          visibleMillis.add((System.nanoTime() - acked) / 1_000_000);
        } else if (target != unstable) {
          // Only the node being killed may fail an update.
          throw new AssertionError(
              "node "
                  + (target + 1)
                  + " answered "
                  + (rcode == -1 ? "nothing" : Rcode.string(rcode))
                  + " to r"
                  + n
                  + "\n"
                  + nodes.output(target));
        }
      }
    } finally {
      stop.set(true);
      querier.join();
    }
    assertTrue(queries.get() > 0, "queries were sent");
    if (!unanswered.isEmpty()) {
      StringBuilder logs = new StringBuilder();
      for (int i = 0; i < nodes.size(); i++) {
        logs.append("\n--- node ").append(i + 1).append(":\n").append(nodes.output(i));
      }
      assertEquals(
          List.of(), unanswered, "queries to the nodes that stayed up, all answered" + logs);
    }
  }

  /**
   * Within 60 s every running node serves every acknowledged name, they agree on the serial, and
   * each name ever sent is on all of them or on none.
   */
  void converged(String when) {
    converged(when, null);
  }

  /** Like {@link #converged(String)} among the nodes {@code among} (null: every running one). */
  void converged(String when, Set<Integer> among) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String problem;
    do {
      problem = difference(among);
      if (problem == null) {
        return;
      }
      sleep(200);
    } while (System.nanoTime() < deadline);
    StringBuilder logs = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      logs.append("\n--- node ").append(i + 1).append(":\n").append(nodes.output(i));
    }
    throw new AssertionError(when + ": " + problem + logs);
  }

  private String difference(Set<Integer> among) {
    Set<Long> serials = new TreeSet<>();
    Set<Integer> first = null;
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.isRunning(i) || (among != null && !among.contains(i))) {
        continue;
      }
      serials.add(nodes.serial(i));
      Set<Integer> served = new TreeSet<>();
      for (Map.Entry<Integer, Boolean> name : sent.entrySet()) {
        boolean serves = nodes.serves(i, name.getKey());
        if (serves) {
          served.add(name.getKey());
        } else if (name.getValue()) {
          return "node " + (i + 1) + " does not serve acknowledged r" + name.getKey();
        }
      }
      if (first != null && !first.equals(served)) {
        return "nodes serve different names: " + first + " and " + served;
      }
      first = served;
    }
    if (serials.size() != 1 || serials.contains(-1L)) {
      return "serials differ: " + serials;
    }
    return null;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
