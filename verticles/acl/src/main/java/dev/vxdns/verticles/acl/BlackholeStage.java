package dev.vxdns.verticles.acl;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.acl.MatchContext;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageCounters;
import io.vertx.core.Future;

/**
 * The {@code blackhole} list, as BIND applies it: on the EFFECTIVE source (after PROXY), before the
 * query is parsed or verified, so a blackholed source never gets a FORMERR, NOTAUTH or TKEY answer,
 * never starts a SIG(0) verification and does not keep a stream connection open: its datagrams are
 * dropped and its TCP/TLS/HTTP connections closed at once.
 *
 * <p>The list sees the source address and the local port and transport; not a key, since nothing is
 * verified yet (BIND checks the blackhole before TSIG too). Matches are counted as {@code
 * blackhole} in the ACL stage's counters, which this stage shares.
 */
public final class BlackholeStage implements Stage {
  static final String COUNTER = "blackhole";

  private final AddressMatchList blackhole;
  private final StageCounters counters;

  BlackholeStage(AddressMatchList blackhole, StageCounters counters) {
    this.blackhole = blackhole;
    this.counters = counters;
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    return Future.succeededFuture(apply(exchange));
  }

  /** Dropped (datagrams) or closed (streams) when the source is blackholed, else unchanged. */
  public DnsExchange apply(DnsExchange exchange) {
    return apply(exchange, unsignedSource(exchange));
  }

  /**
   * The exchange's effective source, local port and transport, before any key is verified: what the
   * blackhole sees, and what the access lists add the key to.
   */
  static MatchContext unsignedSource(DnsExchange exchange) {
    int port = exchange.endpoints().effectiveDestination().getPort();
    return MatchContext.of(
        exchange.endpoints().effectiveSource().getAddress(),
        port == 0 ? 53 : port,
        exchange.endpoints().transport().configName());
  }

  /** {@link #apply(DnsExchange)} on the context {@link #unsignedSource} made for it. */
  DnsExchange apply(DnsExchange exchange, MatchContext source) {
    if (!blackhole.evaluate(source).allowed()) {
      return exchange;
    }
    counters.increment(COUNTER);
    return exchange.endpoints().transport().isStream() ? exchange.close() : exchange.drop();
  }
}
