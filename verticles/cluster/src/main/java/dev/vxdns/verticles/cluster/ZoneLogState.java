package dev.vxdns.verticles.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One zone's log as the cluster holds it (the value under the zone's key; owned by one member and
 * backed up on another): the serial the log starts at and the changes after it, oldest first, and
 * where the latest snapshot ({@link ZoneSnapshot}) is. Immutable; an append makes a new one.
 *
 * @param first the serial of the version before the first entry (the log's only version when it has
 *     no entries)
 * @param firstFingerprint the fingerprint of the change that led to {@code first} (dropped from the
 *     log since), 0 when the log was created there
 * @param snapshot the serial of the latest snapshot published, {@link #NO_SNAPSHOT} for none
 */
record ZoneLogState(long first, long firstFingerprint, List<Entry> entries, long snapshot)
    implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The changes a log keeps unless {@code cluster.log-size} says otherwise. */
  static final int DEFAULT_CAPACITY = 4096;

  static final long NO_SNAPSHOT = -1;

  /** One change: its serials, its fingerprint and its bytes ({@link DiffCodec}). */
  record Entry(long from, long to, long fingerprint, byte[] diff) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  ZoneLogState {
    entries = List.copyOf(entries);
  }

  /** A new log starting at serial {@code first}, without a snapshot. */
  ZoneLogState(long first, List<Entry> entries) {
    this(first, 0, entries, NO_SNAPSHOT);
  }

  long last() {
    return entries.isEmpty() ? first : entries.get(entries.size() - 1).to();
  }

  /**
   * This log with {@code more} at its end, its oldest entries dropped beyond {@code capacity}; a
   * node further behind than the log then reaches it from a snapshot.
   */
  ZoneLogState with(List<Entry> more, int capacity) {
    List<Entry> all = new ArrayList<>(entries.size() + more.size());
    all.addAll(entries);
    all.addAll(more);
    int drop = Math.max(0, all.size() - capacity);
    if (drop == 0) {
      return new ZoneLogState(first, firstFingerprint, all, snapshot);
    }
    Entry dropped = all.get(drop - 1);
    return new ZoneLogState(
        dropped.to(), dropped.fingerprint(), all.subList(drop, all.size()), snapshot);
  }

  /** This log, noting that the latest snapshot is at {@code serial}. */
  ZoneLogState withSnapshot(long serial) {
    return new ZoneLogState(first, firstFingerprint, entries, serial);
  }

  /**
   * How many entries come after the version at {@code serial}; -1 when the log does not have that
   * version (never had it, or dropped it).
   */
  int entriesAfter(long serial) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).to() == serial) {
        return entries.size() - 1 - i;
      }
    }
    return serial == first ? entries.size() : -1;
  }

  /**
   * Whether the log has the version at {@code serial} reached by the change with this {@code
   * fingerprint} (0: none, the log was created there): a snapshot of that version is the log's
   * version at that serial, and a node can follow the log from it.
   */
  boolean covers(long serial, long fingerprint) {
    for (Entry entry : entries) {
      if (entry.to() == serial) {
        return entry.fingerprint() == fingerprint;
      }
    }
    return serial == first && firstFingerprint == fingerprint;
  }

  /** How many entries the log has beyond the latest snapshot; the whole capacity without one. */
  int pastSnapshot(int capacity) {
    int after = snapshot == NO_SNAPSHOT ? -1 : entriesAfter(snapshot);
    return after == -1 ? capacity : after;
  }
}
