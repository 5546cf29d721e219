package dev.vxdns.verticles.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Whether a snapshot can start a node that follows the log: the log must have the snapshot's very
 * version ({@link ZoneLogState#covers}). Returns null when it has, else why not. Read-only, on the
 * partition thread of the zone's key.
 */
final class SnapshotCheck implements EntryProcessor<String, ZoneLogState, String>, ReadOnly {
  private static final long serialVersionUID = 1L;

  private final long serial;
  private final long fingerprint;

  SnapshotCheck(long serial, long fingerprint) {
    this.serial = serial;
    this.fingerprint = fingerprint;
  }

  @Override
  public String process(Map.Entry<String, ZoneLogState> entry) {
    return unusable(entry.getValue(), serial, fingerprint);
  }

  /** Null when the snapshot at {@code serial} fits {@code log}, else why not. */
  static String unusable(ZoneLogState log, long serial, long fingerprint) {
    if (log == null) {
      return "the cluster has no log for the zone";
    }
    if (log.covers(serial, fingerprint)) {
      return null;
    }
    return "the latest snapshot (serial "
        + serial
        + ") is not a version on the cluster's log (serials "
        + log.first()
        + " to "
        + log.last()
        + ")";
  }

  @Override
  public EntryProcessor<String, ZoneLogState, String> getBackupProcessor() {
    return null;
  }
}
