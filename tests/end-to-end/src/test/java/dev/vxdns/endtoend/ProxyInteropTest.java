package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PROXY listener with the real peers operators put in front of it: kdig's +proxy, dnsdist's
 * useProxyProtocol (UDP and TCP, LOCAL health checks) and HAProxy's send-proxy-v2. Clients bind
 * their own loopback addresses (127.0.0.x), so whoami proves which address crossed the proxy.
 */
class ProxyInteropTest {
  private static TestNode node;
  private static int plainPort;
  private static int proxyPort;

  @BeforeAll
  static void start() throws Exception {
    plainPort = TestNode.freePort();
    do {
      proxyPort = TestNode.freePort();
    } while (proxyPort == plainPort);
    node =
        TestNode.start(
            ProxyEndToEndTest.config(
                plainPort, proxyPort, Delivery.DIRECT, List.of("127.0.0.0/8", "::1")));
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  /** Where the peers listen: a loopback address of their own, so whoami's destination shows it. */
  static final String PEER_ADDRESS = "127.0.0.2";

  /** A whoami query over UDP from a chosen local address to a peer; the TXT lines of the answer. */
  static List<String> udpWhoami(String from, int port) throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
      socket.setSoTimeout(2000);
      byte[] query = ProxyEndToEndTest.whoamiQuery(1);
      socket.send(
          new DatagramPacket(query, query.length, InetAddress.getByName(PEER_ADDRESS), port));
      byte[] buffer = new byte[4096];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return ProxyEndToEndTest.txt(java.util.Arrays.copyOf(buffer, reply.getLength()));
    }
  }

  static List<String> tcpWhoami(String from, int port) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(PEER_ADDRESS, port), 2000);
      socket.setSoTimeout(3000);
      DnsClient.writeFramed(socket, ProxyEndToEndTest.whoamiQuery(2));
      return ProxyEndToEndTest.txt(DnsClient.readFramed(socket));
    }
  }

  /** Retries while a peer starts and marks vxdns up (bounded: 20 tries of at most 2 s). */
  static List<String> eventually(Peer peer, Query query) throws Exception {
    Exception last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      assertTrue(peer.alive(), peer.log());
      try {
        return query.run();
      } catch (IOException e) {
        last = e;
        Thread.sleep(250);
      }
    }
    throw new AssertionError("no answer through the peer; its log:\n" + peer.log(), last);
  }

  interface Query {
    List<String> run() throws Exception;
  }

  @ParameterizedTest(name = "kdig {0}")
  @ValueSource(strings = {"+notcp", "+tcp"})
  void kdigProxyHeaderSetsTheSourceWhoamiReports(String transport) throws Exception {
    Peer.assumeInstalled("kdig", "knot-dnsutils");
    String output =
        DigInteropTest.run(
            "kdig",
            List.of(
                "@127.0.0.1",
                "-p",
                Integer.toString(proxyPort),
                "+proxy=192.0.2.77#5353-127.0.0.1#" + proxyPort,
                transport,
                "+timeout=3",
                "+retry=0",
                "whoami.vxdns.",
                "CH",
                "TXT"));
    assertTrue(output.contains("\"source 192.0.2.77#5353\""), output);
    assertTrue(
        output.contains("\"transport " + (transport.equals("+tcp") ? "tcp" : "udp") + "\""),
        output);
  }

  @Test
  void kdigWithoutAHeaderGetsNothingFromTheProxyListener() throws Exception {
    Peer.assumeInstalled("kdig", "knot-dnsutils");
    List<String> command =
        List.of(
            "kdig",
            "@127.0.0.1",
            "-p",
            Integer.toString(proxyPort),
            "+timeout=1",
            "+retry=0",
            "whoami.vxdns.",
            "CH",
            "TXT");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS));
    String output = new String(process.getInputStream().readAllBytes());
    assertFalse(output.contains("source"), output);
    assertTrue(
        output.contains("timed out") || output.contains("timeout") || output.contains("failed"),
        output);
  }

  @Test
  void dnsdistInFrontPassesItsClientsAddressOverUdpAndTcp(@TempDir Path dir) throws Exception {
    Peer.assumeInstalled("dnsdist", "dnsdist");
    int dnsdistPort = TestNode.freePort();
    Path config = dir.resolve("dnsdist.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "setSecurityPollSuffix('')",
            "setLocal('" + PEER_ADDRESS + ":" + dnsdistPort + "')",
            "newServer{address='127.0.0.1:"
                + proxyPort
                + "', useProxyProtocol=true, checkInterval=1,"
                + " checkName='whoami.vxdns.', checkClass=DNSClass.CH, checkType='TXT'}",
            ""));
    List<String> command =
        new ArrayList<>(
            List.of(
                Peer.path("dnsdist"), "--supervised", "--disable-syslog", "-C", config.toString()));
    try (Peer dnsdist = Peer.start(dir, command)) {
      List<String> udp = eventually(dnsdist, () -> udpWhoami("127.0.0.3", dnsdistPort));
      assertTrue(udp.get(0).startsWith("source 127.0.0.3#"), udp.toString());
      assertEquals("destination " + PEER_ADDRESS + "#" + dnsdistPort, udp.get(1));
      assertEquals("transport udp", udp.get(2));
      assertTrue(udp.get(3).startsWith("proxy yes, via 127.0.0.1#"), udp.toString());

      List<String> tcp = eventually(dnsdist, () -> tcpWhoami("127.0.0.4", dnsdistPort));
      assertTrue(tcp.get(0).startsWith("source 127.0.0.4#"), tcp.toString());
      assertEquals("transport tcp", tcp.get(2));

      JsonObject counters =
          (JsonObject)
              node.vertx
                  .eventBus()
                  .request(Addresses.STATS_PROXY, "")
                  .toCompletionStage()
                  .toCompletableFuture()
                  .get(5, TimeUnit.SECONDS)
                  .body();
      assertTrue(
          counters.getLong("accepted-local", 0L) >= 1,
          "dnsdist's LOCAL health checks were accepted: " + counters.encode());
    }
  }

  @Test
  void haproxyInTcpModeWithSendProxyV2(@TempDir Path dir) throws Exception {
    Peer.assumeInstalled("haproxy", "haproxy");
    int haproxyPort = TestNode.freePort();
    Path config = dir.resolve("haproxy.cfg");
    Files.writeString(
        config,
        String.join(
            "\n",
            "defaults",
            "  mode tcp",
            "  timeout connect 2s",
            "  timeout client 10s",
            "  timeout server 10s",
            "frontend dns",
            "  bind " + PEER_ADDRESS + ":" + haproxyPort,
            "  default_backend vxdns",
            "backend vxdns",
            "  server vxdns 127.0.0.1:" + proxyPort + " send-proxy-v2",
            ""));
    try (Peer haproxy =
        Peer.start(dir, List.of(Peer.path("haproxy"), "-db", "-f", config.toString()))) {
      List<String> tcp = eventually(haproxy, () -> tcpWhoami("127.0.0.5", haproxyPort));
      assertTrue(tcp.get(0).startsWith("source 127.0.0.5#"), tcp.toString());
      assertEquals("destination " + PEER_ADDRESS + "#" + haproxyPort, tcp.get(1));
      assertEquals("transport tcp", tcp.get(2));
    }
  }
}
