package dev.vxdns.verticles.transport;

/** A listener's {@code proxy} key, as BIND 9.20's {@code listen-on ... proxy plain|encrypted}. */
public enum ProxyMode {
  /** No PROXY header: queries are taken as they come. */
  NONE,
  /** A PROXY v2 header in clear before anything else (HAProxy): the only mode of UDP and TCP. */
  PLAIN,
  /** A PROXY v2 header as the first bytes inside TLS (dnsdist): DoT and DoH only. */
  ENCRYPTED
}
