package dev.vxdns.message;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Predicate;

/**
 * The addresses this node's Do53 UDP listeners are bound to, each counted once per socket (the
 * instances of one listener share its address): what named's {@code notify_isself} asks its
 * interface manager, so that a NOTIFY to an NS host that is this node is not sent. Backed by a
 * Vert.x local map, so it is per Vert.x instance, not static.
 */
public final class ListenAddresses {
  private static final String MAP_NAME = "vxdns.listen-addresses";

  private final LocalMap<String, Integer> sockets;

  private ListenAddresses(LocalMap<String, Integer> sockets) {
    this.sockets = sockets;
  }

  public static ListenAddresses of(Vertx vertx) {
    return new ListenAddresses(vertx.sharedData().getLocalMap(MAP_NAME));
  }

  /** A socket bound to {@code bound} (a wildcard address for every address of the machine). */
  public void add(InetSocketAddress bound) {
    sockets.merge(key(bound.getAddress(), bound.getPort()), 1, Integer::sum);
  }

  /** That socket closed. */
  public void remove(InetSocketAddress bound) {
    sockets.computeIfPresent(
        key(bound.getAddress(), bound.getPort()), (key, count) -> count == 1 ? null : count - 1);
  }

  /**
   * Whether a listener of this node is bound to {@code target}: its address and port, or a wildcard
   * on its port when {@code isLocal} says the address is one of the machine's (an IPv6 wildcard
   * takes IPv4 too, as a dual-stack socket does).
   */
  public boolean listensOn(InetSocketAddress target, Predicate<InetAddress> isLocal) {
    int port = target.getPort();
    if (sockets.containsKey(key(target.getAddress(), port))) {
      return true;
    }
    boolean wildcard =
        sockets.containsKey("0.0.0.0#" + port) && target.getAddress().getAddress().length == 4
            || sockets.containsKey("::#" + port);
    return wildcard && isLocal.test(target.getAddress());
  }

  private static String key(InetAddress address, int port) {
    return (address.isAnyLocalAddress()
            ? address.getAddress().length == 4 ? "0.0.0.0" : "::"
            : address.getHostAddress())
        + "#"
        + port;
  }
}
