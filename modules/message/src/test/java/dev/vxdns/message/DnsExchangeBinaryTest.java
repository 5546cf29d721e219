package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsExchangeBinaryTest {
  static byte[] query(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)).toWire();
  }

  @Test
  void roundTripsEveryField() throws Exception {
    byte[] wire = query("www.example.test.", Type.A);
    Message request = new Message(wire);
    Message response = DnsResponses.responseTo(request, 1232);
    response.addRecord(
        new ARecord(
            Name.fromString("www.example.test."),
            DClass.IN,
            60,
            java.net.InetAddress.getByName("192.0.2.1")),
        Section.ANSWER);
    byte[] header = {
      0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00
    };
    DnsExchange original =
        DnsExchange.received(
                Transport.TCP,
                "lo:5301",
                new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 5301),
                header,
                wire)
            .withProxied(
                new InetSocketAddress("2001:db8::7", 1234),
                new InetSocketAddress("192.0.2.53", 53),
                wire)
            .withRequest(request)
            .withKeyName("host1-host2.")
            .withAclMatch("allow-query: any")
            .withResponseStep("vxdns.auth")
            .respond(response);

    DnsExchange copy = DnsExchangeBinary.decode(DnsExchangeBinary.encode(original));

    assertEquals(Transport.TCP, copy.transport());
    assertEquals("lo:5301", copy.listener());
    assertEquals(original.realSource(), copy.realSource());
    assertEquals(original.realDestination(), copy.realDestination());
    assertEquals(original.effectiveSource(), copy.effectiveSource());
    assertEquals(original.effectiveDestination(), copy.effectiveDestination());
    assertTrue(copy.proxied());
    assertArrayEquals(wire, copy.query());
    assertArrayEquals(header, copy.proxyHeader());
    assertEquals(request.getQuestion(), copy.request().getQuestion());
    assertEquals("host1-host2.", copy.keyName());
    assertEquals("allow-query: any", copy.aclMatch());
    assertEquals(java.util.List.of("vxdns.auth"), copy.responseSteps());
    assertEquals(Outcome.RESPOND, copy.outcome());
    assertArrayEquals(response.toWire(), copy.response().toWire());
  }

  @Test
  void roundTripsAFreshExchangeWithNulls() throws Exception {
    DnsExchange original =
        DnsExchange.received(
            Transport.UDP,
            "x",
            new InetSocketAddress("::1", 1),
            new InetSocketAddress("::1", 53),
            new byte[] {1, 2, 3});
    DnsExchange copy = DnsExchangeBinary.decode(DnsExchangeBinary.encode(original));
    assertNull(copy.request());
    assertNull(copy.response());
    assertNull(copy.keyName());
    assertNull(copy.aclMatch());
    assertNull(copy.proxyHeader());
    assertEquals(Outcome.CONTINUE, copy.outcome());
    assertEquals(original.effectiveSource(), copy.effectiveSource());
    assertArrayEquals(new byte[] {1, 2, 3}, copy.query());
  }

  @Test
  void rejectsMalformedInputWithAClearError() throws Exception {
    byte[] good =
        DnsExchangeBinary.encode(
            DnsExchange.received(
                Transport.UDP,
                "x",
                new InetSocketAddress("127.0.0.1", 1),
                new InetSocketAddress("127.0.0.1", 53),
                query("a.", Type.A)));
    for (int cut = 0; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThrows(
          IllegalArgumentException.class,
          () -> DnsExchangeBinary.decode(truncated),
          "cut at " + cut);
    }
    byte[] wrongVersion = good.clone();
    wrongVersion[0] = 9;
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DnsExchangeBinary.decode(wrongVersion));
    assertTrue(error.getMessage().contains("version 9"), error.getMessage());
  }
}
