package dev.vxdns.config;

/**
 * An invalid configuration; the message names the key and the problem, e.g. {@code
 * options.listen-on[1].port: ...}.
 */
public final class ConfigException extends Exception {
  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The JSON path of the offending key. */
  public String key() {
    return key;
  }
}
