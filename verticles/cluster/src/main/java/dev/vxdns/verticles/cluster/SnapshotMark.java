package dev.vxdns.verticles.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Notes on a zone's log, once the snapshot is in {@value HazelcastZoneLog#SNAPSHOT_MAP}, the serial
 * of the latest snapshot: appends then count their distance from it ({@link AppendProcessor}).
 */
final class SnapshotMark implements EntryProcessor<String, ZoneLogState, Void> {
  private static final long serialVersionUID = 1L;

  private final long serial;

  SnapshotMark(long serial) {
    this.serial = serial;
  }

  @Override
  public Void process(Map.Entry<String, ZoneLogState> entry) {
    if (entry.getValue() != null) {
      entry.setValue(entry.getValue().withSnapshot(serial));
    }
    return null;
  }
}
