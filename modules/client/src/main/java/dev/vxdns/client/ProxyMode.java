package dev.vxdns.client;

/** Where the client puts a PROXY v2 header, as BIND 9.20's dig does. */
public enum ProxyMode {
  NONE,
  /**
   * dig's {@code +proxy}: the first bytes of the connection or datagram, inside TLS on DoT and DoH
   * (as dnsdist sends it to a backend).
   */
  ENCRYPTED,
  /**
   * dig's {@code +proxy-plain}: always in clear, before the TLS handshake on DoT and DoH (as
   * HAProxy sends it).
   */
  PLAIN
}
