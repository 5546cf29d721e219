package dev.vxdns.verticles.acl;

import dev.vxdns.config.DeploymentConfig;
import dev.vxdns.config.VxdnsConfig;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.StageRegistration;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Serves {@link AclStage} at {@link Addresses#ACL} with the configured access lists, and its
 * refusal counters at {@link Addresses#STATS_ACL}.
 */
public final class AclVerticle extends AbstractVerticle {
  private StageRegistration registration;
  private MessageConsumer<Object> stats;

  @Override
  public void start(Promise<Void> started) {
    AclStage stage;
    try {
      VxdnsConfig config = DeploymentConfig.parse(config());
      stage = new AclStage(config.options().access(), config.zones(), config.options().ednsUdpSize());
    } catch (Exception e) {
      started.fail(e);
      return;
    }
    stats = vertx.eventBus().consumer(Addresses.STATS_ACL, request -> {
      JsonObject counts = new JsonObject();
      stage.refusals().forEach(counts::put);
      request.reply(counts);
    });
    stats.completion()
        .compose(ready -> StageRegistration.register(vertx, Addresses.ACL, stage))
        .onSuccess(done -> registration = done)
        .<Void>mapEmpty()
        .onComplete(started);
  }

  @Override
  public void stop(Promise<Void> stopped) {
    stats.unregister()
        .compose(v -> registration == null ? Future.<Void>succeededFuture() : registration.unregister())
        .onComplete(stopped);
  }
}
