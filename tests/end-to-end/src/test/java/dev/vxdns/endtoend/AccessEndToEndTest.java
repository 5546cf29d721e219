package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * allow-query with key elements (the shipped config/examples/tsig.json), blackhole, and access
 * lists on the effective address of a proxied client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessEndToEndTest {
  private TestNode node;
  private int proxyPort;

  @BeforeAll
  void start() throws Exception {
    Path examples = Path.of("../../config/examples").toAbsolutePath().normalize();
    JsonObject config = new JsonObject(Files.readString(examples.resolve("tsig.json")));
    int port = TestNode.freePort();
    do {
      proxyPort = TestNode.freePort();
    } while (proxyPort == port);
    config
        .getJsonObject("zone")
        .getJsonObject("example.test")
        .put("file", TestNode.EXAMPLE_ZONE.toString());
    config
        .getJsonObject("zone")
        .put("big.test", new JsonObject().put("file", TestNode.BIG_ZONE.toString()));
    config.remove("controls");
    config
        .getJsonObject("options")
        .put(
            "listen-on",
            new JsonArray()
                .add(new JsonObject().put("address", "127.0.0.1").put("port", port))
                .add(
                    new JsonObject()
                        .put("address", "127.0.0.1")
                        .put("port", proxyPort)
                        .put("proxy", "plain")))
        .put("allow-proxy", new JsonArray().add("127.0.0.0/8"))
        .put("allow-query", new JsonArray().add("!192.0.2.66").add("any"))
        .put("blackhole", new JsonArray().add("127.0.0.99"));
    node = TestNode.start(config);
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  private static Message query(String name) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.SOA, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return query;
  }

  private static int ede(Message response) {
    return ((ExtendedErrorCodeOption) response.getOPT().getOptions().get(0)).getErrorCode();
  }

  @Test
  void unsignedQueriesForTheKeyOnlyZoneAreRefusedWithEde18() throws Exception {
    Message response = node.send(query("example.test."), false);
    assertEquals(Rcode.REFUSED, response.getRcode());
    assertEquals(ExtendedErrorCodeOption.PROHIBITED, ede(response));
  }

  @Test
  void queriesSignedWithEitherKeyAreAnsweredAndSigned() throws Exception {
    for (List<String> key :
        List.of(
            List.of("hmac-sha256", "host1-host2.", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
            List.of(
                "hmac-sha512",
                "transfer.",
                "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTBmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMA=="))) {
      Message response =
          TsigEndToEndTest.signedQuery(
              node,
              TsigEndToEndTest.key(key.get(0), key.get(1), key.get(2), Clock.systemUTC()),
              false);
      assertEquals(Rcode.NOERROR, response.getRcode(), key.get(1));
      assertTrue(response.isVerified(), key.get(1));
    }
  }

  @Test
  void otherZonesInheritTheOptions() throws Exception {
    assertEquals(Rcode.NOERROR, node.send(query("big.test."), false).getRcode());
  }

  @Test
  void blackholedSourcesGetNoAnswerAtAll() throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.99", 0))) {
      socket.setSoTimeout(500);
      byte[] wire = query("big.test.").toWire();
      socket.send(
          new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), node.port));
      assertNull(receive(socket), "blackhole: dropped");
    }
  }

  /**
   * The blackhole comes before parsing and TSIG: a blackholed source gets neither the FORMERR of a
   * malformed query, nor the NOTAUTH of an unknown key, nor a TKEY answer, where any other source
   * gets them.
   */
  @Test
  void blackholedSourcesGetNoErrorAnswersEither() throws Exception {
    byte[] malformed = java.util.Arrays.copyOf(query("big.test.").toWire(), 17);
    Message unknownKey = query("big.test.");
    TSIG stranger =
        TsigEndToEndTest.key(
            "hmac-sha256",
            "stranger.",
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
            Clock.systemUTC());
    stranger.apply(unknownKey, null);
    Message tkey =
        Message.newQuery(Record.newRecord(Name.fromString("k.test."), Type.TKEY, DClass.ANY));
    List<byte[]> queries = List.of(malformed, unknownKey.toWire(), tkey.toWire());
    try (DatagramSocket blackholed = new DatagramSocket(new InetSocketAddress("127.0.0.99", 0));
        DatagramSocket allowed = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      blackholed.setSoTimeout(500);
      allowed.setSoTimeout(3000);
      for (byte[] wire : queries) {
        DatagramPacket packet =
            new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), node.port);
        allowed.send(packet);
        assertNotNull(receive(allowed), "positive control: an error answer");
        blackholed.send(packet);
        assertNull(receive(blackholed), "blackhole: no answer at all");
      }
    }
    assertEquals(
        Rcode.FORMERR,
        new Message(DnsClient.udp(node.port, malformed, 3000)).getRcode(),
        "the control got FORMERR");
    assertEquals(
        Rcode.NOTAUTH,
        new Message(DnsClient.udp(node.port, unknownKey.toWire(), 3000)).getRcode(),
        "the control got NOTAUTH");
  }

  /**
   * A blackholed client's TCP connection is closed, not answered: at accept on a listener without
   * PROXY (so its query may meet a reset rather than an EOF).
   */
  @Test
  void blackholedTcpClientsAreDisconnectedAtOnce() throws Exception {
    byte[] wire = query("big.test.").toWire();
    try (Socket allowed = DnsClient.tcp(node.port, 3000)) {
      DnsClient.writeFramed(allowed, wire);
      assertNotNull(DnsClient.readFramed(allowed), "positive control: answered");
    }
    try (Socket blackholed = new Socket()) {
      blackholed.bind(new InetSocketAddress("127.0.0.99", 0));
      blackholed.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.port));
      blackholed.setSoTimeout(1000);
      byte[] answer;
      try {
        DnsClient.writeFramed(blackholed, wire);
        answer = DnsClient.readFramed(blackholed);
      } catch (java.net.SocketException reset) {
        answer = null;
      }
      assertNull(answer, "closed without an answer");
    }
  }

  /** Through PROXY the effective source is blackholed, although the proxy itself is allowed. */
  @Test
  void proxiedBlackholedClientsAreDisconnectedAtOnce() throws Exception {
    byte[] wire = query("big.test.").toWire();
    for (String client : List.of("192.0.2.67", "127.0.0.99")) {
      try (Socket proxy = DnsClient.tcp(proxyPort, 1000)) {
        proxy
            .getOutputStream()
            .write(
                ProxyEncoder.encode(
                    ProxyHeader.proxy(
                        TransportProtocol.STREAM,
                        new InetSocketAddress(client, 1),
                        new InetSocketAddress("198.51.100.53", 53))));
        DnsClient.writeFramed(proxy, wire);
        byte[] answer = DnsClient.readFramed(proxy);
        if (client.equals("127.0.0.99")) {
          assertNull(answer, "the blackholed client's connection is closed without an answer");
        } else {
          assertEquals(Rcode.NOERROR, new Message(answer).getRcode(), "positive control");
        }
      }
    }
  }

  @Test
  void accessListsSeeTheProxiedClientNotTheProxy() throws Exception {
    byte[] refused =
        DnsClient.udp(
            proxyPort,
            ProxyEncoder.prepend(
                ProxyHeader.proxy(
                    TransportProtocol.DGRAM,
                    new InetSocketAddress("192.0.2.66", 1),
                    new InetSocketAddress("198.51.100.53", 53)),
                query("big.test.").toWire()),
            3000);
    assertEquals(
        Rcode.REFUSED,
        new Message(refused).getRcode(),
        "192.0.2.66 is denied although the proxy is allowed");
    byte[] answered =
        DnsClient.udp(
            proxyPort,
            ProxyEncoder.prepend(
                ProxyHeader.proxy(
                    TransportProtocol.DGRAM,
                    new InetSocketAddress("192.0.2.67", 1),
                    new InetSocketAddress("198.51.100.53", 53)),
                query("big.test.").toWire()),
            3000);
    assertEquals(Rcode.NOERROR, new Message(answered).getRcode());
  }

  private static byte[] receive(DatagramSocket socket) throws Exception {
    byte[] buffer = new byte[2048];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(packet);
      return buffer;
    } catch (java.net.SocketTimeoutException none) {
      return null;
    }
  }
}
