package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The cluster's shared config: a config pushed to node 2 ({@code vxdns push-config}) is applied by
 * all three nodes with one version; an invalid push to node 1 is refused with the validator's
 * message and changes nothing anywhere, and so is one that names node-local keys; a node's own file
 * changes only its node-local part once the cluster has a version; a node killed with kill -9 and
 * restarted starts on the current version, and so do all three after a kill -9 of all (the cluster
 * forgets, each node saved the version it ran).
 */
class ClusterConfigPushTest {
  private static final Name PUSHED = Name.fromConstantString("pushed.test.");
  private static final Name PUSHED_LATER = Name.fromConstantString("later.test.");
  private static final Name LOCAL_ONLY = Name.fromConstantString("local-only.test.");

  @TempDir Path dir;

  @Test
  void aConfigPushedToNode2AppliesOnAllThree() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.onLoopback(dir, "full", "full", "full")) {
      for (ClusterNodes.Spec spec : nodes.specs()) {
        for (Name zone : List.of(PUSHED, PUSHED_LATER, LOCAL_ONLY)) {
          Files.writeString(spec.dir().resolve(zone + "zone"), zoneFile());
        }
      }
      ClusterChecks checks = new ClusterChecks(nodes);
      nodes.startAll();
      checks.converged("started");
      for (int i = 0; i < nodes.size(); i++) {
        assertEquals(Rcode.REFUSED, soa(nodes, i, PUSHED), "node " + (i + 1) + " before the push");
      }

      // A valid push to node 2: node 2's shared part and one more zone.
      JsonObject shared = SharedConfig.sharedPart(fileOf(nodes, 1));
      shared.getJsonObject("zone").put("pushed.test", primary(PUSHED));
      List<String> pushed = push(nodes, 1, write("shared-1.json", shared));
      assertEquals("0", pushed.get(0), "push to node 2: " + pushed);
      assertTrue(pushed.get(1).contains("zones reconfigured: pushed.test. added"), pushed.get(1));
      long version = versionIn(pushed.get(1));
      for (int i = 0; i < nodes.size(); i++) {
        awaitServed(nodes, i, PUSHED);
      }
      allReport(nodes, version);

      // An invalid push to node 1 is refused with checkconf's message; nothing changes anywhere.
      JsonObject invalid = shared.copy();
      invalid.getJsonObject("zone").put("later.test", primary(PUSHED_LATER));
      invalid.put("options", invalid.getJsonObject("options").copy().put("max-udp-size", 100));
      Path invalidFile = write("invalid.json", invalid);
      Path whole = nodes.specs().get(0).dir().resolve("whole.json");
      Files.writeString(whole, SharedConfig.merge(invalid, fileOf(nodes, 0)).encodePrettily());
      List<String> checkconf = ClusterNodes.tool("checkconf", whole.toString());
      assertEquals("1", checkconf.get(0), "checkconf: " + checkconf);
      String message = checkconf.get(2).strip();
      String problem = message.substring(message.indexOf(whole + ": ") + (whole + ": ").length());
      assertTrue(problem.startsWith("options.max-udp-size: "), checkconf.get(2));
      List<String> refused = push(nodes, 0, invalidFile);
      assertEquals("1", refused.get(0), "invalid push: " + refused);
      assertTrue(
          refused.get(2).contains("invalid configuration " + invalidFile + ": " + problem),
          "the validator's message: " + refused.get(2));

      JsonObject nodeLocal = shared.copy().put("controls", new JsonArray());
      List<String> local = push(nodes, 0, write("node-local.json", nodeLocal));
      assertEquals("1", local.get(0), "node-local push: " + local);
      assertTrue(
          local.get(2).contains("controls is node-local"), "the refusal says why: " + local.get(2));

      for (int i = 0; i < nodes.size(); i++) {
        assertEquals(Rcode.NOERROR, soa(nodes, i, PUSHED), "node " + (i + 1) + " still serves");
        assertEquals(
            Rcode.REFUSED, soa(nodes, i, PUSHED_LATER), "node " + (i + 1) + " after the refusal");
      }
      allReport(nodes, version);

      // Node 1's own file: its node-local part applies (a new listener), its shared part (a zone)
      // does not while the cluster has a version.
      int extraPort = LauncherConfig.freePort();
      JsonObject file = fileOf(nodes, 0);
      file.getJsonObject("zone").put("local-only.test", primary(LOCAL_ONLY));
      file.getJsonObject("options")
          .getJsonArray("listen-on")
          .add(
              new JsonObject()
                  .put("address", "127.0.0.1")
                  .put("port", extraPort)
                  .put("transport", "udp"));
      Files.writeString(nodes.specs().get(0).config(), file.encodePrettily());
      Message onExtraPort = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (onExtraPort == null && System.nanoTime() < deadline) {
        ClusterChecks.sleep(200);
        onExtraPort = query(extraPort, PUSHED);
      }
      assertNotNull(onExtraPort, "node 1 listens where its file now says\n" + nodes.output(0));
      assertEquals(Rcode.NOERROR, onExtraPort.getRcode(), "the pushed zone, on the new listener");
      Message localOnly = query(extraPort, LOCAL_ONLY);
      assertNotNull(localOnly, "node 1 answers on its new listener\n" + nodes.output(0));
      assertEquals(Rcode.REFUSED, localOnly.getRcode(), "the file's own zone is not used");
      List<String> reconfig =
          ClusterNodes.tool(
              "reconfig",
              "--config",
              nodes.specs().get(0).config().toString(),
              "--server",
              nodes.control(0));
      assertEquals("0", reconfig.get(0), "reconfig: " + reconfig);
      assertTrue(
          reconfig.get(1).contains("cluster config version " + version + "\n"),
          "reconfig says which version node 1 runs: " + reconfig.get(1));
      assertEquals(version, configReport(nodes, 0).getLong("version"));

      // kill -9 node 3; a new version is pushed without it; restarted, it starts on that version.
      nodes.kill(2);
      awaitMembers(nodes, 1, 2);
      JsonObject next = shared.copy();
      next.getJsonObject("zone").put("later.test", primary(PUSHED_LATER));
      List<String> pushedAgain = push(nodes, 1, write("shared-2.json", next));
      assertEquals("0", pushedAgain.get(0), "second push to node 2: " + pushedAgain);
      long nextVersion = versionIn(pushedAgain.get(1));
      assertTrue(nextVersion > version, pushedAgain.get(1));
      for (int i = 0; i < 2; i++) {
        awaitServed(nodes, i, PUSHED_LATER);
      }
      nodes.startAll();
      assertTrue(
          nodes.output(2).contains("cluster config version " + nextVersion + ")"),
          "node 3 started on the current version:\n" + nodes.output(2));
      assertEquals(Rcode.NOERROR, soa(nodes, 2, PUSHED_LATER), "node 3 serves it on start");
      allReport(nodes, nextVersion);
      checks.converged("after node 3's restart");

      // kill -9 of all three: the maps are gone, each node's saved version comes back.
      for (int i = 0; i < nodes.size(); i++) {
        nodes.kill(i);
      }
      nodes.startAll();
      allReport(nodes, nextVersion);
      for (int i = 0; i < nodes.size(); i++) {
        assertEquals(Rcode.NOERROR, soa(nodes, i, PUSHED_LATER), "node " + (i + 1) + " restarted");
      }
      checks.converged("after all three restarted");
    }
  }

  private static String zoneFile() {
    return String.join(
        "\n",
        "$TTL 300",
        "@    IN SOA ns1 hostmaster 1 3600 600 1209600 300",
        "     IN NS  ns1",
        "ns1  IN A   127.0.0.1",
        "");
  }

  private static JsonObject primary(Name zone) {
    return new JsonObject().put("type", "primary").put("file", zone + "zone");
  }

  private static JsonObject fileOf(ClusterNodes nodes, int i) throws Exception {
    return new JsonObject(Files.readString(nodes.specs().get(i).config()));
  }

  private Path write(String name, JsonObject document) throws Exception {
    return Files.writeString(dir.resolve(name), document.encodePrettily());
  }

  private static List<String> push(ClusterNodes nodes, int i, Path file) {
    return ClusterNodes.tool(
        "push-config",
        file.toString(),
        "--config",
        nodes.specs().get(i).config().toString(),
        "--server",
        nodes.control(i));
  }

  private static long versionIn(String output) {
    for (String line : output.split("\n")) {
      if (line.startsWith("cluster config version ")) {
        return Long.parseLong(line.substring("cluster config version ".length()).strip());
      }
    }
    throw new AssertionError("no config version in: " + output);
  }

  /** Node i's {@code cluster-status}. */
  private static JsonObject health(ClusterNodes nodes, int i) {
    List<String> status =
        ClusterNodes.tool(
            "cluster-status",
            "--config",
            nodes.specs().get(i).config().toString(),
            "--server",
            nodes.control(i));
    assertEquals("0", status.get(0), "cluster-status of node " + (i + 1) + ": " + status);
    return new JsonObject(status.get(1));
  }

  private static JsonObject configReport(ClusterNodes nodes, int i) {
    return health(nodes, i).getJsonObject("config");
  }

  /**
   * Within 20 s every node reports {@code version} as applied and as the cluster's, and sees every
   * member at it.
   */
  private static void allReport(ClusterNodes nodes, long version) {
    for (int i = 0; i < nodes.size(); i++) {
      int node = i;
      JsonObject report =
          await(
              () -> configReport(nodes, node),
              config ->
                  config.getLong("version") == version
                      && config.getLong("cluster-version", -1L) == version
                      && config.getJsonObject("applied", new JsonObject()).size() == nodes.size()
                      && config.getJsonObject("applied").stream()
                          .allMatch(
                              member ->
                                  member.getValue() instanceof Number at
                                      && at.longValue() == version));
      assertEquals(version, report.getLong("version"), "node " + (i + 1) + ": " + report);
      assertEquals(
          nodes.size(), report.getJsonObject("applied").size(), "node " + (i + 1) + ": " + report);
      report
          .getJsonObject("applied")
          .forEach(
              member ->
                  assertEquals(
                      version,
                      member.getValue() instanceof Number at ? at.longValue() : -1,
                      "node " + (node + 1) + " sees " + member.getKey() + ": " + report));
    }
  }

  private static void awaitMembers(ClusterNodes nodes, int i, int count) {
    JsonObject report =
        await(() -> health(nodes, i), h -> h.getJsonArray("members").size() == count);
    assertEquals(count, report.getJsonArray("members").size(), report.encode());
  }

  private static <T> T await(java.util.function.Supplier<T> read, Predicate<T> done) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    T value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      ClusterChecks.sleep(200);
      value = read.get();
    }
    return value;
  }

  private static void awaitServed(ClusterNodes nodes, int i, Name zone) {
    int rcode = await(() -> soa(nodes, i, zone), r -> r == Rcode.NOERROR);
    assertEquals(Rcode.NOERROR, rcode, zone + " on node " + (i + 1) + "\n" + nodes.output(i));
  }

  private static int soa(ClusterNodes nodes, int i, Name zone) {
    Message answer = nodes.query(i, zone, Type.SOA, Duration.ofSeconds(3));
    assertNotNull(answer, "node " + (i + 1) + " answers");
    if (answer.getRcode() == Rcode.NOERROR) {
      assertEquals(1, answer.getSection(Section.ANSWER).size(), answer.toString());
    }
    return answer.getRcode();
  }

  private static Message query(int port, Name zone) {
    try {
      SimpleResolver resolver =
          new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      resolver.setTimeout(Duration.ofSeconds(3));
      Message answer = resolver.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
      // dnsjava picks its source port at random: to a port nobody listens on yet, it may be that
      // port, and the query comes back to it as if it were the answer.
      return answer.getHeader().getFlag(Flags.QR) ? answer : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
