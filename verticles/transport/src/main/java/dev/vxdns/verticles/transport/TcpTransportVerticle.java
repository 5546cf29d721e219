package dev.vxdns.verticles.transport;

import dev.vxdns.message.RateLimitedLog;
import dev.vxdns.proxyprotocol.ProxyHeader;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Do53 over TCP, and DNS over TLS when the listener has {@code tls}, on a Vert.x NetServer.
 * Instances deployed for the same listener share its server socket; each accepts connections on its
 * own event loop and caps them at its share of {@code tcp-clients}; the node's transport also caps
 * the listener's connections at {@code tcp-clients} from the moment they are accepted ({@link
 * ConnectionCap}), which bounds DoT handshakes in progress too. Stopping stops accepting and lets
 * the open connections finish ({@link #drain}): replaced by a redeploy, until they close or fall
 * idle (at most {@code tcp-idle-timeout}); otherwise within {@link #DRAIN_MILLIS}.
 */
public final class TcpTransportVerticle extends AbstractVerticle implements TcpConnection.Owner {
  private static final System.Logger LOG = System.getLogger(TcpTransportVerticle.class.getName());
  static final long DRAIN_MILLIS = 5000;

  /** How long connections told to {@link TcpConnection#finish} get before they are closed. */
  private static final long FINISH_MILLIS = 1000;

  private static final long DRAIN_POLL_MILLIS = 20;

  /** How long a connection must have been idle before a stopping instance closes it. */
  private static final long QUIET_NANOS = 300_000_000L;

  /** The listener this verticle serves, as the node handed it. */
  private final Listener served;

  private ListenerSetup setup;

  public TcpTransportVerticle(Listener listener) {
    this.served = listener;
  }

  private NetServer server;
  private int connectionCap;
  private final Set<TcpConnection> connections = new HashSet<>();

  /**
   * Per-instance event counts for the debug log; this verticle's event loop is their only writer.
   */
  private final Map<String, Long> events = new HashMap<>();

  /** Lines remote parties can trigger (a failing pipeline): a few per minute, the rest counted. */
  private final RateLimitedLog rateLimited = RateLimitedLog.perMinute(LOG);

  private NodeTransport.ListenerHooks announcedHooks;

  @Override
  public void start(Promise<Void> started) {
    try {
      setup = ListenerSetup.of(vertx, served);
      announcedHooks = setup.announceHooks(vertx, served);
    } catch (Exception e) {
      started.fail(e);
      return;
    }
    ListenerConfig listener = setup.listener();
    connectionCap = Math.max(1, setup.options().tcp().clients() / served.instances());
    NetServerOptions options = setup.serverOptions(new NetServerOptions()).setReuseAddress(true);
    if (listener.tls() != null) {
      // DNS over TLS (RFC 7858): TLS 1.2 and 1.3 (Vert.x's defaults), ALPN "dot" (RFC 7858
      // section 3.2), the JDK's session cache and TLS 1.3 tickets for resumption.
      options.getSslOptions().setApplicationLayerProtocols(List.of("dot"));
    }
    server = vertx.createNetServer(options).connectHandler(this::accept);
    server
        .listen()
        .onComplete(
            bound -> {
              if (bound.succeeded()) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "{0} {1}: listening, up to {2} connections on this instance",
                    listener.transport().configName(),
                    listener.name(),
                    connectionCap);
                setup
                    .adoptTls(vertx, () -> server.updateSSLOptions(options.getSslOptions(), true))
                    .onComplete(started);
              } else {
                started.fail(
                    new IllegalStateException(
                        listener.transport().configName()
                            + " "
                            + listener.name()
                            + ": cannot listen: "
                            + bound.cause().getMessage(),
                        bound.cause()));
              }
            });
  }

  private void accept(NetSocket socket) {
    if (connections.size() >= connectionCap) {
      count(
          "refused: tcp-clients reached",
          socket.remoteAddress().toString(),
          connections.size() + " open");
      socket.close();
      return;
    }
    // With proxy plain on DoT the transport read the header before the handshake.
    ProxyHeader headerBeforeTls =
        ProxyHeaderReader.header(((NetSocketInternal) socket).channelHandlerContext().channel());
    TcpConnection connection = new TcpConnection(vertx, socket, setup, headerBeforeTls, this);
    connections.add(connection);
    connection.start();
  }

  @Override
  public void closed(TcpConnection connection) {
    connections.remove(connection);
  }

  @Override
  public void count(String event, TcpConnection connection, String detail) {
    count(event, connection.source().toString(), detail);
  }

  private void count(String event, String peer, String detail) {
    long count = events.merge(event, 1L, Long::sum);
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "tcp {0}: {1} from {2} ({3} so far): {4}",
          setup.listener().name(),
          event,
          peer,
          count,
          detail);
    }
  }

  @Override
  public void log(String key, System.Logger.Level level, String message, Object... args) {
    rateLimited.log("tcp " + setup.listener().name() + ": " + key, level, message, args);
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int boundPort() {
    return server.actualPort();
  }

  /** Connections open on this instance now. */
  public int openConnections() {
    return connections.size();
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (server == null) {
      stopped.complete();
      return;
    }
    setup.withdrawHooks(vertx, announcedHooks);
    long longest = Math.max(DRAIN_MILLIS, setup.options().tcp().idleTimeoutMillis());
    // Not close(): that is shutdown(0), which closes every open connection at once. Shutdown stops
    // accepting (a successor keeps the shared accept) and leaves the connections to drain(); its
    // own limit is only the last resort.
    Future<Void> shut =
        server.shutdown(longest + FINISH_MILLIS + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
    Promise<Void> drained = Promise.promise();
    drain(System.nanoTime(), false, drained);
    Future.join(shut, drained.future()).onComplete(done -> stopped.complete());
  }

  /**
   * Lets the open connections finish. While a successor serves the port (a redeploy), a connection
   * stays until its client closes it or it falls idle ({@code tcp-idle-timeout}, its own timer),
   * for at most {@code tcp-idle-timeout}: a client that keeps its connection busy, as dnsperf does,
   * loses no query. Without one (the node stops, the listener is removed; also from the moment the
   * successor stops) a connection is closed once it has been quiet for a moment, within {@link
   * #DRAIN_MILLIS} in all. At the bound each connection {@link TcpConnection#finish finishes}: no
   * further read, every query read answered, then closed; what is still open {@link #FINISH_MILLIS}
   * later is closed.
   */
  private void drain(long since, boolean wasReplaced, Promise<Void> drained) {
    boolean replaced = setup.successorServes(vertx, announcedHooks);
    if (wasReplaced && !replaced) {
      // The successor stopped (the node stops): the short drain, counted from now.
      since = System.nanoTime();
    }
    long bound =
        replaced ? setup.options().tcp().idleTimeoutMillis() : DRAIN_MILLIS - FINISH_MILLIS;
    long elapsedMillis = (System.nanoTime() - since) / 1_000_000;
    List<TcpConnection> open = List.copyOf(connections);
    if (elapsedMillis >= bound + FINISH_MILLIS) {
      open.forEach(TcpConnection::close);
    } else if (elapsedMillis >= bound) {
      open.forEach(TcpConnection::finish);
    } else if (!replaced) {
      // Also wait while a connection is active: a client that connected just before the stop is
      // sending its query now, and must get its answer.
      open.stream().filter(c -> c.quietFor(QUIET_NANOS)).forEach(TcpConnection::close);
    }
    if (connections.isEmpty() || elapsedMillis >= bound + FINISH_MILLIS) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0} {1}: drained in {2} ms",
          setup.listener().transport().configName(),
          setup.listener().name(),
          elapsedMillis);
      drained.complete();
      return;
    }
    long from = since;
    vertx.setTimer(DRAIN_POLL_MILLIS, id -> drain(from, replaced, drained));
  }
}
