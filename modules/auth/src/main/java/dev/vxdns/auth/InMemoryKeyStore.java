package dev.vxdns.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.xbill.DNS.Name;

/**
 * A thread-safe {@link KeyStore} in a concurrent map; expired keys are dropped when seen and by
 * {@link #removeExpired} (the auth verticle's periodic sweep). Adding a negotiated key under the
 * caps is serialized, so concurrent negotiations cannot overshoot them.
 */
public final class InMemoryKeyStore implements KeyStore {
  private final ConcurrentMap<Name, TsigKey> keys = new ConcurrentHashMap<>();
  private final Clock clock;

  public InMemoryKeyStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public InMemoryKeyStore(Clock clock, Collection<TsigKey> initial) {
    this(clock);
    initial.forEach(this::add);
  }

  @Override
  public Optional<TsigKey> find(Name name) {
    TsigKey k = keys.get(name);
    if (k == null) {
      return Optional.empty();
    }
    if (k.isExpired(clock.instant())) {
      keys.remove(name, k);
      return Optional.empty();
    }
    return Optional.of(k);
  }

  @Override
  public void add(TsigKey key) {
    keys.put(key.name(), key);
  }

  @Override
  public boolean remove(Name name) {
    return keys.remove(name) != null;
  }

  @Override
  public boolean hasRoomForNegotiated(Name creator, int maxTotal, int maxPerCreator) {
    Instant now = clock.instant();
    int total = 0;
    int byCreator = 0;
    for (TsigKey k : keys.values()) {
      if (k.isNegotiated() && !k.isExpired(now)) {
        total++;
        if (creator.equals(k.identity())) {
          byCreator++;
        }
      }
    }
    return total < maxTotal && byCreator < maxPerCreator;
  }

  @Override
  public synchronized boolean addNegotiated(TsigKey key, int maxTotal, int maxPerCreator) {
    if (!key.isNegotiated()) {
      throw new IllegalArgumentException("not a negotiated key: " + key.name());
    }
    if (!hasRoomForNegotiated(key.identity(), maxTotal, maxPerCreator)) {
      return false;
    }
    keys.put(key.name(), key);
    return true;
  }

  @Override
  public int removeExpired() {
    Instant now = clock.instant();
    int removed = 0;
    for (TsigKey k : keys.values()) {
      if (k.isExpired(now) && keys.remove(k.name(), k)) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public List<TsigKey> list() {
    Instant now = clock.instant();
    List<TsigKey> out = new ArrayList<>();
    for (TsigKey k : keys.values()) {
      if (k.isExpired(now)) {
        keys.remove(k.name(), k);
      } else {
        out.add(k);
      }
    }
    out.sort(Comparator.comparing(TsigKey::name));
    return List.copyOf(out);
  }
}
