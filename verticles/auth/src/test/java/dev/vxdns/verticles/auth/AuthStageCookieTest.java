package dev.vxdns.verticles.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.InMemoryKeyStore;
import dev.vxdns.auth.ServerCookies;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * DNS Cookies in the auth stage (judged on the way in, a fresh one on every response) and the NSID
 * it adds beside them.
 */
class AuthStageCookieTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 5300);
  private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.53", 53);
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final byte[] CLIENT_COOKIE = HexFormat.of().parseHex("0123456789abcdef");
  private static final ServerCookies COOKIES =
      new ServerCookies(List.of(HexFormat.of().parseHex("ebc7701beabb4a40c57d140eeb6733fa")));
  private static final String TSIG_SECRET =
      Base64.getEncoder().encodeToString("vxdns-auth-cookie-test-hmac-key!".getBytes());

  private final AuthStage stage = stage(false);

  private static AuthStage stage(boolean requireServerCookie) {
    InMemoryKeyStore keys;
    try {
      keys =
          new InMemoryKeyStore(
              CLOCK, List.of(TsigKey.parse("cookie-key.", "hmac-sha256", TSIG_SECRET)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new AuthStage(keys, COOKIES, requireServerCookie, null, CLOCK, 1232, 1232);
  }

  /** What this stage mints for {@link #CLIENT} now: the client cookie and the server cookie. */
  private static byte[] minted() {
    return COOKIES.mint(CLIENT_COOKIE, CLIENT.getAddress(), NOW.getEpochSecond());
  }

  @Test
  void aClientCookieAloneIsAnsweredWithAFreshServerCookie() throws Exception {
    DnsExchange forward = stage.apply(received(Transport.UDP, query(cookie(CLIENT_COOKIE))));
    assertFalse(forward.isFinished());
    assertFalse(forward.verdicts().cookieVerified());
    Message response = answerThroughTheWayBack(forward);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertEquals(1, response.getSection(Section.ANSWER).size());
    assertCookie(response);
  }

  @Test
  void aValidServerCookieIsVerified() throws Exception {
    DnsExchange forward = stage.apply(received(Transport.UDP, query(cookie(minted()))));
    assertFalse(forward.isFinished());
    assertTrue(forward.verdicts().cookieVerified());
    assertCookie(answerThroughTheWayBack(forward));
  }

  /** Forged, stale, from the future, of another size: BADCOOKIE over UDP, answered over TCP. */
  @Test
  void aBadServerCookieIsBadcookieOverUdpAndAnsweredOverStreams() throws Exception {
    long now = NOW.getEpochSecond();
    List<byte[]> bad =
        List.of(
            concat(CLIENT_COOKIE, new byte[16]),
            COOKIES.mint(CLIENT_COOKIE, CLIENT.getAddress(), now - 3601),
            COOKIES.mint(CLIENT_COOKIE, CLIENT.getAddress(), now + 301),
            COOKIES.mint(CLIENT_COOKIE, InetAddress.getByName("192.0.2.2"), now),
            concat(minted(), new byte[8]));
    for (byte[] cookie : bad) {
      String what = HexFormat.of().formatHex(cookie);
      DnsExchange udp = stage.apply(received(Transport.UDP, query(cookie(cookie))));
      assertTrue(udp.isFinished(), what);
      Message response = wayBack(udp);
      assertEquals(Rcode.BADCOOKIE, response.getRcode(), what);
      assertEquals(0, response.getSection(Section.ANSWER).size(), what);
      assertCookie(response);
      for (Transport stream : List.of(Transport.TCP, Transport.DOT, Transport.DOQ)) {
        DnsExchange answered = stage.apply(received(stream, query(cookie(cookie))));
        assertFalse(answered.isFinished(), what + " over " + stream);
        assertFalse(answered.verdicts().cookieVerified());
      }
    }
    // The positive control: the same stage answers a good cookie over UDP.
    assertFalse(stage.apply(received(Transport.UDP, query(cookie(minted())))).isFinished());
  }

  /**
   * BIND refuses only standard queries for their cookie; an UPDATE gets its answer and a cookie.
   */
  @Test
  void aBadCookieDoesNotStopAnUpdate() throws Exception {
    Message update = new Message();
    update.getHeader().setOpcode(Opcode.UPDATE);
    update.addRecord(
        Record.newRecord(Name.fromConstantString("example.test."), Type.SOA, DClass.IN),
        Section.ZONE);
    update.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(cookie(concat(CLIENT_COOKIE, new byte[16])))),
        Section.ADDITIONAL);
    DnsExchange forward = stage.apply(received(Transport.UDP, update));
    assertFalse(forward.isFinished());
  }

  @Test
  void requireServerCookieRefusesAClientCookieAloneOverUdp() throws Exception {
    AuthStage requiring = stage(true);
    DnsExchange fresh = requiring.apply(received(Transport.UDP, query(cookie(CLIENT_COOKIE))));
    assertTrue(fresh.isFinished());
    Message response = wayBack(requiring, fresh);
    assertEquals(Rcode.BADCOOKIE, response.getRcode());
    assertCookie(response);
    assertFalse(
        requiring.apply(received(Transport.TCP, query(cookie(CLIENT_COOKIE)))).isFinished());
    assertFalse(requiring.apply(received(Transport.UDP, query(cookie(minted())))).isFinished());
    // A client without cookies is answered, and gets none.
    DnsExchange plain = requiring.apply(received(Transport.UDP, query()));
    assertFalse(plain.isFinished());
    assertTrue(plain.reply().steps().isEmpty());
  }

  /** RFC 7873 §5.4: a client learns a server cookie with a query that has no question. */
  @Test
  void aQueryWithoutQuestionLearnsACookie() throws Exception {
    Message questionless = new Message();
    questionless.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(cookie(CLIENT_COOKIE))), Section.ADDITIONAL);
    DnsExchange forward = stage.apply(received(Transport.UDP, questionless));
    Message response = wayBack(forward);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertNull(response.getQuestion());
    assertCookie(response);
    // Without the cookie the same query is FORMERR (with an OPT, as BIND).
    Message plain = new Message();
    plain.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    DnsExchange formerr = stage.apply(received(Transport.UDP, plain));
    assertEquals(Rcode.FORMERR, formerr.responseRcode());
  }

  /**
   * A response the zone rendered itself gets the option in its bytes, the rest unchanged; the zone
   * left room for it ({@link DnsResponses#answerLimit}).
   */
  @Test
  void aRenderedResponseGetsTheCookieInItsBytes() throws Exception {
    DnsExchange forward = stage.apply(received(Transport.UDP, query(cookie(CLIENT_COOKIE))));
    assertEquals(1232 - DnsResponses.COOKIE_OPTION_ROOM, DnsResponses.answerLimit(forward, 1232));
    byte[] rendered = AuthStageTest.answer(forward.request()).toWire();
    DnsExchange back = stage.onResponse(forward.respondRendered(rendered)).result();
    assertNull(back.reply().response(), "still bytes, never parsed");
    byte[] wire = back.reply().wire();
    assertEquals(rendered.length + DnsResponses.COOKIE_OPTION_ROOM, wire.length);
    assertArrayEquals(
        Arrays.copyOf(rendered, rendered.length - 2),
        Arrays.copyOf(wire, rendered.length - 2),
        "only the OPT record's RDATA length changed before the option");
    assertCookie(new Message(wire));
  }

  /**
   * A forwarded (or cached) answer carries the backend's cookie: it is replaced by this server's.
   */
  @Test
  void aCookieAlreadyInTheResponseIsReplaced() throws Exception {
    DnsExchange forward = stage.apply(received(Transport.UDP, query(cookie(CLIENT_COOKIE))));
    Message fromBackend = AuthStageTest.answer(forward.request());
    DnsResponses.addOption(fromBackend, new CookieOption(new byte[8], new byte[16]));
    Message response =
        new Message(
            DnsResponses.render(stage.onResponse(forward.respond(fromBackend)).result(), 1232));
    assertEquals(1, response.getOPT().getOptions(EDNSOption.Code.COOKIE).size());
    assertCookie(response);
  }

  /** The cookie goes in before the TSIG, which covers it. */
  @Test
  void aSignedResponseCarriesTheCookieUnderItsSignature() throws Exception {
    TSIG client =
        new TSIG(
            TSIG.HMAC_SHA256,
            Name.fromConstantString("cookie-key."),
            new SecretKeySpec(Base64.getDecoder().decode(TSIG_SECRET), "HmacSHA256"),
            CLOCK);
    Message query = query(cookie(CLIENT_COOKIE));
    client.apply(query, null);
    DnsExchange forward = stage.apply(received(Transport.UDP, query));
    assertEquals("cookie-key.", forward.verdicts().keyName());
    assertEquals(1, forward.reply().steps().size(), "one way back for the cookie and the TSIG");
    byte[] wire =
        stage
            .onResponse(forward.respond(AuthStageTest.answer(forward.request())))
            .result()
            .reply()
            .wire();
    Message response = new Message(wire);
    assertEquals(Rcode.NOERROR, client.verify(response, wire, query.getTSIG()));
    assertCookie(response);
  }

  /** RFC 5001: the NSID a query asks for, before the cookie as BIND orders them. */
  @Test
  void theNsidComesBackWhenAskedForBeforeTheCookie() throws Exception {
    AuthStage named =
        new AuthStage(
            new InMemoryKeyStore(CLOCK, List.of()),
            COOKIES,
            false,
            "ns1.anycast",
            CLOCK,
            1232,
            1232);
    EDNSOption askNsid = new GenericEDNSOption(EDNSOption.Code.NSID, new byte[0]);
    DnsExchange forward =
        named.apply(received(Transport.UDP, query(askNsid, cookie(CLIENT_COOKIE))));
    byte[] rendered = AuthStageTest.answer(forward.request()).toWire();
    for (DnsExchange answered :
        List.of(
            forward.respondRendered(rendered),
            forward.respond(AuthStageTest.answer(forward.request())))) {
      Message response =
          new Message(DnsResponses.render(named.onResponse(answered).result(), 1232));
      List<EDNSOption> options = response.getOPT().getOptions();
      assertEquals(2, options.size(), response.toString());
      assertEquals(EDNSOption.Code.NSID, options.get(0).getCode());
      assertEquals(
          new GenericEDNSOption(EDNSOption.Code.NSID, "ns1.anycast".getBytes()).toString(),
          options.get(0).toString());
      assertCookie(response);
    }
    // Asked without a cookie: the NSID alone; not asked: nothing, and no way back either.
    DnsExchange nsidOnly = named.apply(received(Transport.UDP, query(askNsid)));
    Message response =
        new Message(
            DnsResponses.render(
                named
                    .onResponse(nsidOnly.respond(AuthStageTest.answer(nsidOnly.request())))
                    .result(),
                1232));
    assertEquals(1, response.getOPT().getOptions(EDNSOption.Code.NSID).size());
    assertTrue(named.apply(received(Transport.UDP, query())).reply().steps().isEmpty());
    // Without a server-id the question goes unanswered.
    assertTrue(stage.apply(received(Transport.UDP, query(askNsid))).reply().steps().isEmpty());
  }

  @Test
  void withoutCookiesNoOptionIsAnswered() throws Exception {
    AuthStage off =
        new AuthStage(new InMemoryKeyStore(CLOCK, List.of()), null, null, CLOCK, 1232, 1232);
    DnsExchange forward = off.apply(received(Transport.UDP, query(cookie(minted()))));
    assertTrue(forward.reply().steps().isEmpty());
    assertFalse(forward.verdicts().cookieVerified());
    // No cookie comes back, so the zone's answer has the whole size (BIND reserves nothing without
    // answer-cookie: client.c sets WANTCOOKIE only with it).
    assertEquals(1232, DnsResponses.answerLimit(forward, 1232));
  }

  private Message answerThroughTheWayBack(DnsExchange forward) throws Exception {
    return new Message(
        DnsResponses.render(
            stage.onResponse(forward.respond(AuthStageTest.answer(forward.request()))).result(),
            1232));
  }

  private Message wayBack(DnsExchange finished) throws Exception {
    return wayBack(stage, finished);
  }

  private static Message wayBack(AuthStage stage, DnsExchange finished) throws Exception {
    assertEquals(1, finished.reply().steps().size());
    return new Message(DnsResponses.render(stage.onResponse(finished).result(), 1232));
  }

  /** The response's COOKIE option is the client's cookie and the server cookie minted now. */
  private static void assertCookie(Message response) {
    List<EDNSOption> cookies = response.getOPT().getOptions(EDNSOption.Code.COOKIE);
    assertEquals(1, cookies.size());
    CookieOption cookie = (CookieOption) cookies.get(0);
    assertArrayEquals(
        minted(), concat(cookie.getClientCookie(), cookie.getServerCookie().orElseThrow()));
  }

  private static Message query(EDNSOption... options) {
    Message query =
        Message.newQuery(
            Record.newRecord(Name.fromConstantString("www.example.test."), Type.A, DClass.IN));
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(options)), Section.ADDITIONAL);
    return query;
  }

  private static EDNSOption cookie(byte[] octets) {
    return new GenericEDNSOption(EDNSOption.Code.COOKIE, octets);
  }

  private static DnsExchange received(Transport transport, Message query) {
    return DnsExchange.received(transport, "test", CLIENT, SERVER, query.toWire());
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
