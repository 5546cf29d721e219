package dev.vxdns.message;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Counts one listener's queries as its transport finishes them: {@code vxdns_queries_total} by
 * listener, transport, qtype and rcode, the response size and the latency from arrival to answer.
 * Built once per transport instance; on the per-query path it reads a counter from an array
 * (created at the first query of a qtype/rcode pair), so a query allocates nothing here unless the
 * query log is on.
 */
public final class QueryMetrics {
  /** Types above 255 (CAA, URI, ...) share one label, which bounds the series. */
  private static final int OTHER_TYPE = 256;

  /** The rcodes a header and EDNS can carry are 0..4095; those above 23 share one label. */
  private static final int RCODES = 24;

  private static final int NO_QUESTION = OTHER_TYPE + 1;
  private static final int NO_RESPONSE = RCODES;
  private static final int OTHER_RCODE = RCODES + 1;
  private static final int RCODE_SLOTS = RCODES + 2;

  private final NodeMetrics node;
  private final MeterRegistry registry;
  private final String listener;
  private final Transport transport;

  /** Per opcode (0..15, made at its first query), the counters by qtype and rcode slot. */
  private final AtomicReferenceArray<AtomicReferenceArray<Counter>> counters =
      new AtomicReferenceArray<>(16);

  private final DistributionSummary sizes;
  private final Timer latency;

  QueryMetrics(NodeMetrics node, String listener, Transport transport) {
    this.node = node;
    this.registry = node.registry();
    this.listener = listener;
    this.transport = transport;
    this.sizes =
        DistributionSummary.builder("vxdns_response_size_bytes")
            .description("size of the responses sent")
            .baseUnit("bytes")
            .tag("listener", listener)
            .tag("transport", transport.configName())
            .serviceLevelObjectives(64, 128, 256, 512, 1232, 1500, 4096, 16384, 65535)
            .register(registry);
    this.latency =
        Timer.builder("vxdns_query_duration")
            .description("from a query's arrival to its answer, on the transport's event loop")
            .tag("listener", listener)
            .tag("transport", transport.configName())
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  /**
   * Records a finished exchange: answered with {@code wire}'s bytes, or (null) dropped or closed.
   *
   * @param startNanos {@link System#nanoTime()} when the query arrived
   */
  public void finished(DnsExchange exchange, byte[] wire, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    ParsedRequest request = exchange.parsed();
    int qtype = request == null ? -1 : request.questionType();
    int rcode = wire == null ? -1 : exchange.responseRcode();
    int size = wire == null ? 0 : wire.length;
    counter(opcode(exchange), qtype, rcode).increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
    if (wire != null) {
      sizes.record(size);
    }
    QueryLog log = node.queryLog();
    if (log != null && log.enabled()) {
      DnsExchange.Endpoints endpoints = exchange.endpoints();
      log.offer(
          new QueryLogEntry(
              System.currentTimeMillis(),
              transport,
              listener,
              endpoints.realSource(),
              endpoints.realDestination(),
              endpoints.effectiveSource(),
              endpoints.effectiveDestination(),
              endpoints.proxied(),
              exchange.verdicts().keyName(),
              qtype < 0 ? null : questionText(request),
              qtype,
              rcode,
              size,
              nanos));
    }
  }

  /** The question's name as text (for the query log only: it is made per logged query). */
  private static String questionText(ParsedRequest request) {
    try {
      return new Name(request.questionName()).toString();
    } catch (IOException e) {
      return request.message().getQuestion().getName().toString();
    }
  }

  /** The header's opcode, read from the bytes (parsed or not). */
  private static int opcode(DnsExchange exchange) {
    byte[] wire = exchange.query().wire();
    return wire.length > 2 ? ParsedRequest.opcode(wire) : 0;
  }

  private Counter counter(int opcode, int qtype, int rcode) {
    AtomicReferenceArray<Counter> byType = counters.get(opcode);
    if (byType == null) {
      counters.compareAndSet(
          opcode, null, new AtomicReferenceArray<>((NO_QUESTION + 1) * RCODE_SLOTS));
      byType = counters.get(opcode);
    }
    int typeSlot = qtype < 0 ? NO_QUESTION : Math.min(qtype, OTHER_TYPE);
    int rcodeSlot = rcode < 0 ? NO_RESPONSE : rcode < RCODES ? rcode : OTHER_RCODE;
    int index = typeSlot * RCODE_SLOTS + rcodeSlot;
    Counter counter = byType.get(index);
    if (counter == null) {
      counter =
          Counter.builder("vxdns_queries")
              .description("queries finished, by listener, transport, opcode, qtype and rcode")
              .tag("listener", listener)
              .tag("transport", transport.configName())
              .tag("opcode", Opcode.string(opcode))
              .tag("qtype", typeLabel(typeSlot))
              .tag("rcode", rcodeLabel(rcodeSlot))
              .register(registry);
      byType.set(index, counter);
    }
    return counter;
  }

  private static String typeLabel(int slot) {
    return slot == NO_QUESTION ? "none" : slot == OTHER_TYPE ? "other" : Type.string(slot);
  }

  private static String rcodeLabel(int slot) {
    return slot == NO_RESPONSE ? "none" : slot == OTHER_RCODE ? "other" : Rcode.string(slot);
  }
}
