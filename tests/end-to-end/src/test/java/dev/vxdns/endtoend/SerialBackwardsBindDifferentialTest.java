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

/**
 * A primary whose serial went backwards: named's refresh finds "serial number received from primary
 * &lt; ours", takes nothing and counts the check as failed (the next primary, then RETRY); vxdns
 * the same. A named and a vxdns secondary of a stand-in primary at serial 5 are told by NOTIFY of
 * serial 3: both keep serving 5 without a transfer; told of serial 6 (the positive control), both
 * take it.
 */
class SerialBackwardsBindDifferentialTest {
  private static final String ZONE = "back.test";

  @Test
  void aLowerSerialFromThePrimaryIsRefusedAsNamedRefusesIt(@TempDir Path dir) throws Exception {
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
        theirs = steps(primary, namedPort, () -> named.log().contains("< ours (5)"), named::log);
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
                () -> "checks failed: " + failedChecks(node));
      }
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of(
            "serial 3 offered: serving 5 after 1 transfers",
            "serial 6 offered: serving 6 after 2 transfers"),
        theirs,
        "named's");
  }

  /**
   * Loads serial 5, offers 3 (waits until {@code refused} says the check failed), then 6: what the
   * secondary on {@code port} serves and the transfers the primary served, after each.
   */
  private static List<String> steps(
      StandInPrimary primary,
      int port,
      Callable<Boolean> refused,
      java.util.function.Supplier<String> diagnostics)
      throws Exception {
    TransferPeers.awaitSerial("serial 5 loaded", port, ZONE, 5, diagnostics);
    primary.serial.set(3);
    TransferPeers.notify(port, ZONE);
    TransferPeers.waitFor("the check of serial 3", refused, diagnostics);
    String after3 =
        "serial 3 offered: serving "
            + TransferPeers.serial(port, ZONE)
            + " after "
            + primary.served.get()
            + " transfers";
    primary.serial.set(6);
    TransferPeers.notify(port, ZONE);
    TransferPeers.awaitSerial("serial 6 taken", port, ZONE, 6, diagnostics);
    return List.of(
        after3, "serial 6 offered: serving 6 after " + primary.served.get() + " transfers");
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
