package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * BIND's {@code min-refresh-time} (and its three siblings): a secondary holds its primary's SOA
 * REFRESH to at least it, 300 s unless set. The primary asks for a refresh every second; the zone
 * with {@code min-refresh-time 1} is checked (an SOA query) about every second, the zone beside it
 * with the default not once in the same 3.5 s.
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

  private static int queries(StandInPrimary primary, String zone) {
    return primary.soaQueries.getOrDefault(zone, new AtomicInteger()).get();
  }
}
