package dev.vxdns.verticles.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The cluster's configuration document (the shared part of every node's config) with one version:
 * one value in the IMap {@value #MAP} (one owner, one synchronous backup, under split-brain
 * protection, so a minority cannot push), written only by {@link Write} on the partition thread
 * that owns the key, so that concurrent pushes get distinct versions in one order; and, in {@value
 * #APPLIED_MAP}, the version each member applied. Blocking calls: never on an event loop.
 */
public final class SharedConfigStore {
  static final String MAP = "vxdns.config";
  static final String APPLIED_MAP = "vxdns.config.applied";
  private static final String KEY = "config";

  /** A version of the shared document. */
  public record Versioned(long version, JsonObject document) {
    public Versioned {
      document = document.copy();
    }

    String encode() {
      return new JsonObject().put("version", version).put("document", document).encode();
    }

    static Versioned decode(String encoded) {
      if (encoded == null) {
        return null;
      }
      JsonObject json = new JsonObject(encoded);
      return new Versioned(json.getLong("version"), json.getJsonObject("document"));
    }
  }

  private final HazelcastInstance hazelcast;
  private volatile long appliedHere = 0;
  private volatile String refusedHere;

  /** The version this node's entry in {@value #APPLIED_MAP} holds, -1 before it is written. */
  private volatile long sharedHere = -1;

  SharedConfigStore(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  private IMap<String, String> map() {
    return hazelcast.getMap(MAP);
  }

  private IMap<String, Long> applied() {
    return hazelcast.getMap(APPLIED_MAP);
  }

  /**
   * Stores {@code document} as the next version; returns it. Fails with an {@link
   * IllegalStateException} on the minority side of a split.
   */
  public Versioned push(JsonObject document) {
    return call(() -> Versioned.decode(map().executeOnKey(KEY, new Write(-1, document.encode()))));
  }

  /**
   * Puts a node's saved version back when the cluster holds none or an older one (after the whole
   * cluster restarted: the maps live in memory); returns the cluster's version afterwards.
   */
  public Versioned seed(Versioned saved) {
    return call(
        () ->
            Versioned.decode(
                map().executeOnKey(KEY, new Write(saved.version(), saved.document().encode()))));
  }

  /** The latest version, null when nobody pushed one. */
  public Versioned latest() {
    return call(() -> Versioned.decode(map().get(KEY)));
  }

  /** Calls {@code changed} (on a Hazelcast thread) with each new version. */
  public AutoCloseable watch(Consumer<Versioned> changed) {
    UUID id = map().addEntryListener(new Changes(changed), KEY, true);
    return () -> map().removeEntryListener(id);
  }

  /**
   * Notes that this node cannot apply a version (it does not validate with its node-local part, a
   * zone file missing here, say), for the health report, until it applies a later one.
   */
  public void refused(long version, String why) {
    refusedHere = "version " + version + ": " + why;
  }

  /** Notes the version this node applied, for the health report. */
  public void applied(long version) {
    appliedHere = version;
    refusedHere = null;
    shareApplied();
  }

  /**
   * Puts the version this node applied into {@value #APPLIED_MAP} unless it is there already: a
   * node that applied one without a quorum (at start, before the others joined) shares it later.
   */
  public void shareApplied() {
    long version = appliedHere;
    if (version == sharedHere) {
      return;
    }
    try {
      applied()
          .setAsync(hazelcast.getCluster().getLocalMember().getUuid().toString(), version)
          .whenComplete(
              (done, failure) -> {
                if (failure == null) {
                  sharedHere = version;
                }
              });
    } catch (RuntimeException e) {
      // on the minority side, or stopping: this node's own report still says it
    }
  }

  /** The health report's part this node knows: the version it applied, or refused. */
  JsonObject localHealth() {
    JsonObject report = new JsonObject().put("version", appliedHere);
    if (refusedHere != null) {
      report.put("refused", refusedHere);
    }
    return report;
  }

  /** The health report's part read from the cluster: its version, and each member's. */
  JsonObject clusterHealth() {
    JsonObject report = new JsonObject();
    try {
      Versioned latest = latest();
      report.put("cluster-version", latest == null ? 0 : latest.version());
      Map<String, Long> byMember = new TreeMap<>();
      hazelcast
          .getCluster()
          .getMembers()
          .forEach(
              member ->
                  byMember.put(
                      member.getAddress().toString(), applied().get(member.getUuid().toString())));
      JsonObject members = new JsonObject();
      byMember.forEach(members::put);
      report.put("applied", members);
    } catch (RuntimeException e) {
      report.put("error", e.getMessage());
    }
    return report;
  }

  private static <T> T call(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (SplitBrainProtectionException e) {
      throw new IllegalStateException(
          "this node is on the minority side of a split (split-brain protection): the cluster's"
              + " config cannot be read or changed here",
          e);
    }
  }

  /**
   * The only writer of the document, run on the partition thread that owns the key (and again on
   * its backup, with the same result). A push ({@code version} -1) stores the next version; a seed
   * stores its version only over none or an older one. Returns the value afterwards.
   */
  static final class Write implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final long version;
    private final String document;

    Write(long version, String document) {
      this.version = version;
      this.document = document;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      Versioned current = Versioned.decode(entry.getValue());
      long now = current == null ? 0 : current.version();
      if (version < 0 || version > now) {
        String next =
            new Versioned(version < 0 ? now + 1 : version, new JsonObject(document)).encode();
        entry.setValue(next);
        return next;
      }
      return entry.getValue();
    }
  }

  private record Changes(Consumer<Versioned> changed)
      implements EntryAddedListener<String, String>,
          EntryUpdatedListener<String, String>,
          EntryMergedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      changed.accept(Versioned.decode(event.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      changed.accept(Versioned.decode(event.getValue()));
    }

    @Override
    public void entryMerged(EntryEvent<String, String> event) {
      changed.accept(Versioned.decode(event.getValue()));
    }
  }
}
