package dev.vxdns.verticles.node;

import dev.vxdns.message.Transport;
import dev.vxdns.verticles.acl.AclVerticle;
import dev.vxdns.verticles.admin.AdminVerticle;
import dev.vxdns.verticles.auth.AuthVerticle;
import dev.vxdns.verticles.extension.BridgeVerticle;
import dev.vxdns.verticles.extension.ExtensionsVerticle;
import dev.vxdns.verticles.proxy.ProxyVerticle;
import dev.vxdns.verticles.rrl.RrlVerticle;
import dev.vxdns.verticles.transport.DohTransportVerticle;
import dev.vxdns.verticles.transport.Listener;
import dev.vxdns.verticles.transport.ListenerConfig;
import dev.vxdns.verticles.transport.RequestBodyBudget;
import dev.vxdns.verticles.transport.SourceFilter;
import dev.vxdns.verticles.transport.TcpTransportVerticle;
import dev.vxdns.verticles.transport.TlsConfig;
import dev.vxdns.verticles.transport.TransportSettings;
import dev.vxdns.verticles.transport.UdpTransportVerticle;
import dev.vxdns.verticles.zone.ZoneVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A running node: the verticles one configuration names, deployed in dependency order (stages and
 * the control channel before the transports that call them) and undeployed in reverse (transports
 * first, so they stop accepting and finish what is in flight while the stages are still there).
 */
public final class Node {
  private static final System.Logger LOG = System.getLogger(Node.class.getName());

  private final Vertx vertx;
  private final NodeConfig config;
  private final List<String> stageDeployments;
  private final List<String> transportDeployments;

  private Node(
      Vertx vertx,
      NodeConfig config,
      List<String> stageDeployments,
      List<String> transportDeployments) {
    this.vertx = vertx;
    this.config = config;
    this.stageDeployments = List.copyOf(stageDeployments);
    this.transportDeployments = List.copyOf(transportDeployments);
  }

  /**
   * Deploys a node for an already validated configuration; each verticle gets its part of it. The
   * node owns {@code config} from now on and closes it when it stops or fails to start.
   */
  public static Future<Node> start(Vertx vertx, NodeConfig config) {
    TlsConfig ephemeral =
        config.transport().listeners().stream()
            .map(ListenerConfig::tls)
            .filter(tls -> tls != null && tls.isEphemeral())
            .findFirst()
            .orElse(null);
    // The stage verticles and the control channel, in the order they are deployed.
    List<Supplier<Verticle>> stages =
        new ArrayList<>(
            List.of(
                () -> new ZoneVerticle(config.zone()),
                () -> new AuthVerticle(config.auth()),
                () -> new AclVerticle(config.acl()),
                () -> new RrlVerticle(config.rrl()),
                () -> new ProxyVerticle(config.proxy())));
    // Extension stages: the directory's scripts and jars, and the bridge for stages outside the
    // JVM.
    if (config.extensions().directory() != null) {
      stages.add(() -> new ExtensionsVerticle(config.extensions()));
    }
    if (config.extensions().bridge() != null) {
      stages.add(() -> new BridgeVerticle(config.extensions().bridge()));
    }
    stages.add(() -> new AdminVerticle(config.admin()));
    List<String> stageIds = new ArrayList<>();
    List<String> transportIds = new ArrayList<>();
    // Before any listener: make the self-signed test certificate if it is missing (keytool, off
    // the event loop).
    Future<Void> deployed =
        ephemeral == null
            ? Future.succeededFuture()
            : vertx.<Void>executeBlocking(
                () -> {
                  LOG.log(
                      System.Logger.Level.INFO, EphemeralCertificate.ensure(ephemeral).message());
                  return null;
                },
                false);
    for (Supplier<Verticle> stage : stages) {
      deployed =
          deployed.compose(
              v ->
                  vertx
                      .deployVerticle(stage, new DeploymentOptions())
                      .onSuccess(stageIds::add)
                      .mapEmpty());
    }
    return deployed
        .compose(ready -> deployTransports(vertx, config, transportIds))
        .map(done -> new Node(vertx, config, stageIds, transportIds))
        .recover(
            failure ->
                undeployAll(vertx, transportIds, stageIds)
                    .transform(
                        ignored -> {
                          config.close();
                          return Future.failedFuture(failure);
                        }));
  }

  private static Future<Void> deployTransports(Vertx vertx, NodeConfig config, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    // One budget for the whole node: the heap it protects is the node's.
    RequestBodyBudget bodyBudget = new RequestBodyBudget(config.transport().httpMaxBufferedBytes());
    for (ListenerConfig listenerConfig : config.transport().listeners()) {
      int instances = instancesFor(vertx, config.transport(), listenerConfig);
      Listener listener =
          new Listener(
              listenerConfig,
              config.transport(),
              instances,
              config.proxy().maxHeaderSize(),
              bodyBudget,
              blackholeAtAccept(config));
      Supplier<Verticle> verticle =
          listenerConfig.transport() == Transport.UDP
              ? () -> new UdpTransportVerticle(listener)
              : listenerConfig.transport().isHttp()
                  ? () -> new DohTransportVerticle(listener)
                  : () -> new TcpTransportVerticle(listener);
      DeploymentOptions options = new DeploymentOptions().setInstances(instances);
      chain =
          chain.compose(
              v -> vertx.deployVerticle(verticle, options).onSuccess(ids::add).mapEmpty());
    }
    return chain;
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

  private static int instancesFor(
      Vertx vertx, TransportSettings settings, ListenerConfig listener) {
    if (listener.transport() != Transport.UDP) {
      return settings.tcpInstances();
    }
    if (!vertx.isNativeTransportEnabled()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "udp {0}: native transport unavailable ({1}); one instance without SO_REUSEPORT",
          listener.name(),
          String.valueOf(vertx.unavailableNativeTransportCause()));
      return 1;
    }
    return settings.udpInstances();
  }

  public NodeConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Undeploys transports first (they drain in-flight queries), then the stages. */
  public Future<Void> stop() {
    return undeployAll(vertx, transportDeployments, stageDeployments)
        .eventually(
            () -> {
              config.close();
              return Future.succeededFuture();
            });
  }

  private static Future<Void> undeployAll(
      Vertx vertx, List<String> transports, List<String> stages) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : transports) {
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    for (String id : stages) {
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain;
  }
}
