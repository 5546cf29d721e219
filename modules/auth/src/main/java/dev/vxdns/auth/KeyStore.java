package dev.vxdns.auth;

import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The TSIG keys a server knows: configured keys and keys negotiated with TKEY. Implementations are
 * thread-safe; an expired negotiated key is never returned.
 */
public interface KeyStore {
  /** The live key with this name (case-insensitive), if any. */
  Optional<TsigKey> find(Name name);

  /** Adds the key, replacing any key with the same name. */
  void add(TsigKey key);

  /** Removes the key with this name; true if one was present. */
  boolean remove(Name name);

  /** A snapshot of the live keys. */
  List<TsigKey> list();

  /**
   * True when one more negotiated key of {@code creator} stays within the caps: fewer than {@code
   * maxTotal} live negotiated keys, and fewer than {@code maxPerCreator} of them made by {@code
   * creator}. A cheap check before the work of negotiating; {@link #addNegotiated} decides.
   */
  boolean hasRoomForNegotiated(Name creator, int maxTotal, int maxPerCreator);

  /**
   * Adds a negotiated key if {@link #hasRoomForNegotiated} holds for its creator, atomically with
   * that check; false (and nothing added) otherwise.
   */
  boolean addNegotiated(TsigKey key, int maxTotal, int maxPerCreator);

  /** Removes the keys that have expired; how many. */
  int removeExpired();
}
