package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import dev.vxdns.verticles.node.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;
import org.xbill.DNS.ZoneTransferIn;

/**
 * BIND's {@code ixfr-from-differences}: a primary zone whose file is edited and read again keeps
 * the change from the version it served, so an IXFR from the old serial gets that change; without
 * it (the default, the zone beside it) the whole zone. A named and a vxdns primary of the same two
 * zones read the same edit (named on SIGHUP, vxdns on a reload) and are asked the same IXFR.
 */
class IxfrFromDifferencesBindDifferentialTest {
  private static final List<String> ZONES = List.of("diff.test", "plain.test");

  @Test
  void anEditedFileIsSentAsAChangeAsNamedSendsIt(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int namedPort = ports[0];
    int port = ports[1];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    StringBuilder conf =
        new StringBuilder(
            TransferPeers.namedOptions(
                namedDir, namedPort, "  notify no;", "  allow-transfer { any; };"));
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    JsonObject entries = new JsonObject();
    for (String zone : ZONES) {
      TransferPeers.writeZone(namedDir, zone);
      entries.put(zone, TransferPeers.primaryOf(TransferPeers.writeZone(nodeDir, zone)));
      conf.append("zone \"")
          .append(zone)
          .append("\" { type primary; file \"")
          .append(zone)
          .append(".zone\";")
          .append(zone.equals("diff.test") ? " ixfr-from-differences yes;" : "")
          .append(" };\n");
    }
    entries.getJsonObject("diff.test").put("ixfr-from-differences", "yes");
    config.put("zone", entries);
    List<String> theirs = new ArrayList<>();
    List<String> ours = new ArrayList<>();
    try (Peer named = TransferPeers.startNamed(namedDir, conf.toString());
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(ZONES);
      for (String zone : ZONES) {
        edit(namedDir, zone);
        edit(nodeDir, zone);
      }
      named.hangUp();
      node.node
          .reconfigure(NodeConfig.parse(config, node.directory))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      for (String zone : ZONES) {
        TransferPeers.awaitSerial(zone + " read again", namedPort, zone, 2, named::log);
        TransferPeers.awaitSerial(zone + " read again", port, zone, 2, () -> "vxdns");
        theirs.add(ixfrFromSerial1(namedPort, zone));
        ours.add(ixfrFromSerial1(port, zone));
      }
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of(
            "diff.test: incremental, deleted [www.diff.test.\t\t300\tIN\tA\t192.0.2.80],"
                + " added [www.diff.test.\t\t300\tIN\tA\t192.0.2.81]",
            "plain.test: whole"),
        theirs,
        "named's answers");
  }

  /** Serial 2, and www's address moved (the edit an operator makes, then a reload). */
  private static void edit(Path dir, String zone) throws Exception {
    Files.writeString(
        dir.resolve(zone + ".zone"),
        SecondaryInteropTest.zoneFile(zone)
            .replace("hostmaster 1 3600", "hostmaster 2 3600")
            .replace("www IN A 192.0.2.80", "www IN A 192.0.2.81"));
  }

  /** The IXFR answer from serial 1: the change's records, or that it was the whole zone. */
  private static String ixfrFromSerial1(int port, String zone) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newIXFR(TransferPeers.name(zone + "."), 1, false, "127.0.0.1", port, null);
    xfr.run();
    if (!xfr.isIXFR()) {
      return zone + ": " + (xfr.isAXFR() ? "whole" : "up to date");
    }
    TreeSet<String> deleted = new TreeSet<>();
    TreeSet<String> added = new TreeSet<>();
    for (ZoneTransferIn.Delta delta : xfr.getIXFR()) {
      delta.deletes.stream()
          .filter(r -> r.getType() != org.xbill.DNS.Type.SOA)
          .map(Record::toString)
          .forEach(deleted::add);
      delta.adds.stream()
          .filter(r -> r.getType() != org.xbill.DNS.Type.SOA)
          .map(Record::toString)
          .forEach(added::add);
    }
    return zone + ": incremental, deleted " + deleted + ", added " + added;
  }
}
