package dev.vxdns.verticles.cluster;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsExchangeCodec;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.ParsedRequest;
import dev.vxdns.message.ResponseStreams;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageCounters;
import dev.vxdns.message.StageVerticle;
import dev.vxdns.message.Transport;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * An edge node's zone stage: it answers nothing itself but hands the exchange, in the binary
 * cluster form ({@link DnsExchangeCodec}), to {@value Addresses#ZONE_CLUSTER}, which every zone
 * node serves ({@link ZoneServiceVerticle}); Vert.x sends each request to one of them in turn. It
 * takes the zone stage's address, so a listener's pipeline is the same on an edge node as on a full
 * one: the front stages (proxy, blackhole, rate limiting, auth, access lists) run here, directly on
 * the transport's event loop, and the answer comes back on that loop to the way back (auth signs it
 * here). A zone transfer's further messages are pulled from the zone node as the transport sends
 * them ({@link ResponseStreams}, cluster-wide).
 *
 * <p>This is the one hop of an edge node's query path that waits on the event bus, by design: no
 * answer within {@code handoff-timeout-ms} (no zone node, or one that died and is not yet declared
 * gone) fails the exchange, and the transport answers SERVFAIL. An UPDATE gets at least {@link
 * #UPDATE_TIMEOUT_MILLIS}.
 */
public final class EdgeVerticle extends StageVerticle {
  private final long timeoutMillis;
  private StageCounters counters;

  public EdgeVerticle(ClusterSettings settings) {
    super(Addresses.ZONE_QUERY, Addresses.STATS_CLUSTER);
    this.timeoutMillis = settings.handoffTimeoutMillis();
  }

  @Override
  protected Future<Stage> createStage() {
    DnsExchangeCodec.registerOn(vertx);
    counters =
        new StageCounters(
            NodeMetrics.of(vertx).registry(),
            "vxdns_edge_handoffs",
            "exchanges this edge node handed to zone nodes, by result",
            result -> Tags.of("result", result));
    return Future.succeededFuture(new Handoff(vertx, timeoutMillis, counters));
  }

  @Override
  protected Map<String, Long> counters() {
    return counters.snapshot();
  }

  /** Warm-up exchanges sent at start, each to the next zone node in Vert.x's turn. */
  private static final int WARM_UPS = 4;

  /**
   * The first message to a node opens the TLS connection to it, which on a cold JVM takes longer
   * than a query may wait (seconds on a busy machine): the edge pays for it at start, with a few
   * SOA queries for the root that nobody waits for, so that no client's query does.
   */
  @Override
  protected Future<Void> startMore() {
    byte[] query =
        org.xbill.DNS.Message.newQuery(
                org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.root, org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN))
            .toWire();
    InetSocketAddress self = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    DeliveryOptions patient = new DeliveryOptions(DnsExchangeCodec.DELIVERY).setSendTimeout(30_000);
    for (int i = 0; i < WARM_UPS; i++) {
      DnsExchange warmUp = DnsExchange.received(Transport.UDP, "warm-up", self, self, query);
      vertx.eventBus().request(Addresses.ZONE_CLUSTER, warmUp, patient);
    }
    return Future.succeededFuture();
  }

  /**
   * How long an edge waits for the answer to an UPDATE at least: the zone node acknowledges an
   * update once a majority serves it and gives up after 5 s, so the edge must not answer SERVFAIL
   * for an update that is still on its way to being acknowledged.
   */
  static final long UPDATE_TIMEOUT_MILLIS = 10_000;

  /** The stage: immutable, called on the transport's event loop. */
  private record Handoff(Vertx vertx, long timeoutMillis, StageCounters counters) implements Stage {
    /** Not local-only: this request must leave the node. */
    private DeliveryOptions options(DnsExchange exchange) {
      long timeout =
          isUpdate(exchange.query().wire())
              ? Math.max(timeoutMillis, UPDATE_TIMEOUT_MILLIS)
              : timeoutMillis;
      return new DeliveryOptions(DnsExchangeCodec.DELIVERY).setSendTimeout(timeout);
    }

    /** The header's opcode (bits 1 to 4 of the third octet) is UPDATE. */
    private static boolean isUpdate(byte[] wire) {
      return wire.length > 2 && ParsedRequest.opcode(wire) == org.xbill.DNS.Opcode.UPDATE;
    }

    @Override
    public Future<DnsExchange> handle(DnsExchange exchange) {
      return vertx
          .eventBus()
          .<DnsExchange>request(Addresses.ZONE_CLUSTER, exchange, options(exchange))
          .onFailure(failed -> counters.increment("failed"))
          .map(
              reply -> {
                counters.increment("handed-over");
                DnsExchange answered =
                    ResponseStreams.attached(vertx, reply.body(), timeoutMillis, true);
                // The signer stays on this node (it holds the key); the way back signs with it.
                return exchange.responseSigner() == null
                    ? answered
                    : answered.withResponseSigner(exchange.responseSigner());
              });
    }
  }
}
