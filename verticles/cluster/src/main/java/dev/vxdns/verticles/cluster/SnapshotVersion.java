package dev.vxdns.verticles.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * A zone's latest snapshot without its records (its serial and fingerprint), read where it is: a
 * node checks that the log has that version before it fetches the whole zone.
 */
final class SnapshotVersion
    implements EntryProcessor<String, ZoneSnapshot, ZoneSnapshot>, ReadOnly {
  private static final long serialVersionUID = 1L;

  @Override
  public ZoneSnapshot process(Map.Entry<String, ZoneSnapshot> entry) {
    ZoneSnapshot snapshot = entry.getValue();
    return snapshot == null
        ? null
        : new ZoneSnapshot(snapshot.serial(), snapshot.fingerprint(), new byte[0]);
  }

  @Override
  public EntryProcessor<String, ZoneSnapshot, ZoneSnapshot> getBackupProcessor() {
    return null;
  }
}
