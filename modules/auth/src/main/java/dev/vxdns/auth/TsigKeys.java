package dev.vxdns.auth;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * Key configuration and generation: parses the {@code "key"} section of the JSON config and does
 * what BIND's {@code tsig-keygen} does.
 */
public final class TsigKeys {
  /** tsig-keygen's default key name. */
  public static final String DEFAULT_NAME = "tsig-key";

  /** tsig-keygen's default algorithm. */
  public static final String DEFAULT_ALGORITHM = "hmac-sha256";

  private TsigKeys() {}

  /**
   * Parses the value of the config's {@code "key"} object: {@code NAME -> {"algorithm": ...,
   * "secret": ...}} (a Vert.x {@code JsonObject#getMap()} or any map of maps).
   *
   * @throws KeyConfigException naming the first bad key and field
   */
  public static List<TsigKey> parseConfig(Map<String, ?> keySection) {
    List<TsigKey> keys = new ArrayList<>();
    if (keySection == null) {
      return keys;
    }
    for (Map.Entry<String, ?> e : keySection.entrySet()) {
      String name = e.getKey();
      Object value = e.getValue();
      if (!(value instanceof Map)) {
        throw new KeyConfigException(name, "", "expected an object with algorithm and secret");
      }
      Map<?, ?> def = (Map<?, ?>) value;
      for (Object field : def.keySet()) {
        if (!"algorithm".equals(field) && !"secret".equals(field)) {
          throw new KeyConfigException(name, String.valueOf(field), "unknown field");
        }
      }
      Object alg = def.get("algorithm");
      Object secret = def.get("secret");
      if (alg != null && !(alg instanceof String)) {
        throw new KeyConfigException(name, "algorithm", "must be a string");
      }
      if (secret != null && !(secret instanceof String)) {
        throw new KeyConfigException(name, "secret", "must be a string");
      }
      keys.add(TsigKey.parse(name, (String) alg, (String) secret));
    }
    return keys;
  }

  /**
   * Generates a key like {@code tsig-keygen -a ALGORITHM NAME}: the secret is as long as the hash
   * output. {@code name} defaults to {@value #DEFAULT_NAME}, {@code algorithm} to {@value
   * #DEFAULT_ALGORITHM}; a truncation suffix ({@code hmac-sha256-128}) is kept.
   */
  public static TsigKey generate(String name, String algorithm, SecureRandom random) {
    String n = name == null || name.isBlank() ? DEFAULT_NAME : name;
    String a = algorithm == null || algorithm.isBlank() ? DEFAULT_ALGORITHM : algorithm;
    // Parse with a placeholder secret to validate name and algorithm, then draw the real one.
    TsigKey probe = TsigKey.parse(n, a, "AA==");
    byte[] secret = new byte[probe.algorithm().macLength()];
    random.nextBytes(secret);
    return TsigKey.of(probe.name(), probe.algorithm(), secret, probe.truncationBits());
  }

  /** The key in the JSON config form: {@code { "key": { "NAME": { ... } } }}. */
  public static String toJson(TsigKey key) {
    return "{ \"key\": { \""
        + displayName(key.name())
        + "\": { \"algorithm\": \""
        + key.bindAlgorithmName()
        + "\", \"secret\": \""
        + key.secretBase64()
        + "\" } } }";
  }

  /** The key as tsig-keygen prints it for named.conf. */
  public static String toBindConf(TsigKey key) {
    return "key \""
        + displayName(key.name())
        + "\" {\n"
        + "\talgorithm "
        + key.bindAlgorithmName()
        + ";\n"
        + "\tsecret \""
        + key.secretBase64()
        + "\";\n"
        + "};\n";
  }

  private static String displayName(Name name) {
    return name.toString(true);
  }
}
