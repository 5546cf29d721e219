package dev.vxdns.zone;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Immutable set of zones; finds the closest enclosing zone of a name. Changes return a new set, so
 * a server can swap its set atomically while lookups run without locks.
 */
public final class ZoneSet {

  private static final ZoneSet EMPTY = new ZoneSet(Map.of());

  private final Map<Name, Zone> byOrigin;

  private ZoneSet(Map<Name, Zone> byOrigin) {
    this.byOrigin = byOrigin;
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
    return map.isEmpty() ? EMPTY : new ZoneSet(Collections.unmodifiableMap(map));
  }

  public static ZoneSet empty() {
    return EMPTY;
  }

  /**
   * The closest enclosing zone of qname, or null. For DS the zone whose apex is qname is skipped in
   * favour of its parent zone when that is also served, because DS lives on the parent side of the
   * cut (RFC 4035 §3.1.4.1).
   */
  public Zone find(Name qname, int qtype) {
    Zone zone = closest(qname);
    if (zone != null && qtype == Type.DS && zone.origin().equals(qname) && qname.labels() > 1) {
      Zone parent = closest(new Name(qname, 1));
      if (parent != null) {
        return parent;
      }
    }
    return zone;
  }

  /** A new set with zone added, or replacing the zone of the same origin. */
  public ZoneSet with(Zone zone) {
    Objects.requireNonNull(zone, "zone");
    Map<Name, Zone> map = new HashMap<>(byOrigin);
    map.put(zone.origin(), zone);
    return new ZoneSet(Collections.unmodifiableMap(map));
  }

  /** A new set without the zone of that origin (this set when there is none). */
  public ZoneSet without(Name origin) {
    if (!byOrigin.containsKey(origin)) {
      return this;
    }
    Map<Name, Zone> map = new HashMap<>(byOrigin);
    map.remove(origin);
    return map.isEmpty() ? EMPTY : new ZoneSet(Collections.unmodifiableMap(map));
  }

  /** Unmodifiable, in no particular order. */
  public Collection<Zone> zones() {
    return byOrigin.values();
  }

  public int size() {
    return byOrigin.size();
  }

  @Override
  public String toString() {
    return "ZoneSet" + byOrigin.keySet();
  }

  /** One hash probe per label, from the name up to the root. */
  private Zone closest(Name name) {
    Name current = name;
    while (true) {
      Zone zone = byOrigin.get(current);
      if (zone != null || current.labels() <= 1) {
        return zone;
      }
      current = new Name(current, 1);
    }
  }
}
