package dev.vxdns.verticles.node;

import dev.vxdns.config.DeploymentConfig;
import dev.vxdns.config.ListenerConfig;
import dev.vxdns.config.TlsConfig;
import dev.vxdns.config.VxdnsConfig;
import dev.vxdns.message.Transport;
import dev.vxdns.verticles.acl.AclVerticle;
import dev.vxdns.verticles.admin.AdminVerticle;
import dev.vxdns.verticles.auth.AuthVerticle;
import dev.vxdns.verticles.proxy.ProxyVerticle;
import dev.vxdns.verticles.transport.DohTransportVerticle;
import dev.vxdns.verticles.transport.TcpTransportVerticle;
import dev.vxdns.verticles.transport.UdpTransportVerticle;
import dev.vxdns.verticles.zone.ZoneVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A running node: the verticles one configuration names, deployed in dependency order (stages and
 * the control channel before the transports that call them) and undeployed in reverse (transports
 * first, so they stop accepting and finish what is in flight while the stages are still there).
 */
public final class Node {
  private static final System.Logger LOG = System.getLogger(Node.class.getName());

  /** The stage verticles and the control channel, in the order they are deployed. */
  private static final List<Class<? extends Verticle>> STAGES =
      List.of(
          ZoneVerticle.class,
          AuthVerticle.class,
          AclVerticle.class,
          ProxyVerticle.class,
          AdminVerticle.class);

  private final Vertx vertx;
  private final VxdnsConfig config;
  private final List<String> stageDeployments;
  private final List<String> transportDeployments;

  private Node(
      Vertx vertx,
      VxdnsConfig config,
      List<String> stageDeployments,
      List<String> transportDeployments) {
    this.vertx = vertx;
    this.config = config;
    this.stageDeployments = List.copyOf(stageDeployments);
    this.transportDeployments = List.copyOf(transportDeployments);
  }

  /** Deploys a node for an already validated configuration. */
  public static Future<Node> start(Vertx vertx, VxdnsConfig config, Path configDirectory) {
    TlsConfig ephemeral =
        config.options().listenOn().stream()
            .map(ListenerConfig::tls)
            .filter(tls -> tls != null && tls.isEphemeral())
            .findFirst()
            .orElse(null);
    // The verticles parse the config again: tell them where the launcher put tls "ephemeral".
    JsonObject deployment =
        DeploymentConfig.of(
            config.source(),
            configDirectory,
            ephemeral == null ? null : ephemeral.certFile().getParent());
    List<String> stages = new ArrayList<>();
    List<String> transports = new ArrayList<>();
    // Before any listener: make the self-signed test certificate if it is missing (keytool, off the
    // event loop).
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
    for (Class<? extends Verticle> stage : STAGES) {
      deployed =
          deployed.compose(
              v ->
                  vertx
                      .deployVerticle(stage, new DeploymentOptions().setConfig(deployment))
                      .onSuccess(stages::add)
                      .mapEmpty());
    }
    return deployed
        .compose(ready -> deployTransports(vertx, config, deployment, transports))
        .map(done -> new Node(vertx, config, stages, transports))
        .recover(
            failure ->
                undeployAll(vertx, transports, stages)
                    .transform(ignored -> Future.failedFuture(failure)));
  }

  private static Future<Void> deployTransports(
      Vertx vertx, VxdnsConfig config, JsonObject deployment, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    List<ListenerConfig> listeners = config.options().listenOn();
    for (int i = 0; i < listeners.size(); i++) {
      ListenerConfig listener = listeners.get(i);
      int instances = instancesFor(vertx, config, listener);
      JsonObject transportConfig = deployment.copy().put("listener", i).put("instances", instances);
      DeploymentOptions options =
          new DeploymentOptions().setConfig(transportConfig).setInstances(instances);
      Class<? extends Verticle> verticle =
          listener.transport() == Transport.UDP
              ? UdpTransportVerticle.class
              : listener.transport().isHttp()
                  ? DohTransportVerticle.class
                  : TcpTransportVerticle.class;
      chain =
          chain.compose(
              v -> vertx.deployVerticle(verticle, options).onSuccess(ids::add).mapEmpty());
    }
    return chain;
  }

  private static int instancesFor(Vertx vertx, VxdnsConfig config, ListenerConfig listener) {
    if (listener.transport() != Transport.UDP) {
      return config.options().tcpInstances();
    }
    if (!vertx.isNativeTransportEnabled()) {
      LOG.log(
          System.Logger.Level.WARNING,
          "udp {0}: native transport unavailable ({1}); one instance without SO_REUSEPORT",
          listener.name(),
          String.valueOf(vertx.unavailableNativeTransportCause()));
      return 1;
    }
    return config.options().udpInstances();
  }

  public VxdnsConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Undeploys transports first (they drain in-flight queries), then the stages. */
  public Future<Void> stop() {
    return undeployAll(vertx, transportDeployments, stageDeployments);
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
