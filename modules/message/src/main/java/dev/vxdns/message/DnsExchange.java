package dev.vxdns.message;

import dev.vxdns.proxyprotocol.ProxyHeader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

/**
 * One DNS query on its way through the pipeline: the event-bus contract between verticles.
 *
 * <p>Immutable: every stage returns a new exchange built with the {@code with...} methods, so the
 * local codec can pass it by reference and a stage can never see another stage's half-done work.
 * The data is four groups, each an immutable record: {@link Endpoints} (where the query came from
 * and went to), {@link Query} (what the client sent), {@link Verdicts} (what stages found out about
 * the sender) and {@link Reply} (what to do with it). Each {@code with...} method replaces one
 * group. The codecs ({@link DnsExchangeBinary}, {@link DnsExchangeJson}) walk the groups'
 * components, so a new field is one record component and nothing else.
 *
 * <p>{@link #parsed()} is the parsed query: a cache of {@link Query#wire()}, set by the first stage
 * that parses it, and not part of either wire form (they parse the bytes again on arrival). {@link
 * #responseSigner()} is local only too: it may hold a secret, so it never travels. So is {@link
 * #responseStream()}, the further messages of a multi-message response (zone transfers): where the
 * exchange crosses the event bus the stream is served at an address ({@link Reply#stream()}) and
 * pulled from there ({@link ResponseStreams}).
 */
public final class DnsExchange {
  /**
   * Where the query came from and arrived.
   *
   * @param transport the wire it arrived on
   * @param listener the listener's name
   * @param realSource the socket's peer
   * @param realDestination the socket's local address
   * @param effectiveSource the client: the real source, or the PROXY header's source once the proxy
   *     stage accepted it. Every stage after PROXY, every log line and every response uses the
   *     effective addresses
   * @param effectiveDestination the real destination, or the PROXY header's destination
   * @param proxied true when a PROXY v2 PROXY command set the effective addresses
   */
  public record Endpoints(
      Transport transport,
      String listener,
      InetSocketAddress realSource,
      InetSocketAddress realDestination,
      InetSocketAddress effectiveSource,
      InetSocketAddress effectiveDestination,
      boolean proxied) {
    public Endpoints {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(listener, "listener");
      Objects.requireNonNull(realSource, "realSource");
      Objects.requireNonNull(realDestination, "realDestination");
      Objects.requireNonNull(effectiveSource, "effectiveSource");
      Objects.requireNonNull(effectiveDestination, "effectiveDestination");
    }

    /** As a transport receives a query: effective addresses equal to the real ones. */
    public static Endpoints received(
        Transport transport,
        String listener,
        InetSocketAddress source,
        InetSocketAddress destination) {
      return new Endpoints(transport, listener, source, destination, source, destination, false);
    }

    /** The same real addresses, a PROXY header's addresses as the effective ones. */
    public Endpoints proxiedAs(InetSocketAddress source, InetSocketAddress destination) {
      return new Endpoints(
          transport, listener, realSource, realDestination, source, destination, true);
    }
  }

  /**
   * What the client sent.
   *
   * @param proxyHeader the PROXY header a stream connection began with, decoded once by the
   *     transport and repeated on each of its queries for the proxy stage to judge; null on UDP
   *     (the header is in front of the query there) and without a header
   * @param wire the DNS message's bytes (on UDP the proxy stage strips its header from them).
   *     Shared, never modify
   */
  public record Query(ProxyHeader proxyHeader, byte[] wire) {
    public Query {
      Objects.requireNonNull(wire, "wire");
    }
  }

  /**
   * What stages found out about the sender; each null (false) when not applicable.
   *
   * @param keyName the verified TSIG/SIG(0) signer (auth stage)
   * @param aclMatch the list and element that decided access (acl stage)
   * @param cookieVerified the query carried a valid server cookie (RFC 7873, auth stage): its
   *     source address is not spoofed, so the rate limiter lets it pass
   * @param keyUnknown an UPDATE signed with a TSIG key this server does not have (BADKEY, auth
   *     stage): as in BIND it goes on only to be forwarded by a secondary zone, whose primary may
   *     have the key; anything else answers it with the BADKEY TSIG added on the way back
   */
  public record Verdicts(
      String keyName, String aclMatch, boolean cookieVerified, boolean keyUnknown) {
    static final Verdicts NONE = new Verdicts(null, null, false, false);
  }

  /**
   * What the transport does with the exchange.
   *
   * @param outcome {@link Outcome#CONTINUE} until a stage answers, drops or closes
   * @param response the response to send when the outcome is {@link Outcome#RESPOND}; null when the
   *     stage rendered it itself ({@code wire} only, see {@link DnsExchange#responseMessage()})
   * @param wire the response already in wire form, or null: set by a stage that renders its answer
   *     straight into wire form (the zone), or by a response step that must produce the final bytes
   *     itself (TSIG signs the rendered message), and sent by the transport as it is. Shared, never
   *     modify
   * @param steps addresses of stages that asked to see the response on its way back (auth signs
   *     it), in the order they asked; the chain calls them in reverse once the exchange has a
   *     response
   * @param stream the event-bus address a multi-message response's further messages are served at
   *     while the exchange crosses the bus, or null; on arrival it becomes a local {@link
   *     DnsExchange#responseStream()} again
   * @param wildcardZone the origin of the zone whose wildcard answered the question's name (RFC
   *     4592), or null: the rate limiter charges all of them to one account, as BIND does, so
   *     random names under a wildcard do not each get a rate of their own
   */
  public record Reply(
      Outcome outcome,
      Message response,
      byte[] wire,
      List<String> steps,
      String stream,
      String wildcardZone) {
    static final Reply PENDING = new Reply(Outcome.CONTINUE, null, null, List.of(), null, null);

    public Reply {
      Objects.requireNonNull(outcome, "outcome");
      steps = steps == null ? List.of() : List.copyOf(steps);
    }
  }

  private final Endpoints endpoints;
  private final Query query;
  private final Verdicts verdicts;
  private final Reply reply;
  private final ParsedRequest request;
  private final ResponseSigner responseSigner;
  private final ResponseStream responseStream;

  private DnsExchange(
      Endpoints endpoints,
      Query query,
      Verdicts verdicts,
      Reply reply,
      ParsedRequest request,
      ResponseSigner responseSigner,
      ResponseStream responseStream) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.query = Objects.requireNonNull(query, "query");
    this.verdicts = Objects.requireNonNull(verdicts, "verdicts");
    this.reply = Objects.requireNonNull(reply, "reply");
    this.request = request;
    this.responseSigner = responseSigner;
    this.responseStream = responseStream;
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
   * A query from a stream connection that began with a PROXY header: the header the transport
   * decoded travels with every query of the connection, for the proxy stage to judge.
   */
  public static DnsExchange received(
      Transport transport,
      String listener,
      InetSocketAddress source,
      InetSocketAddress destination,
      ProxyHeader proxyHeader,
      byte[] query) {
    return new DnsExchange(
        Endpoints.received(transport, listener, source, destination),
        new Query(proxyHeader, query),
        Verdicts.NONE,
        Reply.PENDING,
        null,
        null,
        null);
  }

  /**
   * Every group, for codecs (without a {@link #responseSigner()}, which never travels); stages use
   * the {@code with...} methods instead.
   */
  static DnsExchange of(
      Endpoints endpoints, Query query, Verdicts verdicts, Reply reply, ParsedRequest request) {
    return new DnsExchange(endpoints, query, verdicts, reply, request, null, null);
  }

  /** Where the query came from and arrived. */
  public Endpoints endpoints() {
    return endpoints;
  }

  /** What the client sent. */
  public Query query() {
    return query;
  }

  /** What stages found out about the sender. */
  public Verdicts verdicts() {
    return verdicts;
  }

  /** What the transport does with the exchange. */
  public Reply reply() {
    return reply;
  }

  /**
   * The parsed query as a dnsjava message, or null before a stage parsed it. The common query is
   * read without one ({@link #parsed()}): this makes it, once, for the stages that want it.
   */
  public Message request() {
    return request == null ? null : request.message();
  }

  /** The query as every stage reads it, or null before a stage parsed it. */
  public ParsedRequest parsed() {
    return request;
  }

  /** The parsed query's OPT record: null without EDNS, or before a stage parsed the query. */
  public OPTRecord requestOpt() {
    return request == null ? null : request.opt();
  }

  /**
   * How the stage that asked for the response signs it (the TSIG key that verified the request), or
   * null: none was attached, or the exchange crossed the event bus.
   */
  public ResponseSigner responseSigner() {
    return responseSigner;
  }

  /**
   * The further messages of a multi-message response after {@link Reply#response()}, or null for a
   * single response. Local only (see the class doc).
   */
  public ResponseStream responseStream() {
    return responseStream;
  }

  /** Stops the stream a dropped or closed exchange no longer sends. */
  private void cancelStream() {
    if (responseStream != null) {
      responseStream.cancel();
    }
  }

  public boolean isFinished() {
    return reply.outcome() != Outcome.CONTINUE;
  }

  /**
   * Whether this is the answer a primary rendered and signed to an update this server forwarded
   * without knowing its key: the signature covers these bytes, which go back as they are.
   */
  public boolean isPrimarysSignedAnswer() {
    return verdicts.keyUnknown() && reply.wire() != null;
  }

  private DnsExchange with(Endpoints next) {
    return new DnsExchange(next, query, verdicts, reply, request, responseSigner, responseStream);
  }

  private DnsExchange with(Query next) {
    return new DnsExchange(
        endpoints, next, verdicts, reply, request, responseSigner, responseStream);
  }

  private DnsExchange with(Verdicts next) {
    return new DnsExchange(endpoints, query, next, reply, request, responseSigner, responseStream);
  }

  private DnsExchange with(Reply next) {
    return new DnsExchange(
        endpoints, query, verdicts, next, request, responseSigner, responseStream);
  }

  /** The PROXY stage's result: the header's addresses become the effective ones. */
  public DnsExchange withProxied(InetSocketAddress source, InetSocketAddress destination) {
    return with(endpoints.proxiedAs(source, destination));
  }

  /** Same addresses, the DNS message without a header in front (the proxy stage on UDP). */
  public DnsExchange withQuery(byte[] dnsMessage) {
    return with(new Query(query.proxyHeader(), dnsMessage));
  }

  /** With the query parsed: {@code parsed} is the message {@link #query()}'s bytes hold. */
  public DnsExchange withRequest(Message parsed) {
    return withRequest(ParsedRequest.of(parsed, query.wire()));
  }

  /** With the query read ({@link DnsRequests#parse}). */
  DnsExchange withRequest(ParsedRequest parsed) {
    return new DnsExchange(
        endpoints, query, verdicts, reply, parsed, responseSigner, responseStream);
  }

  /** Keeps how the response is to be signed for the way back; local only (see the class doc). */
  public DnsExchange withResponseSigner(ResponseSigner signer) {
    return new DnsExchange(
        endpoints,
        query,
        verdicts,
        reply,
        request,
        Objects.requireNonNull(signer, "signer"),
        responseStream);
  }

  public DnsExchange withKeyName(String verifiedKey) {
    return with(
        new Verdicts(
            verifiedKey, verdicts.aclMatch(), verdicts.cookieVerified(), verdicts.keyUnknown()));
  }

  public DnsExchange withAclMatch(String match) {
    return with(
        new Verdicts(verdicts.keyName(), match, verdicts.cookieVerified(), verdicts.keyUnknown()));
  }

  /** The query's server cookie is valid (auth stage). */
  public DnsExchange withCookieVerified() {
    return with(new Verdicts(verdicts.keyName(), verdicts.aclMatch(), true, verdicts.keyUnknown()));
  }

  /** The UPDATE is signed with a key this server does not have (auth stage). */
  public DnsExchange withKeyUnknown() {
    return with(
        new Verdicts(verdicts.keyName(), verdicts.aclMatch(), verdicts.cookieVerified(), true));
  }

  /** Asks the chain to call this stage's {@link Stage#onResponse} with the finished exchange. */
  public DnsExchange withResponseStep(String address) {
    List<String> steps = new ArrayList<>(reply.steps());
    steps.add(address);
    return with(
        new Reply(
            reply.outcome(),
            reply.response(),
            reply.wire(),
            steps,
            reply.stream(),
            reply.wildcardZone()));
  }

  /** The answer came from a wildcard of the zone at {@code origin} (zone stage). */
  public DnsExchange withWildcardZone(String origin) {
    return with(
        new Reply(
            reply.outcome(),
            reply.response(),
            reply.wire(),
            reply.steps(),
            reply.stream(),
            Objects.requireNonNull(origin, "origin")));
  }

  /** The exchange with another response (a response step may decorate the message). */
  public DnsExchange withResponse(Message replaced) {
    return with(
        new Reply(
            reply.outcome(),
            Objects.requireNonNull(replaced, "replaced"),
            null,
            reply.steps(),
            reply.stream(),
            reply.wildcardZone()));
  }

  /**
   * The response and its final wire form, e.g. signed with TSIG; the transport sends these bytes.
   */
  public DnsExchange withRenderedResponse(Message rendered, byte[] wire) {
    return with(
        new Reply(
            reply.outcome(),
            Objects.requireNonNull(rendered, "rendered"),
            Objects.requireNonNull(wire, "wire"),
            reply.steps(),
            reply.stream(),
            reply.wildcardZone()));
  }

  /**
   * Finishes the exchange with a response a stage rendered itself, sized for the transport ({@link
   * DnsResponses#answerLimit(DnsExchange, int)}), with an rcode of at most 15. Whoever needs it as
   * a message parses it ({@link #responseMessage()}).
   */
  public DnsExchange respondRendered(byte[] wire) {
    return new DnsExchange(
        endpoints,
        query,
        verdicts,
        new Reply(
            Outcome.RESPOND,
            null,
            Objects.requireNonNull(wire, "wire"),
            reply.steps(),
            null,
            reply.wildcardZone()),
        request,
        responseSigner,
        null);
  }

  /**
   * The response as a message, or null without one: the message a stage built, or the bytes a stage
   * rendered itself, parsed on each call. A caller that changes the message clones it first.
   */
  public Message responseMessage() {
    if (reply.response() != null || reply.wire() == null) {
      return reply.response();
    }
    try {
      return new Message(reply.wire());
    } catch (IOException e) {
      throw new IllegalStateException("a rendered response does not parse", e);
    }
  }

  /**
   * The response's rcode, or -1 without a response; read from the header when a stage rendered the
   * response itself, without parsing it.
   */
  public int responseRcode() {
    if (reply.response() != null) {
      return reply.response().getRcode();
    }
    return reply.wire() == null ? -1 : reply.wire()[3] & 0x0F;
  }

  /** Finishes the exchange with a response to send. */
  public DnsExchange respond(Message answer) {
    return new DnsExchange(
        endpoints,
        query,
        verdicts,
        new Reply(
            Outcome.RESPOND,
            Objects.requireNonNull(answer, "answer"),
            null,
            reply.steps(),
            null,
            reply.wildcardZone()),
        request,
        responseSigner,
        null);
  }

  /**
   * Finishes the exchange with a multi-message response: {@code first} is sent first, then every
   * message of {@code rest} (a zone transfer over a stream transport).
   */
  public DnsExchange respond(Message first, ResponseStream rest) {
    return respond(first).withResponseStream(Objects.requireNonNull(rest, "rest"));
  }

  /**
   * The same response with another stream of further messages (a response step wraps the stream,
   * e.g. to sign each message), or the stream attached after a bus hop.
   */
  public DnsExchange withResponseStream(ResponseStream stream) {
    return new DnsExchange(
        endpoints,
        query,
        verdicts,
        new Reply(
            reply.outcome(),
            reply.response(),
            reply.wire(),
            reply.steps(),
            null,
            reply.wildcardZone()),
        request,
        responseSigner,
        Objects.requireNonNull(stream, "stream"));
  }

  /** The exchange as it crosses the bus: its stream served at {@code address}, not by reference. */
  DnsExchange withStreamServedAt(String address) {
    return new DnsExchange(
        endpoints,
        query,
        verdicts,
        new Reply(
            reply.outcome(),
            reply.response(),
            reply.wire(),
            reply.steps(),
            address,
            reply.wildcardZone()),
        request,
        responseSigner,
        null);
  }

  /** Finishes the exchange without a response (cancelling a response stream it carried). */
  public DnsExchange drop() {
    cancelStream();
    return new DnsExchange(
        endpoints,
        query,
        verdicts,
        new Reply(Outcome.DROP, null, null, reply.steps(), null, reply.wildcardZone()),
        request,
        responseSigner,
        null);
  }

  /**
   * Finishes the exchange without a response and closes a stream connection (cancelling a response
   * stream it carried).
   */
  public DnsExchange close() {
    cancelStream();
    return new DnsExchange(
        endpoints,
        query,
        verdicts,
        new Reply(Outcome.CLOSE, null, null, reply.steps(), null, reply.wildcardZone()),
        request,
        responseSigner,
        null);
  }

  @Override
  public String toString() {
    return "DnsExchange{"
        + endpoints.transport().configName()
        + " "
        + endpoints.listener()
        + " from "
        + endpoints.effectiveSource()
        + (endpoints.proxied() ? " (proxied by " + endpoints.realSource() + ")" : "")
        + " to "
        + endpoints.effectiveDestination()
        + ", "
        + reply.outcome()
        + "}";
  }
}
