package dev.vxdns.verticles.admin;

import dev.vxdns.auth.ControlMac;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.NodeStats;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The control channel (BIND's {@code controls}, what rndc talks to): a small HTTP/JSON API on the
 * configured addresses, each guarded by its {@code allow} address-match list, its own {@code Host}
 * (DNS rebinding) and its key: every request is signed as {@link ControlMac} says (401 otherwise).
 * It owns no data: every route asks the verticle that owns the data over the event bus.
 *
 * <pre>
 * GET    /stats          {"proxy": {...}, "auth": {...}, "acl": {...refusals per option and zone...}}
 * GET    /keys           [{"name": ..., "algorithm": ..., "origin": "config"|"tkey", "expires": ...}]
 * DELETE /keys/NAME      204; 404 when there is no such key, 403 for a configured key
 * POST   /zones/sync     ["zone.", ...] the zones written to their files
 * POST   /config/reload  {"status": "applied"|"unchanged", "changes": [...]}; 400 and the
 *                        validation message when the config is invalid (nothing changed)
 * POST   /config/push    body {"file": NAME, "document": {...}}: the cluster's next shared config
 *                        (a node started with --cluster; 503 otherwise); the reload's answer with
 *                        "config-version"; 400 and the validation message (nothing changed)
 * GET    /cluster        {"members": [...], "quorum": true|false, "updates": "accepted"|"refused: ...",
 *                        "zones": {"dyn.test.": {"log-serial": N, "serving": {member: serial}}}}
 *                        (a node started with --cluster; 503 otherwise)
 * GET    /cluster/stats  {"total": {...summed /stats...}, "members": {member: {.../stats...}}}
 * GET    /deployments    [{"name": "udp", "key": "udp 127.0.0.1:53", "instances": 2, "id": ...}]
 * POST   /deployments/NAME/redeploy[?instances=N]   the deployments of NAME afterwards
 * GET    /progress       [{"kind": "zone-load", "subject": ..., "done", "total", "rate", ...}]
 * GET    /querylog       {"enabled": true|false, "file": ..., "dropped": N}
 * POST   /querylog/on|off  the same, after switching (409 without a querylog section)
 * </pre>
 */
public final class AdminVerticle extends AbstractVerticle {
  private static final System.Logger LOG = System.getLogger(AdminVerticle.class.getName());
  private static final DeliveryOptions ASK =
      new DeliveryOptions().setSendTimeout(5000).setLocalOnly(true);

  /**
   * A reload or redeploy waits for zones to load and old instances to drain: more than {@link
   * #ASK}.
   */
  private static final DeliveryOptions REDEPLOY =
      new DeliveryOptions().setSendTimeout(120_000).setLocalOnly(true);

  /**
   * The requests' bodies are small JSON, the largest a pushed config document: anything larger is
   * refused before it is read.
   */
  private static final long MAX_BODY = 1024 * 1024;

  /** Nonces remembered per channel within the window: a bound on memory, far above rndc's use. */
  private static final int MAX_NONCES = 10_000;

  private final AdminSettings settings;
  private final Clock clock;
  private final List<HttpServer> servers = new ArrayList<>();

  public AdminVerticle(AdminSettings settings) {
    this(settings, Clock.systemUTC());
  }

  AdminVerticle(AdminSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
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
    router
        .route()
        .handler(
            context -> {
              if (ownHost(control, context)) {
                context.next();
              } else {
                // A browser driven here by DNS rebinding sends the attacker's name.
                context
                    .response()
                    .setStatusCode(421)
                    .end("Host is not this control channel's address:port or localhost:port\n");
              }
            });
    router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    RequestAuthenticator authenticator = new RequestAuthenticator(control.key(), MAX_NONCES);
    router.route().handler(context -> authenticate(authenticator, context));
    router.get("/stats").handler(this::stats);
    // 503 on a node started without --cluster: nothing answers there.
    router
        .get("/cluster")
        .handler(context -> ask(context, Addresses.CLUSTER_HEALTH, new JsonObject()));
    router
        .get("/cluster/stats")
        .handler(context -> ask(context, Addresses.CLUSTER_STATS, new JsonObject()));
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
    router
        .post("/zones/sync")
        .handler(
            context -> {
              String zone = context.queryParams().get("zone");
              ask(context, Addresses.ZONE_SYNC, new JsonObject().put("zone", zone));
            });
    router.get("/zones/:zone/status").handler(context -> zoneControl(context, "status"));
    router
        .post("/zones/:zone/:op")
        .handler(context -> zoneControl(context, context.pathParam("op")));
    router
        .post("/config/reload")
        .handler(context -> ask(context, Addresses.CONFIG_RELOAD, new JsonObject()));
    router
        .post("/config/push")
        .handler(
            context -> {
              JsonObject request;
              try {
                request = context.body().asJsonObject();
              } catch (RuntimeException e) {
                request = null;
              }
              if (request == null) {
                context.response().setStatusCode(400).end("the body must be a JSON object\n");
                return;
              }
              ask(context, Addresses.CONFIG_PUSH, request, REDEPLOY);
            });
    router
        .get("/deployments")
        .handler(context -> ask(context, Addresses.NODE_DEPLOYMENTS, new JsonObject()));
    router
        .post("/deployments/:name/redeploy")
        .handler(
            context -> {
              JsonObject request = new JsonObject().put("name", context.pathParam("name"));
              String instances = context.queryParams().get("instances");
              if (instances != null) {
                if (!instances.matches("[0-9]{1,4}")) {
                  context.response().setStatusCode(400).end("instances must be a number\n");
                  return;
                }
                request.put("instances", Integer.parseInt(instances));
              }
              ask(context, Addresses.NODE_REDEPLOY, request, REDEPLOY);
            });
    router.get("/progress").handler(context -> ask(context, Addresses.PROGRESS, new JsonObject()));
    router.get("/querylog").handler(context -> ask(context, Addresses.QUERYLOG, new JsonObject()));
    router
        .post("/querylog/:state")
        .handler(
            context -> {
              String state = context.pathParam("state");
              if (!state.equals("on") && !state.equals("off")) {
                context.response().setStatusCode(400).end("querylog is on or off\n");
                return;
              }
              ask(context, Addresses.QUERYLOG, new JsonObject().put("enabled", state.equals("on")));
            });
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

  /**
   * True when the request's {@code Host} is the channel itself: the connection's local address, or
   * localhost, with the port the connection came to.
   */
  private static boolean ownHost(ControlConfig control, RoutingContext context) {
    // Host in HTTP/1.1, :authority in HTTP/2 (java.net.http upgrades to h2c).
    HostAndPort authority = context.request().authority();
    if (authority == null || authority.port() != localPort(context)) {
      return false;
    }
    String name = authority.host();
    if (name.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (name.startsWith("[") && name.endsWith("]")) {
      name = name.substring(1, name.length() - 1);
    }
    if (!name.matches("[0-9a-fA-F.:]+")) {
      return false; // a literal only: a name here is never looked up
    }
    try {
      return InetAddress.getByName(name)
          .equals(InetAddress.getByName(context.request().localAddress().hostAddress()));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static int localPort(RoutingContext context) {
    return context.request().localAddress().port();
  }

  private void authenticate(RequestAuthenticator authenticator, RoutingContext context) {
    RequestAuthenticator.Refusal refusal =
        authenticator.check(
            context.request().method().name(),
            context.request().uri(),
            context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes(),
            context.request().getHeader(ControlMac.TIME_HEADER),
            context.request().getHeader(ControlMac.NONCE_HEADER),
            context.request().getHeader(ControlMac.MAC_HEADER),
            clock.instant().getEpochSecond());
    if (refusal == null) {
      context.next();
    } else {
      LOG.log(
          System.Logger.Level.DEBUG,
          "control channel: refused {0} {1} from {2}: {3}",
          context.request().method(),
          context.request().uri(),
          context.request().remoteAddress(),
          refusal.reason());
      context.response().setStatusCode(refusal.status()).end(refusal.reason() + "\n");
    }
  }

  /** {@code vxdns zone-status}, {@code zone-refresh}, ... for the zone the path names. */
  private void zoneControl(RoutingContext context, String op) {
    ask(
        context,
        Addresses.ZONE_CONTROL,
        new JsonObject().put("zone", context.pathParam("zone")).put("op", op));
  }

  private void stats(RoutingContext context) {
    NodeStats.gather(vertx).onComplete(done -> context.json(done.result()));
  }

  /**
   * Forwards a request to the verticle that owns the data; its JSON reply or error becomes the HTTP
   * answer.
   */
  private void ask(RoutingContext context, String address, JsonObject request) {
    ask(context, address, request, address.equals(Addresses.CONFIG_RELOAD) ? REDEPLOY : ASK);
  }

  private void ask(
      RoutingContext context, String address, JsonObject request, DeliveryOptions delivery) {
    vertx
        .eventBus()
        .request(address, request, delivery)
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
