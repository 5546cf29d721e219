package dev.vxdns.auth;

import java.math.BigInteger;
import java.util.Objects;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.KEYRecord;

/**
 * The public half of a Diffie-Hellman key as a DH KEY record carries it (RFC 2539 section 2): prime
 * length, prime (or a 1-octet well-known group index with empty generator), generator length,
 * generator, public value length, public value. Decoding follows BIND's openssldh_fromdns.
 */
public final class DhPublicValue {
  private final BigInteger prime;
  private final BigInteger generator;
  private final BigInteger publicValue;

  public DhPublicValue(BigInteger prime, BigInteger generator, BigInteger publicValue) {
    this.prime = Objects.requireNonNull(prime);
    this.generator = Objects.requireNonNull(generator);
    this.publicValue = Objects.requireNonNull(publicValue);
  }

  public BigInteger prime() {
    return prime;
  }

  public BigInteger generator() {
    return generator;
  }

  public BigInteger publicValue() {
    return publicValue;
  }

  /** Same group (prime and generator) as {@code other}: BIND's dst_key_paramcompare. */
  public boolean sameParameters(DhPublicValue other) {
    return prime.equals(other.prime) && generator.equals(other.generator);
  }

  /**
   * Decodes a KEY record of algorithm DH (2).
   *
   * @throws IllegalArgumentException if it is not a well-formed DH key
   */
  public static DhPublicValue fromKeyRecord(KEYRecord key) {
    if (key.getAlgorithm() != DNSSEC.Algorithm.DH) {
      throw new IllegalArgumentException("KEY algorithm " + key.getAlgorithm() + " is not DH");
    }
    byte[] d = key.getKey();
    if (d == null) {
      // dnsjava's KEYRecord has a null key when the RDATA ends after the algorithm.
      throw new IllegalArgumentException("DH KEY without key data");
    }
    int[] pos = {0};
    int plen = u16(d, pos);
    if (plen < 16 && plen != 1 && plen != 2) {
      throw new IllegalArgumentException("bad DH prime length " + plen);
    }
    BigInteger p;
    boolean special = plen == 1 || plen == 2;
    if (special) {
      int index = plen == 1 ? u8(d, pos) : u16(d, pos);
      p =
          DhGroup.byIndex(index)
              .orElseThrow(() -> new IllegalArgumentException("unknown DH group " + index))
              .prime();
    } else {
      p = new BigInteger(1, bytes(d, pos, plen));
    }
    int glen = u16(d, pos);
    BigInteger g;
    if (glen == 0) {
      if (!special) {
        throw new IllegalArgumentException("DH generator missing");
      }
      g = BigInteger.TWO;
    } else {
      g = new BigInteger(1, bytes(d, pos, glen));
      if (special && !g.equals(BigInteger.TWO)) {
        throw new IllegalArgumentException("well-known DH group with generator " + g);
      }
    }
    int ylen = u16(d, pos);
    BigInteger y = new BigInteger(1, bytes(d, pos, ylen));
    if (y.compareTo(BigInteger.ONE) <= 0 || y.compareTo(p.subtract(BigInteger.ONE)) >= 0) {
      throw new IllegalArgumentException("DH public value out of range");
    }
    return new DhPublicValue(p, g, y);
  }

  /** The key data of a DH KEY record for this value (well-known groups by index, as BIND). */
  public byte[] toKeyData() {
    DNSOutput out = new DNSOutput();
    java.util.Optional<DhGroup> group = DhGroup.of(prime, generator);
    if (group.isPresent()) {
      out.writeU16(1);
      out.writeU8(group.get().index());
      out.writeU16(0);
    } else {
      byte[] pb = unsigned(prime);
      byte[] gb = unsigned(generator);
      out.writeU16(pb.length);
      out.writeByteArray(pb);
      out.writeU16(gb.length);
      out.writeByteArray(gb);
    }
    byte[] yb = unsigned(publicValue);
    out.writeU16(yb.length);
    out.writeByteArray(yb);
    return out.toByteArray();
  }

  /** Big-endian without leading zero octets, as OpenSSL's BN_bn2bin. */
  static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    int i = 0;
    while (i < b.length - 1 && b[i] == 0) {
      i++;
    }
    return i == 0 ? b : java.util.Arrays.copyOfRange(b, i, b.length);
  }

  private static int u8(byte[] d, int[] pos) {
    if (pos[0] + 1 > d.length) {
      throw new IllegalArgumentException("DH key data truncated");
    }
    return d[pos[0]++] & 0xFF;
  }

  private static int u16(byte[] d, int[] pos) {
    return (u8(d, pos) << 8) | u8(d, pos);
  }

  private static byte[] bytes(byte[] d, int[] pos, int n) {
    if (pos[0] + n > d.length) {
      throw new IllegalArgumentException("DH key data truncated");
    }
    byte[] b = java.util.Arrays.copyOfRange(d, pos[0], pos[0] + n);
    pos[0] += n;
    return b;
  }
}
