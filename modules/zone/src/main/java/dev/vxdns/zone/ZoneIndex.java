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
 * @param <T> the per-zone value
 */
public final class ZoneIndex<T> {
  private final Map<Name, T> byOrigin;

  private ZoneIndex(Map<Name, T> byOrigin) {
    this.byOrigin = byOrigin;
  }

  public static <T> ZoneIndex<T> of(Map<Name, T> byOrigin) {
    return new ZoneIndex<>(Collections.unmodifiableMap(new HashMap<>(byOrigin)));
  }

  /** The value of the zone that answers {@code qname}/{@code qtype}, or null outside every zone. */
  public T find(Name qname, int qtype) {
    T zone = closest(qname);
    if (zone != null && qtype == Type.DS && qname.labels() > 1 && byOrigin.get(qname) == zone) {
      T parent = closest(new Name(qname, 1));
      if (parent != null) {
        return parent;
      }
    }
    return zone;
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

  /** One hash probe per label, from the name up to the root. */
  private T closest(Name name) {
    Name current = name;
    while (true) {
      T zone = byOrigin.get(current);
      if (zone != null || current.labels() <= 1) {
        return zone;
      }
      current = new Name(current, 1);
    }
  }
}
