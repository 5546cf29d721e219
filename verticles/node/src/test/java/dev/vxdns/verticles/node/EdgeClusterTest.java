package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferIn;

/**
 * An edge node (cluster.role "edge": transports, blackhole, auth and access lists, no zone) in
 * front of two zone nodes, each its own JVM: queries to the edge are answered authoritatively with
 * the zone nodes' data, both zone nodes answering their share; updates made on a zone node are
 * visible through the edge and updates sent to the edge are applied by the zone nodes; a
 * TSIG-signed AXFR through the edge (many messages, pulled from a zone node across the cluster and
 * signed on the edge) equals the zone node's own; with one zone node killed the edge answers
 * through the other; with both gone it answers SERVFAIL within its hand-over timeout, never
 * nothing.
 */
class EdgeClusterTest {
  private static final int EDGE = 0;

  /** The edge's {@code cluster.handoff-timeout-ms} (its default). */
  private static final long HANDOFF_TIMEOUT_MILLIS = 2000;

  @TempDir Path dir;

  @Test
  void anEdgeNodeAnswersWithTheZoneNodesDataAndServfailsWithoutThem() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.onLoopback(dir, "edge", "full", "full")) {
      ClusterChecks checks = new ClusterChecks(nodes);
      nodes.startAll();
      checks.converged("started");

      Message soa = nodes.query(EDGE, ClusterNodes.ORIGIN, Type.SOA, Duration.ofSeconds(3));
      assertNotNull(soa, "the edge answers");
      assertEquals(Rcode.NOERROR, soa.getRcode(), soa.toString());
      assertTrue(soa.getHeader().getFlag(Flags.AA), "authoritative through the edge: " + soa);
      assertEquals(nodes.serial(1), nodes.serial(EDGE), "the zone nodes' serial");

      spreadOverBothZoneNodes(nodes);

      int onZoneNode = checks.newName();
      assertEquals(Rcode.NOERROR, nodes.update(1, onZoneNode), "an update on zone node 2");
      checks.acknowledged(onZoneNode);
      awaitServed(nodes, EDGE, onZoneNode);
      int throughEdge = checks.newName();
      assertEquals(Rcode.NOERROR, nodes.update(EDGE, throughEdge), "an update sent to the edge");
      checks.acknowledged(throughEdge);
      awaitServed(nodes, 1, throughEdge);
      awaitServed(nodes, 2, throughEdge);
      checks.stream(10, -1);
      checks.converged("updates to the edge and the zone nodes");

      bulkUpdate(nodes, 2, 400);
      checks.converged("a bulk update on zone node 3");
      List<String> fromEdge = axfr(nodes, EDGE);
      List<String> fromZoneNode = axfr(nodes, 2);
      assertTrue(fromZoneNode.size() > 400, "a transfer of many messages: " + fromZoneNode.size());
      assertEquals(fromZoneNode, fromEdge, "the AXFR through the edge is the zone node's");

      nodes.kill(1);
      awaitAnsweredBy(nodes, EDGE, "zone node 2 killed: the edge answers through zone node 3");

      // Positive control just before: the edge answers NOERROR while zone node 3 runs.
      assertEquals(Rcode.NOERROR, timedQuery(nodes).rcode(), "zone node 3 still up");
      nodes.kill(2);
      // The edge has no zone stage of its own: nothing else could answer NOERROR now.
      long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      int answered = 0;
      long slowest = 0;
      while (System.nanoTime() < deadline) {
        Answer answer = timedQuery(nodes);
        slowest = Math.max(slowest, answer.millis());
        assertEquals(
            Rcode.SERVFAIL,
            answer.rcode(),
            "no zone node: SERVFAIL, not " + answer + "\n" + edge(nodes));
        assertTrue(
            answer.millis() <= HANDOFF_TIMEOUT_MILLIS + 2000,
            "SERVFAIL within the hand-over timeout: " + answer.millis() + " ms");
        answered++;
      }
      assertTrue(answered >= 3, "queries answered SERVFAIL: " + answered);
      System.out.printf(
          "EdgeClusterTest: AXFR of %d records through the edge; without zone nodes %d queries"
              + " answered SERVFAIL, the slowest in %d ms%n",
          fromEdge.size(), answered, slowest);
    }
  }

  /**
   * Queries to the edge are answered by both zone nodes: each zone node's count of exchanges
   * answered for edges ({@code vxdns cluster-stats}, shared every 2 s) grows, and the edge counts
   * what it handed over.
   */
  private static void spreadOverBothZoneNodes(ClusterNodes nodes) throws Exception {
    String[] members = {nodes.health(1).getString("member"), nodes.health(2).getString("member")};
    long[] before = {
      answeredForEdges(nodes, 1, members[0]), answeredForEdges(nodes, 2, members[1])
    };
    for (int k = 0; k < 40; k++) {
      Message answer = nodes.query(EDGE, ClusterNodes.ORIGIN, Type.SOA, Duration.ofSeconds(3));
      assertNotNull(answer, "query " + k + " to the edge");
      assertEquals(Rcode.NOERROR, answer.getRcode(), answer.toString());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
    long[] grew = new long[2];
    do {
      ClusterChecks.sleep(500);
      for (int z = 0; z < 2; z++) {
        grew[z] = answeredForEdges(nodes, z + 1, members[z]) - before[z];
      }
    } while ((grew[0] == 0 || grew[1] == 0 || grew[0] + grew[1] < 40)
        && System.nanoTime() < deadline);
    assertTrue(
        grew[0] > 0 && grew[1] > 0 && grew[0] + grew[1] >= 40,
        "answered for the edge by zone node 2: " + grew[0] + ", by zone node 3: " + grew[1]);
    JsonObject edgeStats = nodes.toolJson(EDGE, "cluster-stats");
    assertNotNull(edgeStats, "cluster-stats on the edge");
    long handedOver = 0;
    for (String member : edgeStats.getJsonObject("members").fieldNames()) {
      handedOver +=
          edgeStats
              .getJsonObject("members")
              .getJsonObject(member)
              .getJsonObject("cluster", new JsonObject())
              .getLong("handed-over", 0L);
    }
    assertTrue(handedOver >= 40, "the edge counts its hand-overs: " + edgeStats.encode());
    System.out.printf(
        "EdgeClusterTest: 40 queries to the edge answered by zone node 2 (%d) and 3 (%d)%n",
        grew[0], grew[1]);
  }

  /**
   * Zone node i's count of exchanges answered for edges, as it last shared it (its entry in its own
   * cluster-stats); 0 before any.
   */
  private static long answeredForEdges(ClusterNodes nodes, int i, String self) throws Exception {
    JsonObject stats = nodes.toolJson(i, "cluster-stats");
    assertNotNull(stats, "cluster-stats on node " + (i + 1));
    JsonObject mine = stats.getJsonObject("members").getJsonObject(self, new JsonObject());
    return mine.getJsonObject("cluster", new JsonObject()).getLong("answered", 0L);
  }

  private static String edge(ClusterNodes nodes) {
    return "--- the edge:\n" + nodes.output(EDGE);
  }

  /** One query to the edge and its rcode (-1: no answer) and time. */
  private record Answer(int rcode, long millis) {}

  private static Answer timedQuery(ClusterNodes nodes) {
    long start = System.nanoTime();
    Message answer = nodes.query(EDGE, ClusterNodes.ORIGIN, Type.SOA, Duration.ofSeconds(8));
    long millis = (System.nanoTime() - start) / 1_000_000;
    return new Answer(answer == null ? -1 : answer.getRcode(), millis);
  }

  /** Waits (at most 30 s) until node i answers NOERROR ten times in a row. */
  private static void awaitAnsweredBy(ClusterNodes nodes, int i, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int inARow = 0;
    while (inARow < 10 && System.nanoTime() < deadline) {
      Message answer = nodes.query(i, ClusterNodes.ORIGIN, Type.SOA, Duration.ofSeconds(3));
      inARow = answer != null && answer.getRcode() == Rcode.NOERROR ? inARow + 1 : 0;
    }
    assertEquals(10, inARow, what + "\n" + edge(nodes));
  }

  private static void awaitServed(ClusterNodes nodes, int i, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!nodes.serves(i, n) && System.nanoTime() < deadline) {
      ClusterChecks.sleep(10);
    }
    assertTrue(nodes.serves(i, n), "node " + (i + 1) + " serves r" + n + "\n" + edge(nodes));
  }

  /** Adds {@code count} TXT records of 100 octets in one signed update to node i. */
  private static void bulkUpdate(ClusterNodes nodes, int i, int count) throws Exception {
    Update update = new Update(ClusterNodes.ORIGIN);
    String text = "x".repeat(100);
    for (int k = 0; k < count; k++) {
      update.add(
          new TXTRecord(Name.fromConstantString("bulk" + k + ".dyn.test."), DClass.IN, 300, text));
    }
    SimpleResolver resolver = nodes.resolver(i);
    resolver.setTCP(true);
    resolver.setTSIGKey(nodes.updateKey());
    resolver.setTimeout(Duration.ofSeconds(20));
    Message response = resolver.send(update);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
  }

  /** Node i's AXFR of dyn.test, TSIG-signed and verified message by message, in order. */
  private static List<String> axfr(ClusterNodes nodes, int i) throws Exception {
    ClusterNodes.Spec spec = nodes.specs().get(i);
    ZoneTransferIn transfer =
        ZoneTransferIn.newAXFR(
            ClusterNodes.ORIGIN, spec.address(), spec.dnsPort(), nodes.updateKey());
    transfer.setTimeout(Duration.ofSeconds(20));
    transfer.run();
    List<String> records = new ArrayList<>();
    for (Record record : transfer.getAXFR()) {
      records.add(record.toString());
    }
    Set<String> distinct = new TreeSet<>(records);
    assertTrue(distinct.size() > 1, "node " + (i + 1) + " transferred " + records);
    return records;
  }
}
