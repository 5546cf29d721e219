package dev.vxdns.verticles.auth;

import dev.vxdns.auth.KeyStore;
import dev.vxdns.auth.ServerCookies;
import dev.vxdns.auth.Sig0Result;
import dev.vxdns.auth.SignatureStatus;
import dev.vxdns.auth.TkeyOutcome;
import dev.vxdns.auth.TkeyServer;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigResult;
import dev.vxdns.auth.TsigSigner;
import dev.vxdns.auth.TsigStreamSigner;
import dev.vxdns.auth.TsigVerifier;
import dev.vxdns.auth.VerifiedRequest;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.RateLimitedLog;
import dev.vxdns.message.ResponseSigner;
import dev.vxdns.message.ResponseStream;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * The auth stage: parses the query (so every later stage gets it parsed), verifies its TSIG (RFC
 * 8945) and, on the way back, signs the response with the request's key.
 *
 * <ul>
 *   <li>unsigned: passes on untouched; the ACL stage decides what unsigned clients may do;
 *   <li>verified: the key's name becomes the exchange's {@code keyName} (ACL {@code key} elements
 *       and update-policy match it) and the stage asks for the response;
 *   <li>unknown key, bad MAC: NOTAUTH with BADKEY/BADSIG, unsigned; time outside the fudge:
 *       NOTAUTH/BADTIME, signed and carrying the server's time; bad truncation: BADTRUNC.
 * </ul>
 *
 * <p>SIG(0) (RFC 2931): a query signed with a private key whose KEY record is in a served zone is
 * verified on a bounded worker (see {@link Sig0Keys}); its signer becomes the key identity.
 *
 * <p>DNS Cookies (RFC 7873, {@link CookieCheck}): a query's cookie is judged here, a valid server
 * cookie becomes the exchange's {@code cookieVerified}, and the response gets a fresh cookie on the
 * way back, before it is signed; so does the NSID (RFC 5001, {@code server-id}) a query asks for.
 *
 * <p>TKEY queries (QTYPE TKEY) are answered here: Diffie-Hellman negotiation and deletion as BIND
 * 9.18 does them, on a worker ({@link TkeyWorker}), never on the event loop. The key store is
 * shared with TKEY and the control channel, so a deleted or negotiated key takes effect at once.
 */
public final class AuthStage implements Stage {
  private static final System.Logger LOG = System.getLogger(AuthStage.class.getName());

  private final KeyStore keys;
  private final TkeyWorker tkey;
  private final Sig0Keys sig0;
  private final CookieCheck cookies;
  // The NSID option (RFC 5001) of responses to queries that ask for it: server-id, or null.
  private final NSIDOption nsid;
  private final Clock clock;
  private final int ednsUdpSize;
  private final DnsOptions dns;

  /** {@code vxdns_signatures_total{kind, result}}: each TSIG and SIG(0) verification's result. */
  private final StageCounters signatures;

  /** The counters' event names, built once, not per query. */
  private static final Map<SignatureStatus, String> TSIG_EVENTS = events("tsig");

  private static final Map<SignatureStatus, String> SIG0_EVENTS = events("sig0");

  private static final Map<ServerCookies.Status, String> COOKIE_EVENTS =
      events(ServerCookies.Status.class, "cookie");

  /** Lines queries can trigger (signed TKEY, keys gone): a few per minute, the rest counted. */
  private final RateLimitedLog rateLimited = RateLimitedLog.perMinute(LOG);

  /**
   * @param tkey the TKEY server on its worker, or null when TKEY is not configured ({@code
   *     tkey-domain})
   * @param sig0 SIG(0) verification, or null to treat SIG(0)-signed queries as unsigned
   */
  public AuthStage(
      KeyStore keys, TkeyWorker tkey, Sig0Keys sig0, Clock clock, int ednsUdpSize, int maxUdpSize) {
    this(
        keys,
        tkey,
        sig0,
        null,
        null,
        clock,
        new DnsOptions(maxUdpSize, ednsUdpSize),
        new StageCounters());
  }

  /**
   * A stage counting the verification results into {@code registry}.
   *
   * @param cookies DNS Cookies under these secrets, or null when they are off ({@code answer-cookie
   *     no})
   * @param serverId the NSID of responses to queries that ask for one ({@code server-id}), or null
   */
  public AuthStage(
      KeyStore keys,
      TkeyWorker tkey,
      Sig0Keys sig0,
      ServerCookies cookies,
      boolean requireServerCookie,
      String serverId,
      Clock clock,
      DnsOptions dns,
      MeterRegistry registry) {
    this(
        keys,
        tkey,
        sig0,
        cookies == null ? null : new CookieCheck(cookies, requireServerCookie, clock),
        serverId,
        clock,
        dns,
        new StageCounters(
            registry,
            "vxdns_signatures",
            "TSIG, SIG(0) and DNS cookie verifications, by result",
            AuthStage::tagsOf));
  }

  /** A stage without metrics, with DNS Cookies under {@code cookies} and an NSID (tests). */
  AuthStage(
      KeyStore keys,
      ServerCookies cookies,
      boolean requireServerCookie,
      String serverId,
      Clock clock,
      int ednsUdpSize,
      int maxUdpSize) {
    this(
        keys,
        null,
        null,
        new CookieCheck(cookies, requireServerCookie, clock),
        serverId,
        clock,
        new DnsOptions(maxUdpSize, ednsUdpSize),
        new StageCounters());
  }

  private AuthStage(
      KeyStore keys,
      TkeyWorker tkey,
      Sig0Keys sig0,
      CookieCheck cookies,
      String serverId,
      Clock clock,
      DnsOptions dns,
      StageCounters signatures) {
    this.signatures = signatures;
    this.keys = keys;
    this.tkey = tkey;
    this.sig0 = sig0;
    this.cookies = cookies;
    this.nsid = serverId == null ? null : new NSIDOption(serverId.getBytes(StandardCharsets.UTF_8));
    this.clock = clock;
    this.ednsUdpSize = dns.ednsUdpSize();
    this.dns = dns;
  }

  private static Map<SignatureStatus, String> events(String kind) {
    return events(SignatureStatus.class, kind);
  }

  private static <E extends Enum<E>> Map<E, String> events(Class<E> results, String kind) {
    Map<E, String> events = new EnumMap<>(results);
    for (E result : results.getEnumConstants()) {
      events.put(result, kind + " " + result.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return events;
  }

  /** "tsig badsig" is kind tsig, result badsig. */
  private static Tags tagsOf(String event) {
    int space = event.indexOf(' ');
    return Tags.of("kind", event.substring(0, space), "result", event.substring(space + 1));
  }

  /**
   * Verification results so far ("tsig verified", "sig0 badkey", "cookie no-match", ...), for the
   * stats address.
   */
  public Map<String, Long> signatureCounts() {
    return signatures.snapshot();
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    DnsExchange checked = apply(exchange);
    if (!checked.isFinished() && checked.parsed().questionType() == Type.TKEY) {
      return negotiate(checked);
    }
    if (sig0 != null
        && !checked.isFinished()
        && checked.verdicts().keyName() == null
        && Sig0Keys.isSigned(checked.parsed())) {
      return sig0.verify(checked, clock.instant()).map(result -> afterSig0(checked, result));
    }
    return Future.succeededFuture(checked);
  }

  /**
   * A verified SIG(0) signer becomes the exchange's key identity; a failure is answered with its
   * rcode.
   */
  private DnsExchange afterSig0(DnsExchange exchange, Sig0Result result) {
    if (result == null) {
      return exchange.drop();
    }
    signatures.increment(SIG0_EVENTS.get(result.status()));
    if (result.isVerified()) {
      return exchange.withKeyName(result.signer().orElseThrow().toString());
    }
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "auth: SIG(0) {0} from {1}: {2}",
          result.status(),
          exchange.endpoints().effectiveSource(),
          result.reason());
    }
    return exchange.respond(DnsResponses.error(exchange.request(), result.rcode(), ednsUdpSize));
  }

  /**
   * The synchronous forward step: parsing, TSIG and the DNS cookie. A TKEY query comes out of it
   * verified (or unsigned) and unanswered; {@link #handle} answers it.
   */
  public DnsExchange apply(DnsExchange exchange) {
    // As BIND: the bytes, EDNS and the class first, then the signature, then the opcode and the
    // question (a signed request with a bad signature gets NOTAUTH whatever it asks).
    DnsExchange parsed = DnsRequests.read(exchange, ednsUdpSize);
    CookieOption cookie = cookies == null ? null : CookieCheck.cookieOf(parsed);
    TSIGRecord unserved = parsed.isFinished() ? unservedSignature(parsed) : null;
    if (unserved != null) {
      return signedError(
          parsed,
          parsed.responseMessage(),
          TsigResult.withoutKeys(unserved, "no keys for the class"),
          cookie,
          clock.instant());
    }
    DnsExchange signed = parsed.isFinished() ? parsed : verifyTsig(parsed, cookie);
    // A TSIG error is signed already, with its options in it.
    if (signed.isFinished() && !parsed.isFinished()) {
      return signed;
    }
    DnsExchange verified = DnsRequests.dispatch(signed, ednsUdpSize);
    // Every response to a query with a cookie, or asking for the NSID, carries it back (BIND:
    // FORMERR, BADVERS, REFUSED too); a TSIG-verified query asked for the way back already.
    DnsExchange stepped =
        verified.reply().steps().contains(Addresses.AUTH) || !wantsOptions(verified, cookie)
            ? verified
            : verified.withResponseStep(Addresses.AUTH);
    if (cookie == null) {
      return stepped;
    }
    if (stepped.isFinished()) {
      return cookieOnly(stepped);
    }
    ServerCookies.Status status = cookies.judge(stepped, cookie);
    signatures.increment(COOKIE_EVENTS.get(status));
    if (status == ServerCookies.Status.VALID) {
      return stepped.withCookieVerified();
    }
    if (cookies.refuses(stepped, status)) {
      return stepped.respond(DnsResponses.error(stepped.request(), Rcode.BADCOOKIE, ednsUdpSize));
    }
    return stepped;
  }

  /**
   * A standard query with a cookie and no question, which a client sends to learn a server cookie
   * (RFC 7873 §5.4), is answered NOERROR as BIND does, instead of the FORMERR the parse gave it.
   */
  private DnsExchange cookieOnly(DnsExchange finished) {
    Message request = finished.request();
    if (request == null
        || finished.responseRcode() != Rcode.FORMERR
        || request.getHeader().getCount(Section.QUESTION) != 0
        || request.getHeader().getOpcode() != Opcode.QUERY) {
      return finished;
    }
    return finished.respond(DnsResponses.responseTo(request, ednsUdpSize));
  }

  /**
   * The TSIG of a signed request refused for its class before its signature was read: BIND verifies
   * it against no keys so that the refusal carries a TSIG (BADKEY); null for any other.
   */
  private static TSIGRecord unservedSignature(DnsExchange finished) {
    Message request = finished.request();
    return request != null && finished.responseRcode() == Rcode.REFUSED ? request.getTSIG() : null;
  }

  /** TSIG: a verified query gets its key and the way back; a failed one its signed error. */
  private DnsExchange verifyTsig(DnsExchange parsed, CookieOption cookie) {
    // Only a signed query's message is parsed here: a TSIG is its last record.
    if (!parsed.parsed().isSigned() || parsed.request().getTSIG() == null) {
      return parsed;
    }
    Instant now = clock.instant();
    // The MAC covers the message as received, so verify the bytes, not a re-rendering.
    TsigResult result = TsigVerifier.verify(parsed.query().wire(), parsed.request(), keys, now);
    signatures.increment(TSIG_EVENTS.get(result.status()));
    if (result.isVerified()) {
      TsigKey key = result.key().orElseThrow();
      return parsed
          .withKeyName(key.name().toString())
          .withResponseStep(Addresses.AUTH)
          .withResponseSigner(
              new Signer(new VerifiedRequest(key, parsed.request().getTSIG()), clock));
    }
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "auth: {0} from {1}: {2}",
          result.status(),
          parsed.endpoints().effectiveSource(),
          result.reason());
    }
    // As BIND: an UPDATE signed with a key this server does not know goes on to the checks of its
    // zone section; one that passes them goes on for a secondary zone to forward (its primary may
    // know the key; the zone stage answers NOTAUTH for any other), the BADKEY TSIG added on the way
    // back unless the primary's signed answer comes back.
    boolean unknownKeyUpdate =
        result.status() == SignatureStatus.BADKEY && parsed.parsed().opcode() == Opcode.UPDATE;
    DnsExchange dispatched = unknownKeyUpdate ? DnsRequests.dispatch(parsed, ednsUdpSize) : parsed;
    if (unknownKeyUpdate && !dispatched.isFinished()) {
      return dispatched.withKeyUnknown().withResponseStep(Addresses.AUTH);
    }
    Message response =
        dispatched.isFinished()
            ? dispatched.responseMessage()
            : DnsResponses.error(parsed.request(), result.rcode(), ednsUdpSize);
    return signedError(parsed, response, result, cookie, now);
  }

  /**
   * An error response like any other (question, OPT of an EDNS query, as BIND), then the TSIG the
   * result calls for. Signed here, so its options go in first; no way back for them. Signed at the
   * time the request was checked at, so its time and the error's agree.
   */
  private DnsExchange signedError(
      DnsExchange parsed, Message response, TsigResult result, CookieOption cookie, Instant now) {
    DnsExchange error = withOptions(parsed.respond(response), cookie);
    Message withOptions = error.responseMessage();
    byte[] wire = TsigSigner.signResponse(withOptions, result, now, limit(parsed));
    return error.withRenderedResponse(withOptions, wire);
  }

  /**
   * TKEY (RFC 2930): Diffie-Hellman negotiation or deletion of a key, answered here rather than by
   * the zone. An unsigned request gets FORMERR from the TKEY server; a signed one gets its answer
   * signed on the way back like any other.
   */
  private Future<DnsExchange> negotiate(DnsExchange exchange) {
    TSIGRecord tsig = exchange.request().getTSIG();
    // apply() verified it: the key it found, looked up again by the name the request carries.
    TsigKey signer = tsig == null ? null : keys.find(tsig.getName()).orElse(null);
    if (tkey == null) {
      // As BIND, a malformed or unsigned TKEY query is FORMERR whether TKEY is set up or not.
      TkeyOutcome malformed = TkeyServer.malformed(exchange.request(), signer);
      return Future.succeededFuture(
          malformed != null
              ? withEdns(exchange, malformed.response())
              : DnsRequests.refuse(
                  exchange,
                  Rcode.REFUSED,
                  ednsUdpSize,
                  ExtendedErrorCodeOption.NOT_SUPPORTED,
                  "TKEY is not configured (tkey-domain)"));
    }
    return tkey.process(exchange.request(), signer)
        .map(
            outcome -> {
              // Anyone can send unsigned TKEY queries: only the debug log hears of each. Signed
              // ones come from key holders, who can still send many: a few lines a minute.
              if (signer == null) {
                if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                  LOG.log(
                      System.Logger.Level.DEBUG,
                      "tkey: unsigned from {0}: {1}",
                      exchange.endpoints().effectiveSource(),
                      outcome.reason());
                }
              } else {
                rateLimited.log(
                    "tkey: signed queries",
                    System.Logger.Level.INFO,
                    "tkey: {0} from {1}: {2}",
                    signer.name(),
                    exchange.endpoints().effectiveSource(),
                    outcome.reason());
              }
              return withEdns(exchange, outcome.response());
            });
  }

  /** A TKEY response, with an OPT record when the query spoke EDNS, as every response. */
  private DnsExchange withEdns(DnsExchange exchange, Message response) {
    OPTRecord opt = DnsResponses.responseOpt(exchange.requestOpt(), ednsUdpSize);
    if (opt != null && response.getOPT() == null) {
      response.addRecord(opt, Section.ADDITIONAL);
    }
    return exchange.respond(response);
  }

  /**
   * The way back: the NSID and the cookie first, when the query asked for them, then the TSIG
   * signature of a verified request, which covers them.
   */
  @Override
  public Future<DnsExchange> onResponse(DnsExchange answered) {
    CookieOption cookie = cookies == null ? null : CookieCheck.cookieOf(answered);
    if (answered.verdicts().keyUnknown()) {
      return Future.succeededFuture(unknownKeyAnswer(answered, cookie));
    }
    DnsExchange extended = withOptions(answered, cookie);
    boolean tsigVerified =
        answered.responseSigner() != null
            || (answered.verdicts().keyName() != null
                && answered.parsed().isSigned()
                && answered.request().getTSIG() != null);
    return Future.succeededFuture(tsigVerified ? sign(extended) : extended);
  }

  /**
   * The answer to an UPDATE signed with a key this server does not have: the primary's answer to
   * the forwarded update goes back as the primary rendered and signed it (BIND sends it raw); any
   * other answer (NOTAUTH from a primary zone, REFUSED by allow-update-forwarding, SERVFAIL when
   * the primary is not reached) gets the BADKEY TSIG named gives it.
   */
  private DnsExchange unknownKeyAnswer(DnsExchange answered, CookieOption cookie) {
    if (answered.isPrimarysSignedAnswer()) {
      return answered;
    }
    TsigResult badKey = TsigResult.withoutKeys(answered.request().getTSIG(), "unknown key");
    return signedError(answered, answered.responseMessage(), badKey, cookie, clock.instant());
  }

  /**
   * Signs the response to a verified request with the key that verified it, covering the request's
   * MAC. That key travels with the exchange locally, so a key deleted (control channel, TKEY) after
   * the verification still signs this response; after a hop over the event bus only the key's name
   * travels, and the key is looked up again.
   */
  private DnsExchange sign(DnsExchange answered) {
    ResponseSigner signer =
        answered.responseSigner() != null ? answered.responseSigner() : signerByName(answered);
    if (signer == null) {
      rateLimited.log(
          "auth: keys gone before signing",
          System.Logger.Level.WARNING,
          "auth: key {0} went away before the response to {1} was signed",
          answered.verdicts().keyName(),
          answered);
      return answered;
    }
    ResponseStream rest = answered.responseStream();
    Message response = answered.responseMessage();
    if (rest == null) {
      byte[] wire = signer.sign(response, limit(answered));
      return answered.withRenderedResponse(response, wire);
    }
    // A zone transfer: the first message and then every streamed one, with one chained signer.
    ResponseSigner chained = signer.forStream();
    byte[] wire = chained.sign(response, limit(answered));
    ResponseStream signed =
        rest.map(
            part ->
                new ResponseStream.Part(
                    part.message(), chained.sign(part.message(), Message.MAXLENGTH)));
    return answered.withRenderedResponse(response, wire).withResponseStream(signed);
  }

  /** Whether the response gets options on the way back: a cookie, or the NSID it asks for. */
  private boolean wantsOptions(DnsExchange exchange, CookieOption cookie) {
    return cookie != null || (nsid != null && asksForNsid(exchange));
  }

  private static boolean asksForNsid(DnsExchange exchange) {
    OPTRecord opt = exchange.requestOpt();
    return opt != null && !opt.getOptions(EDNSOption.Code.NSID).isEmpty();
  }

  /** The response with the NSID (when asked for) and a fresh cookie, in BIND's order. */
  private DnsExchange withOptions(DnsExchange answered, CookieOption cookie) {
    List<EDNSOption> options = new ArrayList<>(2);
    if (nsid != null && asksForNsid(answered)) {
      options.add(nsid);
    }
    if (cookie != null) {
      options.add(cookies.responseCookie(answered, cookie));
    }
    return options.isEmpty()
        ? answered
        : DnsResponses.withOptions(answered, options, limit(answered));
  }

  /** After a bus hop: the key by the name in the request's TSIG, or null when it is gone. */
  private ResponseSigner signerByName(DnsExchange answered) {
    TSIGRecord requestTsig = answered.request().getTSIG();
    Optional<TsigKey> key =
        requestTsig == null ? Optional.empty() : keys.find(requestTsig.getName());
    return key.map(found -> new Signer(new VerifiedRequest(found, requestTsig), clock))
        .orElse(null);
  }

  /** Signs a response with the key that verified its request, at the time of signing. */
  private record Signer(VerifiedRequest request, Clock clock) implements ResponseSigner {
    @Override
    public byte[] sign(Message response, int maxLength) {
      return TsigSigner.signResponse(response, request, clock.instant(), maxLength);
    }

    @Override
    public ResponseSigner forStream() {
      TsigStreamSigner chain = new TsigStreamSigner(request, clock);
      return chain::sign;
    }
  }

  private int limit(DnsExchange exchange) {
    return DnsResponses.sizeLimit(
        exchange.request(), exchange.endpoints().transport(), dns.maxUdpSize(exchange));
  }
}
