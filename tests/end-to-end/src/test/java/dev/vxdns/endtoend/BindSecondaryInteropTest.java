package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import dev.vxdns.verticles.node.NodeConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * BIND 9.20's named as a secondary of a vxdns primary: named transfers the zone (AXFR, TSIG-signed)
 * when it starts; dynamic updates on vxdns make vxdns NOTIFY named ({@code also-notify} with the
 * key), and named follows with an IXFR from vxdns's history. One zone over TCP, one over XoT from
 * vxdns's DoT listener ({@code "tls": "ephemeral"}, ALPN dot), where allow-transfer admits TLS
 * only. After each step named's copy, transferred from named, equals vxdns's, record by record.
 */
class BindSecondaryInteropTest {
  @TempDir static Path dir;
  static TestNode node;
  static Peer named;
  static int port;
  static int dotPort;
  static int namedPort;
  static JsonObject config;

  @BeforeAll
  static void start() throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(3);
    port = ports[0];
    dotPort = ports[1];
    namedPort = ports[2];
    config = TestNode.config(port, Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    TestNode.listen(config, TestNode.listener(dotPort, "dot").put("tls", "ephemeral"));
    JsonObject tlsOnly =
        new JsonObject()
            .put("match", new JsonArray().add("key " + TransferPeers.KEY_NAME))
            .put("transport", "tls");
    config.put(
        "zone",
        new JsonObject()
            .put("tcp.test", primary("tcp.test", new JsonArray().add("key xfr-key.")))
            .put("xot.test", primary("xot.test", new JsonArray().add(tlsOnly)))
            .put("many.test", primary("many.test", new JsonArray().add("key xfr-key.")))
            .put("file.test", fileOnly(primary("file.test", new JsonArray().add("key xfr-key.")))));
    // Big enough for an AXFR of many messages, each signed in one TSIG chain.
    Files.writeString(
        dir.resolve("many.test.zone"),
        SecondaryInteropTest.zoneFile("many.test")
            + "$GENERATE 1-20000 host$ IN CNAME target$.example.\n");
    node = TestNode.start(config, dir, dir.resolve("generated"));
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    named =
        TransferPeers.startNamed(
            namedDir,
            TransferPeers.namedOptions(
                    namedDir, namedPort, "  notify no;", "  allow-transfer { any; };")
                + String.join(
                    "\n",
                    // No CA, no name: opportunistic TLS, as a primary's tls without ca-file.
                    "tls opportunistic { };",
                    "zone \"tcp.test\" {",
                    "  type secondary; file \"tcp.test.db\";",
                    "  primaries { 127.0.0.1 port " + port + " key \"xfr-key.\"; };",
                    "};",
                    "zone \"many.test\" {",
                    "  type secondary; file \"many.test.db\";",
                    "  primaries { 127.0.0.1 port " + port + " key \"xfr-key.\"; };",
                    "};",
                    "zone \"file.test\" {",
                    "  type secondary; file \"file.test.db\";",
                    "  primaries { 127.0.0.1 port " + port + " key \"xfr-key.\"; };",
                    "};",
                    "zone \"xot.test\" {",
                    "  type secondary; file \"xot.test.db\";",
                    "  primaries { 127.0.0.1 port "
                        + dotPort
                        + " key \"xfr-key.\" tls opportunistic; };",
                    "};",
                    ""));
  }

  static JsonObject primary(String zone, JsonArray allowTransfer) throws Exception {
    return new JsonObject()
        .put("type", "primary")
        .put("file", TransferPeers.writeZone(dir, zone).toString())
        .put("update-policy", new JsonArray().add("grant xfr-key. zonesub ANY"))
        .put("allow-transfer", allowTransfer)
        .put("notify", "explicit")
        .put(
            "also-notify",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("address", "127.0.0.1")
                        .put("port", namedPort)
                        .put("key", TransferPeers.KEY_NAME)));
  }

  /** A zone changed only by editing its file: no dynamic updates. */
  static JsonObject fileOnly(JsonObject zone) {
    zone.remove("update-policy");
    return zone;
  }

  @AfterAll
  static void stop() throws Exception {
    TransferPeers.closeAll(named, node);
  }

  @Test
  void namedFollowsUpdatesOverTcpByNotifyAndIxfr() throws Exception {
    followsUpdates("tcp.test", port, () -> TransferPeers.axfr(port, "tcp.test"));
  }

  @Test
  void namedFollowsUpdatesOverXotFromTheDotListener() throws Exception {
    followsUpdates("xot.test", dotPort, () -> TransferPeers.axfrOverTls(dotPort, "xot.test"));
    // The TLS-only allow-transfer holds: the same key over plain TCP is refused.
    String refused =
        XfrInteropTest.runAllowingFailure(
            "dig",
            List.of(
                "@127.0.0.1",
                "-p",
                Integer.toString(port),
                "+time=5",
                "+tries=1",
                "-y",
                TransferPeers.KEY_ARG,
                "xot.test.",
                "AXFR"));
    assertTrue(refused.contains("Transfer failed"), refused);
  }

  @Test
  void namedVerifiesAnAxfrOfManySignedMessages() throws Exception {
    TransferPeers.awaitSerial(
        "named's transfer of many.test", namedPort, "many.test", 1, named::log);
    java.util.regex.Matcher completed =
        java.util.regex.Pattern.compile(
                "transfer of 'many.test/IN' from 127.0.0.1#"
                    + port
                    + ": Transfer completed: (\\d+) messages")
            .matcher(named.log());
    assertTrue(completed.find(), named.log());
    assertTrue(Integer.parseInt(completed.group(1)) > 10, completed.group());
    Set<String> zone = TransferPeers.axfr(port, "many.test");
    assertTrue(zone.size() > 20000, "records: " + zone.size());
    assertEquals(zone, TransferPeers.axfr(namedPort, "many.test"));
  }

  /**
   * As after an edit and {@code rndc reload} on a BIND primary: vxdns reads the changed file again
   * on a reload and notifies named, which transfers the new version at once (its SOA refresh, an
   * hour, is not what brings it).
   */
  @Test
  void namedFollowsAZoneFileEditedAndReloaded() throws Exception {
    String zone = "file.test";
    TransferPeers.awaitSerial("named's first transfer of " + zone, namedPort, zone, 1, named::log);
    Files.writeString(
        dir.resolve(zone + ".zone"),
        SecondaryInteropTest.zoneFile(zone)
            .replace("hostmaster 1 3600", "hostmaster 2 3600")
            .replace("www IN A 192.0.2.80", "www IN A 192.0.2.81"));
    JsonObject report =
        node.node
            .reconfigure(NodeConfig.parse(config, dir, dir.resolve("generated")))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertEquals(
        new JsonArray().add(zone + ". reloaded from its file"),
        report.getJsonArray("changes"),
        report.encode());
    assertEquals(2, TransferPeers.serial(port, zone));
    TransferPeers.awaitSerial(
        "named's transfer of " + zone + " at serial 2", namedPort, zone, 2, named::log);
    Set<String> transferred = TransferPeers.axfr(namedPort, zone);
    assertEquals(TransferPeers.axfr(port, zone), transferred);
    assertTrue(
        transferred.stream().anyMatch(r -> r.contains("192.0.2.81")), transferred.toString());
    assertTrue(
        named
            .log()
            .lines()
            .anyMatch(
                l ->
                    l.contains("zone " + zone + "/IN: notify from 127.0.0.1#")
                        && l.contains("serial 2")),
        named.log());
  }

  /**
   * named has the zone at serial 1 from an AXFR; two updates later it has serial 3, applied as IXFR
   * diffs (named's journal holds them: an AXFR would have left none), and both copies are equal.
   */
  private void followsUpdates(String zone, int transferPort, Callable<Set<String>> fromVxdns)
      throws Exception {
    String transferred = "transfer of '" + zone + "/IN' from 127.0.0.1#" + transferPort;
    TransferPeers.awaitSerial("named's first transfer of " + zone, namedPort, zone, 1, named::log);
    assertTrue(
        named.log().contains(transferred + ": connected using 127.0.0.1#" + transferPort + " TSIG"),
        named.log());
    Set<String> before = fromVxdns.call();
    assertEquals(before, TransferPeers.axfr(namedPort, zone));
    assertTrue(before.size() > 10, before.toString());
    Path journal = dir.resolve("named").resolve(zone + ".db.jnl");
    assertFalse(Files.exists(journal), "an AXFR leaves named no journal");

    TransferPeers.update(
        port,
        zone,
        u -> {
          u.add(TransferPeers.name("new." + zone + "."), Type.A, 300, "192.0.2.77");
          u.delete(TransferPeers.name("www." + zone + "."), Type.TXT);
        });
    TransferPeers.update(
        port,
        zone,
        u -> {
          u.delete(TransferPeers.name("mail." + zone + "."), Type.A);
          u.add(TransferPeers.name("mail." + zone + "."), Type.A, 300, "192.0.2.26");
        });
    assertEquals(3, TransferPeers.serial(port, zone));
    TransferPeers.awaitSerial(
        "named's IXFR of " + zone + " to serial 3", namedPort, zone, 3, named::log);
    Set<String> after = fromVxdns.call();
    assertEquals(after, TransferPeers.axfr(namedPort, zone));
    assertTrue(after.stream().anyMatch(r -> r.startsWith("new." + zone + ".")), after.toString());
    assertFalse(after.stream().anyMatch(r -> r.contains("hello world")), after.toString());
    assertTrue(named.log().contains("notify from 127.0.0.1#"), named.log());

    // The diffs named applied, from its journal: IXFR, not a second AXFR.
    waitForFile(journal);
    String diffs = TransferPeers.bind920Tool("named-journalprint", journal.toString());
    assertTrue(diffs.matches("(?s).*add new\\." + zone + "\\.\\s.*192\\.0\\.2\\.77.*"), diffs);
    assertTrue(diffs.matches("(?s).*del www\\." + zone + "\\.\\s.*TXT.*"), diffs);
    assertTrue(diffs.matches("(?s).*del mail\\." + zone + "\\.\\s.*192\\.0\\.2\\.25.*"), diffs);
    assertTrue(diffs.matches("(?s).*add mail\\." + zone + "\\.\\s.*192\\.0\\.2\\.26.*"), diffs);
  }

  private static void waitForFile(Path file) throws Exception {
    TransferPeers.waitFor("named's journal " + file, () -> Files.exists(file), named::log);
  }
}
