package dev.vxdns.auth;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPrivateKeySpec;
import javax.crypto.spec.DHPublicKeySpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * A named Diffie-Hellman key pair for TKEY mode 2: BIND's {@code tkey-dhkey} on a server, or the
 * client's key. Immutable.
 */
public final class DhKey {
  /** KEY flags BIND's {@code dnssec-keygen -a DH -n HOST} writes (host name type). */
  public static final int HOST_FLAGS = KEYRecord.Flags.HOST;

  private final Name name;
  private final PrivateKey privateKey;
  private final DhPublicValue publicValue;

  private DhKey(Name name, PrivateKey privateKey, DhPublicValue publicValue) {
    this.name = Objects.requireNonNull(name, "name");
    this.privateKey = Objects.requireNonNull(privateKey);
    this.publicValue = Objects.requireNonNull(publicValue);
  }

  /**
   * Generates a key in a well-known group (BIND's {@code dnssec-keygen -a DH -b 768|1024|1536}).
   */
  public static DhKey generate(Name name, DhGroup group, SecureRandom random) {
    try {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("DH");
      kpg.initialize(new DHParameterSpec(group.prime(), group.generator()), random);
      KeyPair kp = kpg.generateKeyPair();
      BigInteger y = ((DHPublicKey) kp.getPublic()).getY();
      return new DhKey(
          name, kp.getPrivate(), new DhPublicValue(group.prime(), group.generator(), y));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DH key generation failed", e);
    }
  }

  /**
   * Loads a key from the text of BIND's private key file ({@code Kname.+002+tag.private}, fields
   * {@code Prime(p)}, {@code Generator(g)}, {@code Private_value(x)}, {@code Public_value(y)}).
   */
  public static DhKey fromBindPrivateKey(Name name, String privateFileText) {
    Map<String, BigInteger> f = new HashMap<>();
    for (String line : privateFileText.split("\\R")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String tag = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (tag.endsWith(")") && tag.contains("(")) {
        f.put(tag, new BigInteger(1, Base64.getMimeDecoder().decode(value)));
      }
    }
    BigInteger p = require(f, "Prime(p)");
    BigInteger g = require(f, "Generator(g)");
    BigInteger x = require(f, "Private_value(x)");
    BigInteger y = f.containsKey("Public_value(y)") ? f.get("Public_value(y)") : g.modPow(x, p);
    try {
      PrivateKey priv = KeyFactory.getInstance("DH").generatePrivate(new DHPrivateKeySpec(x, p, g));
      return new DhKey(name, priv, new DhPublicValue(p, g, y));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("unusable DH private key for " + name, e);
    }
  }

  private static BigInteger require(Map<String, BigInteger> f, String tag) {
    BigInteger v = f.get(tag);
    if (v == null) {
      throw new IllegalArgumentException("DH private key file lacks " + tag);
    }
    return v;
  }

  public Name name() {
    return name;
  }

  public DhPublicValue publicValue() {
    return publicValue;
  }

  /** The public key as a KEY record (class ANY, flags host, protocol DNSSEC, algorithm DH). */
  public KEYRecord toKeyRecord(long ttl) {
    return new KEYRecord(
        name,
        DClass.ANY,
        ttl,
        HOST_FLAGS,
        KEYRecord.Protocol.DNSSEC,
        DNSSEC.Algorithm.DH,
        publicValue.toKeyData());
  }

  /**
   * The Diffie-Hellman shared value with {@code peer}, big-endian without leading zero octets
   * (OpenSSL's DH_compute_key / unpadded EVP_PKEY_derive, which BIND hashes; the JDK pads to the
   * prime's length).
   */
  public byte[] agree(DhPublicValue peer) {
    if (!peer.sameParameters(publicValue)) {
      throw new IllegalArgumentException("DH parameters differ");
    }
    try {
      DHPublicKey peerKey =
          (DHPublicKey)
              KeyFactory.getInstance("DH")
                  .generatePublic(
                      new DHPublicKeySpec(peer.publicValue(), peer.prime(), peer.generator()));
      KeyAgreement ka = KeyAgreement.getInstance("DH");
      ka.init(privateKey);
      ka.doPhase(peerKey, true);
      byte[] padded = ka.generateSecret();
      int i = 0;
      while (i < padded.length - 1 && padded[i] == 0) {
        i++;
      }
      byte[] out = Arrays.copyOfRange(padded, i, padded.length);
      Arrays.fill(padded, (byte) 0);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("DH agreement failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "DhKey{" + name + " " + publicValue.prime().bitLength() + " bits}";
  }
}
