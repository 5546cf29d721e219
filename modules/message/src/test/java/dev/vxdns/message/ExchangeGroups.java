package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.proxyprotocol.DecodeResult;
import dev.vxdns.proxyprotocol.ProxyDecoder;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Test helpers that look at an exchange's groups the way the codecs do, component by component, so
 * that a component added to a group is checked without touching the tests.
 */
final class ExchangeGroups {
  private ExchangeGroups() {}

  /** The header as a transport hands it on: decoded, with its real CRC32C. */
  static ProxyHeader asDecoded(ProxyHeader header) {
    return ((DecodeResult.Complete) ProxyDecoder.defaults().decode(ProxyEncoder.encode(header)))
        .header();
  }

  /** The exchange's groups, in wire order. */
  static List<Record> groups(DnsExchange exchange) {
    return List.of(exchange.endpoints(), exchange.query(), exchange.verdicts(), exchange.reply());
  }

  /**
   * An exchange whose every component is set (non-null, true, non-zero, non-empty): checked here,
   * so a component added to a group fails this until the sample sets it too.
   */
  static DnsExchange everyComponentSet() throws Exception {
    byte[] wire = DnsExchangeBinaryTest.query("www.example.test.", Type.AAAA);
    Message request = new Message(wire);
    Message response = DnsResponses.responseTo(request, 1232);
    response.addRecord(
        new ARecord(
            Name.fromString("www.example.test."),
            DClass.IN,
            60,
            InetAddress.getByName("192.0.2.1")),
        Section.ADDITIONAL);
    ProxyHeader header =
        ExchangeGroups.asDecoded(
            ProxyHeader.builder()
                .protocol(TransportProtocol.STREAM)
                .addresses(
                    new InetSocketAddress("192.0.2.7", 1234),
                    new InetSocketAddress("192.0.2.53", 853))
                .authority("dns.example.test")
                .uniqueId(new byte[] {1, 2, 3, 4})
                .custom(0xE0, new byte[] {9})
                .crc32c()
                .build());
    DnsExchange exchange =
        DnsExchange.received(
                Transport.DOT,
                "dot:853",
                new InetSocketAddress("10.0.0.1", 40000),
                new InetSocketAddress("::1", 853),
                header,
                wire)
            .withProxied(
                new InetSocketAddress("2001:db8::7", 1234), new InetSocketAddress("192.0.2.53", 53))
            .withRequest(request)
            .withKeyName("host1-host2.")
            .withAclMatch("allow-query: key host1-host2.")
            .withCookieVerified()
            .withKeyUnknown()
            .withResponseStep("vxdns.auth")
            .withResponseStep("vxdns.other")
            .withWildcardZone("example.test.")
            .respond(response);
    exchange =
        exchange
            .withRenderedResponse(response, new byte[] {7, 7, 7})
            .withStreamServedAt("vxdns.stream.sample");
    for (Record group : groups(exchange)) {
      for (java.lang.reflect.RecordComponent c : group.getClass().getRecordComponents()) {
        Object value = c.getAccessor().invoke(group);
        String where = group.getClass().getSimpleName() + "." + c.getName();
        assertNotNull(value, where + " must be set in the sample");
        if (value instanceof Boolean b) {
          assertTrue(b, where + " must be true in the sample");
        } else if (value instanceof Number n) {
          assertNotEquals(0L, n.longValue(), where + " must be non-zero in the sample");
        } else if (value instanceof List<?> l) {
          assertTrue(l.size() > 1, where + " must have more than one element in the sample");
        } else if (value instanceof Enum<?> e) {
          assertNotEquals(0, e.ordinal(), where + " must not be the first constant in the sample");
        }
      }
    }
    return exchange;
  }

  /** Every component of every group is equal (byte arrays and DNS messages by content). */
  static void assertSameGroups(DnsExchange expected, DnsExchange actual) throws Exception {
    List<Record> want = groups(expected);
    List<Record> got = groups(actual);
    for (int i = 0; i < want.size(); i++) {
      Record w = want.get(i);
      for (java.lang.reflect.RecordComponent c : w.getClass().getRecordComponents()) {
        String where = w.getClass().getSimpleName() + "." + c.getName();
        Object a = c.getAccessor().invoke(w);
        Object b = c.getAccessor().invoke(got.get(i));
        if (a instanceof byte[] bytes) {
          assertArrayEquals(bytes, (byte[]) b, where);
        } else if (a instanceof Message m) {
          assertNotNull(b, where);
          assertArrayEquals(m.toWire(), ((Message) b).toWire(), where);
        } else {
          assertEquals(a, b, where);
        }
      }
    }
  }
}
