package dev.vxdns.message;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A stage's event counters by name (headers accepted, refusals per option and zone, ...), kept as
 * Micrometer counters of one metric in the node's registry ({@link NodeMetrics}): each event name
 * is turned into that metric's tags once, at its first occurrence, and later increments only look
 * the counter up. A {@link #snapshot()} is a sorted plain map of the events this stage has seen,
 * for logs and for the control channel's {@code /stats}; the counts are the registry's, so they go
 * on across a redeploy of the stage as Prometheus expects.
 */
public final class StageCounters {
  private final Map<String, Counter> counts = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final String metric;
  private final String description;
  private final Function<String, Tags> tags;

  /**
   * @param metric the metric's name ({@code vxdns_proxy_headers})
   * @param tags the tags of an event name (called once per name)
   */
  public StageCounters(
      MeterRegistry registry, String metric, String description, Function<String, Tags> tags) {
    this.registry = registry;
    this.metric = metric;
    this.description = description;
    this.tags = tags;
  }

  /** Counters of their own, in no node's registry (a stage built outside a node: tests, tools). */
  public StageCounters() {
    this(new SimpleMeterRegistry(), "vxdns_stage_events", "", event -> Tags.of("event", event));
  }

  /** Counts one more {@code event}. */
  public void increment(String event) {
    Counter counter = counts.get(event);
    if (counter == null) {
      counter = counts.computeIfAbsent(event, this::register);
    }
    counter.increment();
  }

  private Counter register(String event) {
    return Counter.builder(metric)
        .description(description)
        .tags(tags.apply(event))
        .register(registry);
  }

  /** The count of {@code event} so far; 0 if it never happened. */
  public long count(String event) {
    Counter counter = counts.get(event);
    return counter == null ? 0 : (long) counter.count();
  }

  /** Every count so far, sorted by event name. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((event, counter) -> copy.put(event, (long) counter.count()));
    return copy;
  }
}
