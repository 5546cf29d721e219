package dev.vxdns.verticles.cluster;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a node gets from the version it serves to the end of a zone's log, worked out where the log
 * is (on its partition thread) so that only the changes the node lacks travel.
 *
 * @param rollback how many of the node's latest changes the log does not have
 * @param apply the log's entries the node must apply after that
 * @param push the node went beyond the log's end: it should append its later changes
 * @param logSerial where the log ends, -1 when there is none
 * @param diverged null, or why the node cannot follow
 */
record LogPlan(
    int rollback, List<ZoneLogState.Entry> apply, boolean push, long logSerial, String diverged)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  LogPlan {
    apply = List.copyOf(apply);
  }

  /**
   * The plan for a node serving {@code serial}, whose latest changes (oldest first) have the given
   * serials and fingerprints.
   */
  static LogPlan of(ZoneLogState log, long serial, long[] from, long[] fingerprints) {
    if (log == null) {
      return new LogPlan(0, List.of(), true, -1, null);
    }
    List<ZoneLogState.Entry> entries = log.entries();
    long end = log.last();
    Map<Long, Integer> byFingerprint = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      byFingerprint.put(entries.get(i).fingerprint(), i);
    }
    int mine = fingerprints.length;
    // The node's newest change that the log has too: the versions agree up to there.
    for (int i = mine - 1; i >= 0; i--) {
      Integer at = byFingerprint.get(fingerprints[i]);
      if (at != null && entries.get(at).from() == from[i]) {
        int rollback = mine - 1 - i;
        List<ZoneLogState.Entry> rest = entries.subList(at + 1, entries.size());
        if (rest.isEmpty() && rollback > 0) {
          return new LogPlan(0, List.of(), true, end, null);
        }
        return new LogPlan(rollback, rest, false, end, null);
      }
    }
    // No change in common (the node's history is short, or the log's is): go by serials.
    if (serial == end) {
      return new LogPlan(0, List.of(), false, end, null);
    }
    if (serial == log.first()) {
      return new LogPlan(0, entries, false, end, null);
    }
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).from() == serial) {
        boolean forked =
            i > 0 && mine > 0 && entries.get(i - 1).fingerprint() != fingerprints[mine - 1];
        if (forked) {
          break;
        }
        return new LogPlan(0, entries.subList(i, entries.size()), false, end, null);
      }
    }
    for (int i = 0; i < mine; i++) {
      if (from[i] == end) {
        return new LogPlan(0, List.of(), true, end, null);
      }
    }
    return new LogPlan(
        0,
        List.of(),
        false,
        end,
        "this node's serial "
            + serial
            + " is not on the cluster's log (serials "
            + log.first()
            + " to "
            + end
            + ")");
  }
}
