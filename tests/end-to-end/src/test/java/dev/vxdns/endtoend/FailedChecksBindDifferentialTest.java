package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import dev.vxdns.message.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;

/**
 * Refresh checks whose SOA answer is not a newer serial, as named's refresh handles them. A primary
 * whose serial went backwards ("serial number received from primary &lt; ours") or that answers
 * SERVFAIL ("unexpected rcode"): the check fails and nothing is transferred (the next primary, then
 * RETRY). One that answers REFUSED: named transfers anyway over TCP ("perhaps AXFR/IXFR is allowed
 * even if SOA queries aren't", zone.c), and so does vxdns. A named and a vxdns secondary of a
 * stand-in primary at serial 5 are told by NOTIFY of serial 3: both keep 5; of 6 (the positive
 * control): both take it; of 7 behind SERVFAIL: both keep 6; of 8 behind REFUSED: both take it.
 */
class FailedChecksBindDifferentialTest {
  private static final String ZONE = "back.test";

  @Test
  void checksThatFailTakeNothingAsInNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    List<String> theirs;
    try (StandInPrimary primary = new StandInPrimary(0)) {
      primary.serial.set(5);
      int namedPort = TransferPeers.freePorts(1)[0];
      Path namedDir = Files.createDirectories(dir.resolve("named"));
      String conf =
          TransferPeers.namedOptions(namedDir, namedPort, "  notify no;")
              + primary.namedSecondary(ZONE, "");
      try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
        theirs =
            steps(
                primary,
                namedPort,
                () -> named.log().contains("< ours (5)"),
                () -> named.log().contains("unexpected rcode (SERVFAIL)"),
                named::log);
      }
    }
    List<String> ours;
    try (StandInPrimary primary = new StandInPrimary(0)) {
      primary.serial.set(5);
      int port = TestNode.freePort();
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.put("zone", primary.nodeSecondaries(List.of(ZONE)));
      try (TestNode node = TestNode.start(config)) {
        ours =
            steps(
                primary,
                port,
                () -> failedChecks(node) == 1,
                () -> failedChecks(node) == 2,
                () -> "checks failed: " + failedChecks(node));
      }
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of(
            "serial 3 offered: serving 5 after 1 transfers",
            "serial 6 offered: serving 6 after 2 transfers",
            "serial 7 behind a SERVFAIL SOA answer: serving 6 after 2 transfers",
            "serial 8 behind a REFUSED SOA answer: serving 8 after 3 transfers"),
        theirs,
        "named's");
  }

  /**
   * Loads serial 5, offers 3 (until {@code lowerFailed} says that check failed), then 6, then 7
   * behind SERVFAIL (until {@code servfailFailed}), then 8 behind REFUSED: what the secondary on
   * {@code port} serves and the transfers the primary served, after each.
   */
  private static List<String> steps(
      StandInPrimary primary,
      int port,
      Callable<Boolean> lowerFailed,
      Callable<Boolean> servfailFailed,
      java.util.function.Supplier<String> diagnostics)
      throws Exception {
    TransferPeers.awaitSerial("serial 5 loaded", port, ZONE, 5, diagnostics);
    primary.serial.set(3);
    TransferPeers.notify(port, ZONE);
    TransferPeers.waitFor("the check of serial 3", lowerFailed, diagnostics);
    String after3 = "serial 3 offered: " + state(primary, port);
    primary.serial.set(6);
    TransferPeers.notify(port, ZONE);
    TransferPeers.awaitSerial("serial 6 taken", port, ZONE, 6, diagnostics);
    String after6 = "serial 6 offered: " + state(primary, port);
    primary.soaRcode.set(Rcode.SERVFAIL);
    primary.serial.set(7);
    TransferPeers.notify(port, ZONE);
    TransferPeers.waitFor("the check answered SERVFAIL", servfailFailed, diagnostics);
    String after7 = "serial 7 behind a SERVFAIL SOA answer: " + state(primary, port);
    primary.soaRcode.set(Rcode.REFUSED);
    primary.serial.set(8);
    TransferPeers.notify(port, ZONE);
    TransferPeers.awaitSerial("serial 8 taken", port, ZONE, 8, diagnostics);
    return List.of(
        after3, after6, after7, "serial 8 behind a REFUSED SOA answer: " + state(primary, port));
  }

  private static String state(StandInPrimary primary, int port) {
    return "serving "
        + TransferPeers.serial(port, ZONE)
        + " after "
        + primary.served.get()
        + " transfers";
  }

  private static double failedChecks(TestNode node) {
    Counter failed =
        NodeMetrics.of(node.vertx)
            .registry()
            .find("vxdns_transfers_in")
            .tags("zone", ZONE + ".", "result", "failed")
            .counter();
    return failed == null ? 0 : failed.count();
  }
}
