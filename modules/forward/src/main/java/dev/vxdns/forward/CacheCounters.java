package dev.vxdns.forward;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The counters every shard of one packet cache adds to, read by the stats address. */
public final class CacheCounters {
  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder inserts = new LongAdder();
  final LongAdder evictions = new LongAdder();

  public Map<String, Long> snapshot() {
    return Map.of(
        "cache hits", hits.sum(),
        "cache misses", misses.sum(),
        "cache inserts", inserts.sum(),
        "cache evictions", evictions.sum());
  }
}
