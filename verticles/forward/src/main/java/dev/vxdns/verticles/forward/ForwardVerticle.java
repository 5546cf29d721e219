package dev.vxdns.verticles.forward;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.StageVerticle;
import io.vertx.core.Future;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;

/**
 * Serves the forward stage at {@code vxdns.forward}: loads the DoT backends' CAs (on a worker),
 * builds the pools' shared state, runs the health checks on its own loop and answers its counters
 * at {@code vxdns.stats.forward}. The queries themselves never come here: each transport's loop
 * forwards on sockets of its own.
 */
public final class ForwardVerticle extends StageVerticle {
  private final ForwardSettings settings;
  private Forwarder forwarder;
  private HealthChecks checks;

  public ForwardVerticle(ForwardSettings settings) {
    super(Addresses.FORWARD, Addresses.STATS_FORWARD);
    this.settings = settings;
  }

  @Override
  protected Future<ForwardStage> createStage() {
    return vertx
        .executeBlocking(this::pools, false)
        .map(
            pools -> {
              forwarder = new Forwarder(pools, settings.cache());
              return new ForwardStage(settings, forwarder);
            });
  }

  /** Each pool once, its backends' TLS trust read from their CA files (blocking I/O). */
  private List<PoolState> pools() throws Exception {
    Map<String, PoolState> pools = new LinkedHashMap<>();
    for (Pool pool : settings.forwardZones().values()) {
      if (pools.containsKey(pool.name())) {
        continue;
      }
      List<BackendState> backends = new ArrayList<>();
      for (Backend backend : pool.backends()) {
        backends.add(new BackendState(backend, tls(backend)));
      }
      pools.put(pool.name(), new PoolState(pool, backends));
    }
    return new ArrayList<>(pools.values());
  }

  private static ClientSSLOptions tls(Backend backend) throws Exception {
    if (backend.transport() != BackendTransport.DOT) {
      return null;
    }
    ClientSSLOptions ssl =
        new ClientSSLOptions()
            .setUseAlpn(true)
            .setApplicationLayerProtocols(List.of("dot"))
            .setSslHandshakeTimeout(backend.timeoutMillis())
            .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
            // PinnedTrust checks the name itself, and only that name.
            .setHostnameVerificationAlgorithm("");
    if (backend.caFile() == null) {
      // No CA: encrypted but not authenticated (RFC 8310's opportunistic profile).
      return ssl.setTrustAll(true);
    }
    TrustManager pinned =
        dev.vxdns.secondary.PinnedTrust.load(
            new dev.vxdns.secondary.TlsTrust(backend.caFile().toString(), backend.tlsName()));
    return ssl.setTrustOptions(TrustOptions.wrap(pinned));
  }

  @Override
  protected Future<Void> startMore() {
    checks = new HealthChecks(vertx, forwarder);
    checks.start();
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> stopMore() {
    if (checks != null) {
      checks.stop();
    }
    if (forwarder != null) {
      forwarder.close();
    }
    return Future.succeededFuture();
  }

  @Override
  protected Map<String, Long> counters() {
    Map<String, Long> counters = BackendState.newCounters();
    if (forwarder == null) {
      return counters;
    }
    counters.put("queries forwarded", forwarder.forwarded.sum());
    counters.put("servfail no backend answered", forwarder.noBackend.sum());
    for (PoolState pool : forwarder.pools) {
      pool.backends.forEach(backend -> backend.counters(counters));
    }
    if (settings.cache() != null) {
      counters.putAll(forwarder.cacheCounters.snapshot());
      counters.put("cache entries", forwarder.cacheEntries());
    }
    return counters;
  }
}
