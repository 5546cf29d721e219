package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vxdns zone-status}, {@code zone-refresh}, {@code zone-retransfer} and {@code zone-notify},
 * named's {@code rndc zonestatus}, {@code refresh}, {@code retransfer} and {@code notify}, run as
 * an operator runs them ({@code bin/vxdns} against the node's control channel), with named 9.20 as
 * the secondary zone's primary: a refresh finds the serial named took from an edited file (no
 * NOTIFY, a refresh timer an hour away), a retransfer makes named send the whole zone again at the
 * same serial, a notify tells the primary zone's also-notify target again; a refresh of a primary
 * zone and any operation on a zone the node does not serve fail with the reason.
 */
class ZoneControlInteropTest {
  private static final String SECONDARY = "ctl.test";
  private static final String PRIMARY = "pri.test";

  @Test
  void theZoneCommandsDoWhatRndcs(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    int[] ports = TransferPeers.freePorts(3);
    int namedPort = ports[0];
    int port = ports[1];
    int controlPort = ports[2];
    TransferPeers.writeZone(namedDir, SECONDARY);
    String conf =
        TransferPeers.namedOptions(
                namedDir, namedPort, "  notify no;", "  allow-transfer { any; };")
            + TransferPeers.namedPrimary(SECONDARY, "");
    try (NotifyListeners listener = new NotifyListeners(1);
        Peer named = TransferPeers.startNamed(namedDir, conf)) {
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.getJsonObject("options").put("notify-delay", 0);
      config.put(
          "zone",
          new JsonObject()
              .put(SECONDARY, TransferPeers.secondaryOf(namedPort))
              .put(
                  PRIMARY,
                  TransferPeers.primaryOf(TransferPeers.writeZone(nodeDir, PRIMARY))
                      .put("notify", "explicit")
                      .put("also-notify", listener.nodeList())));
      List<String> tool = TestNode.controlled(config, nodeDir, controlPort);
      try (TestNode node = TestNode.start(config, nodeDir, null)) {
        TransferPeers.awaitSerial(SECONDARY + " transferred", port, SECONDARY, 1, named::log);

        Commands.Run status = Commands.vxdns(tool, "zone-status", SECONDARY);
        assertEquals(0, status.status(), status.out());
        for (String line :
            List.of(
                "name: ctl.test.",
                "type: secondary",
                "serial: 1",
                "primaries: 127.0.0.1#" + namedPort,
                "retransfer-queued: false")) {
          assertTrue(status.out().lines().anyMatch(line::equals), line + " in\n" + status.out());
        }

        // named takes serial 2 from its edited file and tells nobody (notify no).
        Path file = namedDir.resolve(SECONDARY + ".zone");
        Files.writeString(
            file,
            Files.readString(file)
                .replace("hostmaster 1 3600", "hostmaster 2 3600")
                .replace("www IN A 192.0.2.80", "www IN A 192.0.2.81"));
        named.hangUp();
        TransferPeers.awaitSerial(SECONDARY + " edited", namedPort, SECONDARY, 2, named::log);
        assertEquals(1, TransferPeers.serial(port, SECONDARY), "no NOTIFY, no refresh yet");
        Commands.Run refresh = Commands.vxdns(tool, "zone-refresh", SECONDARY);
        assertEquals(List.of(0, "zone refresh queued"), List.of(refresh.status(), refresh.last()));
        TransferPeers.awaitSerial(SECONDARY + " refreshed", port, SECONDARY, 2, named::log);

        int wholeBefore = wholeTransfers(named);
        Commands.Run retransfer = Commands.vxdns(tool, "zone-retransfer", SECONDARY);
        assertEquals(
            List.of(0, "zone retransfer queued"), List.of(retransfer.status(), retransfer.last()));
        TransferPeers.waitFor(
            "named's log of a second AXFR at serial 2",
            () -> wholeTransfers(named) == wholeBefore + 1,
            named::log);
        assertEquals(2, TransferPeers.serial(port, SECONDARY));

        TransferPeers.waitFor("the start's NOTIFY", () -> listener.count() >= 1, () -> "");
        int notifies = listener.count();
        Commands.Run notify = Commands.vxdns(tool, "zone-notify", PRIMARY);
        assertEquals(List.of(0, "zone notify queued"), List.of(notify.status(), notify.last()));
        TransferPeers.waitFor(
            "zone-notify's NOTIFY", () -> listener.count() == notifies + 1, () -> "");

        Commands.Run primaryRefresh = Commands.vxdns(tool, "zone-refresh", PRIMARY);
        assertEquals(1, primaryRefresh.status(), primaryRefresh.out());
        assertTrue(
            primaryRefresh.out().contains("400 not a secondary, mirror, or stub zone"),
            primaryRefresh.out());
        Commands.Run unknown = Commands.vxdns(tool, "zone-status", "nope.test");
        assertEquals(1, unknown.status(), unknown.out());
        assertTrue(unknown.out().contains("404 no zone nope.test."), unknown.out());
      }
    }
  }

  /** How many whole transfers of the zone named has logged sending (AXFR, or IXFR sent whole). */
  private static int wholeTransfers(Peer named) {
    return (int)
        named
            .log()
            .lines()
            .filter(line -> line.contains("transfer of '" + SECONDARY + "/IN': AXFR started"))
            .count();
  }
}
