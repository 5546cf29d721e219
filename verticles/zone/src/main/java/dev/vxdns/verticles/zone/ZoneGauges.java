package dev.vxdns.verticles.zone;

import dev.vxdns.message.NodeMetrics;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneSet;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * {@code vxdns_zone_serial{zone}} and {@code vxdns_zone_records{zone}}: read from the served zones
 * at scrape time, so they are never stale; and the node's transfers: {@code
 * vxdns_transfers_in_running}, {@code vxdns_transfers_in_waiting} (for a {@code transfers-in} or
 * {@code transfers-per-ns} slot) and {@code vxdns_transfers_out_running}. One per node (a local map
 * entry): a zone verticle that replaces another during a redeploy takes the gauges over instead of
 * registering twins. A zone configured but not served (a secondary before its first transfer, or
 * expired) reads NaN.
 */
final class ZoneGauges implements Shareable {
  private static final String MAP_NAME = "vxdns.zone.gauges";

  private final MeterRegistry registry;
  private final AtomicReference<Supplier<ZoneSet>> served = new AtomicReference<>(ZoneSet::empty);
  private final Map<Name, Gauge[]> registered = new HashMap<>();
  private final AtomicReference<TransfersIn> transfersIn = new AtomicReference<>();
  private final AtomicReference<TransfersOut> transfersOut = new AtomicReference<>();
  private boolean transferGaugesRegistered;

  private ZoneGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  static ZoneGauges of(Vertx vertx) {
    LocalMap<String, ZoneGauges> map = vertx.sharedData().getLocalMap(MAP_NAME);
    ZoneGauges created = new ZoneGauges(NodeMetrics.of(vertx).registry());
    ZoneGauges present = map.putIfAbsent("node", created);
    return present == null ? created : present;
  }

  /**
   * Reads the zones from {@code zones} from now on, with one gauge pair per configured zone, and
   * the transfers from {@code in} and {@code out}.
   */
  synchronized void serve(
      Supplier<ZoneSet> zones, Set<Name> configured, TransfersIn in, TransfersOut out) {
    served.set(zones);
    transfersIn.set(in);
    transfersOut.set(out);
    if (!transferGaugesRegistered) {
      transferGaugesRegistered = true;
      transferGauge(
          "vxdns_transfers_in_running",
          "incoming zone transfers running",
          () -> transfersIn.get().running());
      transferGauge(
          "vxdns_transfers_in_waiting",
          "incoming zone transfers waiting for a slot",
          () -> transfersIn.get().waiting());
      transferGauge(
          "vxdns_transfers_out_running",
          "outgoing zone transfers running",
          () -> transfersOut.get().running());
    }
    for (Map.Entry<Name, Gauge[]> zone : Map.copyOf(registered).entrySet()) {
      if (!configured.contains(zone.getKey())) {
        for (Gauge gauge : zone.getValue()) {
          registry.remove(gauge);
        }
        registered.remove(zone.getKey());
      }
    }
    for (Name origin : configured) {
      registered.computeIfAbsent(origin, this::register);
    }
  }

  private void transferGauge(String name, String description, IntSupplier count) {
    Gauge.builder(name, count, IntSupplier::getAsInt)
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  private Gauge[] register(Name origin) {
    String name = origin.toString();
    return new Gauge[] {
      Gauge.builder("vxdns_zone_serial", this, gauges -> gauges.read(origin, true))
          .description("the SOA serial of the zone served")
          .tag("zone", name)
          .strongReference(true)
          .register(registry),
      Gauge.builder("vxdns_zone_records", this, gauges -> gauges.read(origin, false))
          .description("the records of the zone served")
          .tag("zone", name)
          .strongReference(true)
          .register(registry)
    };
  }

  private double read(Name origin, boolean serial) {
    Zone zone = served.get().get().get(origin);
    if (zone == null) {
      return Double.NaN;
    }
    return serial ? zone.serial() : zone.recordCount();
  }
}
