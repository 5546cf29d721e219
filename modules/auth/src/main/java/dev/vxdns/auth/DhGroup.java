package dev.vxdns.auth;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The well-known Diffie-Hellman groups a DH KEY record can name by index instead of spelling out
 * the prime (RFC 2539 section 2: 1 and 2; BIND also uses 3 for the 1536-bit MODP group of RFC
 * 3526). Generator 2 for all.
 */
public enum DhGroup {
  MODP768(
      1,
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E"
          + "3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36"
          + "20FFFFFFFFFFFFFFFF"),
  MODP1024(
      2,
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E"
          + "3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED"
          + "6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF"),
  MODP1536(
      3,
      "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E"
          + "3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED"
          + "6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598"
          + "DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C35"
          + "4E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF");

  private final int index;
  private final BigInteger prime;

  DhGroup(int index, String primeHex) {
    this.index = index;
    this.prime = new BigInteger(primeHex, 16);
  }

  /** The index written in a KEY record (prime length 1). */
  public int index() {
    return index;
  }

  public BigInteger prime() {
    return prime;
  }

  public BigInteger generator() {
    return BigInteger.TWO;
  }

  public int bits() {
    return prime.bitLength();
  }

  public static Optional<DhGroup> byIndex(int index) {
    for (DhGroup g : values()) {
      if (g.index == index) {
        return Optional.of(g);
      }
    }
    return Optional.empty();
  }

  /** The well-known group with this prime and generator, if any. */
  public static Optional<DhGroup> of(BigInteger p, BigInteger g) {
    for (DhGroup group : values()) {
      if (group.prime.equals(p) && BigInteger.TWO.equals(g)) {
        return Optional.of(group);
      }
    }
    return Optional.empty();
  }
}
