package dev.vxdns.verticles.transport;

import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

/**
 * Puts a Netty datagram channel (UDP, or DoQ's QUIC codec) on a verticle's own event loop and binds
 * it to its listener's address: the channel's reads then run on that loop, so a query never changes
 * event loop.
 */
final class DatagramBinding {
  private DatagramBinding() {}

  /**
   * Registers {@code channel} on {@code context}'s event loop and binds it; fails with "{@code kind
   * name}: cannot bind: why" (and closes the channel) when the address is taken or missing.
   */
  static Future<Void> bind(
      ContextInternal context, DatagramChannel channel, ListenerConfig listener, String kind) {
    Promise<Void> bound = Promise.promise();
    context
        .nettyEventLoop()
        .register(channel)
        .addListener(
            registered -> {
              if (!registered.isSuccess()) {
                bound.fail(registered.cause());
                return;
              }
              channel
                  .bind(listener.socketAddress())
                  .addListener(
                      done -> {
                        if (done.isSuccess()) {
                          bound.complete();
                        } else {
                          channel.close();
                          bound.fail(
                              new IllegalStateException(
                                  kind
                                      + " "
                                      + listener.name()
                                      + ": cannot bind: "
                                      + done.cause().getMessage(),
                                  done.cause()));
                        }
                      });
            });
    return bound.future();
  }
}
