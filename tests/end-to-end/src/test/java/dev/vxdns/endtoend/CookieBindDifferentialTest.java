package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.ServerCookies;
import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * DNS Cookies (RFC 7873, RFC 9018) against BIND 9.20 with the same {@code cookie-secret}: the same
 * queries, each with a cookie shaped one way (a client cookie alone, the server's own cookie, the
 * other server's, forged, stale, from the future, of a bad size, a query without a question, over
 * TCP), get the same rcode, flags, answer count and cookie back from both; and in one second both
 * servers make the very same server cookie, so each accepts the other's (an anycast set of BIND and
 * vxdns nodes).
 */
class CookieBindDifferentialTest {
  private static final String SECRET = "ebc7701beabb4a40c57d140eeb6733fa";
  private static final byte[] CLIENT_COOKIE = HexFormat.of().parseHex("0123456789abcdef");
  private static final String NAME = "www.example.test.";

  @Test
  void cookiesAreAnsweredAsNamedAnswersThem(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Files.copy(AnswersBindDifferentialTest.EXAMPLE_ZONE, dir.resolve("example.test.zone"));
    int namedPort = TestNode.freePort();
    String conf =
        TransferPeers.namedOptions(
                dir, namedPort, "  notify no;", "  cookie-secret \"" + SECRET + "\";")
            + "zone \"example.test\" { type primary; file \"example.test.zone\"; };\n";
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config.getJsonObject("options").put("cookie-secret", SECRET);
    List<String> differences = new ArrayList<>();
    Set<String> outcomes = new TreeSet<>();
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode vxdns = TestNode.start(config)) {
      named.awaitNamed(List.of("example.test"));
      byte[] namedCookie = serverCookie(send(namedPort, query(NAME, cookie(CLIENT_COOKIE)), false));
      byte[] ourCookie = serverCookie(send(vxdns.port, query(NAME, cookie(CLIENT_COOKIE)), false));
      ServerCookies shared = new ServerCookies(List.of(HexFormat.of().parseHex(SECRET)));
      long now = System.currentTimeMillis() / 1000;
      InetAddress loopback = InetAddress.getByName("127.0.0.1");
      List<Probe> probes =
          List.of(
              new Probe("no cookie", query(NAME), false),
              new Probe("client cookie alone", query(NAME, cookie(CLIENT_COOKIE)), false),
              new Probe("named's server cookie", query(NAME, cookie(namedCookie)), false),
              new Probe("vxdns's server cookie", query(NAME, cookie(ourCookie)), false),
              new Probe(
                  "forged server cookie",
                  query(NAME, cookie(concat(CLIENT_COOKIE, new byte[16]))),
                  false),
              new Probe(
                  "server cookie of 24 octets",
                  query(NAME, cookie(concat(namedCookie, new byte[8]))),
                  false),
              new Probe(
                  "server cookie two hours old",
                  query(NAME, cookie(shared.mint(CLIENT_COOKIE, loopback, now - 7200))),
                  false),
              new Probe(
                  "server cookie ten minutes ahead",
                  query(NAME, cookie(shared.mint(CLIENT_COOKIE, loopback, now + 600))),
                  false),
              new Probe(
                  "server cookie made for another address",
                  query(
                      NAME,
                      cookie(shared.mint(CLIENT_COOKIE, InetAddress.getByName("127.0.0.2"), now))),
                  false),
              new Probe(
                  "forged server cookie over TCP",
                  query(NAME, cookie(concat(CLIENT_COOKIE, new byte[16]))),
                  true),
              new Probe(
                  "client cookie, NXDOMAIN",
                  query("nowhere.example.test.", cookie(CLIENT_COOKIE)),
                  false),
              new Probe("client cookie, no question", questionless(cookie(CLIENT_COOKIE)), false),
              new Probe(
                  "a cookie of 9 octets",
                  query(NAME, cookie(concat(CLIENT_COOKIE, new byte[1]))),
                  false));
      for (Probe probe : probes) {
        String theirs = outcome(send(namedPort, probe.query(), probe.tcp()));
        String ours = outcome(send(vxdns.port, probe.query(), probe.tcp()));
        outcomes.add(theirs.split(" ")[0]);
        if (!theirs.equals(ours)) {
          differences.add(probe.what() + ": named " + theirs + ", vxdns " + ours);
        }
      }
      assertSameCookieInOneSecond(namedPort, vxdns.port);
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
    assertEquals(
        Set.of("NOERROR", "NXDOMAIN", "BADCOOKIE", "FORMERR"), outcomes, "every outcome is seen");
  }

  /**
   * Without cookies ({@code answer-cookie no}, {@code "answer-cookie": false}) no server cookie
   * goes back, so no room is kept for one: an answer of 1,216 octets to a query with a client
   * cookie and a 1,232-octet buffer comes whole from both (BIND sets WANTCOOKIE, and so reserves
   * the option's room, only when it answers cookies; with them on, the same answer would not fit).
   */
  @Test
  void withoutCookiesNoRoomIsKeptForOne(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int namedPort = TestNode.freePort();
    String conf = bigAnswerConf(dir, namedPort, 4, "  answer-cookie no;");
    JsonObject config = bigAnswerConfig(dir);
    config.getJsonObject("options").put("answer-cookie", false);
    Message query = DnsClient.ednsQuery(BIG, Type.TXT, DClass.IN, cookie(CLIENT_COOKIE));
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode vxdns = TestNode.start(config)) {
      named.awaitNamed(List.of("cookie.test"));
      Message theirs = send(namedPort, query, false);
      Message ours = send(vxdns.port, query, false);
      assertEquals(outcome(theirs), outcome(ours));
      assertEquals("NOERROR aa answers=1 question=true no-cookie", outcome(ours));
      assertEquals(1216, theirs.numBytes(), "the answer is within a cookie's room of the limit");
      assertEquals(theirs.numBytes(), ours.numBytes());
    }
  }

  /**
   * {@code nocookie-udp-size 512} on both: a 960-octet answer (988 with the cookie) is truncated
   * for a query without a valid server cookie (none, a client cookie alone, a forged one) and comes
   * whole to one that carries the server cookie that server gave.
   */
  @Test
  void nocookieUdpSizeBindsQueriesWithoutAValidServerCookie(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int namedPort = TestNode.freePort();
    String conf =
        bigAnswerConf(
            dir, namedPort, 3, "  cookie-secret \"" + SECRET + "\";", "  nocookie-udp-size 512;");
    JsonObject config = bigAnswerConfig(dir);
    config.getJsonObject("options").put("cookie-secret", SECRET).put("nocookie-udp-size", 512);
    List<String> differences = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode vxdns = TestNode.start(config)) {
      named.awaitNamed(List.of("cookie.test"));
      for (int port : new int[] {namedPort, vxdns.port}) {
        Message clientOnly = DnsClient.ednsQuery(BIG, Type.TXT, DClass.IN, cookie(CLIENT_COOKIE));
        Message first = send(port, clientOnly, false);
        byte[] given = serverCookie(first);
        List<String> outcomes =
            List.of(
                outcome(send(port, DnsClient.ednsQuery(BIG, Type.TXT, DClass.IN), false)),
                outcome(first),
                outcome(
                    send(
                        port,
                        DnsClient.ednsQuery(
                            BIG, Type.TXT, DClass.IN, cookie(concat(CLIENT_COOKIE, new byte[16]))),
                        false)),
                outcome(
                    send(
                        port,
                        DnsClient.ednsQuery(BIG, Type.TXT, DClass.IN, cookie(given)),
                        false)));
        seen.add(String.join("\n", outcomes));
      }
      if (!seen.get(0).equals(seen.get(1))) {
        differences.add("named:\n" + seen.get(0) + "\nvxdns:\n" + seen.get(1));
      }
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
    List<String> ours = List.of(seen.get(1).split("\n"));
    assertTrue(ours.get(0).contains(" tc answers=0"), "no cookie: truncated\n" + seen.get(1));
    assertTrue(ours.get(1).contains(" tc answers=0"), "client cookie: truncated\n" + seen.get(1));
    assertTrue(ours.get(3).contains(" answers=1"), "its own cookie: whole\n" + seen.get(1));
  }

  private static final String BIG = "big.cookie.test.";

  /**
   * named.conf serving cookie.test, whose {@link #BIG} TXT answer is 56 octets around {@code
   * strings} x 256 + 136 of RDATA (4: 1,216 octets).
   */
  private static String bigAnswerConf(Path dir, int port, int strings, String... options)
      throws Exception {
    String txt = (" \"" + "a".repeat(255) + "\"").repeat(strings) + " \"" + "b".repeat(135) + "\"";
    Files.writeString(
        dir.resolve("cookie.test.zone"),
        "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\nbig TXT"
            + txt
            + "\n");
    List<String> lines = new ArrayList<>(List.of("  notify no;"));
    lines.addAll(List.of(options));
    return TransferPeers.namedOptions(dir, port, lines.toArray(String[]::new))
        + "zone \"cookie.test\" { type primary; file \"cookie.test.zone\"; };\n";
  }

  /** A node serving the same cookie.test. */
  private static JsonObject bigAnswerConfig(Path dir) throws Exception {
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config
        .getJsonObject("zone")
        .put(
            "cookie.test",
            new JsonObject()
                .put("file", dir.resolve("cookie.test.zone").toString())
                .put("notify", "no"));
    return config;
  }

  /**
   * BIND's dig, which sends a cookie with every query: it finds vxdns's cookie good under a TSIG
   * signature that covers it, and, offered a forged server cookie, retries after the BADCOOKIE with
   * the fresh one it got (dig's "BADCOOKIE, retrying").
   */
  @Test
  void digFindsTheCookieGoodUnderItsSignatureAndRetriesAfterBadcookie() throws Exception {
    Dig920 dig = Dig920.find();
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    try (TestNode vxdns = TestNode.start(config)) {
      String port = Integer.toString(vxdns.port);
      String signed =
          dig.run(
              List.of("@127.0.0.1", "-p", port, "-y", TransferPeers.KEY_ARG, "+norec", NAME, "A"));
      assertTrue(signed.contains("status: NOERROR"), signed);
      assertTrue(signed.matches("(?s).*; COOKIE: [0-9a-f]{48} \\(good\\).*"), signed);
      assertTrue(
          signed.matches(
              "(?s).*\\n"
                  + java.util.regex.Pattern.quote(TransferPeers.KEY_NAME)
                  + "\\s+0\\s+ANY\\s+TSIG\\s.*"),
          signed);
      // dig checks the signature and says so when it fails ("Couldn't verify signature").
      assertFalse(signed.contains("verify"), signed);
      String forged = "0123456789abcdef" + "00".repeat(16);
      String retried =
          dig.run(List.of("@127.0.0.1", "-p", port, "+norec", "+cookie=" + forged, NAME, "A"));
      assertTrue(retried.contains("BADCOOKIE, retrying"), retried);
      assertTrue(retried.contains("status: NOERROR"), retried);
      assertTrue(
          retried.matches("(?s).*; COOKIE: 0123456789abcdef[0-9a-f]{32} \\(good\\).*"), retried);
    }
  }

  /**
   * Asked in the same second with the same client cookie from the same address, named and vxdns
   * make the same server cookie (RFC 9018): a few tries, since a second may turn between the two.
   */
  private static void assertSameCookieInOneSecond(int namedPort, int ourPort) throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      byte[] theirs = serverCookie(send(namedPort, query(NAME, cookie(CLIENT_COOKIE)), false));
      byte[] ours = serverCookie(send(ourPort, query(NAME, cookie(CLIENT_COOKIE)), false));
      if (Arrays.equals(Arrays.copyOfRange(theirs, 12, 16), Arrays.copyOfRange(ours, 12, 16))) {
        assertEquals(HexFormat.of().formatHex(theirs), HexFormat.of().formatHex(ours));
        return;
      }
    }
    throw new AssertionError("named's and vxdns's cookies never came in the same second");
  }

  record Probe(String what, Message query, boolean tcp) {}

  private static Message query(String name, EDNSOption... options) throws Exception {
    Message query = DnsClient.ednsQuery(name, Type.A, DClass.IN, options);
    query.getHeader().unsetFlag(Flags.RD);
    return query;
  }

  private static Message questionless(EDNSOption option) {
    Message query = new Message();
    query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(option)), Section.ADDITIONAL);
    return query;
  }

  /** The COOKIE option with exactly these octets, whatever their number. */
  private static EDNSOption cookie(byte[] octets) {
    return new GenericEDNSOption(EDNSOption.Code.COOKIE, octets);
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private static Message send(int port, Message query, boolean tcp) throws Exception {
    if (!tcp) {
      return DnsClient.ask(port, query);
    }
    try (Socket socket = DnsClient.tcp(port, 3000)) {
      DnsClient.writeFramed(socket, query.toWire());
      return new Message(DnsClient.readFramed(socket));
    }
  }

  /** The client and server cookie a response carries, which must echo {@link #CLIENT_COOKIE}. */
  private static byte[] serverCookie(Message response) {
    CookieOption cookie =
        (CookieOption) response.getOPT().getOptions(EDNSOption.Code.COOKIE).get(0);
    assertEquals(
        HexFormat.of().formatHex(CLIENT_COOKIE),
        HexFormat.of().formatHex(cookie.getClientCookie()));
    return concat(cookie.getClientCookie(), cookie.getServerCookie().orElseThrow());
  }

  /**
   * Rcode, AA and TC, the answer count, and the cookie: whether the client's came back, and the
   * server cookie's version, size and whether its time is now.
   */
  private static String outcome(Message response) {
    StringBuilder outcome = new StringBuilder(Rcode.string(response.getRcode()));
    for (int flag : new int[] {Flags.AA, Flags.TC}) {
      if (response.getHeader().getFlag(flag)) {
        outcome.append(' ').append(Flags.string(flag));
      }
    }
    outcome.append(" answers=").append(response.getSection(Section.ANSWER).size());
    outcome.append(" question=").append(response.getQuestion() != null);
    OPTRecord opt = response.getOPT();
    List<EDNSOption> cookies = opt == null ? List.of() : opt.getOptions(EDNSOption.Code.COOKIE);
    if (cookies.isEmpty()) {
      return outcome.append(" no-cookie").toString();
    }
    CookieOption cookie = (CookieOption) cookies.get(0);
    outcome
        .append(" cookies=")
        .append(cookies.size())
        .append(" client=")
        .append(HexFormat.of().formatHex(cookie.getClientCookie()));
    byte[] server = cookie.getServerCookie().orElse(new byte[0]);
    outcome.append(" server=").append(server.length);
    if (server.length == 16) {
      long when =
          ((server[4] & 0xFFL) << 24)
              | ((server[5] & 0xFF) << 16)
              | ((server[6] & 0xFF) << 8)
              | (server[7] & 0xFF);
      long skew = Math.abs(System.currentTimeMillis() / 1000 - when);
      outcome.append(" v").append(server[0]).append(skew <= 5 ? " now" : " skew=" + skew);
    }
    return outcome.toString();
  }
}
