package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * BIND 9.20's {@code max-ixfr-ratio} (default 100%): an IXFR whose changes would be larger than
 * that share of the zone goes as the whole zone. A named and a vxdns primary of the same zones take
 * the same twelve updates, each adding a record, then are asked IXFR from the first serial (the
 * changes outweigh the zone) and from the last but one (one small change): both answer in the same
 * form, with {@code max-ixfr-ratio unlimited} incrementally from the first serial too.
 */
class IxfrRatioBindDifferentialTest {
  private static final int UPDATES = 12;

  @Test
  void anIxfrLargerThanTheZoneGoesWholeAsNamedSendsIt(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int namedPort = ports[0];
    int port = ports[1];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    List<String> zones = List.of("ratio.test", "unlimited.test");
    for (String zone : zones) {
      TransferPeers.writeZone(namedDir, zone);
      TransferPeers.writeZone(nodeDir, zone);
    }
    String conf =
        TransferPeers.namedOptions(
                namedDir, namedPort, "  notify no;", "  allow-transfer { any; };")
            + TransferPeers.namedPrimary("ratio.test", TransferPeers.NAMED_ALLOW_UPDATE)
            + TransferPeers.namedPrimary(
                "unlimited.test", TransferPeers.NAMED_ALLOW_UPDATE + " max-ixfr-ratio unlimited;");
    JsonObject config =
        TestNode.config(port, Delivery.DIRECT).put("key", TransferPeers.keyConfig());
    JsonObject entries = new JsonObject();
    for (String zone : zones) {
      entries.put(zone, TransferPeers.updatablePrimaryOf(nodeDir.resolve(zone + ".zone")));
    }
    entries.getJsonObject("unlimited.test").put("max-ixfr-ratio", "unlimited");
    config.put("zone", entries);
    List<String> theirs = new ArrayList<>();
    List<String> ours = new ArrayList<>();
    try (Peer named = TransferPeers.startNamed(namedDir, conf);
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(zones);
      for (String zone : zones) {
        long first = TransferPeers.serial(namedPort, zone);
        assertEquals(first, TransferPeers.serial(port, zone));
        for (int i = 1; i <= UPDATES; i++) {
          Name host = TransferPeers.name("added" + i + "." + zone + ".");
          for (int server : ports) {
            TransferPeers.update(server, zone, u -> u.add(host, Type.A, 300, "192.0.2.99"));
          }
        }
        long lastButOne = first + UPDATES - 1;
        for (long from : new long[] {first, lastButOne}) {
          theirs.add(zone + " from " + from + ": " + ixfr(namedPort, zone, from));
          ours.add(zone + " from " + from + ": " + ixfr(port, zone, from));
        }
      }
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of(
            "ratio.test from 1: whole",
            "ratio.test from 12: incremental",
            "unlimited.test from 1: incremental",
            "unlimited.test from 12: incremental"),
        theirs,
        "named's forms");
  }

  /** The form of the IXFR answer from {@code serial}: incremental, or the whole zone. */
  static String ixfr(int port, String zone, long serial) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newIXFR(
            TransferPeers.name(zone + "."), serial, false, "127.0.0.1", port, TransferPeers.tsig());
    xfr.run();
    return xfr.isIXFR() ? "incremental" : xfr.isAXFR() ? "whole" : "up to date";
  }
}
