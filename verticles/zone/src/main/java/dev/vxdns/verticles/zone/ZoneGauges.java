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
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * {@code vxdns_zone_serial{zone}} and {@code vxdns_zone_records{zone}}: read from the served zones
 * at scrape time, so they are never stale. One per node (a local map entry): a zone verticle that
 * replaces another during a redeploy takes the gauges over instead of registering twins. A zone
 * configured but not served (a secondary before its first transfer, or expired) reads NaN.
 */
final class ZoneGauges implements Shareable {
  private static final String MAP_NAME = "vxdns.zone.gauges";

  private final MeterRegistry registry;
  private final AtomicReference<Supplier<ZoneSet>> served = new AtomicReference<>(ZoneSet::empty);
  private final Map<Name, Gauge[]> registered = new HashMap<>();

  private ZoneGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  static ZoneGauges of(Vertx vertx) {
    LocalMap<String, ZoneGauges> map = vertx.sharedData().getLocalMap(MAP_NAME);
    ZoneGauges created = new ZoneGauges(NodeMetrics.of(vertx).registry());
    ZoneGauges present = map.putIfAbsent("node", created);
    return present == null ? created : present;
  }

  /** Reads the zones from {@code zones} from now on, with one gauge pair per configured zone. */
  synchronized void serve(Supplier<ZoneSet> zones, Set<Name> configured) {
    served.set(zones);
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
