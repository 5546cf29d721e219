package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;

/**
 * {@code notify yes} tells the NS hosts outside the zone too, looked up with the system's resolver
 * (as named looks every NS name up): a node whose JVM resolves from a hosts file ({@code
 * jdk.net.hosts.file}) NOTIFYs the address it finds for {@code ns.provider.test} on port 53, as it
 * NOTIFYs the in-zone {@code ns2} (the control); a name without an address is logged and the others
 * are still told; the SOA MNAME is not told, unless {@code notify-to-soa}. Port 53 on loopback
 * addresses needs root.
 */
class NotifyLookupTest {
  private static final String PROVIDER = "127.0.0.77";
  private static final String IN_ZONE = "127.0.0.78";
  private static final String MNAME = "127.0.0.79";
  private static final String SELF = "127.0.0.80";

  @Test
  void nsHostsOutsideTheZoneAreLookedUpAndNotified(@TempDir Path dir) throws Exception {
    withNode(
        dir,
        false,
        (node, notified) -> {
          awaitNotified(notified, List.of(IN_ZONE, PROVIDER), node);
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (!node.output().contains("ns.nowhere.test") && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          assertTrue(
              node.output()
                  .contains("zone lookup.test.: no NOTIFY to NS ns.nowhere.test: no address found"),
              node.output());
          Thread.sleep(300);
          assertFalse(notified.containsKey(MNAME), "the SOA MNAME was told");
        });
  }

  /**
   * As named's notify_isself: an NS host that is this node (an address it listens on, port 53) is
   * not told, whether its address is in the zone or looked up; the other NS hosts are (the
   * control).
   */
  @Test
  void aNodeListedInItsOwnNsSetDoesNotNotifyItself(@TempDir Path dir) throws Exception {
    withNode(
        dir,
        false,
        true,
        (node, notified) -> {
          awaitNotified(notified, List.of(IN_ZONE, PROVIDER), node);
          String skipped =
              "zone lookup.test.: no NOTIFY to "
                  + SELF
                  + "#53: an NS host of the zone, and this node listens there";
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          while (node.output().split(java.util.regex.Pattern.quote(skipped), -1).length < 3
              && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          assertTrue(
              node.output().split(java.util.regex.Pattern.quote(skipped), -1).length >= 3,
              "skipped as nsself and as ns.self.test:\n" + node.output());
        });
  }

  /** With notify-to-soa the MNAME's host is told too (BIND's hidden-primary set-up). */
  @Test
  void notifyToSoaTellsTheMnameToo(@TempDir Path dir) throws Exception {
    withNode(
        dir, true, (node, notified) -> awaitNotified(notified, List.of(MNAME, PROVIDER), node));
  }

  private interface Check {
    void run(NodeProcess node, Map<String, String> notified) throws Exception;
  }

  /**
   * Runs {@code check} on a node serving lookup.test (NS: the in-zone ns2, ns.provider.test,
   * ns.nowhere.test without an address, and the MNAME ns0.provider.test) that resolves from a hosts
   * file, with the NOTIFYs each target address got so far.
   */
  private static void withNode(Path dir, boolean notifyToSoa, Check check) throws Exception {
    withNode(dir, notifyToSoa, false, check);
  }

  /**
   * {@link #withNode(Path, boolean, Check)}; with {@code selfListed} the node also listens on
   * {@link #SELF} port 53 and the zone lists that address as an NS host twice: in the zone (nsself)
   * and outside it (ns.self.test, in the hosts file).
   */
  private static void withNode(Path dir, boolean notifyToSoa, boolean selfListed, Check check)
      throws Exception {
    Map<String, DatagramSocket> targets = new ConcurrentHashMap<>();
    try {
      for (String address : List.of(PROVIDER, IN_ZONE, MNAME)) {
        targets.put(address, bind(address));
      }
      Map<String, String> notified = new ConcurrentHashMap<>();
      targets.forEach((address, socket) -> listen(socket, address, notified));
      Files.writeString(
          dir.resolve("hosts"),
          PROVIDER
              + " ns.provider.test\n"
              + MNAME
              + " ns0.provider.test\n"
              + SELF
              + " ns.self.test\n");
      Path zone =
          Files.writeString(
              dir.resolve("lookup.test.zone"),
              String.join(
                  "\n",
                  "$TTL 300",
                  "@ SOA ns0.provider.test. hostmaster 1 3600 600 86400 300",
                  "@ NS ns2",
                  "@ NS ns.provider.test.",
                  "@ NS ns.nowhere.test.",
                  "@ NS ns0.provider.test.",
                  "ns2 A " + IN_ZONE,
                  selfListed ? "@ NS nsself\n@ NS ns.self.test.\nnsself A " + SELF : "",
                  ""));
      JsonObject config = LauncherConfig.config(LauncherConfig.freePort());
      if (selfListed) {
        bind(SELF).close(); // skipped (outside CI) where port 53 cannot be bound
        config
            .getJsonObject("options")
            .getJsonArray("listen-on")
            .add(
                new JsonObject()
                    .put("address", SELF)
                    .put("port", 53)
                    .put("transport", new io.vertx.core.json.JsonArray().add("udp")));
      }
      config.put(
          "zone",
          new JsonObject()
              .put(
                  "lookup.test",
                  new JsonObject().put("file", zone.toString()).put("notify-to-soa", notifyToSoa)));
      Path file = Files.writeString(dir.resolve("vxdns.json"), config.encodePrettily());
      try (NodeProcess node =
          NodeProcess.launch(
              List.of("env", "JAVA_TOOL_OPTIONS=-Djdk.net.hosts.file=" + dir.resolve("hosts")),
              "--config",
              file.toString())) {
        assertTrue(node.awaitStarted(30), node.output());
        check.run(node, notified);
        node.terminate();
        node.awaitExit(30);
      }
    } finally {
      targets.values().forEach(DatagramSocket::close);
    }
  }

  /** Waits (20 s at most) until each of {@code addresses} got a NOTIFY of lookup.test. */
  private static void awaitNotified(
      Map<String, String> notified, List<String> addresses, NodeProcess node)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!notified.keySet().containsAll(addresses) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    for (String address : addresses) {
      assertEquals("lookup.test.", notified.get(address), address + "\n" + node.output());
    }
  }

  /** A UDP socket on port 53 of a loopback address: needs root, so skipped without (not in CI). */
  private static DatagramSocket bind(String address) throws IOException {
    try {
      return new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 53));
    } catch (IOException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw e;
      }
      Assumptions.abort("port 53 on " + address + " cannot be bound (root needed): " + e);
      throw e;
    }
  }

  /** Notes the zone of the first NOTIFY each socket receives. */
  private static void listen(DatagramSocket socket, String address, Map<String, String> notified) {
    Thread reader =
        new Thread(
            () -> {
              byte[] buffer = new byte[4096];
              try {
                socket.setSoTimeout(200);
                while (!socket.isClosed()) {
                  DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                  try {
                    socket.receive(packet);
                  } catch (SocketTimeoutException e) {
                    continue;
                  }
                  Message message =
                      new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
                  if (message.getHeader().getOpcode() == Opcode.NOTIFY) {
                    notified.putIfAbsent(address, message.getQuestion().getName().toString());
                  }
                }
              } catch (IOException e) {
                // closed
              }
            });
    reader.setDaemon(true);
    reader.start();
  }
}
