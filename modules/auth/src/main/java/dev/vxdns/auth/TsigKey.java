package dev.vxdns.auth;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * An immutable TSIG key: name, algorithm, secret, optional MAC truncation (BIND's {@code
 * hmac-sha256-128}), and for keys negotiated with TKEY an expiry and the identity that created
 * them.
 */
public final class TsigKey {
  private final Name name;
  private final TsigAlgorithm algorithm;
  private final byte[] secret;
  private final int truncationBits;
  private final Instant expires;
  private final Name creator;

  /**
   * A keyed {@link Mac} that {@link TsigMac#newMac} clones for every MAC computed with this key
   * (cloning skips {@code getInstance} and {@code init}); never updated itself, so concurrent
   * cloning is safe. Null when the provider has no such HMAC. Not part of the key's value.
   */
  private final Mac macPrototype;

  private TsigKey(
      Name name,
      TsigAlgorithm algorithm,
      byte[] secret,
      int truncationBits,
      Instant expires,
      Name creator) {
    this.name = Objects.requireNonNull(name, "name");
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("key name must be absolute: " + name);
    }
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(secret, "secret");
    if (secret.length == 0) {
      throw new IllegalArgumentException("empty secret for key " + name);
    }
    this.secret = secret.clone();
    this.truncationBits = truncationBits;
    this.expires = expires;
    this.creator = creator;
    this.macPrototype = TsigMac.prototype(algorithm, this.secret);
  }

  /** A static (configured) key with a full-length MAC. */
  public static TsigKey of(Name name, TsigAlgorithm algorithm, byte[] secret) {
    return new TsigKey(name, algorithm, secret, 0, null, null);
  }

  /**
   * A static key whose MACs are truncated to {@code truncationBits} (0 = no truncation), as BIND's
   * {@code algorithm hmac-sha256-128;}.
   */
  public static TsigKey of(Name name, TsigAlgorithm algorithm, byte[] secret, int truncationBits) {
    String problem = truncationProblem(algorithm, truncationBits);
    if (problem != null) {
      throw new IllegalArgumentException(problem + " for key " + name);
    }
    return new TsigKey(name, algorithm, secret, truncationBits, null, null);
  }

  /** A key negotiated with TKEY: it expires, and remembers the identity that created it. */
  public static TsigKey negotiated(
      Name name, TsigAlgorithm algorithm, byte[] secret, Instant expires, Name creator) {
    return new TsigKey(
        name, algorithm, secret, 0, Objects.requireNonNull(expires, "expires"), creator);
  }

  /**
   * Parses a key as written in the configuration: {@code key.NAME.algorithm} (BIND's name, with an
   * optional truncation suffix, e.g. {@code hmac-sha256-128}) and {@code key.NAME.secret} (base64).
   *
   * @throws KeyConfigException naming the key and the field
   */
  public static TsigKey parse(String name, String algorithm, String base64Secret) {
    String label = name == null ? "<null>" : name;
    if (name == null || name.isBlank()) {
      throw new KeyConfigException(label, "", "empty key name");
    }
    Name keyName;
    try {
      keyName = Name.fromString(name.trim(), Name.root);
    } catch (TextParseException e) {
      throw new KeyConfigException(label, "", "invalid key name: " + e.getMessage());
    }
    if (algorithm == null || algorithm.isBlank()) {
      throw new KeyConfigException(label, "algorithm", "missing algorithm");
    }
    String alg = algorithm.trim();
    int bits = 0;
    Optional<TsigAlgorithm> a = TsigAlgorithm.fromBindName(alg);
    if (a.isEmpty()) {
      int dash = alg.lastIndexOf('-');
      if (dash > 0
          && alg.substring(dash + 1).chars().allMatch(Character::isDigit)
          && dash + 1 < alg.length()) {
        a = TsigAlgorithm.fromBindName(alg.substring(0, dash));
        try {
          bits = Integer.parseInt(alg.substring(dash + 1));
        } catch (NumberFormatException e) {
          a = Optional.empty();
        }
      }
    }
    if (a.isEmpty()) {
      throw new KeyConfigException(
          label,
          "algorithm",
          "unknown algorithm '"
              + alg
              + "' (expected hmac-md5, hmac-sha1, hmac-sha224,"
              + " hmac-sha256, hmac-sha384 or hmac-sha512, optionally with -BITS)");
    }
    String problem = truncationProblem(a.get(), bits);
    if (problem != null) {
      throw new KeyConfigException(label, "algorithm", problem);
    }
    if (base64Secret == null || base64Secret.isBlank()) {
      throw new KeyConfigException(label, "secret", "missing secret");
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(base64Secret.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new KeyConfigException(
          label, "secret", "secret is not valid base64: " + e.getMessage());
    }
    if (secret.length == 0) {
      throw new KeyConfigException(label, "secret", "secret decodes to zero bytes");
    }
    return new TsigKey(keyName, a.get(), secret, bits, null, null);
  }

  private static String truncationProblem(TsigAlgorithm algorithm, int bits) {
    if (bits == 0) {
      return null;
    }
    int full = algorithm.macLength() * 8;
    int min = Math.max(80, full / 2);
    if (bits % 8 != 0) {
      return "truncation " + bits + " is not a multiple of 8";
    }
    if (bits < min || bits > full) {
      return "truncation "
          + bits
          + " out of range "
          + min
          + ".."
          + full
          + " for "
          + algorithm.bindName();
    }
    return null;
  }

  public Name name() {
    return name;
  }

  public TsigAlgorithm algorithm() {
    return algorithm;
  }

  /** A copy of the secret. */
  public byte[] secret() {
    return secret.clone();
  }

  public String secretBase64() {
    return Base64.getEncoder().encodeToString(secret);
  }

  /** 0 for a full-length MAC, otherwise the configured truncation in bits. */
  public int truncationBits() {
    return truncationBits;
  }

  /** Length of the MACs this key produces when signing. */
  public int macLength() {
    return truncationBits == 0 ? algorithm.macLength() : truncationBits / 8;
  }

  /**
   * The shortest MAC accepted by local policy (shorter but RFC-legal MACs get BADTRUNC): the full
   * length for an untruncated key, the configured truncation otherwise (as BIND).
   */
  public int minimumAcceptedMacLength() {
    return macLength();
  }

  /** The algorithm as named.conf writes it, with truncation suffix when set. */
  public String bindAlgorithmName() {
    return truncationBits == 0 ? algorithm.bindName() : algorithm.bindName() + "-" + truncationBits;
  }

  public Optional<Instant> expires() {
    return Optional.ofNullable(expires);
  }

  /** The identity (key name) that negotiated this key with TKEY; empty for configured keys. */
  public Optional<Name> creator() {
    return Optional.ofNullable(creator);
  }

  public boolean isNegotiated() {
    return expires != null;
  }

  public boolean isExpired(Instant now) {
    return expires != null && !now.isBefore(expires);
  }

  /**
   * The identity a message signed with this key speaks for: the creator of a negotiated key,
   * otherwise the key's own name (as BIND's dns_tsigkey_identity).
   */
  public Name identity() {
    return creator != null ? creator : name;
  }

  /** A dnsjava client-side {@link TSIG} for this key (full-length MACs). */
  public TSIG toDnsjava() {
    return new TSIG(algorithm.wireName(), name, new SecretKeySpec(secret, algorithm.jcaName()));
  }

  byte[] secretNoCopy() {
    return secret;
  }

  /** The keyed MAC to clone, or null (see {@link TsigMac#newMac}). */
  Mac macPrototype() {
    return macPrototype;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof TsigKey)) {
      return false;
    }
    TsigKey k = (TsigKey) o;
    return name.equals(k.name)
        && algorithm == k.algorithm
        && truncationBits == k.truncationBits
        && Objects.equals(expires, k.expires)
        && Objects.equals(creator, k.creator)
        && MessageDigest.isEqual(secret, k.secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, algorithm, truncationBits, expires);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "TsigKey{"
        + name
        + " "
        + bindAlgorithmName()
        + (expires != null ? " expires=" + expires : "")
        + (creator != null ? " creator=" + creator : "")
        + "}";
  }
}
