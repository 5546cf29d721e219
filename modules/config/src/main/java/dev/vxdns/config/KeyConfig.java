package dev.vxdns.config;

/**
 * A TSIG key of the {@code key} object (or of a file named by {@code include}), as BIND's
 * {@code key NAME { algorithm ALG; secret "BASE64"; };}.
 *
 * @param name the key's domain name, canonical with its trailing dot
 * @param algorithm BIND's algorithm name, e.g. {@code hmac-sha256} or {@code hmac-sha256-128}
 * @param secret the decoded secret
 * @param source where the key was defined, for messages: the config file or an included file
 */
public record KeyConfig(String name, String algorithm, byte[] secret, String source) {
  public KeyConfig {
    secret = secret.clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "KeyConfig{" + name + ", " + algorithm + ", from " + source + "}";
  }
}
