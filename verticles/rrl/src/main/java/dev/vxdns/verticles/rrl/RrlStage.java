package dev.vxdns.verticles.rrl;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageCounters;
import dev.vxdns.message.Transport;
import dev.vxdns.verticles.rrl.Account.Decision;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Response rate limiting, as BIND 9.20's {@code rate-limit}: on the way back, each UDP response is
 * charged to its account (the effective client's prefix, the kind of response and its name, see
 * {@link ResponseKind}) and passes, slips (sent truncated, TC=1 and no records, so that a real
 * client retries over TCP) or is dropped.
 *
 * <p>Never limited: responses over TCP, DoT and DoH (a stream's source is verified by its
 * handshake, and BIND does not limit TCP either), clients in {@code exempt-clients}, responses to
 * queries with a valid server cookie (RFC 7873: the client has received an answer at its address,
 * as BIND exempts them), and responses to TSIG/SIG(0)-signed queries (a verified key is not a
 * spoofed source; a deviation from BIND, which would slip or drop them, and it keeps the limiter
 * from ever having to re-sign). A client that sent a cookie without a valid server cookie is
 * slipped BADCOOKIE with a fresh cookie instead of TC=1, as BIND does: it retries over UDP with it.
 * The forward step only asks for the response of the UDP queries that can be limited; it runs
 * before auth, so its response step runs after auth signed and sees every response (the errors of
 * auth and ACLs too).
 */
public final class RrlStage implements Stage {
  private static final System.Logger LOG = System.getLogger(RrlStage.class.getName());
  static final String DROPPED = "dropped";
  static final String SLIPPED = "slipped";
  static final String EXEMPT = "exempt";
  static final String SIGNED = "exempt-signed";
  static final String COOKIE = "exempt-cookie";
  private static final Name WILDCARD = Name.fromConstantString("*");
  static final String WOULD_DROP = "would-drop";
  static final String WOULD_SLIP = "would-slip";

  private final RrlSettings settings;
  private final RateLimiter limiter;
  private final StageCounters counters;

  /**
   * @param seconds a monotonic clock in whole seconds
   */
  public RrlStage(RrlSettings settings, LongSupplier seconds) {
    this(settings, seconds, new StageCounters());
  }

  /** The stage on the system's monotonic clock, counting into {@code vxdns_rrl_responses_total}. */
  public RrlStage(RrlSettings settings, MeterRegistry registry) {
    this(
        settings,
        () -> System.nanoTime() / 1_000_000_000L,
        new StageCounters(
            registry,
            "vxdns_rrl_responses",
            "responses the rate limiter dropped, slipped or exempted",
            event -> Tags.of("action", event)));
  }

  private RrlStage(RrlSettings settings, LongSupplier seconds, StageCounters counters) {
    this.counters = counters;
    this.settings = settings;
    this.limiter = new RateLimiter(settings, seconds);
  }

  /** The stage on the system's monotonic clock. */
  public RrlStage(RrlSettings settings) {
    this(settings, () -> System.nanoTime() / 1_000_000_000L);
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    return Future.succeededFuture(apply(exchange));
  }

  /** The forward step: asks for the response of the UDP queries that may be limited. */
  public DnsExchange apply(DnsExchange exchange) {
    if (!settings.enabled() || exchange.endpoints().transport() != Transport.UDP) {
      return exchange;
    }
    if (settings.exemptClients().allows(exchange.endpoints().effectiveSource().getAddress())) {
      counters.increment(EXEMPT);
      return exchange;
    }
    return exchange.withResponseStep(Addresses.RRL);
  }

  @Override
  public Future<DnsExchange> onResponse(DnsExchange answered) {
    return Future.succeededFuture(judge(answered));
  }

  /** The way back: the response passes, slips or is dropped. */
  public DnsExchange judge(DnsExchange answered) {
    if (answered.verdicts().keyName() != null) {
      counters.increment(SIGNED);
      return answered;
    }
    if (answered.verdicts().cookieVerified()) {
      counters.increment(COOKIE);
      return answered;
    }
    Message response = answered.responseMessage();
    ResponseKind kind = ResponseKind.of(response);
    Record question = response.getQuestion();
    Decision decision =
        limiter.judge(
            answered.endpoints().effectiveSource().getAddress(),
            kind,
            accountName(answered, kind, response),
            question == null ? 0 : question.getType(),
            question == null ? DClass.IN : question.getDClass());
    if (decision == Decision.PASS) {
      return answered;
    }
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "rate-limit: {0}{1} {2} response to {3} for {4}",
          settings.logOnly() ? "would " : "",
          decision == Decision.SLIP ? "slip" : "drop",
          kind,
          answered.endpoints().effectiveSource().getAddress(),
          question == null ? "(no question)" : question.getName());
    }
    if (settings.logOnly()) {
      counters.increment(decision == Decision.SLIP ? WOULD_SLIP : WOULD_DROP);
      return answered;
    }
    if (decision == Decision.SLIP) {
      counters.increment(SLIPPED);
      return answered.withResponse(truncated(response));
    }
    counters.increment(DROPPED);
    return answered.drop();
  }

  /**
   * The name the response is charged to: {@link ResponseKind#accountName}, except that every answer
   * (and NODATA) a zone's wildcard gave is charged to {@code *.ZONE}, as BIND keys them, so that
   * random names under a wildcard share one account.
   */
  private static Name accountName(DnsExchange answered, ResponseKind kind, Message response) {
    String wildcardZone = answered.reply().wildcardZone();
    if (wildcardZone == null || (kind != ResponseKind.ANSWER && kind != ResponseKind.NODATA)) {
      return kind.accountName(response);
    }
    Name origin = Name.fromConstantString(wildcardZone);
    try {
      return Name.concatenate(WILDCARD, origin);
    } catch (NameTooLongException e) {
      return origin; // as BIND falls back
    }
  }

  /**
   * What a slip sends, as BIND does: the question, no records but the OPT of an EDNS response, and
   * TC=1 with NOERROR (NXDOMAIN for an NXDOMAIN response); or, when the response carries a DNS
   * cookie (the auth stage added a fresh one for a client that sent one), that cookie and BADCOOKIE
   * without TC.
   */
  static Message truncated(Message response) {
    Message slipped = new Message(response.getHeader().getID());
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
      if (response.getHeader().getFlag(flag)) {
        slipped.getHeader().setFlag(flag);
      }
    }
    slipped.getHeader().setOpcode(response.getHeader().getOpcode());
    if (response.getQuestion() != null) {
      slipped.addRecord(response.getQuestion(), Section.QUESTION);
    }
    OPTRecord opt = response.getOPT();
    List<EDNSOption> cookie = opt == null ? List.of() : opt.getOptions(EDNSOption.Code.COOKIE);
    if (!cookie.isEmpty()) {
      slipped.getHeader().unsetFlag(Flags.AA);
      slipped.getHeader().unsetFlag(Flags.AD);
      slipped.addRecord(
          new OPTRecord(opt.getPayloadSize(), 0, opt.getVersion(), opt.getFlags(), cookie),
          Section.ADDITIONAL);
      DnsResponses.setRcode(slipped, Rcode.BADCOOKIE);
      return slipped;
    }
    slipped.getHeader().setFlag(Flags.TC);
    slipped.getHeader().setRcode(response.getRcode() == Rcode.NXDOMAIN ? Rcode.NXDOMAIN : 0);
    if (opt != null) {
      slipped.addRecord(
          new OPTRecord(opt.getPayloadSize(), 0, opt.getVersion(), opt.getFlags()),
          Section.ADDITIONAL);
    }
    return slipped;
  }

  /** The counters for {@code /stats}: responses limited, slipped, exempt; the table's state. */
  public Map<String, Long> counters() {
    Map<String, Long> all = new TreeMap<>(counters.snapshot());
    all.put("table-size", (long) limiter.size());
    all.put("evicted", limiter.evicted());
    all.put("expired", limiter.expired());
    return all;
  }

  /** Removes accounts idle longer than the window (the verticle calls it periodically). */
  void removeExpired() {
    limiter.removeExpired();
  }

  /** The count of one event so far (tests). */
  long count(String event) {
    return counters.count(event);
  }
}
