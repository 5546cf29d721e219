package dev.vxdns.verticles.transport;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.ResponseStream;
import dev.vxdns.proxyprotocol.DecodeResult;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.ProxyStreamDecoder;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TcpKeepaliveOption;

/**
 * One Do53 TCP connection (RFC 7766): two-byte length framing, pipelined queries answered as each
 * finishes (possibly out of order), at most {@code tcp-pipelined-queries} in flight (reading pauses
 * beyond that), and BIND's initial, idle and keepalive timeouts (RFC 7828).
 *
 * <p>On a listener with {@code proxy plain} the connection must begin with a PROXY v2 header. The
 * connection decodes it once (malformed bytes close it at once) and hands the decoded header with
 * every query; the proxy stage decides whether to accept it. The header must arrive within {@code
 * tcp-initial-timeout}, like the first query.
 *
 * <p>A multi-message response (a zone transfer) is written message by message as the socket's write
 * queue drains; it holds an in-flight slot until its last message is written, so the connection's
 * idle timers never close it mid-transfer, and it is cancelled when the connection closes.
 *
 * <p>All methods run on the owning verticle's event loop.
 */
final class TcpConnection {
  private static final System.Logger LOG = System.getLogger(TcpConnection.class.getName());

  /** What the connection reports back to its verticle. */
  interface Owner {
    void closed(TcpConnection connection);

    /** Logs an event at debug level with how often it happened on this verticle instance. */
    void count(String event, TcpConnection connection, String detail);

    /** A line a remote party can trigger: rate-limited per {@code key}. */
    void log(String key, System.Logger.Level level, String message, Object... args);
  }

  /** Messages of a stream written in one go before the event loop gets a turn. */
  private static final int MESSAGES_PER_TURN = 8;

  /** How long a closing connection may take to hand the peer what is queued. */
  private static final long CLOSE_GRACE_MILLIS = 5_000;

  private final Vertx vertx;
  private final NetSocket socket;
  private final ListenerSetup setup;
  private final TcpOptions limits;
  private final Owner owner;
  private final InetSocketAddress source;
  private final InetSocketAddress destination;
  private final RecordParser parser;
  private final ProxyStreamDecoder headerReader;
  private ProxyHeader proxyHeader;
  private boolean expectingLength = true;
  private int inFlight;
  // The zone transfers being sent, with the time each started (System.nanoTime).
  private final Map<ResponseStream, Long> transfers = new HashMap<>();
  private final List<ResponseStream> waitingForDrain = new ArrayList<>();
  private boolean sawQuery;
  private boolean keepaliveRequested;
  private boolean closed;
  private boolean socketClosed;
  private boolean paused;

  /** Set by {@link #finish}: reads no more, closes once what it read is answered. */
  private boolean finishing;

  private long lastActivity;

  /** When a transfer last handed the socket a message (or started). */
  private long lastTransferWrite;

  private long timer = -1;
  private long timerDue;

  /**
   * @param headerBeforeTls the PROXY header the transport read before the TLS handshake ({@code
   *     proxy plain} on DoT), or null when the stream carries it or there is none
   */
  TcpConnection(
      Vertx vertx,
      NetSocket socket,
      ListenerSetup setup,
      ProxyHeader headerBeforeTls,
      Owner owner) {
    this.vertx = vertx;
    this.socket = socket;
    this.setup = setup;
    this.limits = setup.options().tcp();
    this.owner = owner;
    this.source = Addresses.toInet(socket.remoteAddress());
    this.destination = Addresses.toInet(socket.localAddress());
    this.parser = RecordParser.newFixed(2, this::onRecord);
    this.proxyHeader = headerBeforeTls;
    boolean expectsHeader = setup.listener().proxy() != ProxyMode.NONE && headerBeforeTls == null;
    this.headerReader = expectsHeader ? setup.proxyDecoder().newStreamDecoder() : null;
    this.lastActivity = System.nanoTime();
  }

  void start() {
    socket.handler(headerReader == null ? parser : this::onHeaderBytes);
    socket.exceptionHandler(
        error -> {
          owner.count("socket error", this, error.toString());
          close();
        });
    socket.closeHandler(v -> onClosed());
    socket.drainHandler(v -> onDrain());
    armTimer(limits.initialTimeoutMillis());
  }

  int inFlight() {
    return inFlight;
  }

  /**
   * Nothing in flight and nothing read or written for {@code nanos}: a stopping transport may close
   * it without cutting off a query that is on its way (a connection accepted just before the stop,
   * whose first query has not arrived yet).
   */
  boolean quietFor(long nanos) {
    return inFlight == 0 && transfers.isEmpty() && System.nanoTime() - lastActivity >= nanos;
  }

  InetSocketAddress source() {
    return source;
  }

  /**
   * Reads no further query and closes once every query read so far is answered (a stopping
   * transport at the end of its drain): a client loses only what it sent after this, which it sees
   * unread when the connection closes (RFC 7766 section 6.2.4: it sends it again).
   */
  void finish() {
    finishing = true;
    pause();
    closeIfFinished();
  }

  private void closeIfFinished() {
    if (finishing && inFlight == 0) {
      close();
    }
  }

  /**
   * Closes after what is queued has gone out; a peer that does not take it within {@link
   * #CLOSE_GRACE_MILLIS} is cut off, or it would hold the connection (one of {@code tcp-clients})
   * for ever.
   */
  void close() {
    if (!closed) {
      closed = true;
      socket.close();
      vertx.setTimer(CLOSE_GRACE_MILLIS, id -> abort());
    }
  }

  /** Closes at once, dropping what the peer has not taken. */
  private void abort() {
    closed = true;
    if (!socketClosed) {
      // The handler's own context: a close through the whole pipeline would be Vert.x's graceful
      // one again.
      ((NetSocketInternal) socket).channelHandlerContext().close();
    }
  }

  /**
   * Collects the PROXY header; what follows it in the same segment is the start of the DNS stream.
   */
  private void onHeaderBytes(Buffer bytes) {
    if (closed) {
      // bytes still in flight after an invalid header closed the connection
      return;
    }
    DecodeResult result = headerReader.feed(bytes.getBytes());
    if (result instanceof DecodeResult.NeedMore) {
      return;
    }
    if (result instanceof DecodeResult.Invalid) {
      owner.count("invalid PROXY header", this, result.toString());
      close();
      return;
    }
    proxyHeader = ((DecodeResult.Complete) result).header();
    socket.handler(parser);
    byte[] rest = headerReader.remainder();
    if (rest.length > 0) {
      parser.handle(Buffer.buffer(rest));
    }
  }

  private void onRecord(Buffer record) {
    if (expectingLength) {
      int length = record.getUnsignedShort(0);
      if (length < Header.LENGTH) {
        owner.count("runt frame", this, length + "-byte message");
        close();
        return;
      }
      parser.fixedSizeMode(length);
      expectingLength = false;
      return;
    }
    parser.fixedSizeMode(2);
    expectingLength = true;
    onQuery(record.getBytes());
  }

  private void onQuery(byte[] query) {
    if (closed) {
      return;
    }
    sawQuery = true;
    long start = System.nanoTime();
    lastActivity = start;
    inFlight++;
    if (inFlight >= limits.pipelinedQueries()) {
      pause();
    }
    DnsExchange exchange =
        DnsExchange.received(
            setup.listener().transport(),
            setup.listener().name(),
            source,
            destination,
            proxyHeader,
            query);
    setup
        .chain()
        .run(exchange, this::withKeepalive)
        .onComplete(
            done -> {
              lastActivity = System.nanoTime();
              boolean streaming = false;
              if (done.succeeded()) {
                streaming = finish(done.result(), start);
              } else {
                owner.count("pipeline failed", this, done.cause().toString());
                owner.log(
                    "pipeline failed",
                    System.Logger.Level.WARNING,
                    "tcp {0}: pipeline failed for {1}: {2}",
                    setup.listener().name(),
                    exchange,
                    done.cause().toString());
                Message failure =
                    Replies.serverFailure(exchange, setup.options().dns().ednsUdpSize());
                if (failure != null) {
                  write(exchange.respond(failure), start);
                } else {
                  setup.queries().finished(exchange, null, start);
                }
              }
              if (!streaming) {
                inFlight--;
              }
              resumeIfPossible();
              closeIfFinished();
            });
  }

  /**
   * Sends the answer; true when it goes on as a stream of further messages (a zone transfer), which
   * keeps the query's in-flight slot until the stream ends.
   */
  private boolean finish(DnsExchange finished, long start) {
    if (finished.reply().outcome() != Outcome.RESPOND) {
      setup.queries().finished(finished, null, start);
    }
    if (finished.reply().outcome() == Outcome.RESPOND) {
      if (finished.responseRcode() == Rcode.FORMERR) {
        owner.count("FORMERR", this, finished.toString());
      }
      write(finished, start);
      ResponseStream rest = finished.responseStream();
      if (rest != null) {
        if (closed) {
          rest.cancel();
          return false;
        }
        long now = System.nanoTime();
        transfers.put(rest, now);
        lastTransferWrite = now;
        armTimerBefore(now, Math.min(limits.transferIdleMillis(), limits.transferTimeMillis()));
        pump(rest);
        return true;
      }
    } else if (finished.reply().outcome() == Outcome.CLOSE) {
      owner.count("closed by a stage", this, finished.toString());
      close();
    } else {
      owner.count("no answer", this, finished.toString());
    }
    return false;
  }

  /**
   * Writes a stream's messages while the socket takes them: a full write queue parks the stream
   * until the socket drains (back-pressure), so a slow reader pauses the producer instead of
   * buffering the zone. A loop, not recursion, for messages that are ready at once.
   */
  private void pump(ResponseStream rest) {
    for (int written = 0; !closed; written++) {
      if (socket.writeQueueFull()) {
        waitingForDrain.add(rest);
        return;
      }
      if (written == MESSAGES_PER_TURN) {
        // Let the event loop run: the socket reports a full queue or a closed peer only then.
        vertx.runOnContext(v -> pump(rest));
        return;
      }
      Future<ResponseStream.Part> next = rest.next();
      if (!next.isComplete()) {
        next.onComplete(
            done -> {
              if (sent(rest, done)) {
                pump(rest);
              }
            });
        return;
      }
      if (!sent(rest, next)) {
        return;
      }
    }
    endTransfer(rest);
  }

  /** Writes one message of the stream; false when the stream is over (ended, failed, closed). */
  private boolean sent(ResponseStream rest, AsyncResult<ResponseStream.Part> next) {
    if (closed) {
      endTransfer(rest);
      return false;
    }
    if (next.failed()) {
      owner.count("response stream failed", this, next.cause().toString());
      endTransfer(rest);
      // The client cannot tell a cut transfer from a whole one except by the connection closing.
      close();
      return false;
    }
    if (next.result() == null) {
      endTransfer(rest);
      return false;
    }
    writeFrame(next.result().render());
    lastActivity = System.nanoTime();
    lastTransferWrite = lastActivity;
    return true;
  }

  /** The stream ended or was cut: it releases its in-flight slot once. */
  private void endTransfer(ResponseStream rest) {
    if (transfers.remove(rest) != null) {
      waitingForDrain.remove(rest);
      rest.cancel();
      inFlight--;
      lastActivity = System.nanoTime();
      resumeIfPossible();
      closeIfFinished();
    }
  }

  private void onDrain() {
    resumeIfPossible();
    List<ResponseStream> ready = new ArrayList<>(waitingForDrain);
    waitingForDrain.clear();
    ready.forEach(this::pump);
  }

  /**
   * RFC 7828: a client that sent edns-tcp-keepalive gets our timeout back and the longer keepalive
   * idle time. Runs before the way back, so a TSIG signature covers the option.
   */
  private DnsExchange withKeepalive(DnsExchange finished) {
    if (finished.reply().outcome() != Outcome.RESPOND
        || !requestsKeepalive(finished.requestOpt())
        || finished.isPrimarysSignedAnswer()) {
      return finished;
    }
    keepaliveRequested = true;
    TcpKeepaliveOption keepalive = new TcpKeepaliveOption(limits.advertisedTimeoutMillis() / 100);
    // A rendered response gets it in its bytes: a TSIG error the auth stage rendered keeps its
    // TSIG.
    byte[] wire = finished.responseStream() == null ? finished.reply().wire() : null;
    byte[] extended = wire == null ? null : DnsResponses.withOption(wire, keepalive);
    if (extended != null) {
      return finished.respondRendered(extended);
    }
    Message response = finished.responseMessage().clone();
    DnsResponses.addOption(response, keepalive);
    return finished.withResponse(response);
  }

  /** Sends a response and counts it (a closed connection's answer counts as unanswered). */
  private void write(DnsExchange answered, long start) {
    if (closed) {
      setup.queries().finished(answered, null, start);
      return;
    }
    byte[] wire = DnsResponses.render(answered, setup.options().dns().maxUdpSize());
    setup.queries().finished(answered, wire, start);
    writeFrame(wire);
  }

  private void writeFrame(byte[] wire) {
    socket.write(Buffer.buffer(wire.length + 2).appendUnsignedShort(wire.length).appendBytes(wire));
    if (socket.writeQueueFull()) {
      pause();
    }
  }

  /** RFC 7828; not for an EDNS version this server does not speak (BADVERS reads no option). */
  private static boolean requestsKeepalive(OPTRecord opt) {
    return opt != null
        && opt.getVersion() == 0
        && !opt.getOptions(EDNSOption.Code.TCP_KEEPALIVE).isEmpty();
  }

  private void pause() {
    if (!paused) {
      paused = true;
      parser.pause();
      socket.pause();
    }
  }

  private void resumeIfPossible() {
    if (paused
        && !closed
        && !finishing
        && inFlight < limits.pipelinedQueries()
        && !socket.writeQueueFull()) {
      paused = false;
      socket.resume();
      parser.resume();
    }
  }

  private void armTimer(long delayMillis) {
    long delay = Math.max(1, delayMillis);
    timerDue = System.nanoTime() + delay * 1_000_000;
    timer = vertx.setTimer(delay, id -> onTimer());
  }

  /** Makes the timer fire within {@code delayMillis} of {@code now} (sooner if it was). */
  private void armTimerBefore(long now, long delayMillis) {
    if (timer != -1 && timerDue - now <= delayMillis * 1_000_000) {
      return;
    }
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    armTimer(delayMillis);
  }

  /**
   * One timer per connection, re-armed for the remaining time instead of being reset on every
   * query.
   */
  private void onTimer() {
    timer = -1;
    if (closed) {
      return;
    }
    long timeout =
        !sawQuery
            ? limits.initialTimeoutMillis()
            : keepaliveRequested ? limits.keepaliveTimeoutMillis() : limits.idleTimeoutMillis();
    long now = System.nanoTime();
    long idleMillis = (now - lastActivity) / 1_000_000;
    if (inFlight == 0 && idleMillis >= timeout) {
      owner.count(
          sawQuery ? "idle timeout" : "initial timeout", this, "idle for " + idleMillis + " ms");
      close();
      return;
    }
    long next = inFlight > 0 ? timeout : timeout - idleMillis;
    if (!transfers.isEmpty()) {
      long left = transferTimeLeftMillis(now);
      if (left <= 0) {
        abort();
        return;
      }
      next = Math.min(next, left);
    }
    armTimer(next);
  }

  /**
   * BIND's {@code max-transfer-idle-out} and {@code max-transfer-time-out}: the time until the
   * first of them runs out for this connection's transfers, or 0 (counted) when one has: a client
   * that stops reading, or reads too slowly, would hold the transfer, and with it a {@code
   * transfers-out} slot, for ever.
   */
  private long transferTimeLeftMillis(long now) {
    long idleLeft = limits.transferIdleMillis() - (now - lastTransferWrite) / 1_000_000;
    if (idleLeft <= 0) {
      owner.count(
          "transfer idle", this, "no message taken for " + limits.transferIdleMillis() + " ms");
      return 0;
    }
    long oldest = Collections.min(transfers.values());
    long timeLeft = limits.transferTimeMillis() - (now - oldest) / 1_000_000;
    if (timeLeft <= 0) {
      owner.count("transfer time", this, "running for " + limits.transferTimeMillis() + " ms");
      return 0;
    }
    return Math.min(idleLeft, timeLeft);
  }

  private void onClosed() {
    closed = true;
    socketClosed = true;
    new ArrayList<>(transfers.keySet()).forEach(this::endTransfer);
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    owner.closed(this);
  }
}
