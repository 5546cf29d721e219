package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Three clustered nodes, each its own JVM: TSIG-signed updates go to random nodes while queries go
 * to all of them; one node is killed (-9) in the middle of a stream and restarted; then all three
 * are killed at once and restarted. After each step every acknowledged update is served by every
 * node, the nodes agree on the SOA serial and on every name ever sent (an unacknowledged one is on
 * all or on none), and queries to the nodes that stayed up were all answered.
 */
class ClusterTest {
  @TempDir Path dir;

  private final Random random = new Random();
  private final AtomicInteger next = new AtomicInteger();

  /** Every name sent, and whether its update was acknowledged (NOERROR, verified). */
  private final Map<Integer, Boolean> sent = new ConcurrentHashMap<>();

  private final List<Long> visibleMillis = Collections.synchronizedList(new ArrayList<>());

  @Test
  void updatesToAnyNodeAreServedByAllThroughKillsAndRestarts() throws Exception {
    try (ClusterNodes nodes =
        ClusterNodes.create(
            dir,
            List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"),
            List.of(List.of(), List.of(), List.of()))) {
      nodes.startAll();
      converged(nodes, "started");
      stream(nodes, 30, -1);
      converged(nodes, "after the first stream");

      int victim = random.nextInt(3);
      Thread killer =
          new Thread(
              () -> {
                try {
                  Thread.sleep(300 + random.nextInt(1500));
                  nodes.kill(victim);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      killer.start();
      stream(nodes, 30, victim);
      killer.join();
      converged(nodes, "node " + (victim + 1) + " killed");
      nodes.startAll();
      converged(nodes, "node " + (victim + 1) + " restarted");
      stream(nodes, 10, -1);
      converged(nodes, "a stream after the restart");

      for (int i = 0; i < nodes.size(); i++) {
        nodes.kill(i);
      }
      nodes.startAll();
      converged(nodes, "all three killed and restarted");
      stream(nodes, 10, -1);
      converged(nodes, "a stream after the whole cluster restarted");

      long acknowledged = sent.values().stream().filter(ack -> ack).count();
      assertTrue(
          acknowledged >= 70, "updates acknowledged: " + acknowledged + " of " + sent.size());
      List<Long> sorted = new ArrayList<>(visibleMillis);
      Collections.sort(sorted);
      System.out.printf(
          "ClusterTest: %d updates, %d acknowledged; acknowledged to visible on the other nodes:"
              + " p50 %d ms, p99 %d ms, max %d ms%n",
          sent.size(),
          acknowledged,
          sorted.get(sorted.size() / 2),
          sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
          sorted.get(sorted.size() - 1));
    }
  }

  /**
   * Sends {@code count} updates, one at a time, each to a random running node, and waits for each
   * acknowledged one to be served by the other running nodes; meanwhile a client queries every node
   * but {@code unstable} (being killed) and every such query must be answered.
   */
  private void stream(ClusterNodes nodes, int count, int unstable) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    List<String> unanswered = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger queries = new AtomicInteger();
    Thread querier =
        new Thread(
            () -> {
              while (!stop.get()) {
                for (int i = 0; i < nodes.size(); i++) {
                  if (i != unstable) {
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
          if (nodes.isRunning(i)) {
            up.add(i);
          }
        }
        int target = up.get(random.nextInt(up.size()));
        int n = next.getAndIncrement();
        sent.put(n, false);
        int rcode = nodes.update(target, n);
        if (rcode == Rcode.NOERROR) {
          sent.put(n, true);
          long acked = System.nanoTime();
          for (int i : up) {
            if (i != target && i != unstable) {
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
    assertEquals(List.of(), unanswered, "queries to the nodes that stayed up, all answered");
  }

  /**
   * Within 60 s every running node serves every acknowledged name, they agree on the serial, and
   * each name ever sent is on all of them or on none.
   */
  private void converged(ClusterNodes nodes, String when) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String problem;
    do {
      problem = difference(nodes);
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

  private String difference(ClusterNodes nodes) {
    Set<Long> serials = new TreeSet<>();
    Set<Integer> first = null;
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.isRunning(i)) {
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
