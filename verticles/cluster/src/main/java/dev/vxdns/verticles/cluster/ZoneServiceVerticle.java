package dev.vxdns.verticles.cluster;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsExchangeCodec;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.ResponseStreams;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageCounters;
import dev.vxdns.message.StageRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * A zone node's service to edge nodes: consumes {@value Addresses#ZONE_CLUSTER} cluster-wide (the
 * only address a node offers to the others; everything else stays node-local) and answers each
 * exchange with this node's zone stage, as found in the stage registry at that moment (so a zone
 * redeploy is followed). Only the zone stage's forward step runs here: the response steps the
 * exchange carries (auth's signature) belong to the edge node that sent it. A transfer's further
 * messages are served cluster-wide for the edge to pull ({@link ResponseStreams}). Deployed with
 * one instance per event loop, so the edges' load spreads over this node's cores.
 */
public final class ZoneServiceVerticle extends AbstractVerticle {
  private static final String METRIC = "vxdns_zone_service_exchanges";

  private MessageConsumer<DnsExchange> consumer;
  private MessageConsumer<Object> stats;
  private StageCounters counters;

  @Override
  public void start(Promise<Void> started) {
    DnsExchangeCodec.registerOn(vertx);
    MeterRegistry registry = NodeMetrics.of(vertx).registry();
    counters =
        new StageCounters(
            registry,
            METRIC,
            "exchanges this zone node answered for edge nodes, by result",
            result -> Tags.of("result", result));
    consumer = vertx.eventBus().consumer(Addresses.ZONE_CLUSTER, this::serve);
    // Every instance answers with the node's totals: the counters live in the node's registry.
    stats =
        vertx
            .eventBus()
            .localConsumer(Addresses.STATS_CLUSTER, request -> request.reply(totals(registry)));
    Future.all(consumer.completion(), stats.completion()).<Void>mapEmpty().onComplete(started);
  }

  private static JsonObject totals(MeterRegistry registry) {
    JsonObject totals = new JsonObject();
    for (Counter counter : registry.find(METRIC).counters()) {
      totals.put(counter.getId().getTag("result"), (long) counter.count());
    }
    return totals;
  }

  private void serve(Message<DnsExchange> message) {
    Stage zone = StageRegistry.of(vertx).find(Addresses.ZONE_QUERY);
    if (zone == null) {
      counters.increment("failed");
      message.fail(503, "no zone stage on this node");
      return;
    }
    Future<DnsExchange> answered;
    try {
      answered =
          zone.handle(message.body()).compose(done -> ResponseStreams.exported(vertx, done, true));
    } catch (RuntimeException e) {
      answered = Future.failedFuture(e);
    }
    answered.onComplete(
        done -> {
          counters.increment(done.succeeded() ? "answered" : "failed");
          if (done.succeeded()) {
            message.reply(done.result(), DnsExchangeCodec.DELIVERY);
          } else {
            message.fail(500, String.valueOf(done.cause()));
          }
        });
  }

  @Override
  public void stop(Promise<Void> stopped) {
    Future.all(consumer.unregister(), stats.unregister()).<Void>mapEmpty().onComplete(stopped);
  }
}
