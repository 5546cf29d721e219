package dev.vxdns.verticles.transport;

import dev.vxdns.message.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One socket the node listens on: an entry of {@code options.listen-on} expanded per transport.
 *
 * @param name the listener's name in logs and in {@code DnsExchange.endpoints().listener()}
 * @param proxy whether every query or connection must begin with a PROXY v2 header
 * @param tls the certificate and key of a TLS transport (DoT, DoH), null for the others
 * @param endpoints the URL paths a DoH listener answers on ({@code http.NAME.endpoints}); empty for
 *     the others
 * @param pipeline stage addresses run for every query on this listener, in order
 */
public record ListenerConfig(
    String name,
    InetAddress address,
    int port,
    Transport transport,
    ProxyMode proxy,
    TlsConfig tls,
    List<String> endpoints,
    List<String> pipeline) {
  public ListenerConfig {
    endpoints = List.copyOf(endpoints);
    pipeline = List.copyOf(pipeline);
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }
}
