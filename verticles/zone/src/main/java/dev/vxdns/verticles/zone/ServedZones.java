package dev.vxdns.verticles.zone;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneSet;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Name;

/**
 * The zones being served right now: one immutable {@link ZoneSet}, replaced as a whole when a zone
 * changes. A query reads it once and answers from that version, so it sees a zone before a change
 * or after it, never a mix. Each zone has one writer (its {@link PrimaryZone} or {@link
 * SecondaryZone}); writers of different zones swap concurrently, each replacing only its own zone.
 */
final class ServedZones {
  private final AtomicReference<ZoneSet> current;

  ServedZones(ZoneSet initial) {
    this.current = new AtomicReference<>(initial);
  }

  ZoneSet get() {
    return current.get();
  }

  /** The served version of the zone with exactly this origin, or null. */
  Zone zone(Name origin) {
    return current.get().get(origin);
  }

  /** Serves the next version of one zone. */
  void put(Zone next) {
    current.updateAndGet(set -> set.with(next));
  }

  /** Stops serving a zone (an expired secondary); its queries get SERVFAIL. */
  void remove(Name origin) {
    current.updateAndGet(set -> set.without(origin));
  }
}
