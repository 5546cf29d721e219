package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIND's {@code transfers-per-ns} (default 2) and {@code transfers-in}: a secondary of eight zones
 * from one primary transfers at most that many at once. The primary is a stand-in that answers SOA
 * queries at once and holds each transfer 300 ms, counting the transfers it serves at once: with
 * {@code transfers-per-ns 2} named and vxdns never have more than two running and both load every
 * zone; with {@code transfers-per-ns 8} (the control) vxdns runs more than two at once, so the
 * count does see concurrency.
 */
class TransfersInBindDifferentialTest {
  private static final int ZONES = 8;

  @Test
  void aSecondaryTransfersAtMostTransfersPerNsAtOnceAsNamedDoes(@TempDir Path dir)
      throws Exception {
    Peer.requireNamed920();
    int theirs;
    try (StandInPrimary primary = new StandInPrimary(300)) {
      int namedPort = TransferPeers.freePorts(1)[0];
      Path namedDir = Files.createDirectories(dir.resolve("named"));
      String conf =
          TransferPeers.namedOptions(namedDir, namedPort, "  notify no;", "  transfers-per-ns 2;")
              + primary.namedSecondaries(zones());
      try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
        awaitEveryZone(namedPort, named::log);
      }
      theirs = primary.mostAtOnce.get();
    }
    int ours = mostAtOnceFromVxdns(2);
    int unlimited = mostAtOnceFromVxdns(ZONES);
    System.out.printf(
        "TransfersInBindDifferentialTest: at once, named %d, vxdns %d, vxdns unlimited %d%n",
        theirs, ours, unlimited);
    assertTrue(theirs >= 1 && theirs <= 2, "named: " + theirs + " at once");
    assertEquals(2, ours, "vxdns with transfers-per-ns 2 (named: " + theirs + ")");
    assertTrue(unlimited > 2, "the control, transfers-per-ns 8: " + unlimited + " at once");
  }

  /** The most transfers a vxdns secondary of every zone ran at once with {@code perNs}. */
  private static int mostAtOnceFromVxdns(int perNs) throws Exception {
    try (StandInPrimary primary = new StandInPrimary(300)) {
      int port = TestNode.freePort();
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.getJsonObject("options").put("transfers-per-ns", perNs);
      config.put("zone", primary.nodeSecondaries(zones()));
      try (TestNode node = TestNode.start(config)) {
        awaitEveryZone(port, () -> "transfers served: " + primary.served.get());
      }
      assertEquals(ZONES, primary.served.get(), "each zone transferred once");
      return primary.mostAtOnce.get();
    }
  }

  private static List<String> zones() {
    List<String> zones = new ArrayList<>();
    for (int i = 1; i <= ZONES; i++) {
      zones.add("z" + i + ".test");
    }
    return zones;
  }

  private static void awaitEveryZone(int port, java.util.function.Supplier<String> diagnostics)
      throws Exception {
    for (String zone : zones()) {
      TransferPeers.awaitSerial(zone + " loaded", port, zone, 1, diagnostics);
    }
  }
}
