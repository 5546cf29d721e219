package dev.vxdns.verticles.proxy;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.StageVerticle;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Serves {@link ProxyStage} at {@link Addresses#PROXY}, configured from {@code allow-proxy}, {@code
 * allow-proxy-on} and {@code proxy-max-header-size}, and answers requests on {@link
 * Addresses#STATS_PROXY} with its counters as JSON.
 */
public final class ProxyVerticle extends StageVerticle {
  private final ProxySettings settings;

  public ProxyVerticle(ProxySettings settings) {
    super(Addresses.PROXY, Addresses.STATS_PROXY);
    this.settings = settings;
  }

  @Override
  protected Future<ProxyStage> createStage() {
    return Future.succeededFuture(
        new ProxyStage(
            settings.maxHeaderSize(),
            settings.allowProxy(),
            settings.allowProxyOn(),
            NodeMetrics.of(vertx).registry()));
  }

  @Override
  protected Map<String, Long> counters() {
    return ((ProxyStage) registration().current()).counters();
  }
}
