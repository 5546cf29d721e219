package dev.vxdns.verticles.forward;

import dev.vxdns.config.ServerIdentity;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.Stage;
import dev.vxdns.zone.ZoneIndex;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The forward stage, after the access lists: a query whose closest enclosing zone is a {@code type:
 * forward} zone goes to that zone's pool; anything else (a local zone's names, the {@code whoami}
 * name, BIND's built-in CH zones such as version.bind, transfers, UPDATE, NOTIFY) passes on to the
 * zone stage untouched. Local zones are class IN, so in another class (CH, say) only forward zones
 * count: the root forward zone of a resolver front end forwards every class.
 */
public final class ForwardStage implements Stage {
  private final ZoneIndex<PoolState> inClassIn;
  private final ZoneIndex<PoolState> inOtherClasses;
  private final Name whoami;
  private final Forwarder forwarder;
  private final int udpSize;

  ForwardStage(ForwardSettings settings, Forwarder forwarder) {
    Map<String, PoolState> pools = new HashMap<>();
    forwarder.pools.forEach(pool -> pools.put(pool.pool.name(), pool));
    Map<Name, PoolState> forwardZones = new HashMap<>();
    settings.forwardZones().forEach((zone, pool) -> forwardZones.put(zone, pools.get(pool.name())));
    Map<Name, PoolState> all = new HashMap<>(forwardZones);
    // A local zone maps to null-like LOCAL: an entry that stops the search at the closest zone.
    for (Name local : settings.localZones()) {
      all.put(local, LOCAL);
    }
    this.inClassIn = ZoneIndex.of(all);
    this.inOtherClasses = ZoneIndex.of(forwardZones);
    this.whoami = settings.whoami();
    this.forwarder = forwarder;
    this.udpSize = settings.dns().ednsUdpSize();
  }

  /** Marks a local zone in the index: the search stops there and the query stays here. */
  private static final PoolState LOCAL =
      new PoolState(
          new Pool("local", Policy.FIRST_AVAILABLE, java.util.List.of()), java.util.List.of());

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    DnsExchange parsed = DnsRequests.parse(exchange, udpSize);
    if (parsed.isFinished()) {
      return Future.succeededFuture(parsed);
    }
    PoolState pool = poolFor(parsed.request());
    if (pool == null) {
      return Future.succeededFuture(parsed);
    }
    return ForwardedQuery.start(parsed, pool, forwarder.current(), forwarder, udpSize);
  }

  /** The pool that answers this request, or null when it stays on this node. */
  private PoolState poolFor(Message request) {
    if (request.getHeader().getOpcode() != Opcode.QUERY) {
      return null;
    }
    Record question = request.getQuestion();
    int qtype = question.getType();
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return null;
    }
    Name name = question.getName();
    if (whoami != null && name.equals(whoami)) {
      return null;
    }
    if (question.getDClass() == DClass.CH && ServerIdentity.chaosZoneOf(name) != null) {
      return null; // version.bind and the like: this node's own
    }
    PoolState pool =
        question.getDClass() == DClass.IN
            ? inClassIn.find(name, qtype)
            : inOtherClasses.find(name, qtype);
    return pool == LOCAL ? null : pool;
  }
}
