package dev.vxdns.message;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * The node's local stage registry: stage address to the stage object published by the verticle that
 * consumes that address. Backed by a Vert.x local map, so it is per Vert.x instance, not static.
 */
public final class StageRegistry {
  private static final String MAP_NAME = "vxdns.stages";

  private final LocalMap<String, Entry> stages;

  private StageRegistry(LocalMap<String, Entry> stages) {
    this.stages = stages;
  }

  public static StageRegistry of(Vertx vertx) {
    return new StageRegistry(vertx.sharedData().getLocalMap(MAP_NAME));
  }

  /** Publishes a stage; a later publication for the same address replaces it (hot redeploy). */
  public void publish(String address, Stage stage) {
    stages.put(address, new Entry(stage));
  }

  /** Withdraws a stage, unless another verticle has replaced it meanwhile. */
  public void withdraw(String address, Stage stage) {
    Entry current = stages.get(address);
    if (current != null && current.stage == stage) {
      stages.removeIfPresent(address, current);
    }
  }

  /** The in-process stage for an address, or null when it is only reachable on the event bus. */
  public Stage find(String address) {
    Entry entry = stages.get(address);
    return entry == null ? null : entry.stage;
  }

  /**
   * Local maps hold only shareable values; a stage is immutable, so sharing the reference is safe.
   */
  private static final class Entry implements Shareable {
    private final Stage stage;

    private Entry(Stage stage) {
      this.stage = stage;
    }
  }
}
