package dev.vxdns.verticles.proxy;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Headers accepted and rejected per reason. Shared by every event loop that calls the stage, so
 * the counts are LongAdders; a snapshot is a sorted plain map for logs and the stats address.
 */
final class ProxyCounters {
  static final String ACCEPTED = "accepted";
  static final String ACCEPTED_LOCAL = "accepted-local";

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  long increment(String reason) {
    LongAdder adder = counts.computeIfAbsent(reason, r -> new LongAdder());
    adder.increment();
    return adder.sum();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((reason, adder) -> copy.put(reason, adder.sum()));
    return copy;
  }
}
