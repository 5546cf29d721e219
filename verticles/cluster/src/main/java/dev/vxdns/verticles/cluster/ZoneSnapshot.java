package dev.vxdns.verticles.cluster;

import java.io.Serializable;

/**
 * A zone's whole content at one serial, as the map {@value HazelcastZoneLog#SNAPSHOT_MAP} holds it
 * (the latest one per zone): a node the log cannot bring up to date (it was away longer than the
 * log's capacity) starts from it and follows the log after it.
 *
 * @param serial the version's serial
 * @param fingerprint the fingerprint of the change that led to it (0: none known), so that a node
 *     checks the log has this very version ({@link ZoneLogState#covers})
 * @param records the records, {@link SnapshotCodec}
 */
record ZoneSnapshot(long serial, long fingerprint, byte[] records) implements Serializable {
  private static final long serialVersionUID = 1L;
}
