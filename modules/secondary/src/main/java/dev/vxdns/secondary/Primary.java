package dev.vxdns.secondary;

import dev.vxdns.auth.TsigKey;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A primary server a secondary transfers from.
 *
 * @param address where the primary listens (port 53 for TCP, 853 for TLS as usual)
 * @param key the TSIG key that signs every query and must sign every answer; null for none
 * @param transport TCP or TLS
 * @param tls how a TLS primary is authenticated; ignored for TCP, opportunistic when null
 */
public record Primary(
    InetSocketAddress address, TsigKey key, PrimaryTransport transport, TlsTrust tls) {
  public Primary {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(transport, "transport");
    if (tls == null) {
      tls = TlsTrust.opportunistic();
    }
  }

  /** A plain DNS primary, with a TSIG key or none. */
  public static Primary tcp(InetSocketAddress address, TsigKey key) {
    return new Primary(address, key, PrimaryTransport.TCP, null);
  }

  /** A TLS (XoT) primary, with a TSIG key or none. */
  public static Primary tls(InetSocketAddress address, TsigKey key, TlsTrust trust) {
    return new Primary(address, key, PrimaryTransport.TLS, trust);
  }

  @Override
  public String toString() {
    return address.getHostString()
        + "#"
        + address.getPort()
        + (transport == PrimaryTransport.TLS ? " tls" : "")
        + (key != null ? " key " + key.name() : "");
  }
}
