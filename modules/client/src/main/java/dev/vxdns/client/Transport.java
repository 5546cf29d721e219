package dev.vxdns.client;

/** How a query travels to the server. */
public enum Transport {
  UDP("UDP"),
  TCP("TCP"),
  /** DNS over TLS (RFC 7858). */
  DOT("TLS"),
  /** DNS over HTTPS (RFC 8484): HTTP/2 over TLS. */
  DOH("HTTPS"),
  /** DNS over HTTP/2 in clear text, with prior knowledge (dig's {@code +http-plain}). */
  H2C("HTTP");

  private final String label;

  Transport(String label) {
    this.label = label;
  }

  /** The name dig prints after the server ({@code ;; SERVER: ... (TCP)}). */
  public String label() {
    return label;
  }

  public boolean tls() {
    return this == DOT || this == DOH;
  }

  public boolean http() {
    return this == DOH || this == H2C;
  }
}
