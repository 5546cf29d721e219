package dev.vxdns.verticles.extension;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsExchangeJson;
import dev.vxdns.message.Stage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A stage served outside the JVM, through the TCP event-bus bridge: the exchange goes as its JSON
 * form ({@link DnsExchangeJson}) to the address the external process registered, and its JSON reply
 * is the exchange for the next stage. The bridge only carries JSON, so this adapter is what the
 * pipeline calls (locally, like any stage) instead of sending the exchange's own codec there. No
 * answer within the timeout, or an answer that is not an exchange, fails the query (SERVFAIL).
 * While no external process has registered the address (not started yet, restarting) the step is
 * skipped: the exchange passes on unchanged, so a missing helper never takes the listener down.
 */
final class BridgedStage implements Stage {
  private final EventBus eventBus;
  private final String bridgeAddress;
  private final DeliveryOptions options;

  BridgedStage(EventBus eventBus, String bridgeAddress, long timeoutMillis) {
    this.eventBus = eventBus;
    this.bridgeAddress = bridgeAddress;
    this.options = new DeliveryOptions().setSendTimeout(timeoutMillis);
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    return eventBus
        .request(bridgeAddress, DnsExchangeJson.toJson(exchange), options)
        .map(
            reply -> {
              if (!(reply.body() instanceof JsonObject json)) {
                throw new IllegalArgumentException(
                    bridgeAddress + " answered " + reply.body() + ", not an exchange");
              }
              return DnsExchangeJson.fromJson(json);
            })
        .recover(
            failure ->
                failure instanceof ReplyException reply
                        && reply.failureType() == ReplyFailure.NO_HANDLERS
                    ? Future.succeededFuture(exchange)
                    : Future.failedFuture(failure));
  }
}
