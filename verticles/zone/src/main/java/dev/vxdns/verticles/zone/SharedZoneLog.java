package dev.vxdns.verticles.zone;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;

/**
 * The change log a primary zone shares with the other nodes of a cluster: one serial order of
 * changes per zone, which every node follows. A node appends the changes it accepted only where the
 * log ends at the version it evaluated them against (compare-and-set on the base serial: fencing),
 * so two nodes never both extend the same version; every node applies the log's changes in order
 * and journals them itself. The methods block (remote calls): a zone's writer thread calls them,
 * never an event loop.
 */
public interface SharedZoneLog {

  /** Whether an append extended the log, or the log had moved on (catch up, evaluate again). */
  enum Appended {
    APPENDED,
    /**
     * Appended, and the log has gone half its capacity past the latest snapshot (or has none): this
     * node publishes a snapshot of the version the append leads to ({@link #publishSnapshot}), so
     * that the latest snapshot stays a version the log has.
     */
    APPENDED_SNAPSHOT_DUE,
    BEHIND;

    public boolean extended() {
      return this != BEHIND;
    }
  }

  /**
   * Appends {@code diffs} (a chain starting at {@code base}) if the log ends at serial {@code
   * base}; creates the log from {@code base} when the cluster has none for the zone.
   *
   * @throws SharedLogException when the log cannot be written: this node is on the minority side of
   *     a split (split-brain protection), or the cluster does not answer in time
   */
  Appended append(Name zone, long base, List<ZoneDiff> diffs) throws SharedLogException;

  /**
   * What a node serving {@code serial}, reached through {@code history} (oldest first), must do to
   * follow the log.
   */
  Plan plan(Name zone, long serial, List<ZoneDiff> history) throws SharedLogException;

  /**
   * A node's way to the log's version.
   *
   * @param rollback how many of its latest changes to undo first (changes the log does not have,
   *     made on the minority side of a split before it noticed, and never acknowledged)
   * @param apply the log's changes to apply next, in order
   * @param pushFrom {@code true} when the log ends at a version this node went beyond (the cluster
   *     lost the log, a whole-cluster restart): the node appends its own later changes
   * @param logSerial the serial the log ends at, -1 when there is no log yet
   * @param diverged null, or why this node cannot follow (the log was trimmed past its version, or
   *     no common version): it starts again from the latest {@link #snapshot}, or, without a usable
   *     one, keeps serving what it has and refuses updates
   */
  record Plan(
      int rollback, List<ZoneDiff> apply, boolean pushFrom, long logSerial, String diverged) {
    public Plan {
      apply = List.copyOf(apply);
    }
  }

  /**
   * Publishes {@code zone} (the version this node serves, a version on the log) as the zone's
   * latest snapshot. Blocks while it encodes and sends the whole zone: a zone writer calls it.
   */
  void publishSnapshot(Zone zone) throws SharedLogException;

  /**
   * The zone's latest snapshot, for a node the log cannot bring up to date: a version the log has,
   * so the node follows the log from it (its history is empty).
   *
   * @throws SharedLogException when there is none the log has (the message says why), or the
   *     cluster does not answer
   */
  Zone snapshot(Name zone) throws SharedLogException;

  /** Records that this node now serves {@code serial} (read by {@link #replicated}, health). */
  void applied(Name zone, long serial);

  /**
   * Completes with true once enough nodes (the split-brain protection's minimum cluster size) serve
   * {@code serial} or a later one, false when that did not happen in time.
   */
  CompletionStage<Boolean> replicated(Name zone, long serial);

  /**
   * Calls {@code changed} (on any thread) whenever the zone's log changes; closing the result stops
   * it.
   */
  AutoCloseable watch(Name zone, Runnable changed);

  /** Thrown when the log cannot be read or written; the message says why. */
  final class SharedLogException extends Exception {
    public SharedLogException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
