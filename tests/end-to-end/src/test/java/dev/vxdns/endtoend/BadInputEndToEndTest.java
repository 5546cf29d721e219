package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/** What the node does with bytes that are not good queries, and with clients that misbehave. */
class BadInputEndToEndTest {
  private static final int TCP_CLIENTS = 4;
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config
        .getJsonObject("options")
        .put("tcp-clients", TCP_CLIENTS)
        .put("tcp-instances", 1)
        .put("tcp-idle-timeout", 10);
    node = TestNode.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static byte[] soaQuery(int id) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
    query.getHeader().setID(id);
    return query.toWire();
  }

  private static void assertStillServing() throws Exception {
    assertEquals(Rcode.NOERROR, node.query("example.test.", Type.SOA, false).getRcode());
    assertEquals(Rcode.NOERROR, node.query("example.test.", Type.SOA, true).getRcode());
  }

  @Test
  void randomDatagramsGetFormerrOrNothingAndTheNodeKeepsServing() throws Exception {
    Random random = new Random(20261123);
    int answered = 0;
    for (int i = 0; i < 300; i++) {
      byte[] garbage = new byte[1 + random.nextInt(120)];
      random.nextBytes(garbage);
      if (garbage.length > 2) {
        garbage[2] &= 0x7F; // QR=0, so that garbage long enough for a header gets a reply
      }
      byte[] reply = node.udpRaw(garbage, 50);
      if (reply != null) {
        answered++;
        Message response = new Message(reply);
        assertTrue(response.getHeader().getFlag(Flags.QR));
        assertEquals(
            ((garbage[0] & 0xFF) << 8) | (garbage[1] & 0xFF),
            response.getHeader().getID(),
            "the reply keeps the id");
      }
    }
    assertTrue(answered > 0, "headers of random bytes get FORMERR (or NOTIMP for odd opcodes)");
    assertStillServing();
  }

  @Test
  void datagramsShorterThanAHeaderAndResponsesGetNoAnswer() throws Exception {
    assertNull(node.udpRaw(new byte[5], 300));
    byte[] response = soaQuery(77);
    response[2] |= (byte) 0x80;
    assertNull(node.udpRaw(response, 300), "never answer a response");
    assertStillServing();
  }

  @Test
  void truncatedQueriesAndCompressionLoopsGetFormerr() throws Exception {
    byte[] truncated = java.util.Arrays.copyOf(soaQuery(0x2222), 17);
    assertEquals(Rcode.FORMERR, new Message(node.udpRaw(truncated, 3000)).getRcode());
    byte[] loop = {
      0x33,
      0x33,
      0x00,
      0x00,
      0x00,
      0x01,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) 0xC0,
      0x0C,
      0x00,
      0x01,
      0x00,
      0x01
    };
    Message response = new Message(node.udpRaw(loop, 3000));
    assertEquals(Rcode.FORMERR, response.getRcode());
    assertEquals(0x3333, response.getHeader().getID());
  }

  @Test
  void tcpAnswersPipelinedQueriesOnOneConnection() throws Exception {
    try (Socket socket = node.tcpSocket(3000)) {
      java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
      for (int id = 1; id <= 5; id++) {
        byte[] query = soaQuery(id);
        batch.write(query.length >> 8);
        batch.write(query.length);
        batch.write(query);
      }
      socket.getOutputStream().write(batch.toByteArray());
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        ids.add(new Message(DnsClient.readFramed(socket)).getHeader().getID());
      }
      assertEquals(Set.of(1, 2, 3, 4, 5), ids);
    }
  }

  @Test
  void tcpQueriesAreFramedAcrossSegments() throws Exception {
    try (Socket socket = node.tcpSocket(3000)) {
      byte[] query = soaQuery(99);
      var out = socket.getOutputStream();
      out.write(query.length >> 8);
      out.flush();
      Thread.sleep(20);
      out.write(query.length);
      out.write(query, 0, 5);
      out.flush();
      Thread.sleep(20);
      out.write(query, 5, query.length - 5);
      out.flush();
      assertEquals(99, new Message(DnsClient.readFramed(socket)).getHeader().getID());
    }
  }

  @Test
  void tcpKeepaliveIsAdvertisedWhenAsked() throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
    query.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new TcpKeepaliveOption())), Section.ADDITIONAL);
    Message response = node.send(query, true);
    List<EDNSOption> keepalive = response.getOPT().getOptions(EDNSOption.Code.TCP_KEEPALIVE);
    assertEquals(1, keepalive.size());
    assertEquals(
        300,
        ((TcpKeepaliveOption) keepalive.get(0)).getTimeout().getAsInt(),
        "tcp-advertised-timeout, 100 ms units");
  }

  @Test
  void aFrameShorterThanAHeaderClosesTheConnection() throws Exception {
    try (Socket socket = node.tcpSocket(3000)) {
      DnsClient.writeFramed(socket, new byte[3]);
      assertNull(DnsClient.readFramed(socket), "closed");
    }
    assertStillServing();
  }

  /**
   * As named 9.20 (checked by hand, 2026-12-06: it resets the connection): a response sent over TCP
   * ends the connection, and the query after it goes unanswered; a FORMERR does not.
   */
  @Test
  void aResponseOverTcpClosesTheConnection() throws Exception {
    byte[] response = soaQuery(7);
    response[2] |= (byte) 0x80;
    try (Socket socket = node.tcpSocket(3000)) {
      DnsClient.writeFramed(socket, response);
      DnsClient.writeFramed(socket, soaQuery(8));
      assertNull(readFramedOrReset(socket), "closed, the query after it unanswered");
    }
    // The positive control: a query cut short gets FORMERR, and the one after it its answer.
    byte[] query = soaQuery(9);
    try (Socket socket = node.tcpSocket(3000)) {
      DnsClient.writeFramed(socket, java.util.Arrays.copyOf(query, query.length - 2));
      DnsClient.writeFramed(socket, soaQuery(10));
      assertEquals(Rcode.FORMERR, new Message(DnsClient.readFramed(socket)).getRcode());
      assertEquals(10, new Message(DnsClient.readFramed(socket)).getHeader().getID());
    }
  }

  /** The next framed message, or null when the connection was closed or reset. */
  private static byte[] readFramedOrReset(Socket socket) throws java.io.IOException {
    try {
      return DnsClient.readFramed(socket);
    } catch (java.net.SocketException reset) {
      return null;
    }
  }

  @Test
  void clientsThatNeverSendOrStallMidMessageAreClosedAndOthersAreServed() throws Exception {
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          try (Socket silent = node.tcpSocket(8000);
              Socket stalled = node.tcpSocket(8000)) {
            stalled
                .getOutputStream()
                .write(
                    new byte[] {(byte) 0xFF, (byte) 0xFF, 1, 2, 3}); // claims 65535 bytes, sends 3
            stalled.getOutputStream().flush();
            assertStillServing();
            long started = System.nanoTime();
            assertNull(DnsClient.readFramed(silent), "closed after tcp-initial-timeout");
            assertNull(DnsClient.readFramed(stalled), "closed after tcp-initial-timeout");
            long waited = (System.nanoTime() - started) / 1_000_000;
            assertTrue(
                waited >= 1500,
                "not before the 2.5 s initial timeout, closed after " + waited + " ms");
          }
        });
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    try (Socket socket = node.tcpSocket(5000)) {
      DnsClient.writeFramed(socket, soaQuery(5));
      assertNotNull(DnsClient.readFramed(socket));
      assertNull(DnsClient.readFramed(socket), "closed after tcp-idle-timeout (1 s)");
    }
  }

  @Test
  void connectionsBeyondTcpClientsAreRefused() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < TCP_CLIENTS; i++) {
        Socket socket = node.tcpSocket(3000);
        DnsClient.writeFramed(socket, soaQuery(i));
        assertNotNull(DnsClient.readFramed(socket), "connection " + i + " is within tcp-clients");
        open.add(socket);
      }
      try (Socket extra = node.tcpSocket(3000)) {
        try {
          DnsClient.writeFramed(extra, soaQuery(100));
          assertNull(
              DnsClient.readFramed(extra),
              "the connection beyond tcp-clients is closed unanswered");
        } catch (IOException reset) {
          // a reset is as good as a close
        }
      }
    } finally {
      for (Socket socket : open) {
        socket.close();
      }
    }
    Thread.sleep(200);
    assertStillServing();
  }
}
