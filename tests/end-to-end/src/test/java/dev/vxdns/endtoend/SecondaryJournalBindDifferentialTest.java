package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;

/**
 * A secondary keeps the changes it received in its journal, as named's does: a named and a vxdns
 * secondary (in a JVM of its own) of a named primary take two updates by IXFR, are killed with
 * SIGKILL and started again with the primary gone, and are asked the same IXFR from serial 1: both
 * still send the changes, not the whole zone. Before, vxdns kept them in memory only.
 */
class SecondaryJournalBindDifferentialTest {
  private static final String ZONE = "diff.test";

  @Test
  void theChangesASecondaryReceivedOutliveAKill(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(3);
    int primaryPort = ports[0];
    int namedPort = ports[1];
    int port = ports[2];
    Path primaryDir = Files.createDirectories(dir.resolve("primary"));
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    TransferPeers.writeZone(primaryDir, ZONE);
    String primaryConf =
        TransferPeers.namedOptions(
                primaryDir,
                primaryPort,
                "  notify no;",
                "  allow-transfer { any; };",
                "  max-ixfr-ratio unlimited;")
            + TransferPeers.namedPrimary(ZONE, TransferPeers.NAMED_ALLOW_UPDATE);
    // Both secondaries send IXFR downstream however small the zone is against its changes.
    String secondaryConf =
        TransferPeers.namedOptions(
                namedDir,
                namedPort,
                "  notify no;",
                "  allow-transfer { any; };",
                "  max-ixfr-ratio unlimited;")
            + "zone \""
            + ZONE
            + "\" { type secondary; file \""
            + ZONE
            + ".bk\"; primaries { 127.0.0.1 port "
            + primaryPort
            + "; }; };\n";
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.getJsonObject("options").put("max-ixfr-ratio", "unlimited");
    config.put(
        "zone",
        new JsonObject()
            .put(
                ZONE,
                TransferPeers.secondaryOf(primaryPort)
                    .put("file", ZONE + ".bk")
                    .put("allow-transfer", new JsonArray().add("any"))));
    String before;
    String theirs;
    String ours;
    Peer primary = null;
    Peer named = null;
    Peer node = null;
    try {
      primary = TransferPeers.startNamed(primaryDir, primaryConf);
      named = TransferPeers.startNamed(namedDir, secondaryConf);
      node = TestNode.startProcess(nodeDir, config);
      TransferPeers.awaitSerial("serial 1", namedPort, ZONE, 1, named::log);
      TransferPeers.awaitSerial("serial 1", port, ZONE, 1, node::log);
      for (int serial = 2; serial <= 3; serial++) {
        String from = "192.0.2." + (78 + serial);
        String to = "192.0.2." + (79 + serial);
        TransferPeers.update(
            primaryPort,
            ZONE,
            update -> {
              update.delete(www(from));
              update.add(www(to));
            });
        TransferPeers.notify(namedPort, ZONE);
        TransferPeers.notify(port, ZONE);
        TransferPeers.awaitSerial("serial " + serial, namedPort, ZONE, serial, named::log);
        TransferPeers.awaitSerial("serial " + serial, port, ZONE, serial, node::log);
      }
      before = IxfrFromDifferencesBindDifferentialTest.ixfrFromSerial1(namedPort, ZONE);
      assertEquals(before, IxfrFromDifferencesBindDifferentialTest.ixfrFromSerial1(port, ZONE));
      primary.close();
      named.kill();
      node.kill();
      named = TransferPeers.startNamed(namedDir, secondaryConf);
      node = TestNode.startProcess(nodeDir, config);
      TransferPeers.awaitSerial("serial 3 after the kill", namedPort, ZONE, 3, named::log);
      TransferPeers.awaitSerial("serial 3 after the kill", port, ZONE, 3, node::log);
      theirs = IxfrFromDifferencesBindDifferentialTest.ixfrFromSerial1(namedPort, ZONE);
      ours = IxfrFromDifferencesBindDifferentialTest.ixfrFromSerial1(port, ZONE);
    } finally {
      TransferPeers.closeAll(node, named, primary);
    }
    assertTrue(before.startsWith(ZONE + ": incremental"), "before the kill: " + before);
    assertEquals(before, theirs, "named after the kill");
    assertEquals(theirs, ours);
  }

  /** www's A record at {@code address}, as the zone file has it (TTL 300). */
  private static ARecord www(String address) throws Exception {
    return new ARecord(
        TransferPeers.name("www." + ZONE + "."), DClass.IN, 300, InetAddress.getByName(address));
  }
}
