package dev.vxdns.verticles.rrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The stage around the limiter: which exchanges it judges, and what a slip and a drop send. */
class RrlStageTest {
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
  private final AtomicLong clock = new AtomicLong(50);

  private static RrlSettings settings(AddressMatchList exempt, boolean logOnly) {
    return new RrlSettings(true, 1, 1, 1, 1, 1, 0, 15, 2, 24, 56, exempt, logOnly, 1000);
  }

  private RrlStage stage(RrlSettings settings) {
    return new RrlStage(settings, clock::get);
  }

  private static Message answer(String qname) throws Exception {
    Name name = Name.fromString(qname);
    Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    response.addRecord(
        new ARecord(name, DClass.IN, 300, java.net.InetAddress.getByName("192.0.2.10")),
        Section.ANSWER);
    response.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return response;
  }

  private static DnsExchange received(Transport transport, String client) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("www.example.test."), Type.A, 1));
    return DnsExchange.received(
        transport, "test", new InetSocketAddress(client, 4000), SERVER, query.toWire());
  }

  /** Forward step, then the zone's answer, then the way back, as the chain runs them. */
  private static DnsExchange run(RrlStage stage, DnsExchange received, Message answer) {
    DnsExchange forward = stage.apply(received).respond(answer);
    return forward.reply().steps().contains(Addresses.RRL) ? stage.judge(forward) : forward;
  }

  @Test
  void udpResponsesPassThenSlipThenDrop() throws Exception {
    RrlStage stage = stage(settings(AddressMatchList.none(), false));
    Message answer = answer("www.example.test.");
    DnsExchange first = run(stage, received(Transport.UDP, "192.0.2.1"), answer);
    assertSame(answer, first.responseMessage());
    DnsExchange second = run(stage, received(Transport.UDP, "192.0.2.2"), answer);
    assertEquals(Outcome.RESPOND, second.reply().outcome());
    Message slipped = second.responseMessage();
    assertTrue(slipped.getHeader().getFlag(Flags.TC));
    assertTrue(slipped.getHeader().getFlag(Flags.QR));
    assertEquals(answer.getHeader().getID(), slipped.getHeader().getID());
    assertEquals(Rcode.NOERROR, slipped.getRcode());
    assertEquals(answer.getQuestion(), slipped.getQuestion());
    assertTrue(slipped.getSection(Section.ANSWER).isEmpty());
    assertEquals(1232, slipped.getOPT().getPayloadSize());
    DnsExchange third = run(stage, received(Transport.UDP, "192.0.2.3"), answer);
    assertEquals(Outcome.DROP, third.reply().outcome());
    assertNull(third.responseMessage());
    assertEquals(1, stage.count(RrlStage.SLIPPED));
    assertEquals(1, stage.count(RrlStage.DROPPED));
    assertEquals(1L, stage.counters().get("table-size"));
  }

  @Test
  void streamsAreNeverLimitedNorAskedForTheirResponse() throws Exception {
    RrlStage stage = stage(settings(AddressMatchList.none(), false));
    Message answer = answer("www.example.test.");
    for (Transport transport : List.of(Transport.TCP, Transport.DOT, Transport.DOH)) {
      for (int i = 0; i < 5; i++) {
        DnsExchange received = received(transport, "192.0.2.1");
        assertSame(received, stage.apply(received));
        assertSame(answer, run(stage, received, answer).responseMessage());
      }
    }
    assertEquals(0L, stage.counters().get("table-size"));
  }

  @Test
  void exemptClientsAndSignedQueriesAreNeverLimited() throws Exception {
    RrlStage stage =
        stage(
            settings(
                AddressMatchList.compile(
                    List.of("192.0.2.0/24"), Map.of(), dev.vxdns.acl.AclEnvironment.empty()),
                false));
    Message answer = answer("www.example.test.");
    for (int i = 0; i < 5; i++) {
      assertSame(
          answer, run(stage, received(Transport.UDP, "192.0.2.1"), answer).responseMessage());
      DnsExchange signed =
          stage.apply(received(Transport.UDP, "198.51.100.1")).withKeyName("key.").respond(answer);
      assertSame(answer, stage.judge(signed).responseMessage());
    }
    assertEquals(5, stage.count(RrlStage.EXEMPT));
    assertEquals(5, stage.count(RrlStage.SIGNED));
  }

  /**
   * As BIND keys them: answers a zone's wildcard gave share one account ({@code *.ZONE}), so that
   * random names under a wildcard cannot each take a rate of their own.
   */
  @Test
  void answersFromOneWildcardShareOneAccount() throws Exception {
    RrlStage stage = stage(settings(AddressMatchList.none(), false));
    List<Outcome> outcomes = new java.util.ArrayList<>();
    for (String name : List.of("a.w.example.test.", "b.w.example.test.", "c.w.example.test.")) {
      DnsExchange synthesised =
          stage
              .apply(received(Transport.UDP, "192.0.2.1"))
              .withWildcardZone("example.test.")
              .respond(answer(name));
      DnsExchange judged = stage.judge(synthesised);
      outcomes.add(
          judged.reply().outcome() == Outcome.RESPOND
                  && judged.responseMessage().getHeader().getFlag(Flags.TC)
              ? null
              : judged.reply().outcome());
    }
    assertEquals(
        java.util.Arrays.asList(Outcome.RESPOND, null, Outcome.DROP),
        outcomes,
        "passed, slipped, dropped: one account");
    // The positive control: the same names, each its own name, each pass.
    RrlStage fresh = stage(settings(AddressMatchList.none(), false));
    for (String name : List.of("a.w.example.test.", "b.w.example.test.", "c.w.example.test.")) {
      Message answer = answer(name);
      assertSame(
          answer, run(fresh, received(Transport.UDP, "192.0.2.1"), answer).responseMessage());
    }
  }

  /** As BIND: a valid server cookie proves the source, so its responses are never limited. */
  @Test
  void queriesWithAValidServerCookieAreNeverLimited() throws Exception {
    RrlStage stage = stage(settings(AddressMatchList.none(), false));
    Message answer = answer("www.example.test.");
    for (int i = 0; i < 5; i++) {
      DnsExchange verified =
          stage.apply(received(Transport.UDP, "192.0.2.1")).withCookieVerified().respond(answer);
      assertSame(answer, stage.judge(verified).responseMessage());
    }
    assertEquals(5, stage.count(RrlStage.COOKIE));
    // The positive control: the same client without a valid cookie is limited at once.
    run(stage, received(Transport.UDP, "192.0.2.1"), answer);
    assertEquals(
        Outcome.RESPOND,
        run(stage, received(Transport.UDP, "192.0.2.1"), answer).reply().outcome());
    assertEquals(1, stage.count(RrlStage.SLIPPED));
  }

  /**
   * As BIND: a client that sent a cookie (its response carries the auth stage's fresh one) is
   * slipped BADCOOKIE with that cookie instead of TC=1, and retries over UDP with it.
   */
  @Test
  void aCookieClientIsSlippedBadcookieWithItsCookie() throws Exception {
    Message answer = answer("www.example.test.");
    CookieOption cookie = new CookieOption(new byte[8], new byte[16]);
    answer.removeRecord(answer.getOPT(), Section.ADDITIONAL);
    answer.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(cookie)), Section.ADDITIONAL);
    Message slipped = RrlStage.truncated(answer);
    assertEquals(Rcode.BADCOOKIE, slipped.getRcode());
    assertFalse(slipped.getHeader().getFlag(Flags.TC));
    assertFalse(slipped.getHeader().getFlag(Flags.AA));
    assertTrue(slipped.getSection(Section.ANSWER).isEmpty());
    assertEquals(List.of(cookie), slipped.getOPT().getOptions());
    Message rendered = new Message(slipped.toWire());
    assertEquals(Rcode.BADCOOKIE, rendered.getRcode());
  }

  @Test
  void logOnlyCountsButSendsEveryResponse() throws Exception {
    RrlStage stage = stage(settings(AddressMatchList.none(), true));
    Message answer = answer("www.example.test.");
    for (int i = 0; i < 4; i++) {
      assertSame(
          answer, run(stage, received(Transport.UDP, "192.0.2.1"), answer).responseMessage());
    }
    assertEquals(2, stage.count(RrlStage.WOULD_SLIP));
    assertEquals(1, stage.count(RrlStage.WOULD_DROP));
    assertEquals(0, stage.count(RrlStage.DROPPED));
  }

  @Test
  void aSlippedNxdomainKeepsItsRcode() throws Exception {
    Message nx = answer("nope.example.test.");
    nx.removeAllRecords(Section.ANSWER);
    nx.getHeader().setRcode(Rcode.NXDOMAIN);
    Message slipped = RrlStage.truncated(nx);
    assertEquals(Rcode.NXDOMAIN, slipped.getRcode());
    assertTrue(slipped.getHeader().getFlag(Flags.TC));
  }

  @Test
  void responsesAreClassifiedAndChargedAsBindDoes() throws Exception {
    Name zone = Name.fromString("example.test.");
    Message nx = answer("a.example.test.");
    nx.removeAllRecords(Section.ANSWER);
    nx.getHeader().setRcode(Rcode.NXDOMAIN);
    nx.addRecord(
        new SOARecord(zone, DClass.IN, 300, zone, zone, 1, 1, 1, 1, 300), Section.AUTHORITY);
    assertEquals(ResponseKind.NXDOMAIN, ResponseKind.of(nx));
    assertEquals(zone, ResponseKind.NXDOMAIN.accountName(nx));

    Message referral = answer("www.sub.example.test.");
    referral.removeAllRecords(Section.ANSWER);
    referral.getHeader().unsetFlag(Flags.AA);
    Name cut = Name.fromString("sub.example.test.");
    referral.addRecord(new NSRecord(cut, DClass.IN, 300, zone), Section.AUTHORITY);
    assertEquals(ResponseKind.REFERRAL, ResponseKind.of(referral));
    assertEquals(cut, ResponseKind.REFERRAL.accountName(referral));

    Message nodata = answer("www.example.test.");
    nodata.removeAllRecords(Section.ANSWER);
    assertEquals(ResponseKind.NODATA, ResponseKind.of(nodata));

    Message refused = answer("www.example.net.");
    refused.removeAllRecords(Section.ANSWER);
    refused.getHeader().setRcode(Rcode.REFUSED);
    assertEquals(ResponseKind.ERROR, ResponseKind.of(refused));
    assertNull(ResponseKind.ERROR.accountName(refused));
    assertEquals(ResponseKind.ANSWER, ResponseKind.of(answer("www.example.test.")));
  }
}
