package dev.vxdns.verticles.proxy;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageCounters;
import dev.vxdns.proxyprotocol.AddressFamily;
import dev.vxdns.proxyprotocol.DecodeResult;
import dev.vxdns.proxyprotocol.ProxyDecoder;
import dev.vxdns.proxyprotocol.ProxyError;
import dev.vxdns.proxyprotocol.ProxyHeader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The PROXY v2 stage, as BIND 9.20 does it. It runs first on listeners configured with {@code
 * proxy}, so a query without an acceptable header never reaches another stage:
 *
 * <ol>
 *   <li>{@code allow-proxy} must allow the REAL source and {@code allow-proxy-on} the REAL
 *       destination (the only lists that ever see real addresses);
 *   <li>UDP: the header precedes the DNS message in the datagram, and this stage decodes it;
 *       streams: the transport decoded the header once at the start of the connection (closing it
 *       on malformed bytes) and hands the decoded header with every query;
 *   <li>LOCAL (health checks) keeps the real addresses; PROXY over INET/INET6 sets the effective
 *       ones, unless the source or destination address is unspecified or the destination port is 0;
 *       UNSPEC and UNIX families carry no usable address and keep the real ones.
 * </ol>
 *
 * A rejected datagram is dropped and a rejected connection closed, silently, as BIND does: an
 * answer would tell a spoofer which lists to get around. Every decision is counted.
 */
public final class ProxyStage implements Stage {
  private static final System.Logger LOG = System.getLogger(ProxyStage.class.getName());
  private static final String ACCEPTED = "accepted";
  private static final String ACCEPTED_LOCAL = "accepted-local";

  /**
   * The counter of each codec error, e.g. {@code bad-signature}: built once, not per rejected
   * header.
   */
  private static final Map<ProxyError, String> INVALID = invalidReasons();

  private final ProxyDecoder decoder;
  private final AddressMatchList allowProxy;
  private final AddressMatchList allowProxyOn;
  private final StageCounters counters;

  public ProxyStage(int maxHeaderSize, AddressMatchList allowProxy, AddressMatchList allowProxyOn) {
    this(
        ProxyDecoder.withMaxHeaderSize(maxHeaderSize),
        allowProxy,
        allowProxyOn,
        new StageCounters());
  }

  /**
   * A stage counting into {@code registry}: {@code vxdns_proxy_headers_total{result, reason}}, the
   * headers accepted ({@code reason} empty, or {@code local} for LOCAL and unspecified ones) and
   * rejected, by reason.
   */
  public ProxyStage(
      int maxHeaderSize,
      AddressMatchList allowProxy,
      AddressMatchList allowProxyOn,
      MeterRegistry registry) {
    this(
        ProxyDecoder.withMaxHeaderSize(maxHeaderSize),
        allowProxy,
        allowProxyOn,
        new StageCounters(
            registry,
            "vxdns_proxy_headers",
            "PROXY headers accepted and rejected, by reason",
            ProxyStage::tagsOf));
  }

  private static Tags tagsOf(String event) {
    return switch (event) {
      case ACCEPTED -> Tags.of("result", "accepted", "reason", "");
      case ACCEPTED_LOCAL -> Tags.of("result", "accepted", "reason", "local");
      default -> Tags.of("result", "rejected", "reason", event);
    };
  }

  /**
   * @param decoder decodes the headers in front of UDP datagrams ({@code proxy-max-header-size})
   */
  public ProxyStage(
      ProxyDecoder decoder, AddressMatchList allowProxy, AddressMatchList allowProxyOn) {
    this(decoder, allowProxy, allowProxyOn, new StageCounters());
  }

  private ProxyStage(
      ProxyDecoder decoder,
      AddressMatchList allowProxy,
      AddressMatchList allowProxyOn,
      StageCounters counters) {
    this.counters = counters;
    this.decoder = decoder;
    this.allowProxy = allowProxy;
    this.allowProxyOn = allowProxyOn;
  }

  private static Map<ProxyError, String> invalidReasons() {
    Map<ProxyError, String> reasons = new EnumMap<>(ProxyError.class);
    for (ProxyError error : ProxyError.values()) {
      reasons.put(error, error.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return reasons;
  }

  /** Counts of accepted headers and of rejections per reason. */
  public Map<String, Long> counters() {
    return counters.snapshot();
  }

  @Override
  public Future<DnsExchange> handle(DnsExchange exchange) {
    return Future.succeededFuture(apply(exchange));
  }

  /** The synchronous stage; also what benchmarks call. */
  public DnsExchange apply(DnsExchange exchange) {
    if (!allowProxy.allows(exchange.endpoints().realSource().getAddress())) {
      return reject(
          exchange,
          "not-allowed",
          "allow-proxy does not allow ",
          exchange.endpoints().realSource(),
          null);
    }
    if (!allowProxyOn.allows(exchange.endpoints().realDestination().getAddress())) {
      return reject(
          exchange,
          "not-allowed-on",
          "allow-proxy-on does not allow ",
          exchange.endpoints().realDestination(),
          null);
    }
    DnsExchange withoutHeader;
    ProxyHeader header;
    if (exchange.endpoints().transport().isStream()) {
      // Decoded once by the transport at the start of the connection; malformed ones never get
      // here.
      header = exchange.query().proxyHeader();
      if (header == null) {
        return reject(exchange, "missing", "the connection sent no PROXY header", null, null);
      }
      withoutHeader = exchange;
    } else {
      byte[] datagram = exchange.query().wire();
      DecodeResult result = decoder.decodeDatagram(datagram);
      if (!(result instanceof DecodeResult.Complete complete)) {
        // Never NeedMore: a datagram is whole.
        return reject(
            exchange, INVALID.get(((DecodeResult.Invalid) result).reason()), "", result, null);
      }
      header = complete.header();
      withoutHeader =
          exchange.withQuery(Arrays.copyOfRange(datagram, complete.length(), datagram.length));
    }
    if (header.isLocal()
        || header.family() == AddressFamily.UNSPEC
        || header.family() == AddressFamily.UNIX) {
      counters.increment(ACCEPTED_LOCAL);
      return withoutHeader;
    }
    InetSocketAddress source = header.sourceAddress().orElseThrow();
    InetSocketAddress destination = header.destinationAddress().orElseThrow();
    if (source.getAddress().isAnyLocalAddress() || destination.getAddress().isAnyLocalAddress()) {
      return reject(exchange, "unspecified-address", "header addresses ", source, destination);
    }
    if (destination.getPort() == 0) {
      return reject(exchange, "zero-port", "header destination port 0", null, null);
    }
    counters.increment(ACCEPTED);
    return withoutHeader.withProxied(source, destination);
  }

  /**
   * Counts the rejection and drops the datagram or closes the connection. The debug line's detail
   * is {@code detail}, then {@code first} and {@code " -> " + second} when given: put together only
   * when debug logging is on, so a rejected header costs no strings otherwise.
   */
  private DnsExchange reject(
      DnsExchange exchange, String reason, String detail, Object first, Object second) {
    counters.increment(reason);
    if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
      String text = detail + (first == null ? "" : first) + (second == null ? "" : " -> " + second);
      LOG.log(
          System.Logger.Level.DEBUG,
          "proxy {0}: rejected {1} from {2} ({3}; {4} so far): {5}",
          exchange.endpoints().listener(),
          exchange.endpoints().transport().configName(),
          exchange.endpoints().realSource(),
          reason,
          counters.count(reason),
          text);
    }
    return exchange.endpoints().transport().isStream() ? exchange.close() : exchange.drop();
  }
}
