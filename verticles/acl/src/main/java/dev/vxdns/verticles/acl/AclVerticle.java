package dev.vxdns.verticles.acl;

import dev.vxdns.config.DeploymentConfig;
import dev.vxdns.config.VxdnsConfig;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.StageRegistration;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;

/**
 * Serves {@link AclStage} at {@link Addresses#ACL} with the configured access lists, and its
 * refusal counters at {@link Addresses#STATS_ACL}.
 */
public final class AclVerticle extends AbstractVerticle {
  private StageRegistration registration;

  @Override
  public void start(Promise<Void> started) {
    AclStage stage;
    try {
      VxdnsConfig config = DeploymentConfig.parse(config());
      stage =
          new AclStage(config.options().access(), config.zones(), config.options().ednsUdpSize());
    } catch (Exception e) {
      started.fail(e);
      return;
    }
    StageRegistration.register(vertx, Addresses.ACL, stage, Addresses.STATS_ACL, stage::refusals)
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
