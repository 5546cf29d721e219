package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class DnsResponsesTest {
  private static Message query(OPTRecord opt) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("big.test."), Type.TXT, DClass.IN));
    query.getHeader().setFlag(Flags.CD);
    if (opt != null) {
      query.addRecord(opt, Section.ADDITIONAL);
    }
    return query;
  }

  @Test
  void skeletonCopiesIdRdCdQuestionAndEchoesEdnsWithDo() throws Exception {
    Message request = query(new OPTRecord(4096, 0, 0, ExtendedFlags.DO));
    Message response = DnsResponses.responseTo(request, 1232);
    assertEquals(request.getHeader().getID(), response.getHeader().getID());
    assertTrue(response.getHeader().getFlag(Flags.QR));
    assertTrue(response.getHeader().getFlag(Flags.RD));
    assertTrue(response.getHeader().getFlag(Flags.CD));
    assertFalse(response.getHeader().getFlag(Flags.AA));
    assertEquals(request.getQuestion(), response.getQuestion());
    assertEquals(1232, response.getOPT().getPayloadSize());
    assertEquals(ExtendedFlags.DO, response.getOPT().getFlags() & ExtendedFlags.DO);
    assertNull(DnsResponses.responseTo(query(null), 1232).getOPT());
  }

  @Test
  void withOptionAppendsToTheLastRecordsOptWithoutParsing() throws Exception {
    Message response = DnsResponses.responseTo(query(new OPTRecord(4096, 0, 0)), 1232);
    response.addRecord(
        new TXTRecord(Name.fromString("big.test."), DClass.IN, 60, "compressed owner"),
        Section.ANSWER);
    DnsResponses.addExtendedError(response, ExtendedErrorCodeOption.OTHER, "kept");
    byte[] wire = response.toWire();
    org.xbill.DNS.EDNSOption data =
        new org.xbill.DNS.GenericEDNSOption(65001, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Message extended = new Message(DnsResponses.withOption(wire, data));
    assertEquals(response.getSection(Section.ANSWER), extended.getSection(Section.ANSWER));
    List<org.xbill.DNS.EDNSOption> options = extended.getOPT().getOptions();
    assertEquals(2, options.size());
    assertEquals(org.xbill.DNS.EDNSOption.Code.EDNS_EXTENDED_ERROR, options.get(0).getCode());
    assertEquals(65001, options.get(1).getCode());
    // Not twice, and not when the OPT record is not last or missing, or the bytes are cut short.
    assertEquals(data, options.get(1));
    assertNull(DnsResponses.withOption(DnsResponses.withOption(wire, data), data));
    Message noOpt = DnsResponses.responseTo(query(null), 1232);
    assertNull(DnsResponses.withOption(noOpt.toWire(), data));
    Message optNotLast = response.clone();
    optNotLast.addRecord(
        new TXTRecord(Name.fromString("big.test."), DClass.IN, 60, "after"), Section.ADDITIONAL);
    assertNull(DnsResponses.withOption(optNotLast.toWire(), data));
    for (int cut = 0; cut < wire.length; cut++) {
      assertNull(DnsResponses.withOption(java.util.Arrays.copyOf(wire, cut), data));
    }
    // After an unsigned TSIG (an error's: it covers nothing) the option still goes into the OPT
    // record; after a signed one it cannot.
    for (int macSize : new int[] {0, 32}) {
      Message withTsig = response.clone();
      withTsig.addRecord(tsig(macSize, org.xbill.DNS.Rcode.BADKEY), Section.ADDITIONAL);
      byte[] added = DnsResponses.withOption(withTsig.toWire(), data);
      if (macSize > 0) {
        assertNull(added);
        continue;
      }
      Message reparsed = new Message(added);
      assertEquals(65001, reparsed.getOPT().getOptions().get(1).getCode());
      assertEquals(org.xbill.DNS.Rcode.BADKEY, reparsed.getTSIG().getError());
    }
  }

  /**
   * A padded response (RFC 7830, as the DoQ transport pads it before the way back) keeps its padded
   * length and its padding last when the auth stage adds its options; too little padding grows by a
   * block.
   */
  @Test
  void optionsAddedToAPaddedResponseComeOutOfThePadding() throws Exception {
    Message request = query(new OPTRecord(4096, 0, 0));
    org.xbill.DNS.EDNSOption cookie = new org.xbill.DNS.CookieOption(new byte[8], new byte[16]);
    for (int fill : new int[] {300, 10}) {
      Message padded = DnsResponses.responseTo(request, 1232);
      DnsResponses.addOption(
          padded,
          new org.xbill.DNS.GenericEDNSOption(
              org.xbill.DNS.EDNSOption.Code.PADDING, new byte[fill]));
      int before = padded.toWire().length;
      DnsExchange answered =
          DnsExchange.received(
                  Transport.DOQ,
                  "test",
                  new java.net.InetSocketAddress("127.0.0.1", 1),
                  new java.net.InetSocketAddress("127.0.0.1", 853),
                  request.toWire())
              .respond(padded);
      Message extended =
          DnsResponses.withOptions(answered, List.of(cookie), 65535).responseMessage();
      List<org.xbill.DNS.EDNSOption> options = extended.getOPT().getOptions();
      assertEquals(org.xbill.DNS.EDNSOption.Code.COOKIE, options.get(0).getCode());
      assertEquals(org.xbill.DNS.EDNSOption.Code.PADDING, options.get(1).getCode(), "last");
      int after = extended.toWire().length;
      assertEquals(
          fill >= 28 ? before : before + DnsResponses.RESPONSE_PADDING_BLOCK,
          after,
          "fill " + fill);
    }
    // Nor is an option spliced after padding in the bytes.
    Message padded = DnsResponses.responseTo(request, 1232);
    DnsResponses.addOption(
        padded,
        new org.xbill.DNS.GenericEDNSOption(org.xbill.DNS.EDNSOption.Code.PADDING, new byte[40]));
    assertNull(DnsResponses.withOption(padded.toWire(), cookie));
  }

  @Test
  void udpLimitHonoursTheClientWithinBounds() throws Exception {
    assertEquals(512, DnsResponses.udpLimit(query(null), 1232));
    assertEquals(512, DnsResponses.udpLimit(null, 1232));
    assertEquals(512, DnsResponses.udpLimit(query(new OPTRecord(100, 0, 0)), 1232));
    assertEquals(900, DnsResponses.udpLimit(query(new OPTRecord(900, 0, 0)), 1232));
    assertEquals(1232, DnsResponses.udpLimit(query(new OPTRecord(65000, 0, 0)), 1232));
  }

  @Test
  void anAnswerLeavesRoomForTheCookieOnlyWhenTheWayBackAddsOne() throws Exception {
    OPTRecord withCookie =
        new OPTRecord(
            1232,
            0,
            0,
            0,
            List.of(new org.xbill.DNS.CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})));
    DnsExchange parsed =
        DnsRequests.parse(
            DnsExchange.received(
                Transport.UDP,
                "test",
                new java.net.InetSocketAddress("127.0.0.1", 1000),
                new java.net.InetSocketAddress("127.0.0.1", 53),
                query(withCookie).toWire()),
            1232);
    // No auth stage on the way back (cookies off, as BIND's answer-cookie no): nothing is added.
    assertEquals(1232, DnsResponses.answerLimit(parsed, 1232));
    DnsExchange cookieBack = parsed.withResponseStep(Addresses.AUTH);
    assertEquals(
        1232 - DnsResponses.COOKIE_OPTION_ROOM, DnsResponses.answerLimit(cookieBack, 1232));
  }

  @Test
  void renderTruncatesUdpWithTcButNotStreams() throws Exception {
    Message request = query(null);
    Message response = DnsResponses.responseTo(request, 1232);
    for (int i = 0; i < 20; i++) {
      response.addRecord(
          new TXTRecord(Name.fromString("big.test."), DClass.IN, 60, List.of("x".repeat(100) + i)),
          Section.ANSWER);
    }
    Message udp = new Message(DnsResponses.render(response, request, Transport.UDP, 1232));
    assertTrue(udp.getHeader().getFlag(Flags.TC));
    assertTrue(DnsResponses.render(response, request, Transport.UDP, 1232).length <= 512);
    Message tcp = new Message(DnsResponses.render(response, request, Transport.TCP, 1232));
    assertFalse(tcp.getHeader().getFlag(Flags.TC));
    assertEquals(20, tcp.getSection(Section.ANSWER).size());
  }

  @Test
  void extendedErrorsNeedEdnsAndSurviveTheWire() throws Exception {
    Message withEdns =
        DnsResponses.error(
            query(new OPTRecord(1232, 0, 0)),
            Rcode.REFUSED,
            1232,
            ExtendedErrorCodeOption.PROHIBITED,
            "not allowed");
    Message parsed = new Message(withEdns.toWire());
    assertEquals(Rcode.REFUSED, parsed.getRcode());
    ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) parsed.getOPT().getOptions().get(0);
    assertEquals(ExtendedErrorCodeOption.PROHIBITED, ede.getErrorCode());
    assertEquals("not allowed", ede.getText());

    Message withoutEdns =
        DnsResponses.error(
            query(null), Rcode.REFUSED, 1232, ExtendedErrorCodeOption.PROHIBITED, "x");
    assertNull(new Message(withoutEdns.toWire()).getOPT());
  }

  /**
   * As BIND's dns_message_reply: the id and opcode; RD and CD for a QUERY only; the question when
   * it was read and the opcode echoes it; an OPT record only when asked for.
   */
  @Test
  void formErrKeepsIdOpcodeAndOnlyAQuerysRdAndCd() throws Exception {
    byte[] update = {(byte) 0xAB, (byte) 0xCD, 0x29, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    Message response = DnsResponses.formErr(update, 0, 0);
    assertEquals(0xABCD, response.getHeader().getID());
    assertEquals(5, response.getHeader().getOpcode());
    assertFalse(response.getHeader().getFlag(Flags.RD));
    assertTrue(response.getHeader().getFlag(Flags.QR));
    assertEquals(Rcode.FORMERR, response.getRcode());

    Message query = Message.newQuery(Record.newRecord(Name.fromString("a.test."), Type.A, 1));
    query.getHeader().setFlag(Flags.CD);
    byte[] wire = query.toWire();
    Message withQuestion = DnsResponses.formErr(wire, 1, 1232);
    assertTrue(withQuestion.getHeader().getFlag(Flags.RD));
    assertTrue(withQuestion.getHeader().getFlag(Flags.CD));
    assertEquals(query.getQuestion(), withQuestion.getQuestion());
    assertEquals(1232, withQuestion.getOPT().getPayloadSize());
    Message bare = DnsResponses.formErr(wire, 0, 0);
    assertNull(bare.getQuestion());
    assertNull(bare.getOPT());
    wire[2] = (byte) (wire[2] | 0x08); // opcode IQUERY: no question, no RD
    Message iquery = DnsResponses.formErr(wire, 1, 0);
    assertNull(iquery.getQuestion());
    assertFalse(iquery.getHeader().getFlag(Flags.RD));
  }

  /** A TSIG record of key.test. for hmac-sha256 with a MAC of zeros, of this size, and an error. */
  static org.xbill.DNS.TSIGRecord tsig(int macSize, int error) throws Exception {
    return new org.xbill.DNS.TSIGRecord(
        Name.fromString("key.test."),
        DClass.ANY,
        0,
        org.xbill.DNS.TSIG.HMAC_SHA256,
        java.time.Instant.ofEpochSecond(1_700_000_000),
        java.time.Duration.ofSeconds(300),
        new byte[macSize],
        42,
        error,
        null);
  }
}
