package dev.vxdns.verticles.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps a listener's connections from the moment they are accepted: {@code tcp-clients} on Do53 TCP
 * and DoT, {@code http-listener-clients} on DoH and h2c. Counting at accept, not when Vert.x hands
 * over a connection after the TLS handshake, bounds the half-open handshakes as well: each may take
 * up to {@code tcp-initial-timeout}. A connection beyond the cap is closed at once; a closed one
 * gives its place back.
 *
 * <p>Sits at the head of the channel's pipeline and lets every event through.
 */
final class ConnectionCap extends ChannelInboundHandlerAdapter {
  static final String NAME = "vxdns-connection-cap";
  private static final System.Logger LOG = System.getLogger(ConnectionCap.class.getName());

  private final int maxConnections;
  private final AtomicInteger open;
  private boolean counted;

  /**
   * @param open the listener's count of open connections, shared by all its channels
   */
  ConnectionCap(int maxConnections, AtomicInteger open) {
    this.maxConnections = maxConnections;
    this.open = open;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0}: {1} connections open on this listener; closing",
          context.channel().remoteAddress(),
          maxConnections);
      context.close();
      return;
    }
    counted = true;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext context) {
    if (counted) {
      counted = false;
      open.decrementAndGet();
    }
  }
}
