package dev.vxdns.verticles.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;

/**
 * DNS over QUIC (RFC 9250) on Netty's QUIC codec (quiche), on this verticle's own event loop: a
 * datagram socket per instance (SO_REUSEPORT with the native transport, so the kernel keeps each
 * client's packets on one instance), TLS 1.3 with ALPN {@code doq} and the listener's PEM
 * certificate (loaded as DoT loads it), one query per stream ({@link DoqStream}), the listener's
 * chain run directly on this event loop.
 *
 * <p>Limits, as for DoT: {@code tcp-clients} connections per listener (each instance takes its
 * share, counted from a client's first packet, so handshakes in progress count), {@code
 * tcp-initial-timeout} for the handshake and first query, {@code tcp-idle-timeout} as QUIC's idle
 * timeout; {@code doq-streams-per-connection} queries open per connection (QUIC's stream limit);
 * QUIC flow control holds a stream to one largest query. Under a handshake flood ({@code
 * doq-retry-threshold} handshakes in progress on this instance) new clients must first validate
 * their address with a Retry ({@link RetryTokens}). 0-RTT is off unless {@code doq-early-data}.
 */
public final class DoqTransportVerticle extends AbstractVerticle implements DoqConnection.Owner {
  private static final System.Logger LOG = System.getLogger(DoqTransportVerticle.class.getName());

  /** ALPN of DNS over QUIC (RFC 9250 section 4.1.1). */
  public static final String ALPN = "doq";

  /** Bytes of one stream the client may send: one largest query and its prefix. */
  static final long STREAM_WINDOW = 2 + 65535;

  /** Bytes of one connection in flight towards the server, over all its streams. */
  static final long CONNECTION_WINDOW = 1 << 20;

  /** How long a stopping instance keeps its socket after closing its connections. */
  private static final long CLOSE_GRACE_MILLIS = 100;

  private final Listener served;
  private ListenerSetup setup;
  private DatagramChannel channel;
  private int connectionCap;
  private final Set<DoqConnection> connections = new HashSet<>();
  private int handshaking;

  /**
   * Per-instance event counts for the debug log; this verticle's event loop is their only writer.
   */
  private final Map<String, Long> events = new HashMap<>();

  /** Written on this verticle's event loop only; read by tests and operators from anywhere. */
  private final AtomicLong retries = new AtomicLong();

  private final AtomicLong refused = new AtomicLong();

  public DoqTransportVerticle(Listener listener) {
    this.served = listener;
  }

  @Override
  public void start(Promise<Void> started) {
    ChannelHandler codec;
    try {
      setup = ListenerSetup.of(vertx, served);
      codec = codec(sslContext());
    } catch (Exception e) {
      started.fail(e);
      return;
    }
    ListenerConfig listener = setup.listener();
    connectionCap = Math.max(1, setup.options().tcp().clients() / served.instances());
    ContextInternal ctx = (ContextInternal) context;
    InternetProtocolFamily family =
        listener.address() instanceof Inet6Address
            ? InternetProtocolFamily.IPv6
            : InternetProtocolFamily.IPv4;
    channel = ((VertxInternal) vertx).transport().datagramChannel(family);
    boolean epoll = channel.config().getOptions().containsKey(EpollChannelOption.SO_REUSEPORT);
    if (epoll) {
      channel.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
    }
    channel.pipeline().addLast(codec);
    DatagramBinding.bind(ctx, channel, listener, "doq")
        .onSuccess(
            v ->
                LOG.log(
                    System.Logger.Level.INFO,
                    "doq {0}: listening, up to {1} connections on this instance",
                    listener.name(),
                    connectionCap))
        .onComplete(started);
  }

  /** The listener's PEM certificate and key, read by Vert.x exactly as for DoT. */
  private QuicSslContext sslContext() throws Exception {
    TlsConfig tls = setup.listener().tls();
    KeyManagerFactory keys =
        new PemKeyCertOptions()
            .setCertPath(tls.certFile().toString())
            .setKeyPath(tls.keyFile().toString())
            .getKeyManagerFactory(vertx);
    return QuicSslContextBuilder.forServer(keys, null)
        .applicationProtocols(ALPN)
        .earlyData(setup.options().doq().earlyData())
        .build();
  }

  private ChannelHandler codec(QuicSslContext ssl) {
    DoqOptions doq = setup.options().doq();
    ContextInternal ctx = (ContextInternal) context;
    return new QuicServerCodecBuilder()
        .sslContext(ssl)
        .maxIdleTimeout(setup.options().tcp().idleTimeoutMillis(), TimeUnit.MILLISECONDS)
        .initialMaxData(CONNECTION_WINDOW)
        .initialMaxStreamDataBidirectionalRemote(STREAM_WINDOW)
        // Responses are sent on the client's streams: the server opens none.
        .initialMaxStreamDataBidirectionalLocal(0)
        .initialMaxStreamsBidirectional(doq.streamsPerConnection())
        .initialMaxStreamsUnidirectional(0)
        .activeMigration(false)
        .tokenHandler(
            new RetryTokens(() -> handshaking >= doq.retryThreshold(), retries::incrementAndGet))
        .handler(
            new ChannelInitializer<QuicChannel>() {
              @Override
              protected void initChannel(QuicChannel connection) {
                connection.pipeline().addLast(new DoqConnection(DoqTransportVerticle.this, setup));
              }
            })
        // A client's FIN must not close the stream before the response is written.
        .streamOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .streamHandler(
            new ChannelInitializer<QuicStreamChannel>() {
              @Override
              protected void initChannel(QuicStreamChannel stream) {
                DoqConnection connection = stream.parent().pipeline().get(DoqConnection.class);
                if (connection == null || connection.isClosing()) {
                  stream.close();
                  return;
                }
                stream.pipeline().addLast(new DoqStream(connection, ctx));
              }
            })
        .build();
  }

  @Override
  public boolean opened(DoqConnection connection) {
    if (connections.size() >= connectionCap) {
      refused.incrementAndGet();
      count("refused: tcp-clients reached", connection, connections.size() + " open");
      return false;
    }
    InetSocketAddress source = connection.source();
    if (setup
        .blackhole()
        .refuses(source.getAddress(), setup.listener().port(), setup.listener().transport())) {
      count("refused: blackhole", connection, "at the first packet");
      return false;
    }
    connections.add(connection);
    handshaking++;
    return true;
  }

  @Override
  public void established(DoqConnection connection) {
    handshaking--;
  }

  @Override
  public void closed(DoqConnection connection) {
    if (connections.remove(connection) && !connection.isEstablished()) {
      handshaking--;
    }
  }

  @Override
  public void count(String event, DoqConnection connection, String detail) {
    long count = events.merge(event, 1L, Long::sum);
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "doq {0}: {1} from {2} ({3} so far): {4}",
          setup.listener().name(),
          event,
          connection.source(),
          count,
          detail);
    }
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int boundPort() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Retry packets sent so far (address validation under a handshake flood). */
  public long retriesSent() {
    return retries.get();
  }

  /** Connections refused so far at their first packet (the cap). */
  public long connectionsRefused() {
    return refused.get();
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (channel == null) {
      stopped.complete();
      return;
    }
    // The event loop owns the connections: close them there, each with DOQ_NO_ERROR, and the
    // socket a moment later, once their CONNECTION_CLOSE frames are out.
    channel
        .eventLoop()
        .execute(
            () -> {
              for (DoqConnection connection : Set.copyOf(connections)) {
                connection.close(DoqError.NO_ERROR, "server stopping");
              }
              channel
                  .eventLoop()
                  .schedule(
                      () -> channel.close().addListener(closed -> stopped.complete()),
                      CLOSE_GRACE_MILLIS,
                      TimeUnit.MILLISECONDS);
            });
  }
}
