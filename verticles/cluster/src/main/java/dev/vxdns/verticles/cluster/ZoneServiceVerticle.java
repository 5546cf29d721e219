package dev.vxdns.verticles.cluster;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsExchangeCodec;
import dev.vxdns.message.ResponseStreams;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageRegistry;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

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
  private MessageConsumer<DnsExchange> consumer;

  @Override
  public void start(Promise<Void> started) {
    DnsExchangeCodec.registerOn(vertx);
    consumer = vertx.eventBus().consumer(Addresses.ZONE_CLUSTER, this::serve);
    consumer.completion().onComplete(started);
  }

  private void serve(Message<DnsExchange> message) {
    Stage zone = StageRegistry.of(vertx).find(Addresses.ZONE_QUERY);
    if (zone == null) {
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
          if (done.succeeded()) {
            message.reply(done.result(), DnsExchangeCodec.DELIVERY);
          } else {
            message.fail(500, String.valueOf(done.cause()));
          }
        });
  }

  @Override
  public void stop(Promise<Void> stopped) {
    consumer.unregister().onComplete(stopped);
  }
}
