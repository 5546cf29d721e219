package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

/**
 * A node away longer than the shared log holds: three clustered nodes whose log keeps only {@value
 * #LOG_SIZE} changes; one is killed (-9), the others acknowledge three logs' worth of updates, and
 * the killed node, restarted, catches up from the cluster's snapshot plus the log: it serves the
 * same serial and every acknowledged name. It then takes an update itself (it is no longer
 * diverged), is killed again at once and restarted, and still agrees with the others.
 */
class ClusterSnapshotTest {
  private static final int LOG_SIZE = 8;

  @TempDir Path dir;

  @Test
  void aNodeBackFromALongOutageCatchesUpFromASnapshotAndTheLog() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.onLoopback(dir, "full", "full", "full")) {
      nodes.setClusterKey("log-size", LOG_SIZE);
      ClusterChecks checks = new ClusterChecks(nodes);
      nodes.startAll();
      checks.converged("started");
      checks.stream(5, -1);
      checks.converged("after a first stream");

      int away = 2;
      nodes.kill(away);
      membersSeenBy(nodes, 0, 2);
      checks.stream(3 * LOG_SIZE, away, Set.of(0, 1));
      checks.converged("node 3 away", Set.of(0, 1));

      nodes.startAll();
      checks.converged("node 3 back");
      assertTrue(
          nodes.output(away).contains("caught up from the cluster's snapshot"),
          "node 3 started again from a snapshot:\n" + nodes.output(away));

      nodes
          .output(away)
          .lines()
          .filter(line -> line.contains("snapshot"))
          .forEach(line -> System.out.println("node 3: " + line));

      // The positive control: node 3 follows the log again, so it takes an update itself.
      int n = checks.newName();
      assertEquals(Rcode.NOERROR, nodes.update(away, n), nodes.output(away));
      checks.acknowledged(n);
      checks.converged("an update through node 3");

      nodes.kill(away);
      nodes.startAll();
      checks.converged("node 3 killed again right after its update, and restarted");
      checks.stream(5, -1);
      checks.converged("a stream to all three");
      System.out.printf(
          "ClusterSnapshotTest: %d updates, %d acknowledged%n",
          checks.sentCount(), checks.acknowledgedCount());
    }
  }

  /** Waits until node i's health lists {@code count} members (a killed one declared gone). */
  private static void membersSeenBy(ClusterNodes nodes, int i, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject health = nodes.health(i);
    while ((health == null || health.getJsonArray("members").size() != count)
        && System.nanoTime() < deadline) {
      Thread.sleep(500);
      health = nodes.health(i);
    }
    assertTrue(
        health != null && health.getJsonArray("members").size() == count,
        "node " + (i + 1) + " sees " + count + " members: " + health);
  }
}
