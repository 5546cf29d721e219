package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a secondary zone checks its primary, and what a check leaves behind. BIND's {@code
 * min-refresh-time} (and its three siblings): a secondary holds its primary's SOA REFRESH to at
 * least it, 300 s unless set. The primary asks for a refresh every second; the zone with {@code
 * min-refresh-time 1} is checked (an SOA query) about every second, the zone beside it with the
 * default not once in the same 3.5 s.
 */
class RefreshTimesEndToEndTest {
  @Test
  void aSecondaryChecksAsOftenAsItsRefreshLimitsAllow() throws Exception {
    try (StandInPrimary primary = new StandInPrimary(0)) {
      primary.refresh.set(1);
      int port = TestNode.freePort();
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.put(
          "zone",
          new JsonObject()
              .put("often.test", TransferPeers.secondaryOf(primary.port).put("min-refresh-time", 1))
              .put("seldom.test", TransferPeers.secondaryOf(primary.port)));
      try (TestNode node = TestNode.start(config)) {
        for (String zone : new String[] {"often.test", "seldom.test"}) {
          TransferPeers.awaitSerial(zone + " loaded", port, zone, 1, primary::toString);
        }
        Thread.sleep(3500);
      }
      int often = queries(primary, "often.test.");
      int seldom = queries(primary, "seldom.test.");
      assertTrue(often >= 2, "min-refresh-time 1: " + often + " SOA queries in 3.5 s");
      assertEquals(0, seldom, "BIND's 300 s: no SOA query in 3.5 s");
    }
  }

  /**
   * An up-to-date check is recorded in the copy's file time, as BIND's setmodtime: a restart reads
   * that time as the last refresh, so a zone that has not changed for longer than its EXPIRE does
   * not load as expired. The copy's time is set a year back, a NOTIFY brings a check of the same
   * serial: no transfer, and the file's time is now.
   */
  @Test
  void anUpToDateCheckMovesTheCopysFileTime(@TempDir Path dir) throws Exception {
    try (StandInPrimary primary = new StandInPrimary(0)) {
      int port = TestNode.freePort();
      Path file = dir.resolve("kept.test.zone");
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.put(
          "zone",
          new JsonObject()
              .put(
                  "kept.test",
                  TransferPeers.secondaryOf(primary.port).put("file", file.toString())));
      try (TestNode node = TestNode.start(config)) {
        TransferPeers.awaitSerial("kept.test loaded", port, "kept.test", 1, primary::toString);
        TransferPeers.waitFor("the copy saved", () -> Files.exists(file), file::toString);
        Instant yearAgo = Instant.now().minus(Duration.ofDays(365));
        Files.setLastModifiedTime(file, FileTime.from(yearAgo));
        TransferPeers.notify(port, "kept.test");
        Instant checked = Instant.now().minusSeconds(1);
        TransferPeers.waitFor(
            "the check recorded in the file's time",
            () -> Files.getLastModifiedTime(file).toInstant().isAfter(checked),
            () -> "file time " + fileTime(file));
        assertEquals(1, primary.served.get(), "no transfer: the serial did not change");
      }
    }
  }

  private static String fileTime(Path file) {
    try {
      return Files.getLastModifiedTime(file).toString();
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  private static int queries(StandInPrimary primary, String zone) {
    return primary.soaQueries.getOrDefault(zone, new AtomicInteger()).get();
  }
}
