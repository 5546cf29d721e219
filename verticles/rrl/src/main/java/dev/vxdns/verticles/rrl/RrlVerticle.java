package dev.vxdns.verticles.rrl;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.StageVerticle;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Serves {@link RrlStage} at {@link Addresses#RRL} with the {@code rate-limit} settings, and its
 * counters at {@link Addresses#STATS_RRL}. Every few seconds it removes the accounts idle longer
 * than the window, so the table holds only clients seen recently (a bounded walk over at most
 * {@code max-table-size} accounts).
 */
public final class RrlVerticle extends StageVerticle {
  private final RrlSettings settings;
  private long sweeper = -1;

  public RrlVerticle(RrlSettings settings) {
    super(Addresses.RRL, Addresses.STATS_RRL);
    this.settings = settings;
  }

  @Override
  protected Future<RrlStage> createStage() {
    return Future.succeededFuture(new RrlStage(settings, NodeMetrics.of(vertx).registry()));
  }

  @Override
  protected Future<Void> startMore() {
    if (settings.enabled()) {
      long every = Math.min(settings.window(), 60) * 1000L;
      sweeper = vertx.setPeriodic(every, tick -> stage().removeExpired());
    }
    return Future.succeededFuture();
  }

  @Override
  protected Future<Void> stopMore() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    return Future.succeededFuture();
  }

  @Override
  protected Map<String, Long> counters() {
    return stage().counters();
  }

  private RrlStage stage() {
    return (RrlStage) registration().current();
  }
}
