package dev.vxdns.verticles.transport;

import dev.vxdns.message.Transport;
import java.net.InetAddress;

/**
 * Which peers a stream listener closes at accept: the node's {@code blackhole} list, applied to the
 * real source of a connection on a listener without {@code proxy} (where the real source is the
 * effective one), as BIND refuses blackholed TCP clients at accept instead of holding them until a
 * first query or the initial timeout.
 */
@FunctionalInterface
public interface SourceFilter {
  /** Refuses nobody. */
  SourceFilter NONE = (source, localPort, transport) -> false;

  /**
   * Whether a connection from {@code source} to {@code localPort} over {@code transport} is
   * refused.
   */
  boolean refuses(InetAddress source, int localPort, Transport transport);
}
