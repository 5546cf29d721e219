package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Authoritative answers over real UDP and TCP sockets, for both deliveries of the pipeline ("one
 * contract, two deliveries": the answers must be identical).
 */
class AnswersEndToEndTest {
  @Nested
  class DirectDelivery extends Cases implements BothDeliveries.Direct {}

  @Nested
  class EventBusDelivery extends Cases implements BothDeliveries.EventBus {}

  abstract static class Cases extends BothDeliveries {
    private static List<String> rdata(Message response, int section) {
      return response.getSection(section).stream()
          .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
          .collect(Collectors.toList());
    }

    private static void assertAuthoritative(Message response, int rcode) {
      assertEquals(rcode, response.getRcode(), () -> "rcode of\n" + response);
      assertTrue(response.getHeader().getFlag(Flags.AA), () -> "AA in\n" + response);
      assertTrue(response.getHeader().getFlag(Flags.QR));
      assertFalse(response.getHeader().getFlag(Flags.RA), "this is not a resolver");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void apexSoaIsAuthoritativeOnBothTransports(boolean tcp) throws Exception {
      Message response = node.query("example.test.", Type.SOA, tcp);
      assertAuthoritative(response, Rcode.NOERROR);
      SOARecord soa = (SOARecord) response.getSection(Section.ANSWER).get(0);
      assertEquals(2026112301L, soa.getSerial());
      assertEquals(1, response.getSection(Section.ANSWER).size());
    }

    @Test
    void existingNameAnswersItsWholeRrset() throws Exception {
      Message response = node.query("www.example.test.", Type.A, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(
          List.of("www.example.test. A 192.0.2.10", "www.example.test. A 192.0.2.11"),
          rdata(response, Section.ANSWER));
    }

    @Test
    void cnameChainInsideTheZoneIsFollowed() throws Exception {
      Message response = node.query("chain.example.test.", Type.A, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(
          List.of(
              "chain.example.test. CNAME alias.example.test.",
              "alias.example.test. CNAME www.example.test.",
              "www.example.test. A 192.0.2.10",
              "www.example.test. A 192.0.2.11"),
          rdata(response, Section.ANSWER));
    }

    @Test
    void cnameLeavingTheZoneStopsAtTheCname() throws Exception {
      Message response = node.query("external.example.test.", Type.A, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(
          List.of("external.example.test. CNAME www.example.net."),
          rdata(response, Section.ANSWER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo.wild.example.test.", "a.b.c.wild.example.test."})
    void wildcardIsSynthesisedWithTheQueryName(String name) throws Exception {
      Message response = node.query(name, Type.A, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(List.of(name + " A 192.0.2.80"), rdata(response, Section.ANSWER));
    }

    @Test
    void anExistingNameBlocksTheWildcard() throws Exception {
      Message response = node.query("exists.wild.example.test.", Type.TXT, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertTrue(response.getSection(Section.ANSWER).isEmpty(), "NODATA, not the wildcard's TXT");
      assertEquals(Type.SOA, response.getSection(Section.AUTHORITY).get(0).getType());
    }

    @Test
    void emptyNonTerminalIsNodata() throws Exception {
      Message response = node.query("b.example.test.", Type.A, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertTrue(response.getSection(Section.ANSWER).isEmpty());
      assertEquals(Type.SOA, response.getSection(Section.AUTHORITY).get(0).getType());
    }

    @Test
    void nxdomainCarriesTheSoaWithTheNegativeTtl() throws Exception {
      Message response = node.query("nope.example.test.", Type.A, true);
      assertAuthoritative(response, Rcode.NXDOMAIN);
      Record soa = response.getSection(Section.AUTHORITY).get(0);
      assertEquals(Type.SOA, soa.getType());
      assertEquals(300, soa.getTTL(), "min(SOA TTL 3600, MINIMUM 300), RFC 2308 section 5");
    }

    @Test
    void dnameSynthesisesACnameAndFollowsIt() throws Exception {
      Message response = node.query("host.old.example.test.", Type.A, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(
          List.of(
              "old.example.test. DNAME new.example.test.",
              "host.old.example.test. CNAME host.new.example.test.",
              "host.new.example.test. A 192.0.2.100"),
          rdata(response, Section.ANSWER));
      CNAMERecord synthesised = (CNAMERecord) response.getSection(Section.ANSWER).get(1);
      assertEquals(response.getSection(Section.ANSWER).get(0).getTTL(), synthesised.getTTL());

      Message missing = node.query("x.old.example.test.", Type.A, false);
      assertEquals(Rcode.NXDOMAIN, missing.getRcode());
      assertEquals(Type.DNAME, missing.getSection(Section.ANSWER).get(0).getType());
    }

    @Test
    void belowAZoneCutIsAReferralWithGlue() throws Exception {
      Message response = node.query("host.sub.example.test.", Type.A, false);
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertFalse(response.getHeader().getFlag(Flags.AA), "a referral is not authoritative");
      assertTrue(response.getSection(Section.ANSWER).isEmpty());
      assertEquals(
          List.of(
              "sub.example.test. NS ns.sub.example.test.", "sub.example.test. NS ns.example.net."),
          rdata(response, Section.AUTHORITY));
      assertEquals(
          List.of("ns.sub.example.test. A 192.0.2.200"), rdata(response, Section.ADDITIONAL));
    }

    @Test
    void dsAtTheCutIsAnsweredByTheParent() throws Exception {
      Message response = node.query("sub.example.test.", Type.DS, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertTrue(response.getSection(Section.ANSWER).isEmpty());
      assertEquals(Type.SOA, response.getSection(Section.AUTHORITY).get(0).getType());
    }

    @Test
    void anyIsAnsweredWithOneRrset() throws Exception {
      Message response = node.query("example.test.", Type.ANY, false);
      assertAuthoritative(response, Rcode.NOERROR);
      List<Record> answer = response.getSection(Section.ANSWER);
      assertFalse(answer.isEmpty());
      assertTrue(
          answer.stream().allMatch(r -> r.getType() == answer.get(0).getType()),
          "RFC 8482: one RRset");
    }

    @Test
    void generatedRecordsAreServed() throws Exception {
      Message response = node.query("host3.example.test.", Type.A, false);
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(
          "198.51.100.3",
          ((ARecord) response.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    }

    @Test
    void theClosestEnclosingZoneAnswers() throws Exception {
      Message response = node.query("txt.big.test.", Type.TXT, true);
      assertAuthoritative(response, Rcode.NOERROR);
      assertEquals(30, response.getSection(Section.ANSWER).size());
    }

    @Test
    void namesOutsideEveryZoneAreRefusedWithAnExtendedError() throws Exception {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("example.com."), Type.A, DClass.IN));
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      Message response = node.send(query, false);
      assertEquals(Rcode.REFUSED, response.getRcode());
      assertFalse(response.getHeader().getFlag(Flags.AA));
      assertFalse(response.getHeader().getFlag(Flags.RA));
      ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) response.getOPT().getOptions().get(0);
      assertEquals(ExtendedErrorCodeOption.NOT_AUTHORITATIVE, ede.getErrorCode());
    }

    @Test
    void otherClassesAreRefused() throws Exception {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.CH));
      assertEquals(Rcode.REFUSED, node.send(query, false).getRcode());
    }

    @Test
    void ednsIsEchoedWithOurSizeAndTheDoBit() throws Exception {
      Message query =
          Message.newQuery(
              Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
      query.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      Message response = node.send(query, false);
      OPTRecord opt = response.getOPT();
      assertNotNull(opt, "a query with EDNS gets EDNS back");
      assertEquals(1232, opt.getPayloadSize());
      assertEquals(ExtendedFlags.DO, opt.getFlags() & ExtendedFlags.DO);
      assertNull(node.query("www.example.test.", Type.A, false).getOPT(), "no EDNS without EDNS");
    }

    @Test
    void ednsVersionOneGetsBadvers() throws Exception {
      Message query =
          Message.newQuery(
              Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
      query.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
      Message response = node.send(query, false);
      assertEquals(Rcode.BADVERS, response.getRcode());
      assertEquals(0, response.getOPT().getVersion());
    }

    private Message udpWithEdns(String name, int advertisedSize) throws Exception {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.IN));
      if (advertisedSize > 0) {
        query.addRecord(new OPTRecord(advertisedSize, 0, 0), Section.ADDITIONAL);
      }
      byte[] reply = node.udpRaw(query.toWire(), 3000);
      assertNotNull(reply);
      int limit = advertisedSize <= 0 ? 512 : Math.max(512, Math.min(advertisedSize, 1232));
      assertTrue(
          reply.length <= limit,
          name + " with EDNS size " + advertisedSize + ": " + reply.length + " bytes");
      return new Message(reply);
    }

    @Test
    void udpResponsesAreTruncatedToTheClientsSizeAndTcpCarriesThemWhole() throws Exception {
      Message classic = udpWithEdns("mid.big.test.", 0);
      assertTrue(classic.getHeader().getFlag(Flags.TC), "750 bytes do not fit in 512");
      assertTrue(classic.getSection(Section.ANSWER).isEmpty(), "an RRset is never split");

      Message fits = udpWithEdns("mid.big.test.", 1232);
      assertFalse(fits.getHeader().getFlag(Flags.TC));
      assertEquals(10, fits.getSection(Section.ANSWER).size());

      assertTrue(
          udpWithEdns("mid.big.test.", 600).getHeader().getFlag(Flags.TC),
          "the client's 600 bytes are honoured");
      assertTrue(
          udpWithEdns("txt.big.test.", 65000).getHeader().getFlag(Flags.TC),
          "never above max-udp-size 1232");

      Message whole = node.query("txt.big.test.", Type.TXT, true);
      assertFalse(whole.getHeader().getFlag(Flags.TC));
      assertEquals(30, whole.getSection(Section.ANSWER).size());
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(ints = {Opcode.IQUERY, Opcode.STATUS, 3, 15})
    void unknownOpcodesGetNotimp(int opcode) throws Exception {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
      query.getHeader().setOpcode(opcode);
      byte[] reply = node.udpRaw(query.toWire(), 3000);
      assertNotNull(reply);
      Message response = new Message(reply);
      assertEquals(Rcode.NOTIMP, response.getRcode());
      assertEquals(opcode, response.getHeader().getOpcode());
    }

    @Test
    void updateIsRefusedByBindsDefaultList() throws Exception {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
      query.getHeader().setOpcode(Opcode.UPDATE);
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      Message response = new Message(node.udpRaw(query.toWire(), 3000));
      assertEquals(Rcode.REFUSED, response.getRcode(), "allow-update defaults to none");
      assertEquals(
          ExtendedErrorCodeOption.PROHIBITED,
          ((ExtendedErrorCodeOption) response.getOPT().getOptions().get(0)).getErrorCode());
    }

    /** As BIND: a primary acknowledges a NOTIFY for its zone and ignores it. */
    @Test
    void notifyForAPrimaryZoneIsAcknowledgedAsNamedDoes() throws Exception {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
      query.getHeader().setOpcode(Opcode.NOTIFY);
      Message response = new Message(node.udpRaw(query.toWire(), 3000));
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertEquals(Opcode.NOTIFY, response.getHeader().getOpcode());
      assertTrue(response.getHeader().getFlag(Flags.AA));
    }

    /** As named 9.20: the OPT is answered with one, so the client knows EDNS is not at fault. */
    @Test
    void aQueryWithoutQuestionGetsFormerrWithAnOptIfItHadOne() throws Exception {
      Message empty = new Message(4321);
      Message response = new Message(node.udpRaw(empty.toWire(), 3000));
      assertEquals(Rcode.FORMERR, response.getRcode());
      assertEquals(4321, response.getHeader().getID());
      assertNull(response.getOPT());
      empty.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      Message withOpt = new Message(node.udpRaw(empty.toWire(), 3000));
      assertEquals(Rcode.FORMERR, withOpt.getRcode());
      assertEquals(4321, withOpt.getHeader().getID());
      assertEquals(0, withOpt.getHeader().getCount(Section.QUESTION));
      assertNotNull(withOpt.getOPT());
    }
  }
}
