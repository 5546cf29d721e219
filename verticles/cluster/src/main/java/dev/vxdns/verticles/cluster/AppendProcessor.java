package dev.vxdns.verticles.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;

/**
 * Compare-and-set append on a zone's log: runs on the partition thread that owns the zone's key, so
 * appends to one zone are ordered, and again on the backup (the same check gives the same result
 * there). Appends only if the log ends at {@code base}; creates the log at {@code base} when the
 * cluster has none. Returns -1 when it did not append, else how many entries the log now has beyond
 * its latest snapshot (its capacity when it has none), so the appending node knows when to publish
 * one.
 */
final class AppendProcessor implements EntryProcessor<String, ZoneLogState, Integer> {
  private static final long serialVersionUID = 2L;

  private final long base;
  private final List<ZoneLogState.Entry> entries;
  private final int capacity;

  AppendProcessor(long base, List<ZoneLogState.Entry> entries, int capacity) {
    this.base = base;
    this.entries = List.copyOf(entries);
    this.capacity = capacity;
  }

  @Override
  public Integer process(Map.Entry<String, ZoneLogState> entry) {
    ZoneLogState log = entry.getValue();
    if (log == null) {
      log = new ZoneLogState(base, List.of());
    } else if (log.last() != base) {
      return -1;
    }
    ZoneLogState longer = log.with(entries, capacity);
    entry.setValue(longer);
    return longer.pastSnapshot(capacity);
  }
}
