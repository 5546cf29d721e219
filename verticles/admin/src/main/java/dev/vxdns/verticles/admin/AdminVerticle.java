package dev.vxdns.verticles.admin;

import dev.vxdns.message.Addresses;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The control channel (BIND's {@code controls}, what rndc talks to): a small HTTP/JSON API on the
 * configured addresses, each guarded by its {@code allow} address-match list. It owns no state:
 * every route asks the verticle that owns the data over the event bus.
 *
 * <pre>
 * GET    /stats          {"proxy": {...}, "auth": {...}, "acl": {...refusals per option and zone...}}
 * GET    /keys           [{"name": ..., "algorithm": ..., "origin": "config"|"tkey", "expires": ...}]
 * DELETE /keys/NAME      204, or 404 when there is no such key
 * </pre>
 */
public final class AdminVerticle extends AbstractVerticle {
  private static final System.Logger LOG = System.getLogger(AdminVerticle.class.getName());
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5000);

  private final AdminSettings settings;
  private final List<HttpServer> servers = new ArrayList<>();

  public AdminVerticle(AdminSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start(Promise<Void> started) {
    Future<Void> all = Future.succeededFuture();
    for (ControlConfig control : settings.controls()) {
      all = all.compose(v -> listen(control));
    }
    all.onComplete(started);
  }

  private Future<Void> listen(ControlConfig control) {
    Router router = Router.router(vertx);
    router
        .route()
        .handler(
            context -> {
              if (allowed(control, context)) {
                context.next();
              } else {
                context.response().setStatusCode(403).end("not allowed by controls.allow\n");
              }
            });
    router.get("/stats").handler(this::stats);
    router
        .get("/keys")
        .handler(context -> ask(context, Addresses.AUTH_KEYS, new JsonObject().put("op", "list")));
    router
        .delete("/keys/:name")
        .handler(
            context ->
                ask(
                    context,
                    Addresses.AUTH_KEYS,
                    new JsonObject().put("op", "delete").put("name", context.pathParam("name"))));
    HttpServer server = vertx.createHttpServer();
    return server
        .requestHandler(router)
        .listen(control.port(), control.address().getHostAddress())
        .onSuccess(
            bound -> {
              servers.add(bound);
              LOG.log(
                  System.Logger.Level.INFO,
                  "control channel on {0}:{1}",
                  control.address().getHostAddress(),
                  Integer.toString(bound.actualPort()));
            })
        .<Void>mapEmpty();
  }

  /** The port the first control channel listens on (tests use port 0). */
  public int boundPort() {
    return servers.get(0).actualPort();
  }

  private static boolean allowed(ControlConfig control, RoutingContext context) {
    try {
      // The remote address of an accepted connection is a literal: no lookup happens here.
      return control
          .allow()
          .allows(InetAddress.getByName(context.request().remoteAddress().hostAddress()));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private void stats(RoutingContext context) {
    Future<JsonObject> proxy = counters(Addresses.STATS_PROXY);
    Future<JsonObject> auth = counters(Addresses.STATS_AUTH);
    Future<JsonObject> acl = counters(Addresses.STATS_ACL);
    Future.join(proxy, auth, acl)
        .onComplete(
            done ->
                context.json(
                    new JsonObject()
                        .put("proxy", proxy.result())
                        .put("auth", auth.result())
                        .put("acl", acl.result())));
  }

  /** A stage's counters, or an empty object when that stage is not deployed. */
  private Future<JsonObject> counters(String address) {
    return vertx
        .eventBus()
        .<JsonObject>request(address, "", ASK)
        .map(reply -> reply.body())
        .recover(failure -> Future.succeededFuture(new JsonObject()));
  }

  /**
   * Forwards a request to the verticle that owns the data; its JSON reply or error becomes the HTTP
   * answer.
   */
  private void ask(RoutingContext context, String address, JsonObject request) {
    vertx
        .eventBus()
        .request(address, request, ASK)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                Object body = done.result().body();
                if (body == null) {
                  context.response().setStatusCode(204).end();
                } else {
                  context.json(body);
                }
                return;
              }
              int status = 500;
              if (done.cause() instanceof ReplyException) {
                ReplyException error = (ReplyException) done.cause();
                status =
                    error.failureType() == ReplyFailure.RECIPIENT_FAILURE
                        ? error.failureCode()
                        : error.failureType() == ReplyFailure.NO_HANDLERS ? 503 : 504;
              }
              context.response().setStatusCode(status).end(done.cause().getMessage() + "\n");
            });
  }

  @Override
  public void stop(Promise<Void> stopped) {
    Future<Void> all = Future.succeededFuture();
    for (HttpServer server : servers) {
      all = all.compose(v -> server.close());
    }
    all.onComplete(stopped);
  }
}
