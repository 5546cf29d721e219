package dev.vxdns.message;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.xbill.DNS.Message;

/**
 * One DNS query on its way through the pipeline: the event-bus contract between verticles.
 *
 * <p>Immutable: every stage returns a new exchange built with the {@code with...} methods, so the
 * local codec can pass it by reference and a stage can never see another stage's half-done work.
 *
 * <ul>
 *   <li>{@code real*} addresses are the socket's; {@code effective*} start equal to them and are
 *       replaced by the PROXY stage with the header's addresses. Every stage after PROXY, every log
 *       line and every response uses the effective addresses.
 *   <li>{@code query} is the DNS message's bytes (on UDP the PROXY stage strips its header from
 *       them); {@code proxyHeader} is the header a stream connection began with, repeated on each
 *       of its queries; {@code request} is the parsed form, set by the first stage that parses it.
 *   <li>{@code keyName} is the verified TSIG/SIG(0) signer (auth stage), {@code aclMatch} the list
 *       and element that decided access (acl stage); both null when not applicable.
 *   <li>{@code outcome} is {@link Outcome#CONTINUE} until a stage answers, drops or closes.
 * </ul>
 */
public final class DnsExchange {
  private final Transport transport;
  private final String listener;
  private final InetSocketAddress realSource;
  private final InetSocketAddress realDestination;
  private final InetSocketAddress effectiveSource;
  private final InetSocketAddress effectiveDestination;
  private final boolean proxied;
  private final byte[] proxyHeader;
  private final byte[] query;
  private final Message request;
  private final String keyName;
  private final String aclMatch;
  private final Outcome outcome;
  private final Message response;

  private DnsExchange(
      Transport transport,
      String listener,
      InetSocketAddress realSource,
      InetSocketAddress realDestination,
      InetSocketAddress effectiveSource,
      InetSocketAddress effectiveDestination,
      boolean proxied,
      byte[] proxyHeader,
      byte[] query,
      Message request,
      String keyName,
      String aclMatch,
      Outcome outcome,
      Message response) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.realSource = Objects.requireNonNull(realSource, "realSource");
    this.realDestination = Objects.requireNonNull(realDestination, "realDestination");
    this.effectiveSource = Objects.requireNonNull(effectiveSource, "effectiveSource");
    this.effectiveDestination = Objects.requireNonNull(effectiveDestination, "effectiveDestination");
    this.proxied = proxied;
    this.proxyHeader = proxyHeader;
    this.query = Objects.requireNonNull(query, "query");
    this.request = request;
    this.keyName = keyName;
    this.aclMatch = aclMatch;
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.response = response;
  }

  /**
   * A new exchange as a transport receives it: effective addresses equal to the real ones.
   * The query array is owned by the exchange from now on; callers must not modify it.
   */
  public static DnsExchange received(
      Transport transport, String listener, InetSocketAddress source, InetSocketAddress destination, byte[] query) {
    return new DnsExchange(
        transport, listener, source, destination, source, destination, false, null, query, null, null, null,
        Outcome.CONTINUE, null);
  }

  /**
   * A query from a stream connection that began with a PROXY header: the header's bytes travel
   * with every query of the connection, for the proxy stage to check.
   */
  public static DnsExchange received(
      Transport transport, String listener, InetSocketAddress source, InetSocketAddress destination,
      byte[] proxyHeader, byte[] query) {
    return new DnsExchange(
        transport, listener, source, destination, source, destination, false, proxyHeader, query, null, null, null,
        Outcome.CONTINUE, null);
  }

  /** Full constructor for codecs; stages use the {@code with...} methods instead. */
  static DnsExchange of(
      Transport transport,
      String listener,
      InetSocketAddress realSource,
      InetSocketAddress realDestination,
      InetSocketAddress effectiveSource,
      InetSocketAddress effectiveDestination,
      boolean proxied,
      byte[] proxyHeader,
      byte[] query,
      Message request,
      String keyName,
      String aclMatch,
      Outcome outcome,
      Message response) {
    return new DnsExchange(
        transport, listener, realSource, realDestination, effectiveSource, effectiveDestination, proxied, proxyHeader,
        query, request, keyName, aclMatch, outcome, response);
  }

  public Transport transport() {
    return transport;
  }

  public String listener() {
    return listener;
  }

  public InetSocketAddress realSource() {
    return realSource;
  }

  public InetSocketAddress realDestination() {
    return realDestination;
  }

  public InetSocketAddress effectiveSource() {
    return effectiveSource;
  }

  public InetSocketAddress effectiveDestination() {
    return effectiveDestination;
  }

  /** True when a PROXY v2 PROXY command set the effective addresses. */
  public boolean proxied() {
    return proxied;
  }

  /** The PROXY header bytes a stream connection began with, or null. Shared, never modify. */
  public byte[] proxyHeader() {
    return proxyHeader;
  }

  /** The DNS message bytes. Shared, never modify. */
  public byte[] query() {
    return query;
  }

  /** The parsed query, or null before a stage parsed it. */
  public Message request() {
    return request;
  }

  public String keyName() {
    return keyName;
  }

  public String aclMatch() {
    return aclMatch;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The response to send when {@link #outcome()} is {@link Outcome#RESPOND}. */
  public Message response() {
    return response;
  }

  public boolean isFinished() {
    return outcome != Outcome.CONTINUE;
  }

  /** The PROXY stage's result: header addresses and the DNS message that followed the header. */
  public DnsExchange withProxied(InetSocketAddress source, InetSocketAddress destination, byte[] dnsMessage) {
    return new DnsExchange(
        transport, listener, realSource, realDestination, source, destination, true, proxyHeader, dnsMessage, request, keyName,
        aclMatch, outcome, response);
  }

  /** Same addresses, the DNS message without a header in front (PROXY LOCAL command). */
  public DnsExchange withQuery(byte[] dnsMessage) {
    return new DnsExchange(
        transport, listener, realSource, realDestination, effectiveSource, effectiveDestination, proxied, proxyHeader, dnsMessage,
        request, keyName, aclMatch, outcome, response);
  }

  public DnsExchange withRequest(Message parsed) {
    return new DnsExchange(
        transport, listener, realSource, realDestination, effectiveSource, effectiveDestination, proxied, proxyHeader, query,
        parsed, keyName, aclMatch, outcome, response);
  }

  public DnsExchange withKeyName(String verifiedKey) {
    return new DnsExchange(
        transport, listener, realSource, realDestination, effectiveSource, effectiveDestination, proxied, proxyHeader, query,
        request, verifiedKey, aclMatch, outcome, response);
  }

  public DnsExchange withAclMatch(String match) {
    return new DnsExchange(
        transport, listener, realSource, realDestination, effectiveSource, effectiveDestination, proxied, proxyHeader, query,
        request, keyName, match, outcome, response);
  }

  /** Finishes the exchange with a response to send. */
  public DnsExchange respond(Message answer) {
    return new DnsExchange(
        transport, listener, realSource, realDestination, effectiveSource, effectiveDestination, proxied, proxyHeader, query,
        request, keyName, aclMatch, Outcome.RESPOND, Objects.requireNonNull(answer, "answer"));
  }

  /** Finishes the exchange without a response. */
  public DnsExchange drop() {
    return finish(Outcome.DROP);
  }

  /** Finishes the exchange without a response and closes a stream connection. */
  public DnsExchange close() {
    return finish(Outcome.CLOSE);
  }

  private DnsExchange finish(Outcome finalOutcome) {
    return new DnsExchange(
        transport, listener, realSource, realDestination, effectiveSource, effectiveDestination, proxied, proxyHeader, query,
        request, keyName, aclMatch, finalOutcome, null);
  }

  @Override
  public String toString() {
    return "DnsExchange{" + transport.configName() + " " + listener + " from " + effectiveSource
        + (proxied ? " (proxied by " + realSource + ")" : "") + " to " + effectiveDestination + ", " + outcome + "}";
  }
}
