package dev.vxdns.verticles.acl;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.StageRegistration;
import dev.vxdns.message.StageVerticle;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Serves {@link AclStage} at {@link Addresses#ACL} with the configured access lists, its blackhole
 * check at {@link Addresses#BLACKHOLE} (the first stage after PROXY), and their shared refusal
 * counters at {@link Addresses#STATS_ACL}.
 */
public final class AclVerticle extends StageVerticle {
  private final AclSettings settings;
  private StageRegistration blackhole;

  public AclVerticle(AclSettings settings) {
    super(Addresses.ACL, Addresses.STATS_ACL);
    this.settings = settings;
  }

  @Override
  protected Future<AclStage> createStage() throws Exception {
    return Future.succeededFuture(new AclStage(settings, NodeMetrics.of(vertx).registry()));
  }

  @Override
  protected Future<Void> startMore() {
    return StageRegistration.register(vertx, Addresses.BLACKHOLE, stage().blackhole())
        .map(
            done -> {
              blackhole = done;
              return null;
            });
  }

  @Override
  protected Future<Void> stopMore() {
    return blackhole == null ? Future.succeededFuture() : blackhole.unregister();
  }

  @Override
  protected Map<String, Long> counters() {
    return stage().refusals();
  }

  private AclStage stage() {
    return (AclStage) registration().current();
  }
}
