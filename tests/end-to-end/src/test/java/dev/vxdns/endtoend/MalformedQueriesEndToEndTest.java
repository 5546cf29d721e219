package dev.vxdns.endtoend;

import static dev.vxdns.endtoend.WireBytes.concat;
import static dev.vxdns.endtoend.WireBytes.name;
import static dev.vxdns.endtoend.WireBytes.zeroMacTsig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * Hand-made malformed queries through a real node on UDP and TCP, each answered as BIND 9.20
 * answers it (checked with named 9.20: FORMERR, a normal answer, or nothing), and none of them
 * reaching a stage as an exception ("pipeline failed" in the log, SERVFAIL on the wire).
 */
class MalformedQueriesEndToEndTest {
  /** What BIND 9.20 does with a query: an rcode, or NONE for no answer at all. */
  static final int NONE = -1;

  @Nested
  class DirectDelivery extends Cases implements BothDeliveries.Direct {}

  @Nested
  class EventBusDelivery extends Cases implements BothDeliveries.EventBus {}

  private static byte[] header(int id, int flags, int qd, int an, int ns, int ar) {
    return ByteBuffer.allocate(12)
        .putShort((short) id)
        .putShort((short) flags)
        .putShort((short) qd)
        .putShort((short) an)
        .putShort((short) ns)
        .putShort((short) ar)
        .array();
  }

  private static final byte[] QUESTION = concat(name("www.example.test"), new byte[] {0, 1, 0, 1});
  private static final byte[] OPT = {0, 0, 41, 4, (byte) 0xd0, 0, 0, 0, 0, 0, 0};
  private static final byte[] A_RECORD =
      concat(
          name("www.example.test"),
          new byte[] {0, 1, 0, 1, 0, 0, 0, 60, 0, 4, (byte) 192, 0, 2, 1});

  /** The malformed queries and what named 9.20 answers each (probed by hand with these bytes). */
  static Map<String, Object[]> table() {
    Map<String, Object[]> cases = new LinkedHashMap<>();
    cases.put(
        "a good query (control)",
        new Object[] {concat(header(1, 0, 1, 0, 0, 0), QUESTION), Rcode.NOERROR});
    cases.put("QDCOUNT 0", new Object[] {header(2, 0, 0, 0, 0, 0), Rcode.FORMERR});
    cases.put(
        "QDCOUNT 2",
        new Object[] {concat(header(3, 0, 2, 0, 0, 0), QUESTION, QUESTION), Rcode.FORMERR});
    cases.put(
        "question truncated",
        new Object[] {
          Arrays.copyOf(concat(header(4, 0, 1, 0, 0, 0), QUESTION), 20), Rcode.FORMERR
        });
    cases.put(
        "OPT twice",
        new Object[] {concat(header(5, 0, 1, 0, 0, 2), QUESTION, OPT, OPT), Rcode.FORMERR});
    cases.put(
        "OPT in the answer section",
        new Object[] {concat(header(6, 0, 1, 1, 0, 0), QUESTION, OPT), Rcode.FORMERR});
    cases.put(
        "OPT not last (allowed)",
        new Object[] {concat(header(7, 0, 1, 0, 0, 2), QUESTION, OPT, A_RECORD), Rcode.NOERROR});
    cases.put(
        "TSIG not last",
        new Object[] {
          concat(header(8, 0, 1, 0, 0, 2), QUESTION, zeroMacTsig("host1-host2"), A_RECORD),
          Rcode.FORMERR
        });
    cases.put(
        "TSIG in the answer section",
        new Object[] {
          concat(header(9, 0, 1, 1, 0, 0), QUESTION, zeroMacTsig("host1-host2")), Rcode.FORMERR
        });
    cases.put(
        "signed query truncated, TC=1",
        new Object[] {
          Arrays.copyOf(
              concat(header(10, 0x0200, 1, 0, 0, 1), QUESTION, zeroMacTsig("host1-host2")), 60),
          Rcode.FORMERR
        });
    cases.put(
        "label pointer loop",
        new Object[] {
          concat(header(11, 0, 1, 0, 0, 0), new byte[] {(byte) 0xc0, 0x0c, 0, 1, 0, 1}),
          Rcode.FORMERR
        });
    cases.put(
        "trailing garbage (ignored)",
        new Object[] {
          concat(header(12, 0, 1, 0, 0, 0), QUESTION, new byte[] {1, 2, 3}), Rcode.NOERROR
        });
    cases.put(
        "AXFR with QR clear and garbage in the OPT record (from a fuzzer)",
        new Object[] {
          HexFormat.of()
              .parseHex(
                  "69f82a00000168000000000103777777076578616d706c6504746573740000fc000100002904d0000000000000c06d7cc72c9ea48608"),
          Rcode.FORMERR
        });
    cases.put("a response", new Object[] {concat(header(13, 0x8000, 1, 0, 0, 0), QUESTION), NONE});
    cases.put("a runt", new Object[] {new byte[] {0, 1, 2}, NONE});
    cases.put(
        "unknown key",
        new Object[] {
          concat(header(14, 0, 1, 0, 0, 1), QUESTION, zeroMacTsig("host1-host2")), Rcode.NOTAUTH
        });
    return cases;
  }

  abstract static class Cases extends BothDeliveries {
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            synchronized (warnings) {
              warnings.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    @BeforeEach
    void captureLogs() {
      Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
      Logger.getLogger("").removeHandler(capture);
    }

    private void assertNoPipelineFailure() {
      synchronized (warnings) {
        for (LogRecord record : warnings) {
          assertTrue(
              record.getMessage() == null || !record.getMessage().contains("pipeline failed"),
              () ->
                  "a stage failed: "
                      + record.getMessage()
                      + " "
                      + Arrays.toString(record.getParameters()));
        }
      }
    }

    @Test
    void overUdpEachGetsWhatBindAnswers() throws Exception {
      for (Map.Entry<String, Object[]> entry : table().entrySet()) {
        byte[] query = (byte[]) entry.getValue()[0];
        int expected = (int) entry.getValue()[1];
        byte[] reply = node.udpRaw(query, expected == NONE ? 300 : 3000);
        if (expected == NONE) {
          assertNull(reply, entry.getKey());
          continue;
        }
        assertNotNull(reply, entry.getKey());
        Message response = new Message(reply);
        assertEquals(Rcode.string(expected), Rcode.string(response.getRcode()), entry.getKey());
        assertEquals(
            ((query[0] & 0xFF) << 8) | (query[1] & 0xFF),
            response.getHeader().getID(),
            entry.getKey());
      }
      assertNoPipelineFailure();
    }

    @Test
    void overTcpEachGetsWhatBindAnswers() throws Exception {
      for (Map.Entry<String, Object[]> entry : table().entrySet()) {
        byte[] query = (byte[]) entry.getValue()[0];
        int expected = (int) entry.getValue()[1];
        if (expected == NONE) {
          continue; // the UDP case shows they are dropped
        }
        try (Socket socket = node.tcpSocket(3000)) {
          DnsClient.writeFramed(socket, query);
          byte[] reply = DnsClient.readFramed(socket);
          assertNotNull(reply, entry.getKey());
          assertEquals(
              Rcode.string(expected), Rcode.string(new Message(reply).getRcode()), entry.getKey());
        }
      }
      assertNoPipelineFailure();
    }

    /** TSIG errors carry the OPT record of an EDNS query, as every other error does (and BIND). */
    @Test
    void tsigErrorsKeepEdns() throws Exception {
      byte[] query = concat(header(15, 0, 1, 0, 0, 2), QUESTION, OPT, zeroMacTsig("host1-host2"));
      Message response = new Message(node.udpRaw(query, 3000));
      assertEquals(Rcode.NOTAUTH, response.getRcode());
      assertNotNull(response.getOPT(), "the query had EDNS");
      assertNotNull(response.getTSIG());
      assertEquals(2, response.getSectionArray(Section.ADDITIONAL).length);
      assertNoPipelineFailure();
    }
  }
}
