package dev.vxdns.auth;

import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The HMAC algorithms of RFC 8945 section 6, with the names BIND writes in named.conf, the names
 * carried in the TSIG record, the JCA names and the full MAC lengths.
 */
public enum TsigAlgorithm {
  HMAC_MD5("hmac-md5", "hmac-md5.sig-alg.reg.int.", "HmacMD5", 16),
  HMAC_SHA1("hmac-sha1", "hmac-sha1.", "HmacSHA1", 20),
  HMAC_SHA224("hmac-sha224", "hmac-sha224.", "HmacSHA224", 28),
  HMAC_SHA256("hmac-sha256", "hmac-sha256.", "HmacSHA256", 32),
  HMAC_SHA384("hmac-sha384", "hmac-sha384.", "HmacSHA384", 48),
  HMAC_SHA512("hmac-sha512", "hmac-sha512.", "HmacSHA512", 64);

  private final String bindName;
  private final Name wireName;
  private final String jcaName;
  private final int macLength;

  TsigAlgorithm(String bindName, String wireName, String jcaName, int macLength) {
    this.bindName = bindName;
    this.wireName = Name.fromConstantString(wireName);
    this.jcaName = jcaName;
    this.macLength = macLength;
  }

  /** The name as named.conf and tsig-keygen write it, without truncation suffix ("hmac-sha256"). */
  public String bindName() {
    return bindName;
  }

  /** The algorithm name carried in TSIG and TKEY records. */
  public Name wireName() {
    return wireName;
  }

  /** The JCA {@link javax.crypto.Mac} algorithm name. */
  public String jcaName() {
    return jcaName;
  }

  /** Length in octets of the untruncated MAC (the hash output size). */
  public int macLength() {
    return macLength;
  }

  /**
   * The shortest MAC RFC 8945 section 5.2.2.1 lets anyone send: the larger of 10 octets and half
   * the hash output. Shorter (non-empty) MACs are a FORMERR.
   */
  public int minimumMacLength() {
    return Math.max(10, (macLength + 1) / 2);
  }

  /** Looks up an algorithm by the name in a TSIG/TKEY record (case-insensitive). */
  public static Optional<TsigAlgorithm> fromWireName(Name name) {
    for (TsigAlgorithm a : values()) {
      if (a.wireName.equals(name)) {
        return Optional.of(a);
      }
    }
    // BIND and dnsjava also accept the short form of the MD5 name on the wire.
    if (name != null && name.equals(Name.fromConstantString("hmac-md5."))) {
      return Optional.of(HMAC_MD5);
    }
    return Optional.empty();
  }

  /**
   * Looks up an algorithm by its named.conf name without truncation suffix ("hmac-sha256",
   * "hmac-md5", "hmac-md5.sig-alg.reg.int"), case-insensitive.
   */
  public static Optional<TsigAlgorithm> fromBindName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.equals("hmac-md5.sig-alg.reg.int")) {
      return Optional.of(HMAC_MD5);
    }
    for (TsigAlgorithm a : values()) {
      if (a.bindName.equals(n)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
