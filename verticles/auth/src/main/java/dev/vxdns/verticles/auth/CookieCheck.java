package dev.vxdns.verticles.auth;

import dev.vxdns.auth.ServerCookies;
import dev.vxdns.auth.ServerCookies.Status;
import dev.vxdns.message.DnsExchange;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;

/**
 * DNS Cookies (RFC 7873) for the auth stage, as BIND 9.20 serves them: a query's cookie is judged
 * once on the way in ({@link #judge}), and every response to a query that carried one gets the
 * client's cookie back with a fresh server cookie ({@link #responseCookie}), before a TSIG signs
 * it.
 *
 * <p>Over UDP a standard query whose server cookie is bad (another length than 16 octets, older
 * than an hour or more than five minutes ahead, or not made here) is answered BADCOOKIE with a
 * fresh cookie and nothing else, and so is one with a client cookie alone under {@code
 * require-server-cookie}; the client asks again with the new cookie. A client that sends no cookie
 * is answered as before. Over streams (TCP, DoT, DoH, DoQ) the handshake has proved the source, so
 * no query is refused for its cookie.
 */
final class CookieCheck {
  private static final byte[] NO_SERVER_COOKIE = new byte[0];

  private final ServerCookies cookies;
  private final boolean requireServerCookie;
  private final Clock clock;

  CookieCheck(ServerCookies cookies, boolean requireServerCookie, Clock clock) {
    this.cookies = cookies;
    this.requireServerCookie = requireServerCookie;
    this.clock = clock;
  }

  /** The query's COOKIE option, or null; BIND reads the first and skips any other. */
  static CookieOption cookieOf(DnsExchange exchange) {
    OPTRecord opt = exchange.requestOpt();
    if (opt == null) {
      return null;
    }
    List<EDNSOption> options = opt.getOptions(EDNSOption.Code.COOKIE);
    return options.isEmpty() ? null : (CookieOption) options.get(0);
  }

  /** What the query's cookie is worth. */
  Status judge(DnsExchange exchange, CookieOption cookie) {
    return cookies.check(
        cookie.getClientCookie(),
        cookie.getServerCookie().orElse(NO_SERVER_COOKIE),
        clientOf(exchange),
        clock.millis() / 1000);
  }

  /** Whether the query is answered BADCOOKIE instead: UDP, a standard query, a cookie not good. */
  boolean refuses(DnsExchange exchange, Status status) {
    return exchange.endpoints().transport().isDatagram()
        && exchange.parsed().opcode() == Opcode.QUERY
        && (status.isBad() || (requireServerCookie && status == Status.NEW));
  }

  /** What a response to {@code answered} carries back: the client's cookie and a fresh one. */
  CookieOption responseCookie(DnsExchange answered, CookieOption cookie) {
    byte[] minted =
        cookies.mint(cookie.getClientCookie(), clientOf(answered), clock.millis() / 1000);
    return new CookieOption(
        cookie.getClientCookie(),
        Arrays.copyOfRange(minted, ServerCookies.CLIENT_COOKIE_LENGTH, minted.length));
  }

  private static InetAddress clientOf(DnsExchange exchange) {
    return exchange.endpoints().effectiveSource().getAddress();
  }
}
