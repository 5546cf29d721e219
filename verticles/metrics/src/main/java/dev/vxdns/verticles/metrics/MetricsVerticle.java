package dev.vxdns.verticles.metrics;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.QueryLog;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The statistics channel (BIND's {@code statistics-channels}) and the query log.
 *
 * <pre>
 * GET /metrics   the node's metrics in Prometheus text format (the node's series, Vert.x's, the JVM's)
 * GET /health    200 while every deployment runs (also while the node starts), 503 otherwise
 * GET /ready     200 once the node has started, every deployment runs and every zone is served
 * </pre>
 *
 * <p>Both health routes answer JSON with each deployment ({@code up}) and each zone's serial, and
 * on a clustered node the cluster's members and the serial each serves ({@code cluster}). The query
 * log writer ({@link QueryLogWriter}) runs while this verticle does; {@code vxdns querylog on|off}
 * switches it at {@link Addresses#QUERYLOG}.
 */
public final class MetricsVerticle extends AbstractVerticle {
  private static final System.Logger LOG = System.getLogger(MetricsVerticle.class.getName());
  private static final DeliveryOptions ASK =
      new DeliveryOptions().setSendTimeout(2000).setLocalOnly(true);

  private final MetricsSettings settings;
  private final List<HttpServer> servers = new ArrayList<>();
  private NodeMetrics metrics;
  private QueryLog queryLog;
  private QueryLogWriter writer;
  private MessageConsumer<JsonObject> queryLogSwitch;
  private MessageConsumer<Object> progressRequests;
  private long progressTimer = -1;

  /** A long task is logged every this often while it runs (and once at its end). */
  private static final long PROGRESS_LOG_MILLIS = 5000;

  public MetricsVerticle(MetricsSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start(Promise<Void> started) {
    metrics = NodeMetrics.of(vertx);
    startQueryLog();
    queryLogSwitch = vertx.eventBus().localConsumer(Addresses.QUERYLOG, this::switchQueryLog);
    progressRequests =
        vertx.eventBus().localConsumer(Addresses.PROGRESS, request -> request.reply(progress()));
    progressTimer = vertx.setPeriodic(PROGRESS_LOG_MILLIS, tick -> logProgress());
    Future<Void> all = queryLogSwitch.completion().compose(v -> progressRequests.completion());
    for (MetricsSettings.Channel channel : settings.channels()) {
      all = all.compose(v -> listen(channel));
    }
    all.onComplete(started);
  }

  private void startQueryLog() {
    MetricsSettings.QueryLogConfig config = settings.queryLog();
    if (config == null) {
      return;
    }
    queryLog =
        new QueryLog(
            config.queueSize(), metrics.queryLogEnabled(config.enabled()), metrics.registry());
    writer = new QueryLogWriter(queryLog, config, metrics.registry());
    writer.start();
    metrics.publishQueryLog(queryLog);
    LOG.log(
        System.Logger.Level.INFO,
        "query log {0}: {1}",
        queryLog.enabled() ? "on" : "off",
        config.file());
  }

  private void switchQueryLog(Message<JsonObject> request) {
    if (queryLog == null) {
      request.fail(409, "no querylog section in the configuration: the log has no file");
      return;
    }
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    Object enabled = body.getValue("enabled");
    if (enabled != null && !(enabled instanceof Boolean)) {
      request.fail(400, "enabled must be true or false");
      return;
    }
    if (enabled != null) {
      queryLog.setEnabled((Boolean) enabled);
      metrics.switchQueryLog((Boolean) enabled, settings.queryLog().enabled());
      LOG.log(System.Logger.Level.INFO, "query log {0}", queryLog.enabled() ? "on" : "off");
    }
    request.reply(
        new JsonObject()
            .put("enabled", queryLog.enabled())
            .put("file", settings.queryLog().file().toString())
            .put("dropped", queryLog.droppedCount()));
  }

  private JsonArray progress() {
    JsonArray running = new JsonArray();
    metrics.progress().running().forEach(task -> running.add(task.toJson()));
    return running;
  }

  private void logProgress() {
    for (var task : metrics.progress().running()) {
      if (task.elapsedMillis() >= PROGRESS_LOG_MILLIS) {
        LOG.log(System.Logger.Level.INFO, "{0}", task);
      }
    }
  }

  private Future<Void> listen(MetricsSettings.Channel channel) {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            context -> {
              if (allowed(channel, context)) {
                context.next();
              } else {
                context
                    .response()
                    .setStatusCode(403)
                    .end("not allowed by statistics-channels.allow\n");
              }
            });
    router.get("/metrics").handler(this::scrape);
    router.get("/health").handler(context -> health(context, false));
    router.get("/ready").handler(context -> health(context, true));
    HttpServer server = vertx.createHttpServer();
    return server
        .requestHandler(router)
        .listen(channel.port(), channel.address().getHostAddress())
        .onSuccess(
            bound -> {
              servers.add(bound);
              LOG.log(
                  System.Logger.Level.INFO,
                  "statistics channel on {0}:{1}",
                  channel.address().getHostAddress(),
                  Integer.toString(bound.actualPort()));
            })
        .mapEmpty();
  }

  /** The port the first statistics channel listens on (tests use port 0). */
  public int boundPort() {
    return servers.get(0).actualPort();
  }

  private static boolean allowed(MetricsSettings.Channel channel, RoutingContext context) {
    try {
      // The remote address of an accepted connection is a literal: no lookup happens here.
      return channel
          .allow()
          .allows(InetAddress.getByName(context.request().remoteAddress().hostAddress()));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The exposition is built off the event loop: a large registry takes milliseconds. */
  private void scrape(RoutingContext context) {
    vertx
        .executeBlocking(metrics::scrape, false)
        .onSuccess(
            text ->
                context
                    .response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(text))
        .onFailure(failure -> context.response().setStatusCode(500).end(failure + "\n"));
  }

  /**
   * {@code /health} (ready false) or {@code /ready}: asks the node for its deployments; no answer
   * means it is starting or stopping. A clustered node adds its cluster report (members, whether
   * this side takes updates, the serial each member serves); it is not ready while its cluster
   * layer does not answer, and stays ready on the minority side of a split, where it still answers.
   */
  private void health(RoutingContext context, boolean ready) {
    JsonObject zones = zones();
    Future<JsonObject> node =
        vertx
            .eventBus()
            .<JsonObject>request(Addresses.NODE_HEALTH, new JsonObject(), ASK)
            .map(Message::body);
    Future<JsonObject> cluster = clusterHealth();
    Future.join(node, cluster)
        .onComplete(
            both -> {
              JsonObject body = new JsonObject();
              boolean ok;
              if (node.failed()) {
                body.put("status", "starting or stopping");
                ok = !ready;
              } else {
                JsonArray deployments = node.result().getJsonArray("deployments");
                boolean allUp =
                    deployments.stream()
                        .map(JsonObject.class::cast)
                        .allMatch(d -> d.getBoolean("up", false));
                boolean allZones =
                    zones.stream().allMatch(zone -> !(zone.getValue() instanceof String));
                boolean clusterAnswers =
                    cluster.result() == null || !cluster.result().containsKey("error");
                ok = allUp && (!ready || (allZones && clusterAnswers));
                body.put(
                    "status", ok ? (ready ? "ready" : "ok") : "not " + (ready ? "ready" : "ok"));
                body.put("deployments", deployments);
              }
              body.put("zones", zones);
              if (cluster.result() != null) {
                body.put("cluster", cluster.result());
              }
              context.response().setStatusCode(ok ? 200 : 503);
              context.json(body);
            });
  }

  /**
   * The cluster layer's report ({@link Addresses#CLUSTER_HEALTH}); null on a node that is not
   * clustered (no one serves the address), {@code {"error": ...}} when it does not answer.
   */
  private Future<JsonObject> clusterHealth() {
    return vertx
        .eventBus()
        .<JsonObject>request(Addresses.CLUSTER_HEALTH, new JsonObject(), ASK)
        .map(Message::body)
        .recover(
            failure ->
                failure instanceof ReplyException reply
                        && reply.failureType() == ReplyFailure.NO_HANDLERS
                    ? Future.succeededFuture(null)
                    : Future.succeededFuture(
                        new JsonObject().put("error", String.valueOf(failure.getMessage()))));
  }

  /** Each zone's served serial, or "not served" (the zone gauges of the zone verticle). */
  private JsonObject zones() {
    JsonObject zones = new JsonObject();
    for (Gauge gauge : metrics.registry().find("vxdns_zone_serial").gauges()) {
      double serial = gauge.value();
      zones.put(gauge.getId().getTag("zone"), Double.isNaN(serial) ? "not served" : (long) serial);
    }
    return zones;
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (queryLog != null) {
      metrics.withdrawQueryLog(queryLog);
    }
    if (progressTimer >= 0) {
      vertx.cancelTimer(progressTimer);
    }
    Future<Void> all =
        queryLogSwitch == null ? Future.succeededFuture() : queryLogSwitch.unregister();
    if (progressRequests != null) {
      all = all.compose(v -> progressRequests.unregister());
    }
    for (HttpServer server : servers) {
      all = all.compose(v -> server.close());
    }
    all.compose(
            v ->
                writer == null
                    ? Future.<Void>succeededFuture()
                    : vertx.<Void>executeBlocking(
                        () -> {
                          writer.stop(5000);
                          return null;
                        }))
        .onComplete(stopped);
  }
}
