package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import dev.vxdns.verticles.node.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A zone file edited beyond its journal while the server was down: named 9.20 does not load the
 * zone ("journal rollforward failed: journal out of sync with zone"), since the file may lack the
 * journal's changes and no change could be journaled after it; vxdns neither. Both servers serve a
 * dynamic zone that took an update, a zone with {@code ixfr-from-differences} whose edited file was
 * read again, and a plain zone (the control: it has no journal); both stop, the three files are
 * edited to serial 5, both start again and are asked each zone's SOA.
 */
class JournalOutOfSyncBindDifferentialTest {
  private static final List<String> ZONES = List.of("dyn.test", "diff.test", "plain.test");

  @Test
  void aFileEditedBeyondItsJournalIsNotLoadedAsNamedDoesNot(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int namedPort = ports[0];
    int port = ports[1];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    String conf =
        TransferPeers.namedOptions(namedDir, namedPort, "  notify no;")
            + TransferPeers.namedPrimary("dyn.test", TransferPeers.NAMED_ALLOW_UPDATE)
            + TransferPeers.namedPrimary("diff.test", " ixfr-from-differences yes;")
            + TransferPeers.namedPrimary("plain.test", "");
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    JsonObject entries = new JsonObject();
    for (String zone : ZONES) {
      TransferPeers.writeZone(namedDir, zone);
      entries.put(zone, TransferPeers.primaryOf(TransferPeers.writeZone(nodeDir, zone)));
    }
    entries.put("dyn.test", TransferPeers.updatablePrimaryOf(nodeDir.resolve("dyn.test.zone")));
    entries.getJsonObject("diff.test").put("ixfr-from-differences", "yes");
    config.put("zone", entries);

    try (Peer named = TransferPeers.startNamed(namedDir, conf);
        TestNode node = TestNode.start(config, nodeDir, null)) {
      for (int serverPort : new int[] {namedPort, port}) {
        TransferPeers.update(
            serverPort,
            "dyn.test",
            update ->
                update.add(
                    new ARecord(
                        TransferPeers.name("added.dyn.test."),
                        DClass.IN,
                        300,
                        InetAddress.getByName("192.0.2.7"))));
      }
      edit(namedDir, "diff.test", 2);
      edit(nodeDir, "diff.test", 2);
      named.hangUp();
      node.node
          .reconfigure(NodeConfig.parse(config, nodeDir))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      for (int serverPort : new int[] {namedPort, port}) {
        for (String zone : List.of("dyn.test", "diff.test")) {
          TransferPeers.awaitSerial(zone + " at 2", serverPort, zone, 2, named::log);
        }
      }
    }
    for (String zone : ZONES) {
      edit(namedDir, zone, 5);
      edit(nodeDir, zone, 5);
    }
    List<String> theirs;
    List<String> ours;
    try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
      TransferPeers.awaitSerial("plain.test at 5", namedPort, "plain.test", 5, named::log);
      theirs = soas(namedPort);
    }
    try (TestNode node = TestNode.start(config, nodeDir, null)) {
      ours = soas(port);
    }
    assertEquals(List.of("dyn.test SERVFAIL", "diff.test SERVFAIL", "plain.test 5"), theirs);
    assertEquals(theirs, ours);
  }

  /** Serial {@code serial}, www moved: the operator's edit. */
  private static void edit(Path dir, String zone, long serial) throws Exception {
    Files.writeString(
        dir.resolve(zone + ".zone"),
        SecondaryInteropTest.zoneFile(zone)
            .replace("hostmaster 1 3600", "hostmaster " + serial + " 3600")
            .replace("www IN A 192.0.2.80", "www IN A 192.0.2." + (79 + serial)));
  }

  /** Each zone's SOA serial as the server answers it, or the rcode. */
  private static List<String> soas(int port) throws Exception {
    List<String> answers = new ArrayList<>();
    for (String zone : ZONES) {
      Message answer = DnsClient.query(port, zone + ".", Type.SOA, false);
      answers.add(
          zone
              + " "
              + (answer.getRcode() == Rcode.NOERROR
                  ? Long.toString(TransferPeers.serial(port, zone))
                  : Rcode.string(answer.getRcode())));
    }
    return answers;
  }
}
