package dev.vxdns.verticles.acl;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.StageVerticle;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Serves {@link AclStage} at {@link Addresses#ACL} with the configured access lists, and its
 * refusal counters at {@link Addresses#STATS_ACL}.
 */
public final class AclVerticle extends StageVerticle {
  private final AclSettings settings;

  public AclVerticle(AclSettings settings) {
    super(Addresses.ACL, Addresses.STATS_ACL);
    this.settings = settings;
  }

  @Override
  protected Future<AclStage> createStage() throws Exception {
    return Future.succeededFuture(new AclStage(settings));
  }

  @Override
  protected Map<String, Long> counters() {
    return ((AclStage) registration().current()).refusals();
  }
}
