package dev.vxdns.message;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;

/**
 * The shape of every stage verticle: build the stage from the verticle's already parsed settings,
 * serve it at its address (on the event bus and in the local registry, {@link StageRegistration}),
 * answer its counters at a stats address, and withdraw it on stop. A stage verticle is its stage
 * plus {@link #createStage}.
 */
public abstract class StageVerticle extends AbstractVerticle {
  private final String address;
  private final String statsAddress;
  private StageRegistration registration;

  /**
   * @param statsAddress where the control channel asks for {@link #counters()}, or null
   */
  protected StageVerticle(String address, String statsAddress) {
    this.address = address;
    this.statsAddress = statsAddress;
  }

  /** The stage to serve; blocking work (files, key generation) goes through executeBlocking. */
  protected abstract Future<? extends Stage> createStage() throws Exception;

  /** The stage's counters for {@code /stats}; none by default. */
  protected Map<String, Long> counters() {
    return Map.of();
  }

  /** What else starts once the stage is served (other consumers); nothing by default. */
  protected Future<Void> startMore() {
    return Future.succeededFuture();
  }

  /** What else stops before the stage is withdrawn; nothing by default. */
  protected Future<Void> stopMore() {
    return Future.succeededFuture();
  }

  /** The registration, once started: {@link StageRegistration#replace} swaps the stage. */
  protected final StageRegistration registration() {
    return registration;
  }

  @Override
  public final void start(Promise<Void> started) {
    Future<? extends Stage> stage;
    try {
      stage = createStage();
    } catch (Exception e) {
      started.fail(e);
      return;
    }
    stage
        .compose(
            built ->
                StageRegistration.register(vertx, address, built, statsAddress, this::counters))
        // Kept in the step that goes on, not in a listener beside it: a listener added to a future
        // that completes meanwhile on another thread may run after the next step.
        .compose(
            done -> {
              registration = done;
              return startMore();
            })
        .onComplete(started);
  }

  @Override
  public final void stop(Promise<Void> stopped) {
    stopMore()
        .eventually(
            () -> registration == null ? Future.succeededFuture() : registration.unregister())
        .onComplete(stopped);
  }
}
