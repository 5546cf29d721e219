package dev.vxdns.verticles.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One zone's log as the cluster holds it (the value under the zone's key; owned by one member and
 * backed up on another): the serial the log starts at and the changes after it, oldest first.
 * Immutable; an append makes a new one.
 *
 * @param first the serial of the version before the first entry (the log's only version when it has
 *     no entries)
 */
record ZoneLogState(long first, List<Entry> entries) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The changes a log keeps; a node further behind cannot catch up from it. */
  static final int MAX_ENTRIES = 4096;

  /** One change: its serials, its fingerprint and its bytes ({@link DiffCodec}). */
  record Entry(long from, long to, long fingerprint, byte[] diff) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  ZoneLogState {
    entries = List.copyOf(entries);
  }

  long last() {
    return entries.isEmpty() ? first : entries.get(entries.size() - 1).to();
  }

  /**
   * This log with {@code more} at its end, its oldest entries dropped beyond {@link #MAX_ENTRIES}.
   */
  ZoneLogState with(List<Entry> more) {
    List<Entry> all = new ArrayList<>(entries.size() + more.size());
    all.addAll(entries);
    all.addAll(more);
    int drop = Math.max(0, all.size() - MAX_ENTRIES);
    long start = drop == 0 ? first : all.get(drop - 1).to();
    return new ZoneLogState(start, all.subList(drop, all.size()));
  }
}
