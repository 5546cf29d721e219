package dev.vxdns.verticles.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.List;
import java.util.Map;

/**
 * Compare-and-set append on a zone's log: runs on the partition thread that owns the zone's key, so
 * appends to one zone are ordered, and again on the backup (the same check gives the same result
 * there). Appends only if the log ends at {@code base}; creates the log at {@code base} when the
 * cluster has none. Returns whether it appended.
 */
final class AppendProcessor implements EntryProcessor<String, ZoneLogState, Boolean> {
  private static final long serialVersionUID = 1L;

  private final long base;
  private final List<ZoneLogState.Entry> entries;

  AppendProcessor(long base, List<ZoneLogState.Entry> entries) {
    this.base = base;
    this.entries = List.copyOf(entries);
  }

  @Override
  public Boolean process(Map.Entry<String, ZoneLogState> entry) {
    ZoneLogState log = entry.getValue();
    if (log == null) {
      log = new ZoneLogState(base, List.of());
    } else if (log.last() != base) {
      return false;
    }
    entry.setValue(log.with(entries));
    return true;
  }
}
