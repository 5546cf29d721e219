package dev.vxdns.verticles.zone;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.StageRegistry;
import dev.vxdns.message.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/**
 * What the zone verticle's tests ask of a deployed verticle: a message handed to its registered
 * stage as a transport hands one over (from 127.0.0.1), and the answer.
 */
final class ZoneStageCalls {
  private ZoneStageCalls() {}

  /** The future's result, waited for up to 10 seconds. */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The registered zone stage's handling of {@code message} received over {@code transport}. */
  static Future<DnsExchange> send(Vertx vertx, Message message, Transport transport) {
    DnsExchange exchange =
        DnsExchange.received(
            transport,
            "t",
            new InetSocketAddress("127.0.0.1", 1),
            new InetSocketAddress("127.0.0.1", 53),
            message.toWire());
    return StageRegistry.of(vertx).find(Addresses.ZONE_QUERY).handle(exchange);
  }

  /** {@link #send}'s answer, once given. */
  static Message answer(Vertx vertx, Message message, Transport transport) throws Exception {
    return await(send(vertx, message, transport)).responseMessage();
  }
}
