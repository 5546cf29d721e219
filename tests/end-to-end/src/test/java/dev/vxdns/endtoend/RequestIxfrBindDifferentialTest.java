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

/**
 * BIND's {@code request-ixfr}: a secondary that has a copy asks for IXFR (the default), and for
 * AXFR always with {@code request-ixfr no}. A named and a vxdns secondary of the same two zones
 * ({@code request-ixfr no} on one) from a stand-in primary load them (AXFR: no copy yet), are told
 * of serial 2 by NOTIFY, and the stand-in notes what each asked for.
 */
class RequestIxfrBindDifferentialTest {
  private static final List<String> ZONES = List.of("ixfr.test", "axfr.test");

  @Test
  void aSecondaryAsksForTheTransferNamedAsksFor(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    List<String> theirs;
    try (StandInPrimary primary = new StandInPrimary(0)) {
      int namedPort = TransferPeers.freePorts(1)[0];
      Path namedDir = Files.createDirectories(dir.resolve("named"));
      String conf =
          TransferPeers.namedOptions(namedDir, namedPort, "  notify no;")
              + primary.namedSecondary("ixfr.test", "")
              + primary.namedSecondary("axfr.test", " request-ixfr no;");
      try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
        theirs = refreshedTwice(primary, namedPort, named::log);
      }
    }
    List<String> ours;
    try (StandInPrimary primary = new StandInPrimary(0)) {
      int port = TestNode.freePort();
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      JsonObject entries = primary.nodeSecondaries(ZONES);
      entries.getJsonObject("axfr.test").put("request-ixfr", "no");
      config.put("zone", entries);
      try (TestNode node = TestNode.start(config)) {
        ours = refreshedTwice(primary, port, () -> "transfers: " + primary.transfers());
      }
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of("axfr.test. AXFR", "axfr.test. AXFR", "ixfr.test. AXFR", "ixfr.test. IXFR"),
        theirs,
        "named's transfers");
  }

  /**
   * Waits for the secondary on {@code port} to load both zones, moves the primary to serial 2,
   * tells the secondary, waits for it to have serial 2: the transfers the primary served, sorted.
   */
  private static List<String> refreshedTwice(
      StandInPrimary primary, int port, java.util.function.Supplier<String> diagnostics)
      throws Exception {
    for (String zone : ZONES) {
      TransferPeers.awaitSerial(zone + " loaded", port, zone, 1, diagnostics);
    }
    primary.serial.set(2);
    for (String zone : ZONES) {
      TransferPeers.notify(port, zone);
    }
    for (String zone : ZONES) {
      TransferPeers.awaitSerial(zone + " at serial 2", port, zone, 2, diagnostics);
    }
    List<String> transfers = new ArrayList<>(primary.transfers());
    transfers.sort(null);
    return transfers;
  }
}
