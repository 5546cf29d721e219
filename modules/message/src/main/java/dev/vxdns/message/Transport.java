package dev.vxdns.message;

/**
 * The wire a query arrived on. {@link #isDatagram()} decides truncation; {@link #isStream()}
 * framing.
 */
public enum Transport {
  UDP("udp"),
  TCP("tcp"),
  DOT("dot"),
  DOH("doh"),
  /** DNS over HTTPS without TLS (HTTP/2 cleartext and HTTP/1.1), behind a TLS-terminating proxy. */
  H2C("h2c"),
  /** DNS over QUIC (RFC 9250): one query per QUIC stream, TLS 1.3 inside QUIC. */
  DOQ("doq");

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

  /**
   * UDP and DoQ listen on a UDP socket, the others on a TCP one: two listeners on one address and
   * port conflict when they use the same kind.
   */
  public boolean overUdp() {
    return this == UDP || this == DOQ;
  }

  /** DoH over TLS or cleartext HTTP: answered by the HTTP transport. */
  public boolean isHttp() {
    return this == DOH || this == H2C;
  }

  /** DoT, DoH and DoQ need a certificate: a listener names a {@code tls} entry. */
  public boolean needsTls() {
    return this == DOT || this == DOH || this == DOQ;
  }

  /**
   * DoT and DoH run over TLS on TCP: the only transports that may carry an encrypted PROXY header
   * (PROXY v2 has no QUIC binding).
   */
  public boolean isEncrypted() {
    return this == DOT || this == DOH;
  }

  public static Transport fromConfigName(String name) {
    for (Transport t : values()) {
      if (t.configName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown transport '" + name + "' (expected udp, tcp, dot, doh, h2c or doq)");
  }
}
