package dev.vxdns.secondary;

/**
 * How a TLS primary is authenticated, as BIND's {@code tls} clause for primaries: {@code caPemPath}
 * (BIND's {@code ca-file}) checks the certificate chain, {@code serverName} (BIND's {@code
 * remote-hostname}) is sent as SNI and, with a CA, checked against the certificate. With neither
 * the connection is encrypted but not authenticated (opportunistic TLS, RFC 9103 section 9.2).
 *
 * @param caPemPath PEM file of the trusted CAs, or null
 * @param serverName the name expected in the primary's certificate, or null
 */
public record TlsTrust(String caPemPath, String serverName) {

  /** Encrypted, unauthenticated: any certificate is accepted. */
  public static TlsTrust opportunistic() {
    return new TlsTrust(null, null);
  }

  public boolean authenticated() {
    return caPemPath != null;
  }
}
