package dev.vxdns.message;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's long tasks in progress ({@link NodeMetrics#progress()}): the metrics verticle logs
 * those that run for more than a few seconds and the control channel lists them ({@code GET
 * /progress}, {@code vxdns progress}). A task's end is logged with its count and rate.
 */
public final class ProgressBoard {
  private static final System.Logger LOG = System.getLogger(ProgressBoard.class.getName());

  /** Tasks shorter than this end without a log line of their own (their caller logs them). */
  private static final long QUIET_MILLIS = 1000;

  private final Set<Progress> running = ConcurrentHashMap.newKeySet();

  /** A board of its own; a node's is {@link NodeMetrics#progress()}. */
  public ProgressBoard() {}

  /** A task starts: {@code total} records (-1: unknown). */
  public Progress begin(String kind, String subject, long total) {
    Progress progress = new Progress(kind, subject, total);
    running.add(progress);
    return progress;
  }

  /** The task is over (done or failed). */
  public void end(Progress progress) {
    if (running.remove(progress) && progress.elapsedMillis() >= QUIET_MILLIS) {
      LOG.log(System.Logger.Level.INFO, "{0} (finished)", progress);
    }
  }

  public List<Progress> running() {
    return new ArrayList<>(running);
  }
}
