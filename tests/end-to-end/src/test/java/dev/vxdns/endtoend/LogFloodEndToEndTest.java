package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Unauthenticated traffic cannot flood the log: 200 queries whose pipeline fails (a listener whose
 * pipeline names a stage nobody serves) over UDP, TCP and h2c each get their SERVFAIL, yet only the
 * first few "pipeline failed" lines per listener reach java.util.logging.
 */
class LogFloodEndToEndTest {
  /**
   * Per transport: 20 times the burst. (A failed event-bus request takes ~20 ms to come back here,
   * so 3 x 500 queries would take 45 s; 3 x 200 show the bound as well.)
   */
  private static final int QUERIES = 200;

  /** RateLimitedLog.perMinute's burst, plus a summary line, per listener. */
  private static final int MOST_PER_LISTENER = 10 + 1;

  @Test
  void pipelineFailuresAreLoggedAFewTimesNotOncePerQuery() throws Exception {
    int port = TestNode.freePort();
    int h2cPort = TestNode.freePort();
    JsonArray broken = new JsonArray().add("vxdns.nowhere");
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config
        .getJsonObject("options")
        .put(
            "listen-on",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("name", "broken")
                        .put("address", "127.0.0.1")
                        .put("port", port)
                        .put("transport", new JsonArray().add("udp").add("tcp"))
                        .put("pipeline", broken))
                .add(
                    new JsonObject()
                        .put("name", "broken-h2c")
                        .put("address", "127.0.0.1")
                        .put("port", h2cPort)
                        .put("transport", "h2c")
                        .put("pipeline", broken)));
    List<LogRecord> records = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue()) {
              synchronized (records) {
                records.add(record);
              }
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    try (TestNode node = TestNode.start(config)) {
      root.addHandler(capture);
      try {
        byte[] query =
            Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.A, DClass.IN))
                .toWire();
        int servfails = 0;
        // All the queries at once, then their answers: well under udp-max-inflight.
        try (DatagramSocket udp = new DatagramSocket()) {
          udp.setSoTimeout(5000);
          for (int i = 0; i < QUERIES; i++) {
            udp.send(
                new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
          }
          for (int i = 0; i < QUERIES; i++) {
            byte[] buffer = new byte[512];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            udp.receive(reply);
            if (new Message(reply.getData()).getRcode() == Rcode.SERVFAIL) {
              servfails++;
            }
          }
        }
        try (Socket tcp = DnsClient.tcp(port, 5000)) {
          for (int i = 0; i < QUERIES; i++) {
            DnsClient.writeFramed(tcp, query);
          }
          for (int i = 0; i < QUERIES; i++) {
            if (new Message(DnsClient.readFramed(tcp)).getRcode() == Rcode.SERVFAIL) {
              servfails++;
            }
          }
        }
        assertEquals(2 * QUERIES, servfails, "every query is answered SERVFAIL");
        int http500 = 0;
        try (Http2Client h2c =
            Http2Client.open(new Socket("127.0.0.1", h2cPort), "http", h2cPort)) {
          for (int i = 0; i < QUERIES; i++) {
            if (h2c.get(1 + 2 * i, query).status() == 500) {
              http500++;
            }
          }
        }
        assertEquals(QUERIES, http500, "every DoH request is answered 500");
      } finally {
        root.removeHandler(capture);
      }
    }
    synchronized (records) {
      long udp = count(records, "udp {0}", "broken");
      long tcp = count(records, "tcp {0}", "broken");
      long h2c = count(records, "{0}", "broken-h2c");
      // The positive control: the first failure of each is logged.
      assertTrue(udp >= 1 && tcp >= 1 && h2c >= 1, udp + " " + tcp + " " + h2c);
      assertTrue(udp <= MOST_PER_LISTENER, "udp logged " + udp + " lines");
      assertTrue(tcp <= MOST_PER_LISTENER, "tcp logged " + tcp + " lines");
      assertTrue(h2c <= MOST_PER_LISTENER, "h2c logged " + h2c + " lines");
      assertTrue(
          records.size() <= 3 * MOST_PER_LISTENER + 10, records.size() + " records at INFO+");
    }
  }

  private static long count(List<LogRecord> records, String prefix, String listener) {
    return records.stream()
        .filter(
            r -> r.getMessage() != null && r.getMessage().startsWith(prefix + ": pipeline failed"))
        .filter(
            r ->
                r.getParameters() != null
                    && r.getParameters().length > 0
                    && String.valueOf(r.getParameters()[0]).contains(listener))
        .count();
  }
}
