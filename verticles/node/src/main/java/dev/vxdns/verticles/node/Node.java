package dev.vxdns.verticles.node;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.Transport;
import dev.vxdns.verticles.acl.AclVerticle;
import dev.vxdns.verticles.admin.AdminVerticle;
import dev.vxdns.verticles.auth.AuthVerticle;
import dev.vxdns.verticles.cluster.ClusterSettings;
import dev.vxdns.verticles.cluster.EdgeVerticle;
import dev.vxdns.verticles.cluster.ZoneServiceVerticle;
import dev.vxdns.verticles.extension.BridgeVerticle;
import dev.vxdns.verticles.extension.ExtensionsVerticle;
import dev.vxdns.verticles.metrics.MetricsVerticle;
import dev.vxdns.verticles.proxy.ProxyVerticle;
import dev.vxdns.verticles.rrl.RrlVerticle;
import dev.vxdns.verticles.transport.DohTransportVerticle;
import dev.vxdns.verticles.transport.DoqTransportVerticle;
import dev.vxdns.verticles.transport.EphemeralCertificate;
import dev.vxdns.verticles.transport.Listener;
import dev.vxdns.verticles.transport.ListenerConfig;
import dev.vxdns.verticles.transport.RequestBodyBudget;
import dev.vxdns.verticles.transport.SourceFilter;
import dev.vxdns.verticles.transport.TcpTransportVerticle;
import dev.vxdns.verticles.transport.TlsConfig;
import dev.vxdns.verticles.transport.TransportSettings;
import dev.vxdns.verticles.transport.UdpTransportVerticle;
import dev.vxdns.verticles.zone.SharedZoneLog;
import dev.vxdns.verticles.zone.ZoneVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A running node: the verticles one configuration names, deployed in dependency order (stages and
 * the control channel before the transports that call them) and undeployed in reverse (transports
 * first, so they stop accepting and finish what is in flight while the stages are still there).
 *
 * <p>The node keeps its deployments by name ({@code zone}, {@code auth}, {@code acl}, {@code rrl},
 * {@code proxy}, {@code admin}, and one per listener named by its transport: {@code udp}, {@code
 * tcp}, {@code dot}, {@code doh}, {@code h2c}). A deployment is replaced new-first: the new
 * instances are deployed and serving (a stage publishes itself in the registry over the old one; a
 * listener binds the same port beside the old one: SO_REUSEPORT for UDP, Vert.x's shared accept for
 * TCP, DoT and DoH) before the old ones are undeployed, and those finish what they hold. The zone
 * verticle holds files, so it first hands them over ({@link ZoneVerticle#release}: synced, journal
 * closed) while still answering queries, and its successor loads file and journal. {@link
 * #reconfigure} replaces only what a new configuration changes; changes run one at a time.
 */
public final class Node {
  private static final System.Logger LOG = System.getLogger(Node.class.getName());

  /** How long a replaced control channel keeps serving: it may be sending the reload's answer. */
  private static final long ADMIN_UNDEPLOY_DELAY_MILLIS = 2000;

  /**
   * One deployment.
   *
   * @param name what {@code vxdns redeploy} calls it
   * @param key unique per node: the name, or for a listener its transport, address and port
   * @param listener the listener it serves, or null for a stage
   * @param config the configuration it was built from (kept open while it runs)
   * @param single the verticle instance of a one-instance stage, null for listeners
   */
  record Deployment(
      String name,
      String key,
      String id,
      int instances,
      ListenerConfig listener,
      NodeConfig config,
      Verticle single) {
    JsonObject toJson() {
      return new JsonObject()
          .put("name", name)
          .put("key", key)
          .put("instances", instances)
          .put("id", id);
    }
  }

  private final Vertx vertx;

  /**
   * Where every deployment is made: a context of no deployment. A deployment made on a verticle's
   * context (a callback of the old zone verticle's hand-over, say) would be that verticle's child
   * and be undeployed with it.
   */
  private final io.vertx.core.Context home;

  private final Map<String, Deployment> deployments = new LinkedHashMap<>();
  // Set once the start's listeners are up (deployAll): a zone verticle deployed before announces
  // its first loads then, one deployed after at once.
  private volatile boolean listening;

  /**
   * Replaced listeners still finishing their open connections (their undeploy in progress), by
   * deployment ID: listed as draining, awaited by {@link #stop}.
   */
  private final Map<String, Draining> draining = new LinkedHashMap<>();

  private record Draining(Deployment deployment, Future<Void> undeployed) {}

  private final Set<NodeConfig> openConfigs = new HashSet<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private volatile NodeConfig config;
  private RequestBodyBudget bodyBudget;
  private Future<?> changes = Future.succeededFuture();
  // Set by stop(): no change starts after it.
  private Future<Void> stopped;

  /** The zones' change log shared with the other nodes; null for a node alone. */
  private final SharedZoneLog sharedLog;

  /** Wraps the auth stage's key store: a clustered node shares its TKEY keys. */
  private final java.util.function.UnaryOperator<dev.vxdns.auth.KeyStore> keySharing;

  /**
   * A clustered node's role ({@code cluster.role}, read at start), null for a node alone: a full
   * node also serves its zone stage to edge nodes ({@code zone-service}), an edge node runs no zone
   * stage and hands that part to the zone nodes ({@code edge}).
   */
  private final ClusterSettings.Role role;

  /** The deployment that serves the zone stage to edge nodes: stopped first, like a listener. */
  private static final String ZONE_SERVICE = "zone-service";

  private Node(
      Vertx vertx,
      NodeConfig config,
      SharedZoneLog sharedLog,
      java.util.function.UnaryOperator<dev.vxdns.auth.KeyStore> keySharing) {
    this.vertx = vertx;
    this.sharedLog = sharedLog;
    this.keySharing = keySharing;
    this.role = sharedLog == null ? null : config.cluster().role();
    this.home = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    this.config = config;
    this.openConfigs.add(config);
    // One budget for the whole node: the heap it protects is the node's.
    this.bodyBudget = new RequestBodyBudget(config.transport().httpMaxBufferedBytes());
  }

  /**
   * Deploys a node for an already validated configuration; each verticle gets its part of it. The
   * node owns {@code config} from now on and closes it when it stops or fails to start.
   */
  public static Future<Node> start(Vertx vertx, NodeConfig config) {
    return start(vertx, config, null, java.util.function.UnaryOperator.identity());
  }

  /**
   * Like {@link #start(Vertx, NodeConfig)} for a clustered node: its primary zones follow {@code
   * sharedLog}, and its key store is wrapped by {@code keySharing} (TKEY keys shared); it runs as
   * its {@code cluster.role} says (an edge node: no zone stage, the zone nodes answer for it).
   */
  public static Future<Node> start(
      Vertx vertx,
      NodeConfig config,
      SharedZoneLog sharedLog,
      java.util.function.UnaryOperator<dev.vxdns.auth.KeyStore> keySharing) {
    Node node = new Node(vertx, config, sharedLog, keySharing);
    return ensureEphemeral(vertx, config)
        .compose(ready -> node.deployAll())
        .compose(ready -> node.serveRequests())
        .map(done -> node)
        .recover(failure -> node.stop().transform(ignored -> Future.failedFuture(failure)));
  }

  /**
   * Before any listener: make the self-signed test certificate if it is missing (keytool, off the
   * event loop).
   */
  private static Future<Void> ensureEphemeral(Vertx vertx, NodeConfig config) {
    TlsConfig ephemeral =
        config.transport().listeners().stream()
            .map(ListenerConfig::tls)
            .filter(tls -> tls != null && tls.isEphemeral())
            .findFirst()
            .orElse(null);
    return ephemeral == null
        ? Future.succeededFuture()
        : vertx.<Void>executeBlocking(
            () -> {
              LOG.log(System.Logger.Level.INFO, EphemeralCertificate.ensure(ephemeral).message());
              return null;
            },
            false);
  }

  private Future<Void> deployAll() {
    // The zone stage starts by loading its zones off the event loop: the other stages deploy
    // meanwhile, one after another as listed (the zone service after the zone, the metrics stage
    // before both), and the listeners once all are up. Kept in the listed order.
    Map<String, Future<Deployment>> stages = new LinkedHashMap<>();
    Future<?> zoneLine = Future.succeededFuture();
    Future<?> otherLine = Future.succeededFuture();
    for (String name : ConfigViews.STAGES.keySet()) {
      if (!runs(name, config)) {
        continue;
      }
      boolean zoneSide = name.equals("zone") || name.equals(ZONE_SERVICE);
      Future<Deployment> deployed =
          (zoneSide ? zoneLine : otherLine).compose(v -> deployStage(name, config));
      stages.put(name, deployed);
      if (name.equals("metrics")) {
        zoneLine = deployed;
        otherLine = deployed;
      } else if (zoneSide) {
        zoneLine = deployed;
      } else {
        otherLine = deployed;
      }
    }
    Future<Void> chain =
        Future.join(List.copyOf(stages.values()))
            .transform(
                all -> {
                  // What did start is kept even when another stage failed: stop() undeploys it.
                  stages.values().stream().filter(Future::succeeded).forEach(s -> keep(s.result()));
                  return all.succeeded()
                      ? Future.<Void>succeededFuture()
                      : Future.<Void>failedFuture(all.cause());
                });
    for (ListenerConfig listener : config.transport().listeners()) {
      chain =
          chain.compose(
              v ->
                  deployListener(listener, config, instancesFor(config.transport(), listener))
                      .map(this::keep)
                      .mapEmpty());
    }
    return chain.onSuccess(v -> listenersUp());
  }

  /**
   * Every listener of the start is up: the zone verticle announces the zones it loaded (NOTIFY), as
   * named notifies once it listens; a zone verticle deployed after this announces at once.
   */
  private synchronized void listenersUp() {
    listening = true;
    for (Deployment deployment : deployments.values()) {
      if (deployment.single() instanceof ZoneVerticle zone) {
        zone.listenersUp();
      }
    }
  }

  private synchronized Deployment keep(Deployment deployment) {
    deployments.put(deployment.key(), deployment);
    openConfigs.add(deployment.config());
    return deployment;
  }

  /**
   * Whether a configuration runs this stage: the extension verticles are optional; a clustered node
   * runs either the zone stage and its service to edge nodes, or (an edge) the hand-over.
   */
  private boolean runs(String name, NodeConfig config) {
    return switch (name) {
      case "zone" -> role != ClusterSettings.Role.EDGE;
      case ZONE_SERVICE -> role == ClusterSettings.Role.FULL;
      case "edge" -> role == ClusterSettings.Role.EDGE;
      case "extensions" -> config.extensions().directory() != null;
      case "bridge" -> config.extensions().bridge() != null;
      case "forward" -> !config.forward().forwardZones().isEmpty();
      default -> true;
    };
  }

  private Future<Deployment> deployStage(String name, NodeConfig from) {
    if (name.equals(ZONE_SERVICE)) {
      // One consumer per event loop: the edges' requests spread over this node's cores.
      int instances = from.transport().eventLoops();
      return deploy(ZoneServiceVerticle::new, new DeploymentOptions().setInstances(instances))
          .map(id -> new Deployment(name, name, id, instances, null, from, null));
    }
    Verticle verticle =
        switch (name) {
          case "zone" -> new ZoneVerticle(from.zone(), sharedLog, !listening);
          case "auth" -> new AuthVerticle(from.auth(), keySharing);
          case "acl" -> new AclVerticle(from.acl());
          case "rrl" -> new RrlVerticle(from.rrl());
          case "forward" -> new dev.vxdns.verticles.forward.ForwardVerticle(from.forward());
          case "proxy" -> new ProxyVerticle(from.proxy());
          case "extensions" -> new ExtensionsVerticle(from.extensions());
          case "bridge" -> new BridgeVerticle(from.extensions().bridge());
          case "admin" -> new AdminVerticle(from.admin());
          case "edge" -> new EdgeVerticle(from.cluster());
          case "metrics" -> new MetricsVerticle(from.metrics());
          default -> throw new IllegalArgumentException("no stage " + name);
        };
    return deploy(() -> verticle, new DeploymentOptions())
        .map(id -> new Deployment(name, name, id, 1, null, from, verticle));
  }

  private Future<Deployment> deployListener(
      ListenerConfig listenerConfig, NodeConfig from, int instances) {
    Listener listener =
        new Listener(
            listenerConfig,
            from.transport(),
            instances,
            from.proxy().maxHeaderSize(),
            bodyBudget,
            blackholeAtAccept(from));
    Supplier<Verticle> verticle =
        switch (listenerConfig.transport()) {
          case UDP -> () -> new UdpTransportVerticle(listener);
          case DOQ -> () -> new DoqTransportVerticle(listener);
          case DOH, H2C -> () -> new DohTransportVerticle(listener);
          case TCP, DOT -> () -> new TcpTransportVerticle(listener);
        };
    return deploy(verticle, new DeploymentOptions().setInstances(instances))
        .map(
            id ->
                new Deployment(
                    listenerConfig.transport().configName(),
                    keyOf(listenerConfig),
                    id,
                    instances,
                    listenerConfig,
                    from,
                    null));
  }

  /** Deploys on {@link #home}, never as the child of another deployment. */
  private Future<String> deploy(Supplier<Verticle> verticle, DeploymentOptions options) {
    Promise<String> deployed = Promise.promise();
    home.runOnContext(v -> vertx.deployVerticle(verticle, options).onComplete(deployed));
    return deployed.future();
  }

  static String keyOf(ListenerConfig listener) {
    String address = listener.address().getHostAddress();
    return listener.transport().configName()
        + " "
        + (address.contains(":") ? "[" + address + "]" : address)
        + ":"
        + listener.port();
  }

  /**
   * The {@code blackhole} list as the transports apply it at accept (listeners without PROXY): the
   * same match as the blackhole stage's, on the connection's source, port and transport.
   */
  private static SourceFilter blackholeAtAccept(NodeConfig config) {
    dev.vxdns.acl.AddressMatchList blackhole = config.acl().options().blackhole();
    return (source, localPort, transport) ->
        blackhole
            .evaluate(
                dev.vxdns.acl.MatchContext.of(source)
                    .withPort(localPort)
                    .withTransport(transport.configName()))
            .allowed();
  }

  /**
   * Instances of a listener: {@code tcp-instances} for TCP, DoT and DoH (a shared accept), {@code
   * udp-instances} for UDP and {@code tcp-instances} for DoQ, both of which share their port with
   * SO_REUSEPORT and so need the native transport.
   */
  private int instancesFor(TransportSettings settings, ListenerConfig listener) {
    if (!listener.transport().overUdp()) {
      return settings.tcpInstances();
    }
    if (!vertx.isNativeTransportEnabled()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} {1}: native transport unavailable ({2}); one instance without SO_REUSEPORT",
          listener.transport().configName(),
          listener.name(),
          String.valueOf(vertx.unavailableNativeTransportCause()));
      return 1;
    }
    return listener.transport() == Transport.UDP
        ? settings.udpInstances()
        : settings.tcpInstances();
  }

  /** The configuration applied last. */
  public NodeConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** What runs now: name, key, instances and deployment ID of each deployment, in start order. */
  public synchronized JsonArray deployments() {
    JsonArray list = new JsonArray();
    deployments.values().forEach(deployment -> list.add(deployment.toJson()));
    draining.values().forEach(old -> list.add(old.deployment().toJson().put("draining", true)));
    return list;
  }

  /**
   * Replaces every deployment called {@code name} by new instances (new first, then the old ones
   * are undeployed), with {@code instances} instances when given (listeners only; a stage runs one
   * instance). Completes with the deployments of that name afterwards.
   */
  public Future<JsonArray> redeploy(String name, Integer instances) {
    return serialized(
        () -> {
          List<Deployment> named;
          synchronized (this) {
            named = deployments.values().stream().filter(d -> d.name().equals(name)).toList();
          }
          if (named.isEmpty()) {
            // An extension stage is redeployed by its file's name, by the verticle serving it.
            return vertx
                .eventBus()
                .<String>request(Addresses.EXTENSION_REDEPLOY, name)
                .<JsonArray>map(
                    reply ->
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("name", name)
                                    .put("key", name)
                                    .put("instances", 1)
                                    .put("id", reply.body())))
                .recover(
                    failure ->
                        Future.failedFuture(
                            new NoSuchElementException(
                                "no deployment or extension named "
                                    + name
                                    + " (running: "
                                    + names()
                                    + ")")));
          }
          if (instances != null && (instances < 1 || named.get(0).listener() == null)) {
            return Future.failedFuture(
                new IllegalArgumentException(
                    instances < 1
                        ? "--instances must be at least 1"
                        : name + " is a stage: it runs one instance"));
          }
          Future<Void> chain = Future.succeededFuture();
          for (Deployment old : named) {
            chain =
                chain.compose(
                    v ->
                        replace(
                                old,
                                () ->
                                    old.listener() == null
                                        ? deployStage(name, old.config())
                                        : deployListener(
                                            old.listener(),
                                            old.config(),
                                            instances == null ? old.instances() : instances))
                            .mapEmpty());
          }
          return chain.map(
              done -> {
                JsonArray list = new JsonArray();
                deployments().stream()
                    .map(JsonObject.class::cast)
                    .filter(d -> d.getString("name").equals(name) && !d.containsKey("draining"))
                    .forEach(list::add);
                LOG.log(System.Logger.Level.INFO, "redeployed {0}: {1}", name, list.encode());
                return list;
              });
        });
  }

  private synchronized Set<String> names() {
    Set<String> names = new java.util.TreeSet<>();
    deployments.values().forEach(d -> names.add(d.name()));
    return names;
  }

  /**
   * Applies a validated configuration part by part: only the deployments whose part changed are
   * replaced (new first), listeners no longer configured are undeployed and new ones deployed.
   * Completes with the report ({@code {"status": "applied"|"unchanged", "changes": [...]}}); a
   * deployment that fails leaves its old one running and fails the whole report. The node owns
   * {@code next} from now on.
   */
  public Future<JsonObject> reconfigure(NodeConfig next) {
    return serialized(() -> apply(next));
  }

  /**
   * {@link #reconfigure} for a caller already inside {@link #serialized} (a reload that must read
   * and apply in one step).
   */
  Future<JsonObject> apply(NodeConfig next) {
    synchronized (this) {
      openConfigs.add(next);
    }
    JsonObject before = config.source();
    JsonObject after = next.source();
    JsonArray changed = new JsonArray();
    if (!java.util.Objects.equals(before.getValue("cluster"), after.getValue("cluster"))) {
      // Membership and the event bus are set when the node's Vert.x is built.
      changed.add("cluster not changed: the cluster section applies at the next start");
      LOG.log(
          System.Logger.Level.WARNING,
          "reload: the cluster section changed; it applies when the node restarts");
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, dev.vxdns.config.ConfigKeys> stage : ConfigViews.STAGES.entrySet()) {
      if (ConfigViews.changed(before, after, stage.getValue())) {
        String name = stage.getKey();
        Deployment old = deployment(name);
        if (old == null || !runs(name, next)) {
          if (old != null) {
            changed.add(name + " removed");
            chain = chain.compose(v -> undeploy(old));
          } else if (runs(name, next)) {
            changed.add(name + " added");
            chain = chain.compose(v -> deployStage(name, next).map(this::keep).mapEmpty());
          }
          continue;
        }
        java.util.Set<org.xbill.DNS.Name> zones =
            ConfigViews.changedZones(before, after, stage.getValue());
        if (old.single() instanceof ZoneVerticle zone && zones != null) {
          changed.add("zones reconfigured: " + describeZones(config, next, zones));
          chain = chain.compose(v -> reconfigureZones(old, zone, next, zones));
          continue;
        }
        changed.add(name + " replaced");
        chain = chain.compose(v -> replace(old, () -> deployStage(name, next)).mapEmpty());
      }
    }
    // As named's rndc reload: zone files edited since they were read are read again.
    chain = chain.compose(v -> reloadZoneFiles(changed));
    boolean allListeners = ConfigViews.changed(before, after, ConfigViews.LISTENERS);
    if (allListeners
        && next.transport().httpMaxBufferedBytes() != config.transport().httpMaxBufferedBytes()) {
      bodyBudget = new RequestBodyBudget(next.transport().httpMaxBufferedBytes());
    }
    Map<String, ListenerConfig> wanted = new LinkedHashMap<>();
    next.transport().listeners().forEach(listener -> wanted.put(keyOf(listener), listener));
    List<Deployment> listeners;
    synchronized (this) {
      listeners = deployments.values().stream().filter(d -> d.listener() != null).toList();
    }
    for (Deployment old : listeners) {
      ListenerConfig listener = wanted.remove(old.key());
      if (listener == null) {
        changed.add("listener " + old.key() + " removed");
        chain = chain.compose(v -> undeploy(old));
      } else if (allListeners || !listener.equals(old.listener())) {
        changed.add("listener " + old.key() + " replaced");
        int instances = instancesFor(next.transport(), listener);
        chain =
            chain.compose(
                v -> replace(old, () -> deployListener(listener, next, instances)).mapEmpty());
      }
    }
    for (ListenerConfig listener : wanted.values()) {
      changed.add("listener " + keyOf(listener) + " added");
      int instances = instancesFor(next.transport(), listener);
      chain =
          chain.compose(v -> deployListener(listener, next, instances).map(this::keep).mapEmpty());
    }
    return chain.transform(
        done -> {
          if (done.succeeded() && !changed.isEmpty()) {
            config = next;
          }
          closeUnused();
          if (done.failed()) {
            return Future.failedFuture(
                new IllegalStateException(
                    "applying the configuration failed after "
                        + changed.encode()
                        + ": "
                        + ConfigFiles.oneLine(done.cause()),
                    done.cause()));
          }
          JsonObject report =
              new JsonObject()
                  .put("status", changed.isEmpty() ? "unchanged" : "applied")
                  .put("changes", changed);
          if (!changed.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "configuration applied: {0}", changed.encode());
            vertx
                .eventBus()
                .publish(
                    Addresses.CONFIG_CHANGED,
                    report,
                    new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true));
          }
          return Future.succeededFuture(report);
        });
  }

  /**
   * Zones added, removed or changed, the rest of the zone part as it was: the running zone verticle
   * loads only those ({@link ZoneVerticle#reconfigure}); if that fails, a zone verticle of the
   * previous configuration takes over.
   */
  private Future<Void> reconfigureZones(
      Deployment old, ZoneVerticle zone, NodeConfig next, Set<org.xbill.DNS.Name> changed) {
    return zone.reconfigure(next.zone(), changed)
        .map(
            done -> {
              keep(
                  new Deployment(
                      old.name(), old.key(), old.id(), old.instances(), null, next, zone));
              return (Void) null;
            })
        .recover(
            failure ->
                replace(old, () -> deployStage("zone", old.config()))
                    .transform(restored -> Future.failedFuture(failure)));
  }

  /**
   * The primary zone files changed on disk since the zone verticle read them, read again ({@link
   * ZoneVerticle#reloadChangedFiles}); each zone read again is a line of the report. If that fails,
   * a zone verticle of the running configuration takes over, as after a failed reconfiguration.
   */
  private Future<Void> reloadZoneFiles(JsonArray changed) {
    Deployment old = deployment("zone");
    if (old == null || !(old.single() instanceof ZoneVerticle zone)) {
      return Future.succeededFuture();
    }
    return zone.reloadChangedFiles()
        .<Void>map(
            reloaded -> {
              reloaded.forEach(changed::add);
              return null;
            })
        .recover(
            failure ->
                replace(old, () -> deployStage("zone", old.config()))
                    .transform(restored -> Future.failedFuture(failure)));
  }

  private static String describeZones(
      NodeConfig before, NodeConfig after, Set<org.xbill.DNS.Name> changed) {
    Set<String> was = new java.util.TreeSet<>();
    before.zone().zones().forEach(z -> was.add(z.name()));
    Set<String> is = new java.util.TreeSet<>();
    after.zone().zones().forEach(z -> is.add(z.name()));
    List<String> parts = new ArrayList<>();
    is.stream().filter(z -> !was.contains(z)).forEach(z -> parts.add(z + " added"));
    was.stream().filter(z -> !is.contains(z)).forEach(z -> parts.add(z + " removed"));
    changed.forEach(z -> parts.add(z + " changed"));
    return String.join(", ", parts);
  }

  private synchronized Deployment deployment(String key) {
    return deployments.get(key);
  }

  /** Closes the configurations that neither the node nor any deployment uses any more. */
  private synchronized void closeUnused() {
    Set<NodeConfig> used = new HashSet<>();
    used.add(config);
    deployments.values().forEach(d -> used.add(d.config()));
    draining.values().forEach(d -> used.add(d.deployment().config()));
    for (NodeConfig open : List.copyOf(openConfigs)) {
      if (!used.contains(open)) {
        open.close();
        openConfigs.remove(open);
      }
    }
  }

  /**
   * Deploys the successor of {@code old}, then undeploys {@code old}. The zone verticle hands its
   * files over first; a control channel is undeployed a little later, as it may be answering the
   * request that caused this. A listener's old instances finish their open connections in the
   * background ({@link #drainInBackground}): the replacement is done once the successor serves.
   */
  private Future<Deployment> replace(Deployment old, Supplier<Future<Deployment>> successor) {
    Future<Void> handedOver =
        old.single() instanceof ZoneVerticle zone ? zone.release() : Future.succeededFuture();
    return handedOver
        .compose(v -> successor.get())
        .recover(
            failure -> {
              if (!(old.single() instanceof ZoneVerticle)) {
                return Future.failedFuture(failure);
              }
              // The old zone verticle gave its files up: a fresh one from the old configuration
              // takes them back, so that updates and transfers go on.
              LOG.log(
                  System.Logger.Level.ERROR,
                  "the new zone verticle failed ({0}); reloading the previous zones",
                  ConfigFiles.oneLine(failure));
              return deployStage("zone", old.config())
                  .map(this::keep)
                  .compose(again -> vertx.undeploy(old.id()))
                  .transform(done -> Future.failedFuture(failure));
            })
        .map(this::keep)
        .compose(
            fresh -> {
              if (old.single() instanceof AdminVerticle) {
                vertx.setTimer(ADMIN_UNDEPLOY_DELAY_MILLIS, t -> vertx.undeploy(old.id()));
                return Future.succeededFuture(fresh);
              }
              if (old.listener() != null) {
                drainInBackground(old);
                return Future.succeededFuture(fresh);
              }
              return vertx.undeploy(old.id()).map(fresh);
            });
  }

  /**
   * Undeploys a replaced listener without waiting: its instances keep their open connections until
   * those close or fall idle (bounded by {@code tcp-idle-timeout}), which can outlast the request
   * that replaced it by far. Its configuration stays open until then.
   */
  private void drainInBackground(Deployment old) {
    Future<Void> undeployed = vertx.undeploy(old.id());
    synchronized (this) {
      if (!undeployed.isComplete()) {
        draining.put(old.id(), new Draining(old, undeployed));
        openConfigs.add(old.config());
      }
    }
    undeployed.onComplete(
        done -> {
          synchronized (this) {
            draining.remove(old.id());
          }
          if (done.failed()) {
            LOG.log(
                System.Logger.Level.WARNING,
                "{0}: the replaced instances failed to stop: {1}",
                old.key(),
                ConfigFiles.oneLine(done.cause()));
          }
          closeUnused();
        });
  }

  private Future<Void> undeploy(Deployment old) {
    synchronized (this) {
      deployments.remove(old.key(), old);
    }
    return vertx.undeploy(old.id());
  }

  /**
   * Runs changes one at a time, in the order they were asked for; refuses those asked once the node
   * is stopping.
   */
  synchronized <T> Future<T> serialized(Supplier<Future<T>> change) {
    if (stopped != null) {
      return Future.failedFuture(new IllegalStateException("the node is stopping"));
    }
    Promise<T> result = Promise.promise();
    changes =
        changes.transform(
            previous -> {
              Future<T> step;
              try {
                step = change.get();
              } catch (RuntimeException e) {
                step = Future.failedFuture(e);
              }
              step.onComplete(result);
              return step.transform(ignored -> Future.succeededFuture());
            });
    return result.future();
  }

  /** The control channel's {@code /deployments} and redeploy requests. */
  private Future<Void> serveRequests() {
    MessageConsumer<Object> list =
        vertx.eventBus().localConsumer(Addresses.NODE_DEPLOYMENTS, m -> m.reply(deployments()));
    MessageConsumer<JsonObject> redeploy =
        vertx.eventBus().localConsumer(Addresses.NODE_REDEPLOY, this::redeployRequested);
    MessageConsumer<Object> health =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.NODE_HEALTH,
                m -> m.reply(new JsonObject().put("deployments", deploymentHealth())));
    synchronized (this) {
      consumers.add(list);
      consumers.add(redeploy);
      consumers.add(health);
    }
    return Future.all(list.completion(), redeploy.completion(), health.completion()).mapEmpty();
  }

  /** Each deployment, and whether Vert.x still runs it ({@code up}), for /health and /ready. */
  private synchronized JsonArray deploymentHealth() {
    Set<String> running = vertx.deploymentIDs();
    JsonArray list = new JsonArray();
    deployments.values().forEach(d -> list.add(d.toJson().put("up", running.contains(d.id()))));
    return list;
  }

  private void redeployRequested(Message<JsonObject> request) {
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    Integer instances;
    try {
      instances = body.getInteger("instances");
    } catch (ClassCastException e) {
      request.fail(400, "instances must be a number");
      return;
    }
    redeploy(body.getString("name", ""), instances)
        .onSuccess(request::reply)
        .onFailure(failure -> request.fail(statusOf(failure), ConfigFiles.oneLine(failure)));
  }

  static int statusOf(Throwable failure) {
    if (failure instanceof NoSuchElementException) {
      return 404;
    }
    return failure instanceof IllegalArgumentException ? 400 : 500;
  }

  /**
   * Stops the node once the change in flight (a reload, a redeploy) is done, and refuses changes
   * asked after it: a reload that read the configuration while the node stopped would otherwise
   * deploy again what the stop had just undeployed (seen: SIGHUP then SIGTERM 2 ms apart bound the
   * listener again). Undeploys transports first (they drain in-flight queries), then waits for
   * replaced listeners still draining (their successors gone, they finish within the short stop
   * drain), then the stages.
   */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      stopped = serialized(this::undeployAll);
    }
    return stopped;
  }

  private Future<Void> undeployAll() {
    List<Deployment> listeners;
    List<Deployment> stages;
    List<MessageConsumer<?>> registered;
    List<Future<Void>> stillDraining;
    synchronized (this) {
      stillDraining = draining.values().stream().map(Draining::undeployed).toList();
      // The zone service takes queries from edge nodes: it stops with the listeners.
      listeners =
          deployments.values().stream()
              .filter(d -> d.listener() != null || d.name().equals(ZONE_SERVICE))
              .toList();
      stages =
          deployments.values().stream()
              .filter(d -> d.listener() == null && !d.name().equals(ZONE_SERVICE))
              .toList();
      deployments.clear();
      registered = List.copyOf(consumers);
      consumers.clear();
    }
    Future<Void> chain = Future.succeededFuture();
    for (MessageConsumer<?> consumer : registered) {
      chain = chain.compose(v -> consumer.unregister());
    }
    for (Deployment deployment : listeners) {
      chain = chain.compose(v -> vertx.undeploy(deployment.id()));
    }
    // Before the stages: the draining instances still run their queries through them.
    chain =
        chain.compose(
            v -> Future.join(stillDraining).transform(drained -> Future.succeededFuture()));
    for (Deployment deployment : stages) {
      chain = chain.compose(v -> vertx.undeploy(deployment.id()));
    }
    return chain.eventually(
        () -> {
          synchronized (this) {
            openConfigs.forEach(NodeConfig::close);
            openConfigs.clear();
          }
          return Future.succeededFuture();
        });
  }
}
