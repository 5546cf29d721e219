package dev.vxdns.verticles.forward;

/** How queries reach a backend. */
public enum BackendTransport {
  UDP,
  TCP,
  /** DNS over TLS (RFC 7858). */
  DOT;

  boolean isStream() {
    return this != UDP;
  }
}
