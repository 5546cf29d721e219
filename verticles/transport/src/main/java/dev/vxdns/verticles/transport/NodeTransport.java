package dev.vxdns.verticles.transport;

import dev.vxdns.proxyprotocol.ProxyDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's Vert.x transport: the native (or NIO) transport, plus per-listener hooks on the
 * channels Vert.x accepts, for what Vert.x's own servers cannot do.
 *
 * <ul>
 *   <li>A PROXY v2 header in clear before the TLS handshake ({@code proxy plain} on DoT, DoH and
 *       h2c) or between the handshake and the first HTTP bytes ({@code proxy encrypted} on DoH):
 *       Vert.x finishes the handshake and sets up HTTP before a connection reaches our code, so the
 *       header would be read as TLS or HTTP. A {@link ProxyHeaderReader} in the right place of the
 *       pipeline decodes it once, leaves it on the channel and steps aside; the proxy stage judges
 *       it with every query, exactly as for Do53 over TCP.
 *   <li>Bounds on HTTP connections ({@link HttpConnectionGuard}): a cap per listener, and BIND's
 *       initial and idle timeouts counted from completed requests, not from bytes, so a client
 *       cannot hold a connection by trickling bytes or PINGs.
 *   <li>The {@code blackhole} list at accept on listeners without PROXY: a blackholed source's
 *       connection is closed before it takes a place or a timer.
 *   <li>An unbracketed IPv6 {@code :authority} on HTTP/2 ({@link Http2AuthorityFix}), as BIND
 *       9.20's dig sends it to an IPv6 server, bracketed so that Vert.x does not reset the stream.
 * </ul>
 *
 * <p>A listener announces its hooks with {@link #announce} before it listens; when Vert.x binds
 * that host and port, every accepted channel gets them. Servers that were not announced keep the
 * delegate's behaviour.
 */
public final class NodeTransport implements io.vertx.core.transport.Transport {
  private static final System.Logger LOG = System.getLogger(NodeTransport.class.getName());

  /** Where in the connection the PROXY header is. */
  enum Placement {
    /** No header. */
    NONE,
    /** In clear, before the TLS handshake (or before HTTP on a listener without TLS). */
    BEFORE_TLS,
    /** The first bytes inside TLS, before HTTP. */
    INSIDE_TLS
  }

  /**
   * What the channels of one listener get.
   *
   * @param proxyHeader where the PROXY header is, if the transport must read it
   * @param proxyDecoder the listener's PROXY header decoder (its largest header), shared by its
   *     channels
   * @param initialTimeoutMillis how long the header may take
   * @param maxConnections the listener's cap on open connections ({@code tcp-clients} or {@code
   *     http-listener-clients})
   * @param http bounds on HTTP connections, or null for a listener that bounds its own
   * @param blackhole the sources closed at accept, before they take a place under the cap
   * @param transport the listener's transport, for the blackhole's {@code transport} elements
   * @param owner the listener (one deployment's, shared by its instances) that announced them
   */
  record ListenerHooks(
      Placement proxyHeader,
      ProxyDecoder proxyDecoder,
      long initialTimeoutMillis,
      int maxConnections,
      HttpConnectionGuard.Limits http,
      SourceFilter blackhole,
      dev.vxdns.message.Transport transport,
      Listener owner) {}

  private final io.vertx.core.transport.Transport base;
  private final Hooked implementation;
  private final Map<String, ListenerHooks> announced = new ConcurrentHashMap<>();
  private final LongAdder blackholedAtAccept = new LongAdder();

  private NodeTransport(io.vertx.core.transport.Transport base) {
    this.base = base;
    this.implementation = new Hooked(base.implementation());
  }

  /** Wraps the native transport when it is available, else NIO. */
  public static NodeTransport preferNative() {
    io.vertx.core.transport.Transport nativeTransport =
        io.vertx.core.transport.Transport.nativeTransport();
    boolean usable = nativeTransport != null && nativeTransport.available();
    return new NodeTransport(usable ? nativeTransport : io.vertx.core.transport.Transport.NIO);
  }

  /** The instance {@code vertx} was built with, if it was. */
  public static Optional<NodeTransport> of(Vertx vertx) {
    io.vertx.core.spi.transport.Transport transport = ((VertxInternal) vertx).transport();
    return transport instanceof Hooked hooked ? Optional.of(hooked.owner()) : Optional.empty();
  }

  /** What the next server bound on {@code host} and {@code port} puts on its channels. */
  void announce(String host, int port, ListenerHooks hooks) {
    announced.put(key(host, port), hooks);
  }

  /**
   * Forgets what {@code host} and {@code port} announced, unless a later listener (a redeploy's new
   * instances) announced again meanwhile.
   */
  void withdraw(String host, int port, ListenerHooks hooks) {
    // By identity: a successor's hooks may be equal in content.
    announced.computeIfPresent(
        key(host, port), (key, current) -> current == hooks ? null : current);
  }

  /**
   * Whether another deployment than the one of {@code hooks} announced {@code host} and {@code
   * port} last: a redeploy's successor serves them, so the instances of {@code hooks} are replaced,
   * not stopped.
   */
  boolean announcedByAnother(String host, int port, ListenerHooks hooks) {
    ListenerHooks current = announced.get(key(host, port));
    // By identity: a successor's listener is equal in content.
    return current != null && current.owner() != hooks.owner();
  }

  /** Connections closed at accept because their source is blackholed, since the node started. */
  public long blackholedAtAccept() {
    return blackholedAtAccept.sum();
  }

  private static String key(String host, int port) {
    return host + "#" + port;
  }

  @Override
  public String name() {
    return base.name();
  }

  @Override
  public boolean available() {
    return base.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return base.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return implementation;
  }

  /**
   * Puts the hooks around what Vert.x sets up on each accepted channel. Shared by every channel of
   * one server, as the Vert.x initializer it wraps; so is the count of its connections.
   */
  @ChannelHandler.Sharable
  private static final class Around extends ChannelInitializer<Channel> {
    private final ChannelHandler vertxInitializer;
    private final ListenerHooks bound;
    private final Map<String, ListenerHooks> announced;
    private final String key;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final LongAdder blackholed;

    Around(
        ChannelHandler vertxInitializer,
        ListenerHooks bound,
        Map<String, ListenerHooks> announced,
        String key,
        LongAdder blackholed) {
      this.vertxInitializer = vertxInitializer;
      this.bound = bound;
      this.announced = announced;
      this.key = key;
      this.blackholed = blackholed;
    }

    @Override
    protected void initChannel(Channel channel) {
      // The latest announcement: a listener redeployed on the shared server (a new PROXY mode,
      // new limits) applies to new connections; the hooks of the bind if it was withdrawn.
      ListenerHooks hooks = announced.getOrDefault(key, bound);
      if (channel.remoteAddress() instanceof InetSocketAddress remote
          && channel.localAddress() instanceof InetSocketAddress local
          && hooks.blackhole().refuses(remote.getAddress(), local.getPort(), hooks.transport())) {
        // Before the cap counts it and before Vert.x sees it: no TLS handshake, no timer, no place.
        blackholed.increment();
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
          LOG.log(
              System.Logger.Level.DEBUG,
              "{0}: blackholed; closed at accept ({1} so far)",
              remote,
              blackholed.sum());
        }
        channel.close();
        return;
      }
      channel
          .pipeline()
          .addLast(ConnectionCap.NAME, new ConnectionCap(hooks.maxConnections(), openConnections));
      if (!channel.isOpen()) {
        return;
      }
      if (hooks.http() != null) {
        channel.pipeline().addLast(HttpConnectionGuard.NAME, new HttpConnectionGuard(hooks.http()));
      }
      if (hooks.proxyHeader() == Placement.BEFORE_TLS) {
        channel
            .pipeline()
            .addLast(
                ProxyHeaderReader.NAME,
                new ProxyHeaderReader(hooks.proxyDecoder(), hooks.initialTimeoutMillis()));
      }
      boolean clearHttp = hooks.http() != null;
      if (clearHttp) {
        // Before Vert.x's handlers; on TLS it moves behind "ssl" below.
        channel.pipeline().addLast(Http2AuthorityFix.NAME, new Http2AuthorityFix());
      }
      // The channel is registered, so Vert.x's initializer runs at once and adds "ssl" when TLS is
      // on.
      channel.pipeline().addLast(vertxInitializer);
      if (clearHttp && channel.pipeline().get("ssl") != null) {
        channel.pipeline().remove(Http2AuthorityFix.NAME);
        channel.pipeline().addAfter("ssl", Http2AuthorityFix.NAME, new Http2AuthorityFix());
      }
      if (hooks.proxyHeader() == Placement.INSIDE_TLS) {
        if (channel.pipeline().get("ssl") == null) {
          channel.close();
          return;
        }
        channel
            .pipeline()
            .addAfter(
                "ssl",
                ProxyHeaderReader.NAME,
                new ProxyHeaderReader(hooks.proxyDecoder(), hooks.initialTimeoutMillis()));
      }
    }
  }

  /** The delegate's SPI, with the hook when a server is bound. */
  private final class Hooked implements io.vertx.core.spi.transport.Transport {
    private final io.vertx.core.spi.transport.Transport delegate;

    Hooked(io.vertx.core.spi.transport.Transport delegate) {
      this.delegate = delegate;
    }

    NodeTransport owner() {
      return NodeTransport.this;
    }

    @Override
    public void configure(
        NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      delegate.configure(options, domainSocket, bootstrap);
      String key = key(options.getHost(), options.getPort());
      ListenerHooks hooks = announced.get(key);
      if (hooks != null) {
        bootstrap.childHandler(
            new Around(
                bootstrap.config().childHandler(), hooks, announced, key, blackholedAtAccept));
      }
    }

    @Override
    public boolean supportsDomainSockets() {
      return delegate.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
      return delegate.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
      return delegate.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
      return delegate.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
      return delegate.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
      return delegate.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(
        int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
      return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
      return delegate.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
      return delegate.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
      return delegate.channelFactory(domainSocket);
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
      return delegate.serverChannelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
      delegate.configure(channel, options);
    }

    @Override
    public void configure(
        ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
      delegate.configure(options, connectTimeout, domainSocket, bootstrap);
    }
  }
}
