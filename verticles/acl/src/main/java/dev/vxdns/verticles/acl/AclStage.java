package dev.vxdns.verticles.acl;

import dev.vxdns.acl.AclDecision;
import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.acl.MatchContext;
import dev.vxdns.config.AccessLists;
import dev.vxdns.config.ZoneConfig;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.Stage;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TextParseException;

/**
 * The access-control stage, after auth (so {@code key} elements see the verified key) and on the
 * EFFECTIVE addresses (after PROXY), as BIND does:
 *
 * <ol>
 *   <li>{@code blackhole}: a matching source is dropped without an answer, before anything else;
 *   <li>{@code allow-query} on the source and key, {@code allow-query-on} on the destination, from
 *       the closest enclosing zone's override or else the options: a refusal is REFUSED with
 *       Extended DNS Error 18 (Prohibited).
 * </ol>
 *
 * The element that decided is recorded in the exchange's {@code aclMatch}.
 */
public final class AclStage implements Stage {
  private final AccessLists options;
  private final Map<Name, ZoneConfig> zones;
  private final int ednsUdpSize;

  public AclStage(AccessLists options, List<ZoneConfig> zones, int ednsUdpSize) throws TextParseException {
    this.options = options;
    Map<Name, ZoneConfig> byName = new HashMap<>();
    for (ZoneConfig zone : zones) {
      byName.put(Name.fromString(zone.name()), zone);
    }
    this.zones = Map.copyOf(byName);
    this.ednsUdpSize = ednsUdpSize;
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    return Future.succeededFuture(apply(exchange));
  }

  public DnsExchange apply(DnsExchange exchange) {
    MatchContext source = MatchContext.of(exchange.effectiveSource().getAddress()).withKey(exchange.keyName());
    if (options.blackhole().evaluate(source).allowed()) {
      return exchange.drop();
    }
    DnsExchange parsed = DnsRequests.parse(exchange, ednsUdpSize);
    if (parsed.isFinished()) {
      return parsed;
    }
    ZoneConfig zone = closestZone(parsed.request().getQuestion().getName());
    AddressMatchList allowQuery = zone != null && zone.allowQuery() != null ? zone.allowQuery() : options.allowQuery();
    AddressMatchList allowQueryOn = zone != null && zone.allowQueryOn() != null ? zone.allowQueryOn() : options.allowQueryOn();
    AclDecision query = allowQuery.evaluate(source);
    if (!query.allowed()) {
      return refuse(parsed, "allow-query", query);
    }
    MatchContext destination = MatchContext.of(exchange.effectiveDestination().getAddress()).withKey(exchange.keyName());
    AclDecision on = allowQueryOn.evaluate(destination);
    if (!on.allowed()) {
      return refuse(parsed, "allow-query-on", on);
    }
    return parsed.withAclMatch("allow-query: " + query.element());
  }

  private DnsExchange refuse(DnsExchange exchange, String option, AclDecision decision) {
    return DnsRequests.refuse(exchange.withAclMatch(option + ": " + decision), Rcode.REFUSED, ednsUdpSize,
        ExtendedErrorCodeOption.PROHIBITED, "");
  }

  private ZoneConfig closestZone(Name qname) {
    for (int labels = qname.labels(); labels >= 1; labels--) {
      Name candidate = labels == qname.labels() ? qname : new Name(qname, qname.labels() - labels);
      ZoneConfig zone = zones.get(candidate);
      if (zone != null) {
        return zone;
      }
    }
    return null;
  }
}
