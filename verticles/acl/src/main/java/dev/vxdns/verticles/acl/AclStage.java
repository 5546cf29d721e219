package dev.vxdns.verticles.acl;

import dev.vxdns.acl.AclDecision;
import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.acl.MatchContext;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.ParsedRequest;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageCounters;
import dev.vxdns.zone.ZoneIndex;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The access-control stage, after auth (so {@code key} elements see the verified key) and on the
 * EFFECTIVE addresses (after PROXY), as BIND does:
 *
 * <ol>
 *   <li>{@code blackhole}: checked by its own stage ({@link #blackhole()}, served at {@code
 *       vxdns.blackhole}) before the query is even parsed; checked here again only for listener
 *       pipelines that leave that stage out, so a blackholed source is never answered;
 *   <li>by what the request asks: for a zone's apex, from that zone's lists, UPDATE: {@code
 *       allow-update}; NOTIFY for a secondary zone: {@code allow-notify}; AXFR/IXFR: {@code
 *       allow-transfer} (for any other name, and any other NOTIFY, the zone stage answers, as BIND
 *       does: NOTAUTH, or NOERROR for a primary's NOTIFY); from the closest enclosing zone's list
 *       or else the options', any other query: {@code allow-query} on the source and key, then
 *       {@code allow-query-on} on the destination; a recursive IN query for a name outside every
 *       zone: {@code allow-recursion} (CH names such as whoami are the server's own).
 * </ol>
 *
 * Lists see the request's verified key, EDNS Client-Subnet option, local port and transport ({@code
 * key}, {@code ecs} and BIND 9.20's port/transport qualified lists).
 *
 * <p>A refusal is REFUSED with Extended DNS Error 18 (Prohibited), counted per option and zone; the
 * element that decided is recorded in the exchange's {@code aclMatch}.
 */
public final class AclStage implements Stage {
  private static final String ALLOW_RECURSION = "allow-recursion";

  private final AccessLists options;
  private final BlackholeStage blackhole;

  /** The lists for names outside every zone: the options' own. */
  private final Scope outside;

  private final ZoneIndex<Scope> zones;
  private final int ednsUdpSize;
  private final StageCounters refusals;

  /**
   * The verdict's text ("allow-query: any") by option, then by the allowing element: made once
   * each, not for every query that passes (the elements are the configuration's, so few).
   */
  private final Map<String, Map<String, String>> allowedTexts = new ConcurrentHashMap<>();

  public AclStage(AclSettings settings) throws TextParseException {
    this(settings, new StageCounters());
  }

  /**
   * A stage counting into {@code registry}: {@code vxdns_acl_refusals_total{list, zone}}, the
   * option that refused ({@code blackhole} too) and the zone ({@code ""} outside every zone).
   */
  public AclStage(AclSettings settings, MeterRegistry registry) throws TextParseException {
    this(
        settings,
        new StageCounters(
            registry,
            "vxdns_acl_refusals",
            "queries refused by an access list, by list and zone",
            AclStage::tagsOf));
  }

  /** "allow-query example.test." is list allow-query, zone example.test. */
  private static Tags tagsOf(String counter) {
    int space = counter.indexOf(' ');
    return space < 0
        ? Tags.of("list", counter, "zone", "")
        : Tags.of("list", counter.substring(0, space), "zone", counter.substring(space + 1));
  }

  private AclStage(AclSettings settings, StageCounters refusals) throws TextParseException {
    this.refusals = refusals;
    this.options = settings.options();
    this.blackhole = new BlackholeStage(options.blackhole(), refusals);
    this.outside = new Scope(options, null, false, false);
    Map<Name, Scope> byName = new HashMap<>();
    for (Map.Entry<String, AccessLists> zone : settings.zones().entrySet()) {
      byName.put(
          Name.fromString(zone.getKey()),
          new Scope(
              options.overriddenBy(zone.getValue()),
              zone.getKey(),
              settings.forwardZones().contains(zone.getKey()),
              settings.secondaryZones().contains(zone.getKey())));
    }
    this.zones = ZoneIndex.of(byName);
    this.ednsUdpSize = settings.dns().ednsUdpSize();
  }

  /**
   * What a request for names in one zone (or outside every zone) is checked against, worked out
   * once from the configuration: the zone's lists over the options', and the refusal counters'
   * names ("allow-query example.test.").
   */
  private static final class Scope {
    final AccessLists lists;
    final String allowUpdate;
    final String allowNotify;
    final String allowTransfer;
    final String allowQuery;
    final String allowQueryOn;

    /** A {@code type: forward} zone: using it is recursion, gated by {@code allow-recursion}. */
    final boolean forward;

    /** A secondary zone: the only kind whose NOTIFY {@code allow-notify} judges. */
    final boolean secondary;

    /** {@code zone} is the zone's name as configured, or null outside every zone. */
    Scope(AccessLists lists, String zone, boolean forward, boolean secondary) {
      this.lists = lists;
      this.forward = forward;
      this.secondary = secondary;
      this.allowUpdate = counter("allow-update", zone);
      this.allowNotify = counter("allow-notify", zone);
      this.allowTransfer = counter("allow-transfer", zone);
      this.allowQuery = counter("allow-query", zone);
      this.allowQueryOn = counter("allow-query-on", zone);
    }

    private static String counter(String option, String zone) {
      return zone == null ? option : option + " " + zone;
    }
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    return Future.succeededFuture(apply(exchange));
  }

  /** The blackhole check on its own, sharing this stage's counters, for {@code vxdns.blackhole}. */
  public BlackholeStage blackhole() {
    return blackhole;
  }

  public DnsExchange apply(DnsExchange exchange) {
    MatchContext unsigned = BlackholeStage.unsignedSource(exchange);
    DnsExchange admitted = blackhole.apply(exchange, unsigned);
    if (admitted.isFinished()) {
      return admitted;
    }
    MatchContext source = unsigned.withKey(exchange.verdicts().keyName());
    DnsExchange parsed = DnsRequests.parse(exchange, ednsUdpSize);
    if (parsed.isFinished()) {
      return parsed;
    }
    ParsedRequest request = parsed.parsed();
    source = withEcs(source, request.opt());
    int qtype = request.questionType();
    Scope zone = zones.find(request.questionName(), qtype);
    Scope scope = zone == null ? outside : zone;
    AccessLists lists = scope.lists;
    int opcode = request.opcode();
    boolean transfer = opcode == Opcode.QUERY && (qtype == Type.AXFR || qtype == Type.IXFR);
    if (opcode != Opcode.QUERY || transfer) {
      // As BIND: an UPDATE, a NOTIFY and a transfer name a zone's apex; for any other name the
      // zone stage answers NOTAUTH, whoever asked. allow-notify judges a secondary's NOTIFY only
      // (a primary acknowledges any).
      Scope exact = zones.get(parsed.request().getQuestion().getName());
      if (exact == null) {
        return parsed;
      }
      if (opcode == Opcode.UPDATE) {
        // Signed with a key this server lacks: BIND fails it for a primary zone before its access
        // lists (the zone stage answers NOTAUTH); a secondary judges whom it forwards for.
        return parsed.verdicts().keyUnknown() && !exact.secondary
            ? parsed
            : check(parsed, "allow-update", exact.lists.allowUpdate(), source, exact.allowUpdate);
      }
      if (opcode == Opcode.NOTIFY) {
        return exact.secondary
            ? check(parsed, "allow-notify", exact.lists.allowNotify(), source, exact.allowNotify)
            : parsed;
      }
      return check(
          parsed, "allow-transfer", exact.lists.allowTransfer(), source, exact.allowTransfer);
    }
    DnsExchange queried =
        check(parsed, "allow-query", lists.allowQuery(), source, scope.allowQuery);
    if (queried.isFinished()) {
      return queried;
    }
    // The same key, ECS option, port and transport, on the destination address.
    MatchContext destination =
        source.withAddress(exchange.endpoints().effectiveDestination().getAddress());
    DnsExchange on =
        check(queried, "allow-query-on", lists.allowQueryOn(), destination, scope.allowQueryOn);
    // A forward zone forwards every class and whether RD is set or not: always recursion.
    boolean wouldRecurse =
        scope.forward
            || (scope == outside
                && request.hasFlag(Flags.RD)
                && request.questionClass() == DClass.IN);
    if (on.isFinished() || !wouldRecurse) {
      return on;
    }
    return check(on, ALLOW_RECURSION, lists.allowRecursion(), source, ALLOW_RECURSION);
  }

  /**
   * The query's EDNS Client-Subnet option (RFC 7871), for {@code ecs} elements; none when absent or
   * odd.
   */
  private static MatchContext withEcs(MatchContext context, OPTRecord opt) {
    if (opt == null) {
      return context;
    }
    for (EDNSOption option : opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)) {
      try {
        ClientSubnetOption subnet = (ClientSubnetOption) option;
        return context.withEcs(subnet.getAddress(), subnet.getSourcePrefixLength());
      } catch (ClassCastException | IllegalArgumentException malformed) {
        return context;
      }
    }
    return context;
  }

  /** Refusals so far, per option and zone ("allow-query example.test."), for the stats address. */
  public Map<String, Long> refusals() {
    return refusals.snapshot();
  }

  /**
   * {@code counter} is the refusal counter's name, the option's with the zone's ("allow-query
   * example.test.").
   */
  private String allowedText(String option, String element) {
    Map<String, String> byElement = allowedTexts.get(option);
    if (byElement == null) {
      byElement = allowedTexts.computeIfAbsent(option, missing -> new ConcurrentHashMap<>());
    }
    String text = byElement.get(element);
    return text != null ? text : byElement.computeIfAbsent(element, e -> option + ": " + e);
  }

  private DnsExchange check(
      DnsExchange exchange,
      String option,
      AddressMatchList list,
      MatchContext context,
      String counter) {
    AclDecision decision = list.evaluate(context);
    if (decision.allowed()) {
      return exchange.withAclMatch(allowedText(option, decision.element()));
    }
    refusals.increment(counter);
    return DnsRequests.refuse(
        exchange.withAclMatch(option + ": " + decision),
        Rcode.REFUSED,
        ednsUdpSize,
        ExtendedErrorCodeOption.PROHIBITED,
        "");
  }
}
