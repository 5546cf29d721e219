package dev.vxdns.zone;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Zone origins to what a stage keeps per zone (the zone data, the zone's access lists, ...), and
 * the one rule for which zone answers a question: the closest enclosing zone, except that DS at a
 * zone's apex belongs to its parent zone when that is also served (RFC 4035 3.1.4.1). Every stage
 * that picks a zone for a question uses this, so they agree. Immutable.
 *
 * <p>A question's zone is found on the wire form of its name, one probe per label of a table of the
 * origins' wire forms ({@link NameSlots}): no {@code Name} per label.
 *
 * @param <T> the per-zone value
 */
public final class ZoneIndex<T> {
  private final Map<Name, T> byOrigin;
  // The origins' wire forms, and each one's value at its position; never changed once built.
  private final NameSlots origins;
  private final Object[] values;

  private ZoneIndex(Map<Name, T> byOrigin) {
    this.byOrigin = byOrigin;
    origins = new NameSlots(byOrigin.size());
    values = new Object[byOrigin.size()];
    byOrigin.forEach((origin, value) -> values[origins.put(origin.toWire())] = value);
  }

  public static <T> ZoneIndex<T> of(Map<Name, T> byOrigin) {
    return new ZoneIndex<>(Collections.unmodifiableMap(new HashMap<>(byOrigin)));
  }

  /** The value of the zone that answers {@code qname}/{@code qtype}, or null outside every zone. */
  public T find(Name qname, int qtype) {
    return find(qname.toWire(), qtype);
  }

  /** Like {@link #find(Name, int)}, given the name's wire form. */
  @SuppressWarnings("unchecked")
  public T find(byte[] wire, int qtype) {
    int zone = closest(wire, 0);
    if (zone >= 0 && qtype == Type.DS && wire[0] != 0 && origins.positionOf(wire, 0) == zone) {
      int parent = closest(wire, 1 + wire[0]);
      if (parent >= 0) {
        zone = parent;
      }
    }
    return zone < 0 ? null : (T) values[zone];
  }

  /** The value of the zone at exactly {@code origin}, or null. */
  public T get(Name origin) {
    return byOrigin.get(origin);
  }

  /** A new index with {@code origin} set to {@code value}. */
  public ZoneIndex<T> with(Name origin, T value) {
    Map<Name, T> map = new HashMap<>(byOrigin);
    map.put(origin, value);
    return new ZoneIndex<>(Collections.unmodifiableMap(map));
  }

  /** A new index without {@code origin} (this one when it has none). */
  public ZoneIndex<T> without(Name origin) {
    if (!byOrigin.containsKey(origin)) {
      return this;
    }
    Map<Name, T> map = new HashMap<>(byOrigin);
    map.remove(origin);
    return new ZoneIndex<>(Collections.unmodifiableMap(map));
  }

  public boolean contains(Name origin) {
    return byOrigin.containsKey(origin);
  }

  /** Unmodifiable, in no particular order. */
  public Collection<T> values() {
    return byOrigin.values();
  }

  public int size() {
    return byOrigin.size();
  }

  @Override
  public String toString() {
    return byOrigin.keySet().toString();
  }

  /**
   * The position of the closest zone enclosing the wire name at {@code wire[from]}, or -1: one
   * probe per label, from the name up to the root.
   */
  private int closest(byte[] wire, int from) {
    for (int at = from; ; at += 1 + wire[at]) {
      int zone = origins.positionOf(wire, at);
      if (zone >= 0 || wire[at] == 0) {
        return zone;
      }
    }
  }
}
