package dev.vxdns.message;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's local stage registry: stage address to the stage object published by the verticle that
 * consumes that address. Backed by a Vert.x local map, so it is per Vert.x instance, not static.
 *
 * <p>Each address has one {@link Slot} for the registry's life, whatever is published in it: a
 * chain resolves its stages' slots once and reads each per query (one volatile read, where a map
 * lookup per stage per query was about 5 % of the query path's Java time), and still sees a
 * redeployed stage from its next query on.
 */
public final class StageRegistry {
  private static final String MAP_NAME = "vxdns.stages";

  private final LocalMap<String, Slot> slots;

  private StageRegistry(LocalMap<String, Slot> slots) {
    this.slots = slots;
  }

  public static StageRegistry of(Vertx vertx) {
    return new StageRegistry(vertx.sharedData().getLocalMap(MAP_NAME));
  }

  /** Publishes a stage; a later publication for the same address replaces it (hot redeploy). */
  public void publish(String address, Stage stage) {
    slot(address).stage.set(stage);
  }

  /** Withdraws a stage, unless another verticle has replaced it meanwhile. */
  public void withdraw(String address, Stage stage) {
    slot(address).stage.compareAndSet(stage, null);
  }

  /** The in-process stage for an address, or null when it is only reachable on the event bus. */
  public Stage find(String address) {
    return slot(address).stage();
  }

  /** The slot of an address: what is published there now, from any thread, at any later time. */
  public Slot slot(String address) {
    Slot slot = slots.get(address);
    if (slot == null) {
      Slot fresh = new Slot();
      slot = slots.putIfAbsent(address, fresh);
      if (slot == null) {
        slot = fresh;
      }
    }
    return slot;
  }

  /**
   * Where one address's stage is published. Local maps hold only shareable values; the slot is
   * shared by reference, and a stage is immutable.
   */
  public static final class Slot implements Shareable {
    private final AtomicReference<Stage> stage = new AtomicReference<>();

    private Slot() {}

    /** The stage published now, or null. */
    public Stage stage() {
      return stage.get();
    }
  }
}
