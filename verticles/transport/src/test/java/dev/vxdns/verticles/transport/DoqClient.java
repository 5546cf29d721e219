package dev.vxdns.verticles.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A DNS over QUIC client on Netty's QUIC codec, for what kdig cannot send: raw stream bytes
 * (non-zero Message IDs, missing length prefixes, streams left open), another ALPN, and a whole
 * zone transfer on one stream, a reader that stops reading. Trusts any certificate (the tests check
 * the transport, not the PKI). Shared with tests/end-to-end in this module's test jar.
 */
public final class DoqClient implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel datagrams;
  public final QuicChannel connection;

  /** How the server closed the connection, when it did so with CONNECTION_CLOSE. */
  public final CompletableFuture<QuicConnectionCloseEvent> closedBy = new CompletableFuture<>();

  private DoqClient(EventLoopGroup group, Channel datagrams, QuicChannel connection) {
    this.group = group;
    this.datagrams = datagrams;
    this.connection = connection;
  }

  public static DoqClient connect(int port) throws Exception {
    return connect(port, "doq", 30_000);
  }

  /** Connects to 127.0.0.1:{@code port} offering {@code alpn}; fails when the handshake fails. */
  public static DoqClient connect(int port, String alpn, long idleMillis) throws Exception {
    return connect(port, alpn, idleMillis, 16 << 20);
  }

  /**
   * Like {@link #connect(int, String, long)}, taking at most {@code streamWindow} bytes on a stream
   * before it reads them (QUIC's initial_max_stream_data_bidi_local).
   */
  public static DoqClient connect(int port, String alpn, long idleMillis, long streamWindow)
      throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      QuicSslContext ssl =
          QuicSslContextBuilder.forClient()
              .trustManager(InsecureTrustManagerFactory.INSTANCE)
              .applicationProtocols(alpn)
              .build();
      ChannelHandler codec =
          new QuicClientCodecBuilder()
              .sslContext(ssl)
              .maxIdleTimeout(idleMillis, TimeUnit.MILLISECONDS)
              .initialMaxData(16 << 20)
              .initialMaxStreamDataBidirectionalLocal(streamWindow)
              .build();
      Channel datagrams =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(codec)
              .bind(0)
              .sync()
              .channel();
      CompletableFuture<QuicConnectionCloseEvent> closedBy = new CompletableFuture<>();
      QuicChannel connection =
          QuicChannel.newBootstrap(datagrams)
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                      if (event instanceof QuicConnectionCloseEvent close) {
                        closedBy.complete(close);
                      }
                      ctx.fireUserEventTriggered(event);
                    }
                  })
              .streamHandler(new ChannelInboundHandlerAdapter())
              .remoteAddress(new InetSocketAddress("127.0.0.1", port))
              .connect()
              .get(10, TimeUnit.SECONDS);
      DoqClient client = new DoqClient(group, datagrams, connection);
      closedBy.whenComplete((event, error) -> client.closedBy.complete(event));
      return client;
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The messages of one query: the length-prefixed query on a new stream, then FIN. */
  public List<byte[]> query(byte[] message) throws Exception {
    return messages(send(framed(message), true).get(10, TimeUnit.SECONDS));
  }

  /**
   * Opens a stream, writes {@code bytes} (and FIN when {@code fin}); the future completes with all
   * the bytes the server sent once it ends its side, and fails when it resets the stream or the
   * connection closes first.
   */
  public CompletableFuture<byte[]> send(byte[] bytes, boolean fin) throws Exception {
    return send(bytes, fin, true);
  }

  /**
   * Like {@link #send} with FIN, reading everything the server sends but keeping none of it (the
   * future completes with no bytes): for endless answers.
   */
  public CompletableFuture<byte[]> sendAndDiscard(byte[] bytes) throws Exception {
    return send(bytes, true, false);
  }

  private CompletableFuture<byte[]> send(byte[] bytes, boolean fin, boolean keep) throws Exception {
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    try {
      open(connection, bytes, fin, done, keep).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new java.util.concurrent.TimeoutException(
          "stream not written in 10 s: connection active "
              + connection.isActive()
              + ", streams the server allows "
              + connection.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL)
              + ", "
              + connection.collectStats().get(5, TimeUnit.SECONDS));
    }
    return done;
  }

  /**
   * Opens a stream on {@code connection} without blocking (usable on its event loop, e.g. for 0-RTT
   * when SslEarlyDataReadyEvent fires) and writes {@code bytes}; {@code done} gets what the server
   * sends on it. The returned future completes once the bytes are written.
   */
  public static io.netty.util.concurrent.Future<QuicStreamChannel> open(
      QuicChannel connection, byte[] bytes, boolean fin, CompletableFuture<byte[]> done) {
    return open(connection, bytes, fin, done, true);
  }

  private static io.netty.util.concurrent.Future<QuicStreamChannel> open(
      QuicChannel connection,
      byte[] bytes,
      boolean fin,
      CompletableFuture<byte[]> done,
      boolean keep) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    io.netty.util.concurrent.Promise<QuicStreamChannel> written =
        connection.eventLoop().newPromise();
    connection
        .newStreamBootstrap()
        .type(QuicStreamType.BIDIRECTIONAL)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .handler(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf buf = (ByteBuf) msg;
                if (keep) {
                  byte[] chunk = new byte[buf.readableBytes()];
                  buf.readBytes(chunk);
                  received.writeBytes(chunk);
                }
                buf.release();
              }

              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                if (event instanceof ChannelInputShutdownEvent) {
                  done.complete(received.toByteArray());
                }
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                done.completeExceptionally(cause);
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                done.completeExceptionally(
                    new IllegalStateException(
                        "stream closed after " + received.size() + " bytes, without FIN"));
              }
            })
        .create()
        .addListener(
            created -> {
              if (!created.isSuccess()) {
                written.setFailure(created.cause());
                done.completeExceptionally(created.cause());
                return;
              }
              QuicStreamChannel stream = (QuicStreamChannel) created.getNow();
              stream
                  .writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(bytes), fin))
                  .addListener(
                      sent -> {
                        if (sent.isSuccess()) {
                          written.setSuccess(stream);
                        } else {
                          written.setFailure(sent.cause());
                        }
                      });
            });
    return written;
  }

  /**
   * Opens a stream, writes {@code bytes} and FIN, and never reads what comes back: once the
   * stream's window is full, the server can send no more on it.
   */
  public QuicStreamChannel sendAndReadNothing(byte[] bytes) throws Exception {
    QuicStreamChannel stream =
        connection
            .newStreamBootstrap()
            .type(QuicStreamType.BIDIRECTIONAL)
            .option(ChannelOption.AUTO_READ, false)
            .handler(new ChannelInboundHandlerAdapter())
            .create()
            .get(10, TimeUnit.SECONDS);
    stream
        .writeAndFlush(new DefaultQuicStreamFrame(Unpooled.wrappedBuffer(bytes), true))
        .get(10, TimeUnit.SECONDS);
    return stream;
  }

  public static byte[] framed(byte[] message) {
    byte[] out = new byte[message.length + 2];
    out[0] = (byte) (message.length >> 8);
    out[1] = (byte) message.length;
    System.arraycopy(message, 0, out, 2, message.length);
    return out;
  }

  /** Splits a stream's bytes into its length-prefixed messages. */
  public static List<byte[]> messages(byte[] stream) {
    List<byte[]> messages = new ArrayList<>();
    int at = 0;
    while (at + 2 <= stream.length) {
      int length = ((stream[at] & 0xff) << 8) | (stream[at + 1] & 0xff);
      if (at + 2 + length > stream.length) {
        throw new IllegalStateException("a message cut short at byte " + at);
      }
      byte[] message = new byte[length];
      System.arraycopy(stream, at + 2, message, 0, length);
      messages.add(message);
      at += 2 + length;
    }
    if (at != stream.length) {
      throw new IllegalStateException(stream.length - at + " stray bytes at the end");
    }
    return messages;
  }

  @Override
  public void close() {
    try {
      connection.close().await(2, TimeUnit.SECONDS);
      datagrams.close().await(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
