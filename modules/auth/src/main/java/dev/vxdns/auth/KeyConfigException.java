package dev.vxdns.auth;

/** A key definition that cannot be used; the message names the key and the offending field. */
public final class KeyConfigException extends IllegalArgumentException {
  private final String keyName;
  private final String field;

  public KeyConfigException(String keyName, String field, String problem) {
    super(
        "key."
            + keyName
            + (field.isEmpty() ? "" : "." + field)
            + ": "
            + problem
            + " (key \""
            + keyName
            + "\")");
    this.keyName = keyName;
    this.field = field;
  }

  /** The key name as written in the configuration. */
  public String keyName() {
    return keyName;
  }

  /** The offending field ("algorithm", "secret", or "" for the name itself). */
  public String field() {
    return field;
  }
}
