package dev.vxdns.message;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A stage's event counters by name (headers accepted, refusals per option and zone, ...). Shared by
 * every event loop that calls the stage, so the counts are LongAdders; a {@link #snapshot()} is a
 * sorted plain map for logs and for the stats address ({@link StageRegistration}).
 */
public final class StageCounters {
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /** Counts one more {@code event}. */
  public void increment(String event) {
    counts.computeIfAbsent(event, e -> new LongAdder()).increment();
  }

  /** The count of {@code event} so far; 0 if it never happened. */
  public long count(String event) {
    LongAdder adder = counts.get(event);
    return adder == null ? 0 : adder.sum();
  }

  /** Every count so far, sorted by event name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((event, adder) -> copy.put(event, adder.sum()));
    return copy;
  }
}
