package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * BIND's {@code startup-notify-rate} and {@code notify-rate}: NOTIFY messages a second, after a
 * zone's first load and after a change. A named and a vxdns primary of one zone with six {@code
 * also-notify} targets and both rates at 10 spread the six NOTIFYs of the start, then the six of an
 * update, over about 0.5 s each; with both rates at 1000 (the control) vxdns sends each six within
 * a fraction of that.
 */
class NotifyRateBindDifferentialTest {
  private static final String ZONE = "rate.test";
  private static final int TARGETS = 6;

  @Test
  void notifiesAreSpreadOutAsNamedSpreadsThem(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    long[] theirs;
    try (NotifyListeners targets = new NotifyListeners(TARGETS)) {
      int namedPort = TransferPeers.freePorts(1)[0];
      try (Peer named =
          targets.startNamedPrimary(
              dir.resolve("named"),
              namedPort,
              ZONE,
              "  notify-delay 0;",
              "  startup-notify-rate 10;",
              "  notify-rate 10;")) {
        theirs = spreads(targets, namedPort, named::log);
      }
    }
    long[] ours = vxdnsSpreads(dir.resolve("paced"), 10);
    long[] unpaced = vxdnsSpreads(dir.resolve("unpaced"), 1000);
    System.out.printf(
        "NotifyRateBindDifferentialTest: %d NOTIFYs at start, then after an update, over %s ms"
            + " from named, %s ms from vxdns, %s ms unpaced%n",
        TARGETS, Arrays.toString(theirs), Arrays.toString(ours), Arrays.toString(unpaced));
    for (int i = 0; i < 2; i++) {
      String what = i == 0 ? "at start" : "after the update";
      // 5 gaps of 100 ms: about 0.5 s (2026-12-06: named 415-498 ms, its rate limiter letting two
      // go at once now and then; vxdns 483-500 ms).
      assertTrue(theirs[i] >= 250 && theirs[i] < 2500, "named " + what + ": " + theirs[i] + " ms");
      assertTrue(ours[i] >= 350 && ours[i] < 2500, "vxdns " + what + ": " + ours[i] + " ms");
      assertTrue(unpaced[i] < 250, "vxdns unpaced " + what + ": " + unpaced[i] + " ms");
    }
  }

  private static long[] vxdnsSpreads(Path dir, int rate) throws Exception {
    Files.createDirectories(dir);
    try (NotifyListeners targets = new NotifyListeners(TARGETS)) {
      int port = TestNode.freePort();
      JsonObject config = targets.primaryConfig(port, dir, ZONE);
      config
          .getJsonObject("options")
          .put("startup-notify-rate", rate)
          .put("notify-rate", rate)
          .put("notify-delay", 0);
      try (TestNode node = TestNode.start(config)) {
        return spreads(targets, port, () -> "vxdns");
      }
    }
  }

  /**
   * The time from the first to the last NOTIFY of the zone's first load (serial 1), then of an
   * update (serial 2).
   */
  private static long[] spreads(NotifyListeners targets, int port, Supplier<String> diagnostics)
      throws Exception {
    long start = targets.spreadMillis(1, diagnostics);
    TransferPeers.update(
        port,
        ZONE,
        update -> update.add(TransferPeers.name("new." + ZONE + "."), Type.A, 300, "192.0.2.8"));
    return new long[] {start, targets.spreadMillis(2, diagnostics)};
  }
}
