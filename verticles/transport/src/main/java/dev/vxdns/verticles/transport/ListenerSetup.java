package dev.vxdns.verticles.transport;

import dev.vxdns.config.ConfigException;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.QueryMetrics;
import dev.vxdns.message.StageChain;
import dev.vxdns.message.Transport;
import dev.vxdns.proxyprotocol.ProxyDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * What a transport verticle serves: its listener (an entry of {@code listen-on} expanded per
 * transport), the transports' settings, the listener's chain of stages on this verticle's Vert.x,
 * and its one PROXY header decoder.
 *
 * @param proxyDecoder the listener's one PROXY header decoder, built from {@code
 *     proxy-max-header-size}: its connections' readers ({@link TcpConnection}, {@link
 *     ProxyHeaderReader}) all use it
 * @param queries this listener's query counters, latency and the query log ({@link QueryMetrics})
 */
record ListenerSetup(
    ListenerConfig listener,
    TransportSettings options,
    StageChain chain,
    ProxyDecoder proxyDecoder,
    SourceFilter blackhole,
    QueryMetrics queries) {
  private static final System.Logger LOG = System.getLogger(ListenerSetup.class.getName());

  static ListenerSetup of(Vertx vertx, Listener listener) {
    TransportSettings options = listener.settings();
    StageChain chain =
        new StageChain(
            vertx,
            listener.config().pipeline(),
            options.delivery(),
            options.pipelineTimeoutMillis());
    return new ListenerSetup(
        listener.config(),
        options,
        chain,
        ProxyDecoder.withMaxHeaderSize(listener.proxyMaxHeaderSize()),
        listener.blackhole(),
        NodeMetrics.of(vertx).queries(listener.config().name(), listener.config().transport()));
  }

  /**
   * Gives the listener's running server, which a redeployed instance may have joined (Vert.x's
   * shared accept), this instance's TLS material for new connections, by {@code update} (the
   * server's {@code updateSSLOptions}). The instances of a listener do it one at a time: in Vert.x
   * 5.0, a second update of one shared server that starts while the first is being set up can
   * recurse on the first's result without end and never complete, which left a node's start waiting
   * forever. A failed update leaves the running TLS in place and is logged.
   */
  Future<Void> adoptTls(Vertx vertx, java.util.function.Supplier<Future<Boolean>> update) {
    if (listener.tls() == null) {
      return Future.succeededFuture();
    }
    return vertx
        .sharedData()
        .getLocalLock(
            "vxdns.tls-update " + listener.transport().configName() + " " + listener.name())
        .compose(
            lock -> {
              Future<Boolean> updating;
              try {
                updating = update.get();
              } catch (RuntimeException e) {
                updating = Future.failedFuture(e);
              }
              return updating.transform(
                  updated -> {
                    lock.release();
                    if (updated.failed()) {
                      LOG.log(
                          System.Logger.Level.WARNING,
                          "{0} {1}: new TLS material not taken: {2}",
                          listener.transport().configName(),
                          listener.name(),
                          updated.cause().getMessage());
                    }
                    return Future.<Void>succeededFuture();
                  });
            });
  }

  /**
   * Where the node's transport must read this listener's PROXY header: before TLS for {@code plain}
   * on DoT, DoH and h2c, inside TLS for {@code encrypted} on DoH. Do53 over TCP and DoT with {@code
   * encrypted} read it from the DNS stream themselves ({@link TcpConnection}).
   */
  NodeTransport.Placement headerPlacement() {
    return switch (listener.proxy()) {
      case NONE -> NodeTransport.Placement.NONE;
      case PLAIN ->
          listener.transport() == Transport.TCP
              ? NodeTransport.Placement.NONE
              : NodeTransport.Placement.BEFORE_TLS;
      case ENCRYPTED ->
          listener.transport().isHttp()
              ? NodeTransport.Placement.INSIDE_TLS
              : NodeTransport.Placement.NONE;
    };
  }

  /**
   * Announces this listener's connection hooks to the node's transport, before it listens: where
   * the PROXY header is, the connection cap counted at accept ({@code tcp-clients}, or {@code
   * http-listener-clients} on DoH and h2c), and for DoH and h2c the timeouts. Fails when a header
   * needs the transport and {@code vertx} was built without it.
   */
  NodeTransport.ListenerHooks announceHooks(Vertx vertx, Listener owner) throws ConfigException {
    NodeTransport.ListenerHooks hooks =
        new NodeTransport.ListenerHooks(
            headerPlacement(),
            proxyDecoder,
            options.tcp().initialTimeoutMillis(),
            listener.transport().isHttp()
                ? options.tcp().httpListenerClients()
                : options.tcp().clients(),
            listener.transport().isHttp()
                ? new HttpConnectionGuard.Limits(
                    options.tcp().initialTimeoutMillis(), options.tcp().idleTimeoutMillis())
                : null,
            // With PROXY the real source is the proxy's: the pipeline judges the effective one.
            listener.proxy() == ProxyMode.NONE ? blackhole : SourceFilter.NONE,
            listener.transport(),
            owner);
    java.util.Optional<NodeTransport> transport = NodeTransport.of(vertx);
    if (transport.isEmpty()) {
      if (hooks.proxyHeader() != NodeTransport.Placement.NONE) {
        throw new ConfigException(
            "proxy",
            "proxy "
                + listener.proxy().name().toLowerCase(java.util.Locale.ROOT)
                + " on "
                + listener.transport().configName()
                + " needs the node's Vert.x transport (NodeTransport); this Vert.x was built without it");
      }
      if (hooks.http() != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: this Vert.x was built without the node's transport (NodeTransport): "
                + "HTTP connections are not capped and only Vert.x''s idle timeout closes them",
            listener.name());
      } else if (listener.tls() != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: this Vert.x was built without the node's transport (NodeTransport): "
                + "tcp-clients counts connections only after their TLS handshake",
            listener.name());
      }
      return null;
    }
    if (listener.port() == 0) {
      // The transport finds a listener's hooks by host and port: with port 0 it could not tell two
      // apart.
      if (hooks.proxyHeader() != NodeTransport.Placement.NONE) {
        throw new ConfigException(
            "port", "proxy on " + listener.transport().configName() + " needs a fixed port");
      }
      if (hooks.http() != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: port 0: HTTP connections are not capped and only Vert.x''s idle timeout"
                + " closes them",
            listener.name());
      } else if (listener.tls() != null) {
        LOG.log(
            System.Logger.Level.WARNING,
            "{0}: port 0: tcp-clients counts connections only after their TLS handshake",
            listener.name());
      }
      return null;
    }
    // Announced even when empty, so that nothing stale from an earlier listener on this port
    // applies.
    transport.get().announce(host(), listener.port(), hooks);
    return hooks;
  }

  /**
   * Whether a successor (a redeploy's new instances) announced this host and port after {@code
   * announced}: the instances that announced it are being replaced, not stopped.
   */
  boolean successorServes(Vertx vertx, NodeTransport.ListenerHooks announced) {
    return announced != null
        && NodeTransport.of(vertx)
            .map(t -> t.announcedByAnother(host(), listener.port(), announced))
            .orElse(false);
  }

  /** Undoes {@link #announceHooks}, unless another listener announced since. */
  void withdrawHooks(Vertx vertx, NodeTransport.ListenerHooks announced) {
    if (announced != null) {
      NodeTransport.of(vertx).ifPresent(t -> t.withdraw(host(), listener.port(), announced));
    }
  }

  /**
   * What every stream listener's server takes: host, port, TCP_NODELAY, and with {@code tls} the
   * PEM certificate, the entry's TLS versions, ALPN, and a handshake bounded by {@code
   * tcp-initial-timeout} like a first query. The caller adds its ALPN protocols and transport's own
   * options.
   */
  <T extends NetServerOptions> T serverOptions(T options) {
    options.setHost(host()).setPort(listener.port()).setTcpNoDelay(true);
    if (listener.tls() != null) {
      options
          .setSsl(true)
          .setUseAlpn(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(listener.tls().certFile().toString())
                  .setKeyPath(listener.tls().keyFile().toString()))
          .setEnabledSecureTransportProtocols(listener.tls().protocols())
          .setSslHandshakeTimeout(options().tcp().initialTimeoutMillis())
          .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    return options;
  }

  /** The host string Vert.x is given, and hands back to the transport when it binds. */
  String host() {
    return listener.address().getHostAddress();
  }
}
