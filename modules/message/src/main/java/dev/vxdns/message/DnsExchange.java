package dev.vxdns.message;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>{@code outcome} is {@link Outcome#CONTINUE} until a stage answers, drops or closes; {@code
 *       responseSteps} lists the stages that want the response on its way back.
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
  private final byte[] responseWire;
  private final List<String> responseSteps;

  private DnsExchange(Fields f) {
    this.transport = Objects.requireNonNull(f.transport, "transport");
    this.listener = Objects.requireNonNull(f.listener, "listener");
    this.realSource = Objects.requireNonNull(f.realSource, "realSource");
    this.realDestination = Objects.requireNonNull(f.realDestination, "realDestination");
    this.effectiveSource = Objects.requireNonNull(f.effectiveSource, "effectiveSource");
    this.effectiveDestination =
        Objects.requireNonNull(f.effectiveDestination, "effectiveDestination");
    this.proxied = f.proxied;
    this.proxyHeader = f.proxyHeader;
    this.query = Objects.requireNonNull(f.query, "query");
    this.request = f.request;
    this.keyName = f.keyName;
    this.aclMatch = f.aclMatch;
    this.outcome = Objects.requireNonNull(f.outcome, "outcome");
    this.response = f.response;
    this.responseWire = f.responseWire;
    this.responseSteps = List.copyOf(f.responseSteps);
  }

  /**
   * A new exchange as a transport receives it: effective addresses equal to the real ones. The
   * query array is owned by the exchange from now on; callers must not modify it.
   */
  public static DnsExchange received(
      Transport transport,
      String listener,
      InetSocketAddress source,
      InetSocketAddress destination,
      byte[] query) {
    return received(transport, listener, source, destination, null, query);
  }

  /**
   * A query from a stream connection that began with a PROXY header: the header's bytes travel with
   * every query of the connection, for the proxy stage to check.
   */
  public static DnsExchange received(
      Transport transport,
      String listener,
      InetSocketAddress source,
      InetSocketAddress destination,
      byte[] proxyHeader,
      byte[] query) {
    Fields f = new Fields();
    f.transport = transport;
    f.listener = listener;
    f.realSource = source;
    f.realDestination = destination;
    f.effectiveSource = source;
    f.effectiveDestination = destination;
    f.proxyHeader = proxyHeader;
    f.query = query;
    return new DnsExchange(f);
  }

  /** Every field, for codecs; stages use the {@code with...} methods instead. */
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
      Message response,
      byte[] responseWire,
      List<String> responseSteps) {
    Fields f = new Fields();
    f.transport = transport;
    f.listener = listener;
    f.realSource = realSource;
    f.realDestination = realDestination;
    f.effectiveSource = effectiveSource;
    f.effectiveDestination = effectiveDestination;
    f.proxied = proxied;
    f.proxyHeader = proxyHeader;
    f.query = query;
    f.request = request;
    f.keyName = keyName;
    f.aclMatch = aclMatch;
    f.outcome = outcome;
    f.response = response;
    f.responseWire = responseWire;
    f.responseSteps = responseSteps;
    return new DnsExchange(f);
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

  /**
   * The response already in wire form, or null: set by a response step that must produce the final
   * bytes itself (TSIG signs the rendered message), and sent by the transport as it is.
   */
  public byte[] responseWire() {
    return responseWire;
  }

  /**
   * Addresses of stages that asked to see the response on its way back (auth signs it), in the
   * order they asked; the chain calls them in reverse once the exchange has a response.
   */
  public List<String> responseSteps() {
    return responseSteps;
  }

  public boolean isFinished() {
    return outcome != Outcome.CONTINUE;
  }

  /** The PROXY stage's result: header addresses and the DNS message that followed the header. */
  public DnsExchange withProxied(
      InetSocketAddress source, InetSocketAddress destination, byte[] dnsMessage) {
    Fields f = copy();
    f.effectiveSource = source;
    f.effectiveDestination = destination;
    f.proxied = true;
    f.query = dnsMessage;
    return new DnsExchange(f);
  }

  /** Same addresses, the DNS message without a header in front (PROXY LOCAL command). */
  public DnsExchange withQuery(byte[] dnsMessage) {
    Fields f = copy();
    f.query = dnsMessage;
    return new DnsExchange(f);
  }

  public DnsExchange withRequest(Message parsed) {
    Fields f = copy();
    f.request = parsed;
    return new DnsExchange(f);
  }

  public DnsExchange withKeyName(String verifiedKey) {
    Fields f = copy();
    f.keyName = verifiedKey;
    return new DnsExchange(f);
  }

  public DnsExchange withAclMatch(String match) {
    Fields f = copy();
    f.aclMatch = match;
    return new DnsExchange(f);
  }

  /** Asks the chain to call this stage's {@link Stage#onResponse} with the finished exchange. */
  public DnsExchange withResponseStep(String address) {
    Fields f = copy();
    List<String> steps = new ArrayList<>(responseSteps);
    steps.add(address);
    f.responseSteps = steps;
    return new DnsExchange(f);
  }

  /** The exchange with another response (a response step may decorate the message). */
  public DnsExchange withResponse(Message replaced) {
    Fields f = copy();
    f.response = Objects.requireNonNull(replaced, "replaced");
    f.responseWire = null;
    return new DnsExchange(f);
  }

  /**
   * The response and its final wire form, e.g. signed with TSIG; the transport sends these bytes.
   */
  public DnsExchange withRenderedResponse(Message rendered, byte[] wire) {
    Fields f = copy();
    f.response = Objects.requireNonNull(rendered, "rendered");
    f.responseWire = Objects.requireNonNull(wire, "wire");
    return new DnsExchange(f);
  }

  /** Finishes the exchange with a response to send. */
  public DnsExchange respond(Message answer) {
    Fields f = copy();
    f.outcome = Outcome.RESPOND;
    f.response = Objects.requireNonNull(answer, "answer");
    f.responseWire = null;
    return new DnsExchange(f);
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
    Fields f = copy();
    f.outcome = finalOutcome;
    f.response = null;
    f.responseWire = null;
    return new DnsExchange(f);
  }

  private Fields copy() {
    Fields f = new Fields();
    f.transport = transport;
    f.listener = listener;
    f.realSource = realSource;
    f.realDestination = realDestination;
    f.effectiveSource = effectiveSource;
    f.effectiveDestination = effectiveDestination;
    f.proxied = proxied;
    f.proxyHeader = proxyHeader;
    f.query = query;
    f.request = request;
    f.keyName = keyName;
    f.aclMatch = aclMatch;
    f.outcome = outcome;
    f.response = response;
    f.responseWire = responseWire;
    f.responseSteps = responseSteps;
    return f;
  }

  /** Scratch space for building the next immutable exchange; never escapes this class. */
  private static final class Fields {
    private Transport transport;
    private String listener;
    private InetSocketAddress realSource;
    private InetSocketAddress realDestination;
    private InetSocketAddress effectiveSource;
    private InetSocketAddress effectiveDestination;
    private boolean proxied;
    private byte[] proxyHeader;
    private byte[] query;
    private Message request;
    private String keyName;
    private String aclMatch;
    private Outcome outcome = Outcome.CONTINUE;
    private Message response;
    private byte[] responseWire;
    private List<String> responseSteps = List.of();
  }

  @Override
  public String toString() {
    return "DnsExchange{"
        + transport.configName()
        + " "
        + listener
        + " from "
        + effectiveSource
        + (proxied ? " (proxied by " + realSource + ")" : "")
        + " to "
        + effectiveDestination
        + ", "
        + outcome
        + "}";
  }
}
