package dev.vxdns.verticles.transport;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.RateLimitedLog;
import dev.vxdns.proxyprotocol.ProxyHeader;
import io.netty.channel.Channel;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.Http2ServerConnection;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * DNS over HTTPS (RFC 8484) on Vert.x Web: GET with {@code ?dns=} (base64url without padding) and
 * POST {@code application/dns-message}, over HTTP/2 (ALPN h2) and HTTP/1.1 with TLS, or in clear
 * text ({@code h2c}: HTTP/2 prior knowledge or upgrade, and HTTP/1.1) behind a TLS-terminating
 * proxy. Each request becomes one exchange through the listener's pipeline on this verticle's event
 * loop.
 *
 * <p>As BIND 9.20 answers them (DohShapesBindDifferentialTest): 400 for a bad {@code dns} parameter
 * (padding included), bytes that are not a query (shorter than a header, a response) or a POST with
 * a query string, 404 for any other path (a slash after the endpoint too), 415 for another content
 * type (parameters included; none is taken as the message's), 501 for other methods, 200 with the
 * pipeline's answer for anything else (FORMERR for a message that does not parse); 413 for a body
 * above 65535 bytes, 503 for a POST whose body does not fit the node's {@link RequestBodyBudget}. A
 * dropped exchange (blackhole) gets no answer: its HTTP/2 stream is reset with REFUSED_STREAM and
 * the connection's other streams go on; on HTTP/1.x, where a request cannot go unanswered, the
 * connection is closed. A closed exchange (a verdict on the connection, such as its PROXY header)
 * closes the connection. {@code Cache-Control: max-age} is the smallest TTL of the answer (for
 * negative answers, the SOA's negative TTL).
 */
public final class DohTransportVerticle extends AbstractVerticle {
  private static final System.Logger LOG = System.getLogger(DohTransportVerticle.class.getName());

  /** Lines remote parties can trigger (a failing pipeline): a few per minute, the rest counted. */
  private final RateLimitedLog rateLimited = RateLimitedLog.perMinute(LOG);

  /** Requests whose pipeline failed on this instance; only its event loop writes it. */
  private long pipelineFailures;

  static final String MEDIA_TYPE = "application/dns-message";
  static final int MAX_MESSAGE = 65535;

  /** HTTP/2 error codes (RFC 9113 section 7). */
  private static final long NO_ERROR = 0x0;

  private static final long REFUSED_STREAM = 0x7;

  /** The highest HTTP/2 stream identifier: a GOAWAY that still lets every stream in. */
  private static final int ANY_STREAM = Integer.MAX_VALUE;

  /**
   * How long a stopping instance lets its HTTP/2 clients learn of its first GOAWAY before the one
   * that ends their connections (RFC 9113 section 6.8: at least a round trip; Go's server waits 1
   * s). Without it, a request a client sent as the connection closed met a reset.
   */
  private static final long GOAWAY_GRACE_MILLIS = 1000;

  /** This instance's open connections (its event loop's only): told first when it stops. */
  private final Set<HttpConnection> connections = new HashSet<>();

  private boolean stopping;

  /** The listener this verticle serves, as the node handed it. */
  private final Listener served;

  private ListenerSetup setup;

  public DohTransportVerticle(Listener listener) {
    this.served = listener;
  }

  private HttpServer server;

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
    HttpServerOptions options =
        setup
            .serverOptions(new HttpServerOptions())
            .setMaxHeaderSize(8192)
            .setIdleTimeout(setup.options().tcp().idleTimeoutMillis())
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
            // Explicit HTTP/2 limits: a stream flood cannot grow without bound, and a connection
            // that resets more than 200 streams in 30 s (CVE-2023-44487, "rapid reset") gets
            // GOAWAY.
            .setInitialSettings(
                new Http2Settings()
                    .setMaxConcurrentStreams(setup.options().tcp().httpStreamsPerConnection())
                    .setMaxHeaderListSize(8192))
            .setHttp2RstFloodMaxRstFramePerWindow(200)
            .setHttp2RstFloodWindowDuration(30)
            .setHttp2RstFloodWindowDurationTimeUnit(java.util.concurrent.TimeUnit.SECONDS);
    if (listener.tls() != null) {
      options.setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
    } else {
      options.setHttp2ClearTextEnabled(true);
    }
    Router router = Router.router(vertx);
    for (String endpoint : listener.endpoints()) {
      router.route(endpoint).handler(context -> exactly(context, endpoint));
      router.get(endpoint).handler(this::get);
      // A route of its own: Vert.x Web runs body handlers before user handlers on one route.
      router.post(endpoint).handler(this::reserveBody);
      router
          .post(endpoint)
          .handler(BodyHandler.create(false).setBodyLimit(MAX_MESSAGE))
          .handler(this::post);
      // As BIND: a method other than GET and POST is not implemented.
      router.route(endpoint).handler(context -> context.response().setStatusCode(501).end());
    }
    // Streams the client resets and connections it drops while a body is on its way are the
    // client's doing: a debug line, not Vert.x Web's "unhandled exception" at SEVERE. (Its body
    // handler fails such requests with status 200, so a route failure handler, not
    // errorHandler(500).)
    router.route().failureHandler(this::failed);
    server =
        vertx.createHttpServer(options).connectionHandler(this::connected).requestHandler(router);
    server
        .listen()
        .onComplete(
            bound -> {
              if (bound.succeeded()) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "{0} {1}: listening on {2}",
                    listener.transport().configName(),
                    listener.name(),
                    listener.endpoints());
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

  /** The port actually bound (useful with port 0 in tests). */
  public int boundPort() {
    return server.actualPort();
  }

  /**
   * As BIND 9.20 routes a request: the endpoint's path exactly (Vert.x Web would also take it with
   * a slash after it), and a POST without a query string (its message is its body).
   */
  private static void exactly(RoutingContext context, String endpoint) {
    HttpServerRequest request = context.request();
    if (!request.path().equals(endpoint)) {
      context.response().setStatusCode(404).end();
    } else if (request.method() == HttpMethod.POST && request.query() != null) {
      context.response().setStatusCode(DohRequest.BAD_REQUEST).end("a POST has no query string\n");
    } else {
      context.next();
    }
  }

  private void get(RoutingContext context) {
    answer(context, DohRequest.ofGet(context.request().getParam("dns")));
  }

  /**
   * Takes the body's declared length (the largest message when it declares none) from the node's
   * budget before the body handler buffers it, and gives it back when the request ends however it
   * ends; a POST that does not fit is answered 503 at once and its body never read. A body declared
   * above the largest message reserves nothing: the body handler refuses it with 413.
   */
  private void reserveBody(RoutingContext context) {
    String declared = context.request().getHeader("Content-Length");
    long length;
    try {
      length = declared == null ? MAX_MESSAGE : Long.parseLong(declared.trim());
    } catch (NumberFormatException unparseable) {
      length = MAX_MESSAGE;
    }
    if (length < 0 || length > MAX_MESSAGE) {
      context.next();
      return;
    }
    long reserved = length;
    if (!served.bodyBudget().reserve(reserved)) {
      if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "{0}: POST of {1} bytes from {2} refused: http-max-buffered-bytes spent ({3} so far)",
            setup.listener().name(),
            reserved,
            context.request().remoteAddress(),
            served.bodyBudget().refusals());
      }
      refuseUnread(context);
      return;
    }
    context.addEndHandler(ended -> served.bodyBudget().release(reserved));
    context.next();
  }

  /**
   * 503 before the body is read. HTTP/2 then resets the stream with NO_ERROR so that the client
   * stops sending it (RFC 9113 section 8.1); HTTP/1.x cannot skip the body, so the connection
   * closes.
   */
  private static void refuseUnread(RoutingContext context) {
    HttpServerResponse response = context.response();
    boolean http2 = context.request().version() == HttpVersion.HTTP_2;
    response
        .setStatusCode(503)
        .putHeader("Retry-After", "1")
        .end()
        .onComplete(
            sent -> {
              if (http2) {
                response.reset(NO_ERROR);
              } else {
                context.request().connection().close();
              }
            });
  }

  private void post(RoutingContext context) {
    Buffer body = context.body().buffer();
    DohRequest request =
        DohRequest.ofPost(
            context.request().getHeader("Content-Type"), body == null ? null : body.getBytes());
    // Refused before it reaches the pipeline: the connection guard does not count it.
    if (request.status() == DohRequest.UNSUPPORTED_MEDIA_TYPE) {
      context.response().setStatusCode(request.status()).end(request.reason());
      return;
    }
    answer(context, request);
  }

  private void answer(RoutingContext context, DohRequest dohRequest) {
    HttpServerRequest request = context.request();
    Channel channel = channel(request);
    HttpConnectionGuard.requestStarted(channel);
    context.addEndHandler(ended -> HttpConnectionGuard.requestFinished(channel));
    if (!dohRequest.isQuery()) {
      context.response().setStatusCode(dohRequest.status()).end(dohRequest.reason());
      return;
    }
    ProxyHeader proxyHeader =
        setup.listener().proxy() == ProxyMode.NONE ? null : ProxyHeaderReader.header(channel);
    DnsExchange exchange =
        DnsExchange.received(
            setup.listener().transport(),
            setup.listener().name(),
            Addresses.toInet(request.remoteAddress()),
            Addresses.toInet(request.localAddress()),
            proxyHeader,
            dohRequest.query());
    long start = System.nanoTime();
    setup
        .chain()
        .run(exchange)
        .onComplete(
            done -> {
              if (done.failed()) {
                setup.queries().finished(exchange, null, start);
                long failures = ++pipelineFailures;
                rateLimited.log(
                    setup.listener().name() + ": pipeline failed",
                    System.Logger.Level.WARNING,
                    "{0}: pipeline failed for {1} ({2} failures): {3}",
                    setup.listener().name(),
                    exchange,
                    failures,
                    done.cause().toString());
                context.response().setStatusCode(500).end();
                return;
              }
              DnsExchange finished = done.result();
              if (finished.responseStream() != null) {
                // One DNS message per HTTP exchange (RFC 8484): the zone stage refuses transfers
                // here, and any other stream is cut to its first message.
                finished.responseStream().cancel();
              }
              if (finished.reply().outcome() != Outcome.RESPOND) {
                setup.queries().finished(finished, null, start);
              }
              if (finished.reply().outcome() == Outcome.DROP) {
                // Only this request: on HTTP/2 a stream reset, on HTTP/1.x a closed connection.
                context.response().reset(REFUSED_STREAM);
                return;
              }
              if (finished.reply().outcome() != Outcome.RESPOND) {
                request.connection().close();
                return;
              }
              byte[] wire = DnsResponses.render(finished, setup.options().dns().maxUdpSize());
              setup.queries().finished(finished, wire, start);
              context
                  .response()
                  .putHeader("Content-Type", MEDIA_TYPE)
                  .putHeader("Cache-Control", "max-age=" + maxAge(finished.responseMessage()))
                  .end(Buffer.buffer(wire));
            });
  }

  private void failed(RoutingContext context) {
    LOG.log(
        System.Logger.Level.DEBUG,
        "{0}: request from {1} failed: {2}",
        setup.listener().name(),
        context.request().remoteAddress(),
        String.valueOf(context.failure()));
    if (!context.response().ended() && !context.response().closed()) {
      int status = context.statusCode();
      context.response().setStatusCode(status >= 400 ? status : 500).end();
    }
  }

  /**
   * The request's connection's channel, where the node's transport left the PROXY header and the
   * connection guard. The cast reaches Vert.x's server connection type, the only way there.
   */
  private static Channel channel(HttpServerRequest request) {
    return ((HttpServerConnection) request.connection()).channelHandlerContext().channel();
  }

  /**
   * RFC 8484 section 5.1: the smallest TTL of the answer, or the negative TTL of a negative answer.
   */
  static long maxAge(Message response) {
    long smallest = Long.MAX_VALUE;
    for (Record record : response.getSection(Section.ANSWER)) {
      smallest = Math.min(smallest, record.getTTL());
    }
    if (smallest == Long.MAX_VALUE) {
      for (Record record : response.getSection(Section.AUTHORITY)) {
        if (record instanceof SOARecord) {
          smallest = Math.min(record.getTTL(), ((SOARecord) record).getMinimum());
        }
      }
    }
    return smallest == Long.MAX_VALUE ? 0 : smallest;
  }

  private void connected(HttpConnection connection) {
    connections.add(connection);
    connection.closeHandler(closed -> connections.remove(connection));
    if (stopping) {
      announceShutdown(connection);
    }
  }

  /**
   * The first GOAWAY of a graceful shutdown (RFC 9113 section 6.8) on an HTTP/2 connection: no new
   * streams, but those the client sent before it arrives are still answered. False for HTTP/1.x,
   * which has none: its connections close once their response is sent.
   */
  private static boolean announceShutdown(HttpConnection connection) {
    if (!(connection instanceof Http2ServerConnection)) {
      return false;
    }
    connection.goAway(NO_ERROR, ANY_STREAM);
    return true;
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (server == null) {
      stopped.complete();
      return;
    }
    setup.withdrawHooks(vertx, announcedHooks);
    stopping = true;
    boolean announced = false;
    for (HttpConnection connection : connections) {
      announced |= announceShutdown(connection);
    }
    // Not close() (shutdown(0): every connection cut at once): GOAWAY, and open streams finish
    // within the transports' drain time. Replaced by a redeploy, that is enough too: after the
    // GOAWAY a client sends its next request on a new connection, to the successor.
    Runnable shutdown =
        () ->
            server
                .shutdown(
                    TcpTransportVerticle.DRAIN_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
                .onComplete(stopped);
    if (announced) {
      vertx.setTimer(GOAWAY_GRACE_MILLIS, timer -> shutdown.run());
    } else {
      shutdown.run();
    }
  }
}
