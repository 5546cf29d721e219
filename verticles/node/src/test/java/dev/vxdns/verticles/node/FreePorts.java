package dev.vxdns.verticles.node;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ports for the nodes tests start, shared with tests/end-to-end (this class alone is in the node
 * module's test jar), so that one JVM hands out each port once.
 */
public final class FreePorts {
  /**
   * The ports handed out in this JVM: the kernel may give a port just closed again, and a test that
   * asks for several before it binds any would then configure two listeners on one (seen once: DNS
   * over TCP and DoH on one port, each connection handed to either).
   */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /**
   * A port free for both UDP and TCP on 127.0.0.1 right now, not handed out before, and below the
   * kernel's ephemeral range (where the range leaves room): a port the kernel picked for a socket
   * bound to port 0 is one it may give the next such socket too (a client, a NOTIFY's socket in
   * another test), and one was taken that way between a test's pick and its node's bind ("Address
   * already in use" in a CI run); a node killed (-9) and restarted keeps its ports, which the other
   * nodes' reconnections could otherwise take meanwhile as their source ports.
   */
  public static int freePort() throws IOException {
    int ephemeralLow = 32768;
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.isReadable(range)) {
      // Not Files.readString: on JDK 17 it trusts the size procfs reports (0) and returned "3".
      ephemeralLow = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
    }
    int low = 20000;
    if (ephemeralLow > low + 1000) {
      Random random = new Random();
      for (int attempt = 0; attempt < 200; attempt++) {
        int port = low + random.nextInt(ephemeralLow - low);
        if (!HANDED_OUT.contains(port) && isFree(port) && HANDED_OUT.add(port)) {
          return port;
        }
      }
    }
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        if (!HANDED_OUT.add(port)) {
          continue;
        }
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          return port;
        } catch (IOException busy) {
          // try another
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP");
  }

  private static boolean isFree(int port) {
    try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      return true;
    } catch (IOException busy) {
      return false;
    }
  }
}
