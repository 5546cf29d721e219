package dev.vxdns.verticles.proxy;

import dev.vxdns.config.DeploymentConfig;
import dev.vxdns.config.Options;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.StageRegistration;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;

/**
 * Serves {@link ProxyStage} at {@link Addresses#PROXY}, configured from {@code allow-proxy}, {@code
 * allow-proxy-on} and {@code proxy-max-header-size}, and answers requests on {@link
 * Addresses#STATS_PROXY} with its counters as JSON.
 */
public final class ProxyVerticle extends AbstractVerticle {
  private ProxyStage stage;
  private StageRegistration registration;

  @Override
  public void start(Promise<Void> started) {
    try {
      Options options = DeploymentConfig.parse(config()).options();
      stage =
          new ProxyStage(
              options.proxyMaxHeaderSize(), options.allowProxy(), options.allowProxyOn());
    } catch (Exception e) {
      started.fail(e);
      return;
    }
    StageRegistration.register(
            vertx, Addresses.PROXY, stage, Addresses.STATS_PROXY, stage::counters)
        .onSuccess(done -> registration = done)
        .<Void>mapEmpty()
        .onComplete(started);
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (registration == null) {
      stopped.complete();
    } else {
      registration.unregister().onComplete(stopped);
    }
  }
}
