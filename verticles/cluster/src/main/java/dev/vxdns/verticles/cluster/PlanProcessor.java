package dev.vxdns.verticles.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Works out a node's {@link LogPlan} on the partition thread of the zone's key; changes nothing.
 */
final class PlanProcessor implements EntryProcessor<String, ZoneLogState, LogPlan>, ReadOnly {
  private static final long serialVersionUID = 1L;

  private final long serial;
  private final long[] from;
  private final long[] fingerprints;

  PlanProcessor(long serial, long[] from, long[] fingerprints) {
    this.serial = serial;
    this.from = from.clone();
    this.fingerprints = fingerprints.clone();
  }

  @Override
  public LogPlan process(Map.Entry<String, ZoneLogState> entry) {
    return LogPlan.of(entry.getValue(), serial, from, fingerprints);
  }

  @Override
  public EntryProcessor<String, ZoneLogState, LogPlan> getBackupProcessor() {
    return null;
  }
}
