package dev.vxdns.zone;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * Immutable set of zones; finds the closest enclosing zone of a name. Changes return a new set, so
 * a server can swap its set atomically while lookups run without locks.
 */
public final class ZoneSet {
  private static final ZoneSet EMPTY = new ZoneSet(ZoneIndex.of(Map.of()));

  private final ZoneIndex<Zone> index;

  private ZoneSet(ZoneIndex<Zone> index) {
    this.index = index;
  }

  /**
   * @throws IllegalArgumentException when two zones have the same origin
   */
  public static ZoneSet of(Collection<Zone> zones) {
    Map<Name, Zone> map = new HashMap<>(zones.size() * 2);
    for (Zone zone : zones) {
      Objects.requireNonNull(zone, "zone");
      if (map.putIfAbsent(zone.origin(), zone) != null) {
        throw new IllegalArgumentException("duplicate zone origin " + zone.origin());
      }
    }
    return map.isEmpty() ? EMPTY : new ZoneSet(ZoneIndex.of(map));
  }

  public static ZoneSet empty() {
    return EMPTY;
  }

  /** The zone that answers qname/qtype, or null: {@link ZoneIndex#find}, DS rule included. */
  public Zone find(Name qname, int qtype) {
    return index.find(qname, qtype);
  }

  /** Like {@link #find(Name, int)}, given the name's wire form. */
  public Zone find(byte[] qname, int qtype) {
    return index.find(qname, qtype);
  }

  /** The zone with exactly this origin, or null. */
  public Zone get(Name origin) {
    return index.get(origin);
  }

  /** A new set with zone added, or replacing the zone of the same origin. */
  public ZoneSet with(Zone zone) {
    Objects.requireNonNull(zone, "zone");
    return new ZoneSet(index.with(zone.origin(), zone));
  }

  /** A new set without the zone of that origin (this set when there is none). */
  public ZoneSet without(Name origin) {
    if (!index.contains(origin)) {
      return this;
    }
    ZoneIndex<Zone> rest = index.without(origin);
    return rest.size() == 0 ? EMPTY : new ZoneSet(rest);
  }

  /** Unmodifiable, in no particular order. */
  public Collection<Zone> zones() {
    return index.values();
  }

  public int size() {
    return index.size();
  }

  @Override
  public String toString() {
    return "ZoneSet" + index;
  }
}
