package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.NodeMetrics;
import dev.vxdns.zone.ZoneSet;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transfer gauges read the transfers of the zone verticle that serves now: running and waiting
 * incoming transfers, running outgoing ones; a verticle that replaces another takes them over.
 */
class ZoneGaugesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  @Test
  void theTransferGaugesReadTheServingVerticlesTransfers() throws Exception {
    InetAddress primary = InetAddress.getByName("192.0.2.1");
    TransfersIn in = new TransfersIn(10, 1);
    TransfersOut out = new TransfersOut(10);
    ZoneGauges.of(vertx).serve(ZoneSet::empty, Set.of(), in, out);
    TransfersIn.Slot first = in.take(primary).result();
    in.take(primary);
    in.take(primary);
    out.tryTake();
    out.tryTake();
    out.tryTake();
    assertEquals(1, gauge("vxdns_transfers_in_running"));
    assertEquals(2, gauge("vxdns_transfers_in_waiting"));
    assertEquals(3, gauge("vxdns_transfers_out_running"));

    first.release();
    out.release();
    assertEquals(1, gauge("vxdns_transfers_in_running"), "the next one took the slot");
    assertEquals(1, gauge("vxdns_transfers_in_waiting"));
    assertEquals(2, gauge("vxdns_transfers_out_running"));

    // A redeployed zone verticle: its own, idle, transfers.
    ZoneGauges.of(vertx)
        .serve(ZoneSet::empty, Set.of(), new TransfersIn(10, 2), new TransfersOut(10));
    assertEquals(0, gauge("vxdns_transfers_in_running"));
    assertEquals(0, gauge("vxdns_transfers_in_waiting"));
    assertEquals(0, gauge("vxdns_transfers_out_running"));
  }

  private double gauge(String name) {
    MeterRegistry registry = NodeMetrics.of(vertx).registry();
    return registry.get(name).gauge().value();
  }
}
