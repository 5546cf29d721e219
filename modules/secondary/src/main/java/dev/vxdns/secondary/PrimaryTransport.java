package dev.vxdns.secondary;

/** How a secondary reaches its primary for transfers and SOA checks. */
public enum PrimaryTransport {
  /** Plain DNS: SOA queries over UDP (TCP on truncation), transfers over TCP. */
  TCP,
  /** DNS over TLS (RFC 9103 XoT, ALPN "dot"): SOA queries and transfers over TLS. */
  TLS
}
