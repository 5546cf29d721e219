package dev.vxdns.verticles.extension;

import dev.vxdns.verticles.extension.ExtensionSettings.BridgeSettings;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCP event-bus bridge for stages outside the JVM. Each configured stage {@code NAME} is served
 * in the pipeline at {@code vxdns.ext.NAME} by a {@link BridgedStage}, which asks {@code
 * vxdns.bridge.NAME} over the bus; the external process registers that address through the bridge
 * and replies to each request.
 *
 * <p>Permissions: a bridge client may register (receive from) only the {@code vxdns.bridge.NAME}
 * addresses configured, and may send to nothing but the reply addresses of the requests it received
 * (the bridge allows those by itself): no other stage, control or zone address is reachable through
 * it. It listens on loopback unless configured otherwise.
 */
public final class BridgeVerticle extends AbstractVerticle {
  private static final System.Logger LOG = System.getLogger(BridgeVerticle.class.getName());

  private final BridgeSettings settings;
  private TcpEventBusBridge bridge;

  public BridgeVerticle(BridgeSettings settings) {
    this.settings = settings;
  }

  /** The options that permit exactly the configured stages' bridge addresses, outbound only. */
  static BridgeOptions permissions(BridgeSettings settings) {
    BridgeOptions options = new BridgeOptions();
    for (String stage : settings.stages()) {
      options.addOutboundPermitted(
          new PermittedOptions().setAddress(BridgeSettings.BRIDGE_PREFIX + stage));
    }
    return options;
  }

  @Override
  public void start(Promise<Void> started) {
    List<Future<String>> stages = new ArrayList<>();
    for (String stage : settings.stages()) {
      stages.add(
          vertx.deployVerticle(
              new ExtensionStageVerticle(
                  ExtensionSettings.ADDRESS_PREFIX + stage,
                  new BridgedStage(
                      vertx.eventBus(),
                      BridgeSettings.BRIDGE_PREFIX + stage,
                      settings.timeoutMillis()))));
    }
    bridge = TcpEventBusBridge.create(vertx, permissions(settings));
    Future.all(stages)
        .compose(deployed -> bridge.listen(settings.port(), settings.host()))
        .onSuccess(
            listening ->
                LOG.log(
                    System.Logger.Level.INFO,
                    "bridge: listening on {0}:{1,number,#} for stages {2}",
                    settings.host(),
                    settings.port(),
                    settings.stages()))
        .<Void>mapEmpty()
        .onComplete(started);
  }

  @Override
  public void stop(Promise<Void> stopped) {
    (bridge == null ? Future.<Void>succeededFuture() : bridge.close()).onComplete(stopped);
  }
}
