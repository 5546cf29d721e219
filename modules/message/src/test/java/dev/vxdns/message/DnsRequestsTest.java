package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class DnsRequestsTest {
  private static DnsExchange exchange(byte[] query) {
    return exchange(Transport.UDP, query);
  }

  private static DnsExchange exchange(Transport transport, byte[] query) {
    return DnsExchange.received(
        transport,
        "test",
        new InetSocketAddress("127.0.0.1", 1000),
        new InetSocketAddress("127.0.0.1", 53),
        query);
  }

  private static Message query() throws Exception {
    return Message.newQuery(
        Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
  }

  @Test
  void parsesAWellFormedQuery() throws Exception {
    DnsExchange parsed = DnsRequests.parse(exchange(query().toWire()), 1232);
    assertFalse(parsed.isFinished());
    assertEquals(Name.fromString("example.test."), parsed.request().getQuestion().getName());
  }

  @Test
  void theQuestionNameIsReadOnceAsTheQuerySpellsIt() throws Exception {
    Message mixedCase =
        Message.newQuery(Record.newRecord(Name.fromString("ExAmple.TEST."), Type.A, DClass.IN));
    DnsExchange parsed = DnsRequests.parse(exchange(mixedCase.toWire()), 1232);
    assertArrayEquals(Name.fromString("ExAmple.TEST.").toWire(), parsed.parsed().questionName());
    assertNull(exchange(mixedCase.toWire()).parsed(), "not before the query is parsed");
    // A question name that points into the header (its ARCOUNT, 0: the root): "www.", as dnsjava
    // reads it, rendered by dnsjava.
    byte[] pointing = {
      0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', (byte) 0xC0, 10, 0, 1, 0, 1
    };
    DnsExchange odd = DnsRequests.parse(exchange(pointing), 1232);
    assertEquals(Name.fromString("www."), odd.request().getQuestion().getName());
    assertArrayEquals(Name.fromString("www.").toWire(), odd.parsed().questionName());
  }

  @Test
  void dropsWhatIsShorterThanAHeaderOrAResponse() throws Exception {
    assertEquals(Outcome.DROP, DnsRequests.parse(exchange(new byte[11]), 1232).reply().outcome());
    assertEquals(Outcome.DROP, DnsRequests.parse(exchange(new byte[0]), 1232).reply().outcome());
    byte[] response = query().toWire();
    response[2] |= (byte) 0x80;
    assertEquals(Outcome.DROP, DnsRequests.parse(exchange(response), 1232).reply().outcome());
    // As named 9.20: over TCP or DoT the connection goes; a DoQ stream is only cancelled.
    for (Transport stream : List.of(Transport.TCP, Transport.DOT, Transport.DOQ)) {
      Outcome expected = stream == Transport.DOQ ? Outcome.DROP : Outcome.CLOSE;
      assertEquals(
          expected,
          DnsRequests.parse(exchange(stream, response), 1232).reply().outcome(),
          stream.name());
    }
  }

  @Test
  void answersFormErrToUnparseableBytesWithTheirId() throws Exception {
    byte[] truncated = java.util.Arrays.copyOf(query().toWire(), 20);
    DnsExchange result = DnsRequests.parse(exchange(truncated), 1232);
    assertEquals(Outcome.RESPOND, result.reply().outcome());
    assertEquals(Rcode.FORMERR, result.responseMessage().getRcode());
    assertEquals(
        ((truncated[0] & 0xFF) << 8) | (truncated[1] & 0xFF),
        result.responseMessage().getHeader().getID());
    assertNull(result.responseMessage().getQuestion());
  }

  @Test
  void answersFormErrToACompressionLoop() {
    // Header with QDCOUNT=1, then a name that is a pointer to itself (offset 12).
    byte[] loop = {
      0x12,
      0x34,
      0x01,
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
    DnsExchange result = DnsRequests.parse(exchange(loop), 1232);
    assertEquals(Rcode.FORMERR, result.responseMessage().getRcode());
    assertEquals(0x1234, result.responseMessage().getHeader().getID());
  }

  @Test
  void answersFormErrWhenThereIsNotExactlyOneQuestion() throws Exception {
    Message none = new Message(42);
    assertEquals(
        Rcode.FORMERR,
        DnsRequests.parse(exchange(none.toWire()), 1232).responseMessage().getRcode());
    Message two = query();
    two.addRecord(
        Record.newRecord(Name.fromString("other.test."), Type.A, DClass.IN), Section.QUESTION);
    assertEquals(
        Rcode.FORMERR,
        DnsRequests.parse(exchange(two.toWire()), 1232).responseMessage().getRcode());
  }

  @Test
  void answersFormErrWithoutEdnsToTwoOptRecords() throws Exception {
    Message twoOpts = query();
    twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    twoOpts.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
    Message response = DnsRequests.parse(exchange(twoOpts.toWire()), 1232).responseMessage();
    assertEquals(Rcode.FORMERR, response.getRcode());
    assertNull(response.getOPT());
  }

  /**
   * As BIND 9.20: an option that does not parse (a COOKIE of 9 octets) is FORMERR with the question
   * and an OPT record, so that the client does not take the server for one without EDNS.
   */
  @Test
  void answersFormErrWithQuestionAndOptToAMalformedOption() throws Exception {
    Message badCookie = query();
    badCookie.addRecord(
        new OPTRecord(
            4096, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.COOKIE, new byte[9]))),
        Section.ADDITIONAL);
    Message response = DnsRequests.parse(exchange(badCookie.toWire()), 1232).responseMessage();
    assertEquals(Rcode.FORMERR, response.getRcode());
    assertEquals(badCookie.getQuestion(), response.getQuestion());
    assertEquals(badCookie.getHeader().getID(), response.getHeader().getID());
    assertEquals(1232, response.getOPT().getPayloadSize());
    assertTrue(response.getOPT().getOptions().isEmpty());
    // The same query with a well-formed cookie parses.
    Message goodCookie = query();
    goodCookie.addRecord(
        new OPTRecord(
            4096, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.COOKIE, new byte[8]))),
        Section.ADDITIONAL);
    assertFalse(DnsRequests.parse(exchange(goodCookie.toWire()), 1232).isFinished());
  }

  @Test
  void answersFormErrToMisplacedOptAndSignatureRecords() throws Exception {
    Record tsig = DnsResponsesTest.tsig(32, 0);
    Record ownedOpt =
        Record.fromWire(new OPTRecord(1232, 0, 0).toWire(Section.ADDITIONAL), Section.ADDITIONAL);
    Message optInAuthority = query();
    optInAuthority.addRecord(new OPTRecord(1232, 0, 0), Section.AUTHORITY);
    Message optNotAtRoot = query();
    optNotAtRoot.addRecord(
        Record.newRecord(Name.fromString("opt.test."), Type.OPT, 1232, 0), Section.ADDITIONAL);
    Message tsigNotLast = query();
    tsigNotLast.addRecord(tsig, Section.ADDITIONAL);
    tsigNotLast.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    for (Message bad : java.util.List.of(optInAuthority, optNotAtRoot, tsigNotLast)) {
      DnsExchange result = DnsRequests.parse(exchange(bad.toWire()), 1232);
      assertEquals(Rcode.FORMERR, result.responseMessage().getRcode(), bad.toString());
      // dnsjava itself refuses to parse a TSIG that is not last: then there is no request at all.
      if (result.request() != null) {
        assertEquals(0, result.request().getSection(Section.ADDITIONAL).size(), "stripped: " + bad);
      }
      assertNull(result.requestOpt(), "no OPT kept from a refused request");
    }
    // The positive control: OPT, then the TSIG as the very last record, parse.
    Message signedLast = query();
    signedLast.addRecord(ownedOpt, Section.ADDITIONAL);
    signedLast.addRecord(tsig, Section.ADDITIONAL);
    DnsExchange parsed = DnsRequests.parse(exchange(signedLast.toWire()), 1232);
    assertFalse(parsed.isFinished(), signedLast.toString());
    assertEquals(1232, parsed.requestOpt().getPayloadSize());
    // Fewer records than the header counts (a TC=1 query dnsjava stopped reading): FORMERR.
    byte[] short_ = query().toWire();
    short_[11] = 1;
    short_[2] |= 0x02;
    assertEquals(
        Rcode.FORMERR, DnsRequests.parse(exchange(short_), 1232).responseMessage().getRcode());
  }

  @Test
  void answersBadversToEdnsVersionOne() throws Exception {
    Message v1 = query();
    v1.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    Message response = DnsRequests.parse(exchange(v1.toWire()), 1232).responseMessage();
    assertEquals(Rcode.BADVERS, response.getRcode());
    assertNotNull(response.getOPT());
    assertEquals(0, response.getOPT().getVersion());
    Message reparsed = new Message(response.toWire());
    assertEquals(Rcode.BADVERS, reparsed.getRcode());
  }

  /** A query for www.example.test with these changes made to it. */
  private static Message shaped(int opcode, int type, int dclass, OPTRecord opt) throws Exception {
    Message message =
        Message.newQuery(Record.newRecord(Name.fromString("www.example.test."), type, dclass));
    message.getHeader().setOpcode(opcode);
    message.getHeader().setFlag(org.xbill.DNS.Flags.CD);
    if (opt != null) {
      message.addRecord(opt, Section.ADDITIONAL);
    }
    return message;
  }

  /** The response's rcode, question count, whether it has an OPT record, and RD. */
  private static String verdict(Message request) {
    DnsExchange result = DnsRequests.parse(exchange(request.toWire()), 1232);
    if (!result.isFinished()) {
      return "CONTINUE";
    }
    Message response = result.responseMessage();
    return Rcode.string(response.getRcode())
        + " qd="
        + response.getHeader().getCount(Section.QUESTION)
        + (response.getOPT() == null ? "" : " opt")
        + (response.getHeader().getFlag(org.xbill.DNS.Flags.CD) ? " cd" : "");
  }

  /**
   * After the parse, in BIND 9.20's order (checked against named by
   * RequestShapesBindDifferentialTest): EDNS, the class, the opcode, then the question; a response
   * to a QUERY keeps its question and CD, one to another opcode neither.
   */
  @Test
  void refusesInBindsOrderAfterTheParse() throws Exception {
    OPTRecord edns = new OPTRecord(1232, 0, 0);
    OPTRecord v1 = new OPTRecord(1232, 0, 1);
    int query = org.xbill.DNS.Opcode.QUERY;
    int iquery = org.xbill.DNS.Opcode.IQUERY;
    int notify = org.xbill.DNS.Opcode.NOTIFY;
    assertEquals("CONTINUE", verdict(shaped(query, Type.A, DClass.IN, edns)));
    assertEquals("BADVERS qd=1 opt cd", verdict(shaped(query, Type.A, DClass.NONE, v1)));
    assertEquals("FORMERR qd=1 opt cd", verdict(shaped(query, Type.A, DClass.NONE, edns)));
    assertEquals("FORMERR qd=1 cd", verdict(shaped(query, Type.A, DClass.ANY, null)));
    assertEquals("CONTINUE", verdict(shaped(query, Type.TKEY, DClass.ANY, null)));
    assertEquals("REFUSED qd=1 opt cd", verdict(shaped(query, Type.A, DClass.HS, edns)));
    assertEquals("NOTIMP qd=1 cd", verdict(shaped(query, Type.A, 2, null)));
    assertEquals("NOTIMP qd=0", verdict(shaped(iquery, Type.A, DClass.IN, null)));
    assertEquals("FORMERR qd=0", verdict(shaped(iquery, Type.A, DClass.NONE, null)));
    assertEquals("NOTIMP qd=1", verdict(shaped(notify, Type.SOA, DClass.CH, null)));
    assertEquals("FORMERR qd=1", verdict(shaped(notify, Type.A, DClass.IN, null)));
    assertEquals("CONTINUE", verdict(shaped(notify, Type.SOA, DClass.IN, null)));
    assertEquals("FORMERR qd=1 cd", verdict(shaped(query, 200, DClass.IN, null)), "a meta type");
    assertEquals("FORMERR qd=1 cd", verdict(shaped(query, Type.OPT, DClass.IN, null)));
    assertEquals("CONTINUE", verdict(shaped(query, Type.ANY, DClass.IN, null)));
    // No question, but a record of class IN: BIND's SERVFAIL.
    Message questionless = new Message(9);
    questionless.addRecord(
        new org.xbill.DNS.ARecord(
            Name.fromString("a.test."),
            DClass.IN,
            60,
            java.net.InetAddress.getByAddress(new byte[4])),
        Section.ANSWER);
    assertEquals("SERVFAIL qd=0", verdict(questionless));
  }

  /**
   * RFC 7871: a Client Subnet option comes back with scope 0, as BIND answers; one with a scope
   * already set is FORMERR without an OPT record; BADVERS reads no option.
   */
  @Test
  void aClientSubnetComesBackWithScopeZero() throws Exception {
    java.net.InetAddress net = java.net.InetAddress.getByName("192.0.2.0");
    OPTRecord subnet =
        new OPTRecord(1232, 0, 0, 0, List.of(new org.xbill.DNS.ClientSubnetOption(24, net)));
    Message asked = shaped(org.xbill.DNS.Opcode.QUERY, Type.A, DClass.IN, subnet);
    org.xbill.DNS.ClientSubnetOption echo =
        (org.xbill.DNS.ClientSubnetOption)
            DnsResponses.responseOpt(asked.getOPT(), 1232)
                .getOptions(EDNSOption.Code.CLIENT_SUBNET)
                .get(0);
    assertEquals(24, echo.getSourcePrefixLength());
    assertEquals(0, echo.getScopePrefixLength());
    assertEquals(net, echo.getAddress());
    OPTRecord scoped =
        new OPTRecord(1232, 0, 0, 0, List.of(new org.xbill.DNS.ClientSubnetOption(24, 16, net)));
    assertEquals(
        "FORMERR qd=1 cd", verdict(shaped(org.xbill.DNS.Opcode.QUERY, Type.A, DClass.IN, scoped)));
    OPTRecord v1 =
        new OPTRecord(1232, 0, 1, 0, List.of(new org.xbill.DNS.ClientSubnetOption(24, net)));
    assertNull(
        DnsResponses.responseOpt(v1, 1232).getOptions(EDNSOption.Code.CLIENT_SUBNET).stream()
            .findAny()
            .orElse(null));
  }

  @Test
  void neverThrowsOnRandomBytes() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(80)];
      random.nextBytes(bytes);
      DnsExchange result = DnsRequests.parse(exchange(bytes), 1232);
      assertTrue(
          result.reply().outcome() == Outcome.DROP
              || result.reply().outcome() == Outcome.RESPOND
              || result.request() != null);
    }
  }
}
