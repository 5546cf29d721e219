package dev.vxdns.secondary;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * BIND's {@code transfer-source}/{@code transfer-source-v6} and {@code notify-source}/{@code
 * notify-source-v6}: the local address that queries to a server of each family are sent from, so
 * that a multi-homed node reaches its peers from the address their {@code allow-transfer}, {@code
 * allow-notify} or {@code primaries} name. Null for a family is BIND's {@code *}: the system
 * chooses, usually the address of the interface towards the server.
 *
 * @param v4 the source for IPv4 servers, or null
 * @param v6 the source for IPv6 servers, or null
 */
public record SourceAddresses(Inet4Address v4, Inet6Address v6) {
  /** The system's choice for both families. */
  public static final SourceAddresses ANY = new SourceAddresses(null, null);

  /** The address to bind before talking to {@code server}, or null for the system's choice. */
  public InetAddress forServer(InetSocketAddress server) {
    return server.getAddress() instanceof Inet6Address ? v6 : v4;
  }

  /** The host to bind before talking to {@code server}: the source, or the family's wildcard. */
  String bindHost(InetSocketAddress server) {
    InetAddress source = forServer(server);
    if (source != null) {
      return source.getHostAddress();
    }
    return server.getAddress() instanceof Inet6Address ? "::" : "0.0.0.0";
  }
}
