package dev.vxdns.message;

import io.vertx.core.Future;

/**
 * One step of the query pipeline (proxy, auth, acl, zone).
 *
 * <p>A stage is immutable and thread-safe: the same object serves its event-bus consumer and is
 * called directly by every transport's event loop through the {@link StageRegistry}. Stages that
 * finish synchronously return an already completed future, which the {@link StageChain} follows
 * without scheduling anything.
 */
@FunctionalInterface
public interface Stage {
  /** The forward step: the exchange for the next stage, or a finished one. */
  Future<DnsExchange> handle(DnsExchange exchange);

  /**
   * The way back: called with the finished exchange when {@link #handle} asked for it with {@link
   * DnsExchange#withResponseStep}. How the auth stage signs responses with the request's key.
   */
  default Future<DnsExchange> onResponse(DnsExchange answered) {
    return Future.succeededFuture(answered);
  }
}
