package dev.vxdns.verticles.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One DoQ connection (a QUIC connection, RFC 9250): counted towards the listener's cap from the
 * client's first packet, closed when its handshake and first query do not come within {@code
 * tcp-initial-timeout}, otherwise left to QUIC's idle timeout ({@code tcp-idle-timeout}). Each of
 * its client-initiated bidirectional streams is one {@link DoqStream}.
 *
 * <p>Runs on the verticle's event loop (the QUIC channels of a datagram socket share its loop).
 */
final class DoqConnection extends ChannelInboundHandlerAdapter {
  /** What the connection reports back to its verticle. */
  interface Owner {
    /** A new connection: false when it must be refused (cap reached, blackholed source). */
    boolean opened(DoqConnection connection);

    void established(DoqConnection connection);

    void closed(DoqConnection connection);

    /** Logs an event at debug level with how often it happened on this verticle instance. */
    void count(String event, DoqConnection connection, String detail);
  }

  private final Owner owner;
  private final ListenerSetup setup;
  private QuicChannel channel;
  private InetSocketAddress source;
  private InetSocketAddress destination;
  private boolean counted;
  private boolean established;
  private boolean sawQuery;
  private boolean closing;
  private ScheduledFuture<?> initialTimer;

  DoqConnection(Owner owner, ListenerSetup setup) {
    this.owner = owner;
    this.setup = setup;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    channel = (QuicChannel) context.channel();
    source = (InetSocketAddress) channel.remoteSocketAddress();
    destination = (InetSocketAddress) channel.localSocketAddress();
    if (!owner.opened(this)) {
      closing = true;
      channel.close(true, DoqError.EXCESSIVE_LOAD, Unpooled.EMPTY_BUFFER);
      return;
    }
    counted = true;
    initialTimer =
        channel
            .eventLoop()
            .schedule(
                this::onInitialTimeout,
                setup.options().tcp().initialTimeoutMillis(),
                TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    // A server's QUIC channel becomes active when its handshake completes.
    established = true;
    if (counted) {
      owner.established(this);
    }
    context.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    if (initialTimer != null) {
      initialTimer.cancel(false);
    }
    if (counted) {
      counted = false;
      owner.closed(this);
    }
    context.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    owner.count("connection error", this, cause.toString());
    close(DoqError.INTERNAL_ERROR, "internal error");
  }

  private void onInitialTimeout() {
    if (!established) {
      owner.count("handshake timeout", this, "no handshake within tcp-initial-timeout");
      closing = true;
      channel.close();
    } else if (!sawQuery) {
      owner.count("initial timeout", this, "no query within tcp-initial-timeout");
      close(DoqError.NO_ERROR, "no query");
    }
  }

  /** A new stream carries a query: the connection is in use. */
  void queryArrived() {
    sawQuery = true;
  }

  /** RFC 9250 section 4.3.3: a protocol error aborts the whole connection. */
  void protocolError(String reason) {
    owner.count("protocol error", this, reason);
    close(DoqError.PROTOCOL_ERROR, reason);
  }

  /** Closes with a DoQ error code (an application CONNECTION_CLOSE) and a short reason. */
  void close(int error, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    channel.close(true, error, Unpooled.wrappedBuffer(reason.getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Queries in QUIC 0-RTT arrive before the handshake completes: replayable by an attacker (RFC
   * 9250 section 4.5).
   */
  boolean inEarlyData() {
    return !established;
  }

  boolean isClosing() {
    return closing;
  }

  boolean isEstablished() {
    return established;
  }

  InetSocketAddress source() {
    return source;
  }

  InetSocketAddress destination() {
    return destination;
  }

  ListenerSetup setup() {
    return setup;
  }

  Owner owner() {
    return owner;
  }
}
