package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.Delivery;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Response rate limiting against a spoofed-source flood through PROXY v2: a listener with {@code
 * proxy: plain}, {@code allow-proxy} the loopback range, {@code responses-per-second 5}, {@code
 * slip 2}, and an exempt /24. The flood's PROXY sources all lie in one /24, so they share one
 * account; other /24s, the exempt clients and TCP are answered in full at the same time.
 */
class RateLimitEndToEndTest {
  private static final int RATE = 5;
  private static final int FLOOD = 200;
  private static final int OTHERS = 20;

  @Nested
  class DirectDelivery extends Cases implements BothDeliveries.Direct {}

  @Nested
  class EventBusDelivery extends Cases implements BothDeliveries.EventBus {}

  abstract static class Cases extends BothDeliveries {
    private int proxyPort;

    @Override
    TestNode startNode(Delivery delivery) throws Exception {
      int plainPort = TestNode.freePort();
      do {
        proxyPort = TestNode.freePort();
      } while (proxyPort == plainPort);
      JsonObject config =
          ProxyEndToEndTest.config(plainPort, proxyPort, delivery, List.of("127.0.0.0/8"));
      config
          .getJsonObject("options")
          .put(
              "rate-limit",
              new JsonObject()
                  .put("responses-per-second", RATE)
                  .put("slip", 2)
                  .put("exempt-clients", new JsonArray().add("198.51.100.0/24")));
      return TestNode.start(config);
    }

    @Test
    void aSpoofedFloodFromOnePrefixIsLimitedWhileOthersAreAnswered() throws Exception {
      JsonObject before = stats();
      Map<Integer, Message> responses = new HashMap<>();
      long started = System.nanoTime();
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.setReceiveBufferSize(1 << 20);
        // The flood, one name, PROXY sources varying within 192.0.2.0/24; every tenth datagram a
        // query from another /24 (one each: the positive control) and one from the exempt /24.
        for (int i = 0; i < FLOOD; i++) {
          send(socket, "192.0.2." + (1 + i % 250), i);
          if (i % (FLOOD / OTHERS) == 0) {
            int other = i / (FLOOD / OTHERS);
            send(socket, "203.0." + other + ".1", 1000 + other);
            send(socket, "198.51.100." + (1 + other), 2000 + other);
          }
        }
        receiveAll(socket, responses);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      JsonObject after = stats();

      int full = 0;
      int slipped = 0;
      for (int id = 0; id < FLOOD; id++) {
        Message response = responses.get(id);
        if (response == null) {
          continue;
        }
        if (response.getHeader().getFlag(Flags.TC)) {
          assertTrue(response.getSection(Section.ANSWER).isEmpty(), response.toString());
          assertEquals(Rcode.NOERROR, response.getRcode());
          slipped++;
        } else {
          assertEquals(2, response.getSection(Section.ANSWER).size(), response.toString());
          full++;
        }
      }
      int unanswered = FLOOD - full - slipped;
      // A fresh account holds RATE responses and earns RATE more at each whole second the flood
      // spans: over `seconds` it crosses at most floor(seconds) + 1 second boundaries.
      long bound = RATE * (2 + (long) Math.floor(seconds));
      String summary =
          "full "
              + full
              + ", slipped "
              + slipped
              + ", unanswered "
              + unanswered
              + " in "
              + seconds
              + " s; stats "
              + after.encode();
      assertTrue(full >= RATE && full <= bound, summary);
      assertTrue(slipped >= 1, summary);
      assertTrue(unanswered >= 50, summary);
      long dropped = delta(before, after, "dropped");
      assertTrue(dropped >= 50 && dropped <= unanswered, summary);
      assertTrue(delta(before, after, "slipped") >= slipped, summary);

      // The positive controls, at the same time: every other /24 and every exempt client.
      for (int other = 0; other < OTHERS; other++) {
        assertFullAnswer(responses.get(1000 + other), "another /24 " + other + "; " + summary);
        assertFullAnswer(responses.get(2000 + other), "exempt " + other + "; " + summary);
      }
      assertTrue(delta(before, after, "exempt") >= OTHERS, summary);
      assertTrue(after.getLong("table-size", 0L) >= 1, summary);

      // The same flood over TCP, from the same (now limited) /24: never limited.
      try (Socket tcp = DnsClient.tcp(proxyPort, 5000)) {
        tcp.getOutputStream()
            .write(
                ProxyEncoder.encode(
                    ProxyHeader.proxy(
                        TransportProtocol.STREAM,
                        new InetSocketAddress("192.0.2.77", 4000),
                        new InetSocketAddress("127.0.0.1", proxyPort))));
        for (int i = 0; i < FLOOD; i++) {
          DnsClient.writeFramed(tcp, query(i));
        }
        for (int i = 0; i < FLOOD; i++) {
          byte[] answer = DnsClient.readFramed(tcp);
          assertTrue(answer != null, "TCP connection closed after " + i + " answers");
          assertFullAnswer(new Message(answer), "TCP answer " + i);
        }
      }
    }

    /**
     * As BIND keys them, the answers one wildcard gives share one account: 30 random names under
     * {@code *.wild} from one client are limited as 30 queries for one name would be. The positive
     * control, from another client at the same time: 30 queries over 10 names that exist, 3 each,
     * all answered, since each name has a rate of its own (and so had each random name before).
     */
    @Test
    void randomNamesUnderAWildcardShareOneAccount() throws Exception {
      List<String> exact =
          List.of(
              "ns1",
              "ns2",
              "www",
              "mail",
              "exists.wild",
              "a.b",
              "host1",
              "host2",
              "host3",
              "host4");
      Map<Integer, Message> responses = new HashMap<>();
      long started = System.nanoTime();
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.setReceiveBufferSize(1 << 20);
        for (int i = 0; i < 30; i++) {
          send(socket, "192.0.2.9", i, "r" + i + "-" + System.nanoTime() + ".wild.example.test.");
          send(socket, "203.0.113.9", 100 + i, exact.get(i % exact.size()) + ".example.test.");
        }
        receiveAll(socket, responses);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      int full = 0;
      for (int id = 0; id < 30; id++) {
        Message response = responses.get(id);
        if (response != null && !response.getHeader().getFlag(Flags.TC)) {
          assertEquals("192.0.2.80", response.getSection(Section.ANSWER).get(0).rdataToString());
          full++;
        }
        Message control = responses.get(100 + id);
        assertTrue(control != null && !control.getHeader().getFlag(Flags.TC), "control " + id);
        assertFalse(control.getSection(Section.ANSWER).isEmpty(), control.toString());
      }
      long bound = RATE * (2 + (long) Math.floor(seconds));
      assertTrue(
          full >= RATE && full <= bound,
          "wildcard answers in full: " + full + " in " + seconds + " s");
    }

    private void send(DatagramSocket socket, String source, int id) throws Exception {
      send(socket, source, id, "www.example.test.");
    }

    private void send(DatagramSocket socket, String source, int id, String name) throws Exception {
      byte[] datagram =
          ProxyEncoder.prepend(
              ProxyHeader.proxy(
                  TransportProtocol.DGRAM,
                  new InetSocketAddress(source, 1024 + id),
                  new InetSocketAddress("127.0.0.1", proxyPort)),
              query(id, name));
      socket.send(
          new DatagramPacket(
              datagram, datagram.length, InetAddress.getLoopbackAddress(), proxyPort));
    }

    private JsonObject stats() throws Exception {
      return (JsonObject)
          node.vertx
              .eventBus()
              .request(Addresses.STATS_RRL, "")
              .toCompletionStage()
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS)
              .body();
    }
  }

  private static byte[] query(int id) throws Exception {
    return query(id, "www.example.test.");
  }

  private static byte[] query(int id, String name) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.getHeader().setID(id);
    return query.toWire();
  }

  /** Reads responses until none came for 700 ms, for at most 10 s. */
  private static void receiveAll(DatagramSocket socket, Map<Integer, Message> responses)
      throws IOException {
    socket.setSoTimeout(700);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    byte[] buffer = new byte[65535];
    while (System.nanoTime() < deadline) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException quiet) {
        return;
      }
      Message response = new Message(Arrays.copyOf(buffer, packet.getLength()));
      responses.put(response.getHeader().getID(), response);
    }
  }

  private static void assertFullAnswer(Message response, String what) {
    assertTrue(response != null, "no answer: " + what);
    assertTrue(!response.getHeader().getFlag(Flags.TC), "truncated: " + what);
    assertEquals(Rcode.NOERROR, response.getRcode(), what);
    assertEquals(2, response.getSection(Section.ANSWER).size(), what);
  }

  private static long delta(JsonObject before, JsonObject after, String counter) {
    return after.getLong(counter, 0L) - before.getLong(counter, 0L);
  }
}
