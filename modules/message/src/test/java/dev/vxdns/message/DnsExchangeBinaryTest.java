package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
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

  /**
   * A response signer may hold a secret: every later exchange keeps it locally, and neither wire
   * form carries it.
   */
  @Test
  void theResponseSignerStaysLocal() throws Exception {
    ResponseSigner signer = (response, maxLength) -> new byte[] {42};
    DnsExchange signed =
        DnsExchange.received(
                Transport.UDP,
                "t",
                new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 53),
                query("www.example.test.", Type.A))
            .withResponseSigner(signer)
            .withKeyName("k.")
            .withResponseStep("vxdns.auth");
    DnsExchange answered = signed.respond(new Message()).withResponse(new Message());
    assertEquals(signer, answered.responseSigner());
    assertEquals(signer, new DnsExchangeCodec().transform(answered).responseSigner());
    assertNull(DnsExchangeBinary.decode(DnsExchangeBinary.encode(answered)).responseSigner());
    assertNull(DnsExchangeJson.fromJson(DnsExchangeJson.toJson(answered)).responseSigner());
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
    ProxyHeader header =
        ExchangeGroups.asDecoded(
            ProxyHeader.builder()
                .protocol(TransportProtocol.STREAM)
                .addresses(
                    new InetSocketAddress("2001:db8::7", 1234),
                    new InetSocketAddress("2001:db8::53", 53))
                .alpn("dot")
                .crc32c()
                .build());
    DnsExchange original =
        DnsExchange.received(
                Transport.TCP,
                "lo:5301",
                new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 5301),
                header,
                wire)
            .withProxied(
                new InetSocketAddress("2001:db8::7", 1234), new InetSocketAddress("192.0.2.53", 53))
            .withRequest(request)
            .withKeyName("host1-host2.")
            .withAclMatch("allow-query: any")
            .withCookieVerified()
            .withKeyUnknown()
            .withResponseStep("vxdns.auth")
            .withWildcardZone("example.test.")
            .respond(response);

    DnsExchange copy = DnsExchangeBinary.decode(DnsExchangeBinary.encode(original));

    assertEquals(Transport.TCP, copy.endpoints().transport());
    assertEquals("lo:5301", copy.endpoints().listener());
    assertEquals(original.endpoints().realSource(), copy.endpoints().realSource());
    assertEquals(original.endpoints().realDestination(), copy.endpoints().realDestination());
    assertEquals(original.endpoints().effectiveSource(), copy.endpoints().effectiveSource());
    assertEquals(
        original.endpoints().effectiveDestination(), copy.endpoints().effectiveDestination());
    assertTrue(copy.endpoints().proxied());
    assertArrayEquals(wire, copy.query().wire());
    assertEquals(header, copy.query().proxyHeader());
    assertEquals(request.getQuestion(), copy.request().getQuestion());
    assertEquals("host1-host2.", copy.verdicts().keyName());
    assertEquals("allow-query: any", copy.verdicts().aclMatch());
    assertTrue(copy.verdicts().cookieVerified());
    assertTrue(copy.verdicts().keyUnknown());
    assertEquals("example.test.", copy.reply().wildcardZone());
    assertEquals(List.of("vxdns.auth"), copy.reply().steps());
    assertEquals(Outcome.RESPOND, copy.reply().outcome());
    assertArrayEquals(response.toWire(), copy.responseMessage().toWire());
  }

  /** Every component of every group, whatever it is: a new component must travel too. */
  @Test
  void carriesEveryComponentOfEveryGroup() throws Exception {
    DnsExchange original = ExchangeGroups.everyComponentSet();
    DnsExchange copy = DnsExchangeBinary.decode(DnsExchangeBinary.encode(original));
    ExchangeGroups.assertSameGroups(original, copy);
    assertEquals(
        original.request().getQuestion(), copy.request().getQuestion(), "parsed again on arrival");
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
    assertNull(copy.responseMessage());
    assertNull(copy.reply().wire());
    assertNull(copy.verdicts().keyName());
    assertNull(copy.verdicts().aclMatch());
    assertFalse(copy.verdicts().cookieVerified());
    assertFalse(copy.verdicts().keyUnknown());
    assertNull(copy.query().proxyHeader());
    assertEquals(Outcome.CONTINUE, copy.reply().outcome());
    assertEquals(original.endpoints().effectiveSource(), copy.endpoints().effectiveSource());
    assertArrayEquals(new byte[] {1, 2, 3}, copy.query().wire());
    ExchangeGroups.assertSameGroups(original, copy);
  }

  /** Names never travel: a fresh UDP exchange over IPv4 stays this small. */
  @Test
  void staysCompact() throws Exception {
    byte[] wire = query("www.example.test.", Type.A);
    byte[] encoded =
        DnsExchangeBinary.encode(
            DnsExchange.received(
                Transport.UDP,
                "lo",
                new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 53),
                wire));
    // version, flags; endpoints: flags, transport, "lo", 4 addresses; query: flags, blob;
    // verdicts: flags; reply: flags, outcome, no steps
    int expected = 2 + (1 + 1 + 2 + 2 + 4 * 7) + (1 + 4 + wire.length) + 1 + (1 + 1 + 2);
    assertEquals(expected, encoded.length);
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
                    ProxyHeader.local(),
                    query("a.", Type.A))
                .withResponseStep("vxdns.auth"));
    for (int cut = 0; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThrows(
          IllegalArgumentException.class,
          () -> DnsExchangeBinary.decode(truncated),
          "cut at " + cut);
    }
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    assertThrows(IllegalArgumentException.class, () -> DnsExchangeBinary.decode(longer));
    byte[] wrongVersion = good.clone();
    wrongVersion[0] = 9;
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> DnsExchangeBinary.decode(wrongVersion));
    assertTrue(error.getMessage().contains("version 9"), error.getMessage());
  }
}
