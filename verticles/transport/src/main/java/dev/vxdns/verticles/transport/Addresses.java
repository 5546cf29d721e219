package dev.vxdns.verticles.transport;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Converts Vert.x socket addresses to java.net ones without a DNS lookup. */
final class Addresses {
  private Addresses() {}

  static InetSocketAddress toInet(SocketAddress address) {
    try {
      // hostAddress() is always a literal for an accepted socket, so getByName parses and never
      // resolves.
      return new InetSocketAddress(InetAddress.getByName(address.hostAddress()), address.port());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("socket address is not a literal: " + address, e);
    }
  }
}
