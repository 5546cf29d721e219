package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Knot DNS (knotd 3.2) as a secondary of a vxdns primary: knotd bootstraps the zone by AXFR, then a
 * dynamic update on vxdns makes vxdns NOTIFY knotd (signed), and knotd refreshes with an IXFR
 * (knotd logs the transfer type). Every step is TSIG-signed; knotd's copy, transferred from knotd,
 * equals vxdns's record by record.
 */
class KnotSecondaryInteropTest {
  private static final String ZONE = "knot2.test";

  @Test
  void knotdTransfersByAxfrThenIxfrAfterNotify(@TempDir Path dir) throws Exception {
    Peer.assumeInstalled("knotd", "knot");
    int[] ports = TransferPeers.freePorts(2);
    int port = ports[0];
    int knotPort = ports[1];
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    config.put(
        "zone",
        new JsonObject()
            .put(
                ZONE,
                new JsonObject()
                    .put("file", TransferPeers.writeZone(dir, ZONE).toString())
                    .put("update-policy", new JsonArray().add("grant xfr-key. zonesub ANY"))
                    .put("allow-transfer", new JsonArray().add("key xfr-key."))
                    .put("notify", "explicit")
                    .put(
                        "also-notify",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("address", "127.0.0.1")
                                    .put("port", knotPort)
                                    .put("key", TransferPeers.KEY_NAME)))));
    Path knotDir = Files.createDirectories(dir.resolve("knot"));
    // knotd 3.2 does not create its database folder, and a commit fails without it.
    Files.createDirectories(knotDir.resolve("db"));
    Path conf = knotDir.resolve("knot.conf");
    String d = knotDir.toString();
    Files.writeString(
        conf,
        String.join(
            "\n",
            "server:",
            "    rundir: \"" + d + "\"",
            "    listen: 127.0.0.1@" + knotPort,
            "log:",
            "  - target: stderr",
            "    any: info",
            "database:",
            "    storage: \"" + d + "/db\"",
            "control:",
            "    listen: \"" + d + "/knot.sock\"",
            "key:",
            "  - id: " + TransferPeers.KEY_NAME,
            "    algorithm: hmac-sha256",
            "    secret: " + TransferPeers.KEY_SECRET,
            "remote:",
            "  - id: vxdns",
            "    address: 127.0.0.1@" + port,
            "    key: " + TransferPeers.KEY_NAME,
            "acl:",
            "  - id: notify-from-vxdns",
            "    address: 127.0.0.1",
            "    key: " + TransferPeers.KEY_NAME,
            "    action: notify",
            "  - id: transfer",
            "    key: " + TransferPeers.KEY_NAME,
            "    action: transfer",
            "zone:",
            "  - domain: " + ZONE,
            "    storage: \"" + d + "\"",
            "    file: \"" + ZONE + ".zone\"",
            "    master: vxdns",
            "    acl: [notify-from-vxdns, transfer]",
            ""));
    try (TestNode node = TestNode.start(config);
        Peer knot = Peer.start(knotDir, List.of(Peer.path("knotd"), "-c", conf.toString()))) {
      String incoming = "incoming, remote 127.0.0.1@" + port;
      TransferPeers.waitFor(
          "knotd's first transfer",
          () -> knot.log().contains("AXFR, " + incoming + ", finished"),
          knot::log);
      TransferPeers.awaitSerial("knotd serving serial 1", knotPort, ZONE, 1, knot::log);
      Set<String> before = TransferPeers.axfr(port, ZONE);
      assertEquals(before, TransferPeers.axfr(knotPort, ZONE));
      assertFalse(knot.log().contains("IXFR, " + incoming), knot.log());

      TransferPeers.update(
          port,
          ZONE,
          u -> {
            u.add(TransferPeers.name("new." + ZONE + "."), Type.A, 300, "192.0.2.77");
            u.delete(TransferPeers.name("www." + ZONE + "."), Type.TXT);
          });
      TransferPeers.awaitSerial("knotd's IXFR to serial 2", knotPort, ZONE, 2, knot::log);
      String log = knot.log();
      assertTrue(log.contains("notify, incoming, remote 127.0.0.1@"), log);
      assertTrue(log.contains("IXFR, " + incoming + ", finished"), log);
      Set<String> after = TransferPeers.axfr(port, ZONE);
      assertEquals(after, TransferPeers.axfr(knotPort, ZONE));
      assertTrue(after.stream().anyMatch(r -> r.startsWith("new." + ZONE + ".")), after.toString());
      assertFalse(after.equals(before));
    }
  }
}
