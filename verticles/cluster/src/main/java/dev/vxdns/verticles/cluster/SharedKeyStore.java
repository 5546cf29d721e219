package dev.vxdns.verticles.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.vxdns.auth.KeyStore;
import dev.vxdns.auth.TsigAlgorithm;
import dev.vxdns.auth.TsigKey;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;

/**
 * A node's key store whose TKEY-negotiated keys are shared with the cluster: a key negotiated on
 * one node is put in the IMap {@value #MAP} (expiring with the key) and every node adds it to its
 * own store when the map says so, so that it verifies on all; a deleted key goes from all. Lookups
 * (the query path) read only the node's own store: no remote call per query.
 */
final class SharedKeyStore implements KeyStore, AutoCloseable {
  static final String MAP = "vxdns.tkey";

  private final KeyStore local;
  private final IMap<String, String> shared;
  private final UUID listener;

  /** Reads the cluster's keys into {@code local} and follows the map from now on. Blocking. */
  SharedKeyStore(HazelcastInstance hazelcast, KeyStore local) {
    this.local = local;
    this.shared = hazelcast.getMap(MAP);
    this.listener = shared.addEntryListener(new Changes(), true);
    shared.values().forEach(this::learn);
  }

  private void learn(String encoded) {
    TsigKey key = decode(encoded);
    if (!key.isExpired(Instant.now())) {
      local.add(key);
    }
  }

  static String encode(TsigKey key) {
    return new JsonObject()
        .put("name", key.name().toString())
        .put("algorithm", key.bindAlgorithmName())
        .put("secret", key.secretBase64())
        .put("expires", key.expires().orElseThrow().toEpochMilli())
        .put("creator", key.creator().map(Name::toString).orElse(null))
        .encode();
  }

  static TsigKey decode(String encoded) {
    JsonObject json = new JsonObject(encoded);
    String creator = json.getString("creator");
    return TsigKey.negotiated(
        Name.fromConstantString(json.getString("name")),
        TsigAlgorithm.fromBindName(json.getString("algorithm")).orElseThrow(),
        Base64.getDecoder().decode(json.getString("secret")),
        Instant.ofEpochMilli(json.getLong("expires")),
        creator == null ? null : Name.fromConstantString(creator));
  }

  private static String keyOf(Name name) {
    return name.toString().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Optional<TsigKey> find(Name name) {
    return local.find(name);
  }

  @Override
  public void add(TsigKey key) {
    local.add(key);
    if (key.isNegotiated()) {
      publish(key);
    }
  }

  @Override
  public boolean remove(Name name) {
    boolean removed = local.remove(name);
    // Not waited for: the control channel's event loop calls this.
    shared.removeAsync(keyOf(name));
    return removed;
  }

  @Override
  public List<TsigKey> list() {
    return local.list();
  }

  @Override
  public boolean hasRoomForNegotiated(Name creator, int maxTotal, int maxPerCreator) {
    return local.hasRoomForNegotiated(creator, maxTotal, maxPerCreator);
  }

  /** On the TKEY worker thread: the key is in the cluster before the TKEY answer goes out. */
  @Override
  public boolean addNegotiated(TsigKey key, int maxTotal, int maxPerCreator) {
    boolean added = local.addNegotiated(key, maxTotal, maxPerCreator);
    if (added) {
      publish(key);
    }
    return added;
  }

  private void publish(TsigKey key) {
    long ttl = key.expires().orElseThrow().toEpochMilli() - System.currentTimeMillis();
    if (ttl > 0) {
      shared.set(keyOf(key.name()), encode(key), ttl, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public int removeExpired() {
    return local.removeExpired();
  }

  @Override
  public void close() {
    try {
      shared.removeEntryListener(listener);
    } catch (RuntimeException e) {
      // the cluster is going away too
    }
  }

  /** The map's changes, made by any node (this one's too: adding a key again is harmless). */
  private final class Changes
      implements EntryAddedListener<String, String>,
          EntryUpdatedListener<String, String>,
          EntryMergedListener<String, String>,
          EntryRemovedListener<String, String>,
          EntryExpiredListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      learn(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      learn(event.getValue());
    }

    @Override
    public void entryMerged(EntryEvent<String, String> event) {
      learn(event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      local.remove(Name.fromConstantString(event.getKey()));
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      local.remove(Name.fromConstantString(event.getKey()));
    }
  }
}
