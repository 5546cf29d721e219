package dev.vxdns.message;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The query log's hand-off between the transports and its writer thread: a bounded, lock-free
 * queue. A transport offers an entry and never waits; when the queue is full the entry is dropped
 * and counted ({@code vxdns_querylog_dropped_total}). On and off at run time ({@code vxdns querylog
 * on|off}): when off, transports build no entry at all.
 */
public final class QueryLog {
  private final ConcurrentLinkedQueue<QueryLogEntry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int capacity;
  private final Counter dropped;
  private final Counter queued;
  private volatile boolean enabled;

  public QueryLog(int capacity, boolean enabled, MeterRegistry registry) {
    this.capacity = capacity;
    this.enabled = enabled;
    this.dropped =
        Counter.builder("vxdns_querylog_dropped")
            .description("query log entries dropped because the writer's queue was full")
            .register(registry);
    this.queued =
        Counter.builder("vxdns_querylog_entries")
            .description("query log entries handed to the writer")
            .register(registry);
  }

  public boolean enabled() {
    return enabled;
  }

  public void setEnabled(boolean on) {
    enabled = on;
  }

  /** Hands {@code entry} to the writer, or drops it (counted) when the queue is full. */
  public void offer(QueryLogEntry entry) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      dropped.increment();
      return;
    }
    queue.offer(entry);
    queued.increment();
  }

  /** The next entry for the writer, or null when there is none. */
  public QueryLogEntry poll() {
    QueryLogEntry entry = queue.poll();
    if (entry != null) {
      size.decrementAndGet();
    }
    return entry;
  }

  public long droppedCount() {
    return (long) dropped.count();
  }
}
