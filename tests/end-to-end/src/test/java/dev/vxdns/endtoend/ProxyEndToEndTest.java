package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.Delivery;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * PROXY v2 on Do53 UDP and TCP through whole nodes: a listener without proxy on one port, one with
 * {@code proxy: plain} on the next, allow-proxy the loopback range, whoami on.
 */
class ProxyEndToEndTest {
  static final String WHOAMI = "whoami.vxdns.";

  /** The example config proxy.json, on free ports. */
  static JsonObject config(
      int plainPort, int proxyPort, Delivery delivery, List<String> allowProxy) {
    JsonObject config = TestNode.config(plainPort, delivery);
    config
        .getJsonObject("options")
        .put(
            "listen-on",
            new JsonArray()
                .add(new JsonObject().put("address", "127.0.0.1").put("port", plainPort))
                .add(
                    new JsonObject()
                        .put("address", "127.0.0.1")
                        .put("port", proxyPort)
                        .put("proxy", "plain")))
        .put("allow-proxy", new JsonArray(allowProxy))
        .put("whoami", WHOAMI);
    return config;
  }

  static byte[] whoamiQuery(int id) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString(WHOAMI), Type.TXT, DClass.CH));
    query.getHeader().setID(id);
    return query.toWire();
  }

  /** {@code query} behind a PROXY v2 header from {@code source#port} to 198.51.100.53#53. */
  static byte[] proxied(String source, int port, byte[] query) {
    return ProxyEncoder.prepend(
        ProxyHeader.proxy(
            TransportProtocol.DGRAM,
            new InetSocketAddress(source, port),
            new InetSocketAddress("198.51.100.53", 53)),
        query);
  }

  static List<String> txt(byte[] response) throws IOException {
    return new Message(response)
        .getSection(Section.ANSWER).stream()
            .map(r -> String.join("", ((TXTRecord) r).getStrings()))
            .collect(Collectors.toList());
  }

  static byte[] header(
      TransportProtocol protocol, String source, int sourcePort, int destinationPort) {
    return ProxyEncoder.encode(
        ProxyHeader.proxy(
            protocol,
            new InetSocketAddress(source, sourcePort),
            new InetSocketAddress("127.0.0.1", destinationPort)));
  }

  @Nested
  class DirectDelivery extends Cases implements BothDeliveries.Direct {}

  @Nested
  class EventBusDelivery extends Cases implements BothDeliveries.EventBus {}

  abstract static class Cases extends BothDeliveries {
    private int plainPort;
    private int proxyPort;

    @Override
    TestNode startNode(Delivery delivery) throws Exception {
      plainPort = TestNode.freePort();
      do {
        proxyPort = TestNode.freePort();
      } while (proxyPort == plainPort);
      return TestNode.start(config(plainPort, proxyPort, delivery, List.of("127.0.0.0/8", "::1")));
    }

    @Test
    void udpWhoamiShowsTheHeadersSource() throws Exception {
      byte[] datagram = proxied("192.0.2.7", 1234, whoamiQuery(1));
      List<String> lines = txt(DnsClient.udp(proxyPort, datagram, 3000));
      assertEquals("source 192.0.2.7#1234", lines.get(0));
      assertEquals("destination 198.51.100.53#53", lines.get(1));
      assertEquals("transport udp", lines.get(2));
      assertTrue(lines.get(3).startsWith("proxy yes, via 127.0.0.1#"), lines.get(3));
    }

    @Test
    void theZoneIsServedToProxiedClients() throws Exception {
      Message query =
          Message.newQuery(
              Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
      byte[] datagram =
          ProxyEncoder.prepend(
              ProxyHeader.proxy(
                  TransportProtocol.DGRAM,
                  new InetSocketAddress("2001:db8::7", 1234),
                  new InetSocketAddress("2001:db8::53", 53)),
              query.toWire());
      Message response = new Message(DnsClient.udp(proxyPort, datagram, 3000));
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertEquals(2, response.getSection(Section.ANSWER).size());
    }

    @Test
    void localKeepsTheRealAddress() throws Exception {
      List<String> lines =
          txt(
              DnsClient.udp(
                  proxyPort, ProxyEncoder.prepend(ProxyHeader.local(), whoamiQuery(2)), 3000));
      assertEquals("proxy no", lines.get(3));
      assertTrue(lines.get(0).startsWith("source 127.0.0.1#"), lines.get(0));
    }

    /**
     * A LOCAL header carrying a block of arbitrary bytes (AF_UNSPEC, length 12) is accepted with
     * the real addresses and its block skipped, as the spec (2.2) says; BIND 9.20 drops it.
     */
    @Test
    void localWithArbitraryBytesAfterItKeepsTheRealAddress() throws Exception {
      byte[] header =
          java.util.HexFormat.of()
              .parseHex("0d0a0d0a000d0a515549540a" + "2000000c" + "0123456789abcdef01234567");
      byte[] query = whoamiQuery(12);
      byte[] datagram = java.util.Arrays.copyOf(header, header.length + query.length);
      System.arraycopy(query, 0, datagram, header.length, query.length);
      List<String> udp = txt(DnsClient.udp(proxyPort, datagram, 3000));
      assertEquals("proxy no", udp.get(3));
      assertTrue(udp.get(0).startsWith("source 127.0.0.1#"), udp.get(0));
      try (Socket socket = DnsClient.tcp(proxyPort, 3000)) {
        socket.getOutputStream().write(header);
        DnsClient.writeFramed(socket, whoamiQuery(13));
        List<String> tcp = txt(DnsClient.readFramed(socket));
        assertEquals("proxy no", tcp.get(3));
        assertEquals("transport tcp", tcp.get(2));
      }
    }

    @Test
    void tcpOneHeaderAppliesToEveryQueryOfTheConnection() throws Exception {
      try (Socket socket = DnsClient.tcp(proxyPort, 3000)) {
        OutputStream out = socket.getOutputStream();
        out.write(header(TransportProtocol.STREAM, "203.0.113.9", 4242, proxyPort));
        DnsClient.writeFramed(socket, whoamiQuery(3));
        DnsClient.writeFramed(socket, whoamiQuery(4));
        for (int i = 0; i < 2; i++) {
          List<String> lines = txt(DnsClient.readFramed(socket));
          assertEquals("source 203.0.113.9#4242", lines.get(0));
          assertEquals("transport tcp", lines.get(2));
        }
      }
    }

    @Test
    void tcpHeaderSplitAcrossSegmentsAndGluedToTheFirstQuery() throws Exception {
      byte[] header = header(TransportProtocol.STREAM, "203.0.113.10", 1, proxyPort);
      byte[] query = whoamiQuery(5);
      try (Socket socket = DnsClient.tcp(proxyPort, 3000)) {
        socket.setTcpNoDelay(true);
        OutputStream out = socket.getOutputStream();
        out.write(header, 0, 5);
        out.flush();
        Thread.sleep(30);
        out.write(header, 5, 12);
        out.flush();
        Thread.sleep(30);
        java.io.ByteArrayOutputStream rest = new java.io.ByteArrayOutputStream();
        rest.write(header, 17, header.length - 17);
        rest.write(query.length >> 8);
        rest.write(query.length);
        rest.write(query);
        out.write(rest.toByteArray());
        out.flush();
        assertEquals("source 203.0.113.10#1", txt(DnsClient.readFramed(socket)).get(0));
      }
    }

    @Test
    void aProxyListenerIgnoresQueriesWithoutAHeader() throws Exception {
      assertNull(DnsClient.udp(proxyPort, whoamiQuery(6), 500), "UDP without a header: no answer");
      try (Socket socket = DnsClient.tcp(proxyPort, 3000)) {
        DnsClient.writeFramed(socket, whoamiQuery(7));
        assertNull(DnsClient.readFramed(socket), "TCP without a header: closed unanswered");
      }
    }

    @Test
    void aHeaderThatNeverCompletesIsClosedAtTheInitialTimeout() throws Exception {
      byte[] header = header(TransportProtocol.STREAM, "203.0.113.11", 1, proxyPort);
      try (Socket socket = DnsClient.tcp(proxyPort, 8000)) {
        socket.getOutputStream().write(header, 0, 20);
        long started = System.nanoTime();
        assertNull(DnsClient.readFramed(socket), "closed without an answer");
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertTrue(
            waited >= 1500 && waited < 7000,
            "closed by tcp-initial-timeout (2.5 s), after " + waited + " ms");
      }
    }

    @Test
    void unspecifiedAddressesAreDropped() throws Exception {
      byte[] datagram = proxied("0.0.0.0", 1234, whoamiQuery(8));
      assertNull(DnsClient.udp(proxyPort, datagram, 500));
      // the same header from a client's address is answered
      assertEquals(
          "source 192.0.2.7#1234",
          txt(DnsClient.udp(proxyPort, proxied("192.0.2.7", 1234, whoamiQuery(13)), 3000)).get(0));
    }

    @Test
    void aHeaderOnAListenerWithoutProxyIsNotTakenForOne() throws Exception {
      byte[] datagram = proxied("192.0.2.7", 1234, whoamiQuery(9));
      byte[] reply = DnsClient.udp(plainPort, datagram, 1000);
      if (reply != null) {
        assertTrue(
            new Message(reply).getRcode() != Rcode.NOERROR,
            "garbage to a plain listener is an error, never an answer");
      }
      List<String> lines = txt(node.udpRaw(whoamiQuery(10), 3000));
      assertEquals("proxy no", lines.get(3), "the plain listener answers plain queries");
    }

    @Test
    void mutatedHeadersNeverCrashTheNodeOrBlockOtherClients() throws Exception {
      java.util.Random random = new java.util.Random(4);
      byte[] valid = proxied("192.0.2.7", 1234, whoamiQuery(20));
      for (int i = 0; i < 200; i++) {
        byte[] mutated = valid.clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          mutated[random.nextInt(28)] ^= (byte) (1 << random.nextInt(8));
        }
        byte[] reply = DnsClient.udp(proxyPort, mutated, 20);
        if (reply != null) {
          assertTrue(
              new Message(reply).getHeader().getFlag(org.xbill.DNS.Flags.QR),
              "only DNS answers come back");
        }
        if (i % 20 == 0) {
          try (Socket socket = DnsClient.tcp(proxyPort, 300)) {
            socket.getOutputStream().write(java.util.Arrays.copyOf(mutated, 28));
            socket
                .getOutputStream()
                .write(new byte[] {0, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
            try {
              DnsClient.readFramed(socket);
            } catch (IOException closedOrTimedOut) {
              // a mutated header may still decode to a valid one; what matters is the node below
            }
          }
        }
      }
      byte[] datagram = proxied("192.0.2.8", 1, whoamiQuery(21));
      assertEquals(
          "source 192.0.2.8#1",
          txt(DnsClient.udp(proxyPort, datagram, 3000)).get(0),
          "still serving");
      assertEquals(Rcode.NOERROR, node.query("example.test.", Type.SOA, true).getRcode());
    }

    @Test
    void countersShowAcceptedAndRejectedHeaders() throws Exception {
      DnsClient.udp(proxyPort, ProxyEncoder.prepend(ProxyHeader.local(), whoamiQuery(11)), 3000);
      assertNull(DnsClient.udp(proxyPort, whoamiQuery(12), 300));
      JsonObject counters =
          (JsonObject)
              node.vertx
                  .eventBus()
                  .request(Addresses.STATS_PROXY, "")
                  .toCompletionStage()
                  .toCompletableFuture()
                  .get(5, TimeUnit.SECONDS)
                  .body();
      assertTrue(counters.getLong("accepted-local", 0L) >= 1, counters.encode());
      assertTrue(counters.getLong("bad-signature", 0L) >= 1, counters.encode());
    }
  }

  @Test
  void headersFromPeersOutsideAllowProxyGetNoAnswer() throws Exception {
    int plain = TestNode.freePort();
    int proxied;
    do {
      proxied = TestNode.freePort();
    } while (proxied == plain);
    try (TestNode node =
        TestNode.start(config(plain, proxied, Delivery.DIRECT, List.of("192.0.2.0/24")))) {
      byte[] datagram = proxied("192.0.2.7", 1234, whoamiQuery(1));
      assertNull(DnsClient.udp(proxied, datagram, 500));
      // the node answers its plain listener meanwhile
      assertEquals("proxy no", txt(DnsClient.udp(plain, whoamiQuery(3), 3000)).get(3));
      try (Socket socket = DnsClient.tcp(proxied, 3000)) {
        socket.getOutputStream().write(header(TransportProtocol.STREAM, "192.0.2.7", 1, proxied));
        DnsClient.writeFramed(socket, whoamiQuery(2));
        assertNull(DnsClient.readFramed(socket), "closed unanswered");
      }
    }
  }
}
