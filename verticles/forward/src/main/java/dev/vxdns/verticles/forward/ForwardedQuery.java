package dev.vxdns.verticles.forward;

import dev.vxdns.forward.CacheKey;
import dev.vxdns.forward.ClientSubnet;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIGRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;

/**
 * One query on its way through a pool, on its caller's loop: the packet cache first, then the
 * backends in the policy's order, each tried {@code 1 + retries} times within its timeout; a UDP
 * answer with TC set is asked again over TCP of the same backend. The first answer wins; when none
 * comes, SERVFAIL with Extended DNS Error 22 (No Reachable Authority).
 */
final class ForwardedQuery {
  private final DnsExchange exchange;
  private final PoolState pool;
  private final LoopForwarder loop;
  private final Forwarder forwarder;
  private final int udpSize;
  private final Promise<DnsExchange> promise;

  /** The client's query, any TSIG or SIG(0) removed (its key is ours, not the backend's). */
  private final Message query;

  private final byte[] queryWire;
  private final boolean clientEdns;
  private final boolean clientEcs;
  private final boolean stream;
  private final List<BackendState> order;
  private int backendIndex;
  private int triesOnBackend;
  private String lastProblem = "no backend is up";

  private ForwardedQuery(
      DnsExchange exchange, PoolState pool, LoopForwarder loop, Forwarder forwarder, int udpSize) {
    this.exchange = exchange;
    this.pool = pool;
    this.loop = loop;
    this.forwarder = forwarder;
    this.udpSize = udpSize;
    this.promise = loop.context.promise();
    Message request = exchange.request();
    Message sent = forBackends(request);
    this.query = sent;
    this.queryWire = sent == request ? exchange.query().wire() : sent.toWire();
    this.clientEdns = request.getOPT() != null;
    this.clientEcs = ClientSubnet.hasEcs(request);
    this.stream = exchange.endpoints().transport().isStream();
    this.order = pool.order(loop.nextTurn());
  }

  static Future<DnsExchange> start(
      DnsExchange exchange, PoolState pool, LoopForwarder loop, Forwarder forwarder, int udpSize) {
    ForwardedQuery forwarded = new ForwardedQuery(exchange, pool, loop, forwarder, udpSize);
    DnsExchange cached = forwarded.fromCache();
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    forwarder.forwarded.increment();
    forwarded.next();
    return forwarded.promise.future();
  }

  /**
   * The cached answer: first filed without ECS (zero scope), then as some backend would be asked.
   */
  private DnsExchange fromCache() {
    if (loop.cache == null || !pool.caching) {
      return null;
    }
    long now = System.currentTimeMillis();
    int id = exchange.request().getHeader().getID();
    byte[] hit = loop.cache.get(CacheKey.of(query, stream, clientEcs, false), id, now);
    Set<ClientSubnet> tried = new HashSet<>();
    for (BackendState backend : pool.backends) {
      if (hit != null) {
        break;
      }
      ClientSubnet ecs = backend.backend.clientSubnet();
      if (backend.backend.cache() && tried.add(ecs == null ? ClientSubnet.DEFAULT_OFF : ecs)) {
        hit = loop.cache.get(CacheKey.of(sent(ecs), stream, clientEcs, true), id, now);
      }
    }
    if (hit == null) {
      loop.cache.countMiss();
      return null;
    }
    try {
      Message answer = new Message(hit);
      loop.cache.countHit();
      return exchange.respond(answer);
    } catch (IOException e) {
      loop.cache.countMiss();
      return null;
    }
  }

  /** The query as a backend with {@code ecs} (null: none) gets it. */
  private Message sent(ClientSubnet ecs) {
    return ecs == null ? query : ecs.apply(query, client()).query();
  }

  private InetAddress client() {
    return exchange.endpoints().effectiveSource().getAddress();
  }

  /** The next try: this backend again while it has retries, else the next one, else SERVFAIL. */
  private void next() {
    while (backendIndex < order.size()) {
      BackendState backend = order.get(backendIndex);
      if (triesOnBackend <= backend.backend.retries()) {
        triesOnBackend++;
        send(backend, backend.backend.transport());
        return;
      }
      backendIndex++;
      triesOnBackend = 0;
    }
    forwarder.noBackend.increment();
    promise.complete(
        DnsRequests.refuse(
            exchange,
            Rcode.SERVFAIL,
            udpSize,
            ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
            "no backend of pool " + pool.pool.name() + " answered: " + lastProblem));
  }

  private void send(BackendState backend, BackendTransport transport) {
    ClientSubnet ecs = backend.backend.clientSubnet();
    Message sent = sent(ecs);
    byte[] wire = sent == query ? queryWire.clone() : sent.toWire();
    ProxyHeader header = backend.backend.proxyProtocol() ? proxyHeader(backend.backend) : null;
    backend.outstanding.incrementAndGet();
    backend.queries.increment();
    loop.send(
        backend,
        transport,
        wire,
        header,
        new Answer() {
          @Override
          public void answered(byte[] response) {
            backend.outstanding.decrementAndGet();
            onAnswer(backend, transport, sent, ecs != null, response);
          }

          @Override
          public void failed(String why) {
            backend.outstanding.decrementAndGet();
            backend.failures.increment();
            lastProblem = backend.backend.name() + ": " + why;
            next();
          }
        });
  }

  private void onAnswer(
      BackendState backend,
      BackendTransport transport,
      Message sent,
      boolean ecsAdded,
      byte[] wire) {
    boolean truncated = wire.length > 2 && (wire[2] & 0x02) != 0;
    if (truncated && transport == BackendTransport.UDP) {
      // RFC 7766: the whole answer over TCP, from the same backend, as the client would.
      backend.truncatedRetries.increment();
      send(backend, BackendTransport.TCP);
      return;
    }
    Message response;
    try {
      response = new Message(wire);
    } catch (IOException | RuntimeException malformed) {
      backend.failures.increment();
      lastProblem = backend.backend.name() + ": a malformed answer";
      next();
      return;
    }
    backend.answers.increment();
    response.getHeader().setID(exchange.request().getHeader().getID());
    int scope = ClientSubnet.scope(response);
    if (ecsAdded) {
      ClientSubnet.restore(response, clientEdns, clientEcs);
    }
    if (loop.cache != null && backend.backend.cache()) {
      CacheKey key =
          ecsAdded && scope == 0
              ? CacheKey.of(query, stream, clientEcs, false)
              : CacheKey.of(sent, stream, clientEcs, true);
      loop.cache.put(key, response, response.toWire(), System.currentTimeMillis());
    }
    promise.complete(exchange.respond(response));
  }

  /**
   * The PROXY v2 header for this query: the effective client and destination (after our own inbound
   * PROXY, so chains keep the original client), the client's protocol, and the backend's custom
   * TLVs.
   */
  private ProxyHeader proxyHeader(Backend backend) {
    InetSocketAddress source = exchange.endpoints().effectiveSource();
    InetSocketAddress destination = exchange.endpoints().effectiveDestination();
    if ((source.getAddress() instanceof Inet4Address)
        != (destination.getAddress() instanceof Inet4Address)) {
      // A header has one family: the client's, with an unspecified destination address.
      destination = new InetSocketAddress(anyLocal(source.getAddress()), destination.getPort());
    }
    return ProxyHeader.builder()
        .protocol(stream ? TransportProtocol.STREAM : TransportProtocol.DGRAM)
        .addresses(source, destination)
        .tlvs(backend.tlvs())
        .build();
  }

  private static InetAddress anyLocal(InetAddress like) {
    try {
      return InetAddress.getByAddress(new byte[like.getAddress().length]);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The request as backends get it, or itself when that is the same: without its TSIG or SIG(0)
   * record (vxdns verified it), and without a DNS cookie (the auth stage answers the client's
   * cookie itself; a backend would take vxdns's server cookie for a bad one of its own and answer
   * BADCOOKIE).
   */
  private static Message forBackends(Message request) {
    List<Record> additional = request.getSection(Section.ADDITIONAL);
    if (additional.isEmpty()) {
      return request;
    }
    Record last = additional.get(additional.size() - 1);
    boolean signed = last instanceof TSIGRecord || last instanceof SIGRecord;
    OPTRecord opt = request.getOPT();
    boolean cookie = opt != null && !opt.getOptions(EDNSOption.Code.COOKIE).isEmpty();
    if (!signed && !cookie) {
      return request;
    }
    Message copy = request.clone();
    if (signed) {
      copy.removeRecord(last, Section.ADDITIONAL);
    }
    if (cookie) {
      List<EDNSOption> others = new ArrayList<>(opt.getOptions());
      others.removeIf(option -> option.getCode() == EDNSOption.Code.COOKIE);
      copy.removeRecord(opt, Section.ADDITIONAL);
      copy.addRecord(
          new OPTRecord(
              opt.getPayloadSize(),
              opt.getExtendedRcode(),
              opt.getVersion(),
              opt.getFlags(),
              others),
          Section.ADDITIONAL);
    }
    return copy;
  }
}
