package dev.vxdns.verticles.transport;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.DeploymentConfig;
import dev.vxdns.config.ListenerConfig;
import dev.vxdns.config.Options;
import dev.vxdns.config.VxdnsConfig;
import dev.vxdns.message.StageChain;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What a transport verticle reads from its deployment config: a {@link DeploymentConfig} plus
 * {@code "listener"}, the index of its entry in the expanded {@code options.listen-on} list.
 */
record ListenerSetup(ListenerConfig listener, Options options, StageChain chain) {
  static final String LISTENER_KEY = "listener";

  static ListenerSetup from(Vertx vertx, JsonObject deploymentConfig) throws ConfigException {
    VxdnsConfig config = DeploymentConfig.parse(deploymentConfig);
    int index = deploymentConfig.getInteger(LISTENER_KEY, 0);
    if (index < 0 || index >= config.options().listenOn().size()) {
      throw new ConfigException(LISTENER_KEY, "no listener number " + index);
    }
    ListenerConfig listener = config.options().listenOn().get(index);
    Options options = config.options();
    StageChain chain = new StageChain(vertx, listener.pipeline(), options.delivery(), options.pipelineTimeoutMillis());
    return new ListenerSetup(listener, options, chain);
  }
}
