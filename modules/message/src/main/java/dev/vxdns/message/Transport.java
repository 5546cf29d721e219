package dev.vxdns.message;

/** The wire a query arrived on. {@link #isDatagram()} decides truncation; {@link #isStream()} framing. */
public enum Transport {
  UDP("udp"),
  TCP("tcp"),
  DOT("dot"),
  DOH("doh");

  private final String configName;

  Transport(String configName) {
    this.configName = configName;
  }

  /** The name used for this transport in the JSON config and in logs. */
  public String configName() {
    return configName;
  }

  public boolean isDatagram() {
    return this == UDP;
  }

  public boolean isStream() {
    return this != UDP;
  }

  /** DoT and DoH run over TLS: the only transports that may carry an encrypted PROXY header. */
  public boolean isEncrypted() {
    return this == DOT || this == DOH;
  }

  public static Transport fromConfigName(String name) {
    for (Transport t : values()) {
      if (t.configName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown transport '" + name + "' (expected udp, tcp, dot or doh)");
  }
}
