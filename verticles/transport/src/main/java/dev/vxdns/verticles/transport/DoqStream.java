package dev.vxdns.verticles.transport;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.ResponseStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One DoQ stream (RFC 9250 section 4.2): a client-initiated bidirectional stream carrying exactly
 * one query with its 2-byte length prefix; the response (or, for a zone transfer, each message of
 * it, length-prefixed) goes back on the same stream, which the server then ends with FIN.
 *
 * <p>Protocol errors close the whole connection with DOQ_PROTOCOL_ERROR (section 4.3.3): a non-zero
 * Message ID, a length shorter than a DNS header, bytes after the query, FIN before the whole
 * query, and the edns-tcp-keepalive option, which "MUST NOT" be sent over DoQ (section 5.5.2).
 * Queries are never longer than the prefix allows, so at most 2 + 65535 bytes are buffered per
 * stream; QUIC flow control holds the peer to that window.
 */
final class DoqStream extends ChannelInboundHandlerAdapter {
  /** RFC 9250 section 8.3: Extended DNS Error 26, "Too Early". */
  static final int EDE_TOO_EARLY = 26;

  /** Messages of a transfer written in one go before the event loop gets a turn. */
  private static final int MESSAGES_PER_TURN = 8;

  private static final int PREFIX = 2;

  private final DoqConnection connection;
  private final ContextInternal context;
  private QuicStreamChannel channel;
  private ByteBuf received;
  private boolean queried;
  private boolean sentKeepalive;
  private ResponseStream transfer;
  private boolean waitingForWritable;
  private long transferStarted;
  private long lastTransferWrite;
  private ScheduledFuture<?> transferTimer;

  DoqStream(DoqConnection connection, ContextInternal context) {
    this.connection = connection;
    this.context = context;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = (QuicStreamChannel) ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf bytes = (ByteBuf) msg;
    try {
      if (queried) {
        if (bytes.isReadable()) {
          connection.protocolError("more than one message on a stream");
        }
        return;
      }
      if (received == null) {
        received = ctx.alloc().heapBuffer(Math.max(bytes.readableBytes(), 512));
      }
      received.writeBytes(bytes);
    } finally {
      bytes.release();
    }
    if (received.readableBytes() < PREFIX) {
      return;
    }
    int length = received.getUnsignedShort(received.readerIndex());
    if (length < Header.LENGTH) {
      connection.protocolError(length + "-byte message (no length prefix?)");
      return;
    }
    if (received.readableBytes() > PREFIX + length) {
      connection.protocolError("more than one message on a stream");
      return;
    }
    if (received.readableBytes() == PREFIX + length) {
      queried = true;
      byte[] query = new byte[length];
      received.getBytes(received.readerIndex() + PREFIX, query);
      received.release();
      received = null;
      onQuery(query);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent && !queried) {
      connection.protocolError("FIN before a whole query");
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (waitingForWritable && channel.isWritable()) {
      waitingForWritable = false;
      pump();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (received != null) {
      received.release();
      received = null;
    }
    endTransfer();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connection.owner().count("stream error", connection, cause.toString());
    channel.close();
  }

  private void onQuery(byte[] query) {
    connection.queryArrived();
    if (query[0] != 0 || query[1] != 0) {
      // RFC 9250 section 4.2.1: the Message ID MUST be 0.
      connection.protocolError("non-zero Message ID");
      return;
    }
    ListenerSetup setup = connection.setup();
    DnsExchange exchange =
        DnsExchange.received(
            setup.listener().transport(),
            setup.listener().name(),
            connection.source(),
            connection.destination(),
            query);
    if (connection.inEarlyData()) {
      Message tooEarly = refusedInEarlyData(query, setup.options().dns().ednsUdpSize());
      if (tooEarly != null) {
        connection.owner().count("refused in 0-RTT", connection, "not a replayable query");
        writeLast(exchange.respond(tooEarly));
        return;
      }
    }
    // Run the chain with the verticle's context current, so event-bus replies come back here.
    context.dispatch(exchange, this::runChain);
  }

  private void runChain(DnsExchange exchange) {
    ListenerSetup setup = connection.setup();
    setup
        .chain()
        .run(exchange, this::beforeWayBack)
        .onComplete(
            done -> {
              if (connection.isClosing() || !channel.isActive()) {
                if (done.succeeded() && done.result().responseStream() != null) {
                  done.result().responseStream().cancel();
                }
                return;
              }
              if (sentKeepalive) {
                connection.protocolError("edns-tcp-keepalive over DoQ (RFC 9250 section 5.5.2)");
                return;
              }
              if (done.succeeded()) {
                finish(done.result());
                return;
              }
              connection.owner().count("pipeline failed", connection, done.cause().toString());
              Message failure =
                  Replies.serverFailure(exchange, setup.options().dns().ednsUdpSize());
              if (failure != null) {
                writeLast(exchange.respond(failure));
              } else {
                channel.shutdown(DoqError.INTERNAL_ERROR);
              }
            });
  }

  /**
   * Before auth signs the response: spots the forbidden keepalive option in the parsed request, and
   * pads the response when the client asked for padding (RFC 8467), so a signature covers it.
   */
  private DnsExchange beforeWayBack(DnsExchange finished) {
    Message request = finished.request();
    if (request == null) {
      return finished;
    }
    OPTRecord opt = request.getOPT();
    if (opt != null && !opt.getOptions(EDNSOption.Code.TCP_KEEPALIVE).isEmpty()) {
      sentKeepalive = true;
      return finished;
    }
    if (finished.reply().outcome() != Outcome.RESPOND
        || finished.responseStream() != null
        || !EdnsPadding.isAsked(request)) {
      return finished;
    }
    Message response = finished.responseMessage();
    Message padded = EdnsPadding.pad(request, response);
    return padded == response ? finished : finished.withResponse(padded);
  }

  private void finish(DnsExchange finished) {
    Outcome outcome = finished.reply().outcome();
    if (outcome == Outcome.CLOSE) {
      connection.owner().count("closed by a stage", connection, finished.toString());
      connection.close(DoqError.UNSPECIFIED_ERROR, "refused");
      return;
    }
    if (outcome != Outcome.RESPOND) {
      // RFC 9250 section 4.3.2: a query the server will not answer has its stream cancelled.
      connection.owner().count("no answer", connection, finished.toString());
      channel.shutdown(DoqError.REQUEST_CANCELLED);
      return;
    }
    if (finished.responseRcode() == Rcode.FORMERR) {
      connection.owner().count("FORMERR", connection, finished.toString());
    }
    if (finished.responseStream() == null) {
      writeLast(finished);
      return;
    }
    // A zone transfer (XoQ, RFC 9250 section 4.2): every message on this stream, then FIN.
    channel.writeAndFlush(framed(render(finished)));
    transfer = finished.responseStream();
    transferStarted = System.nanoTime();
    lastTransferWrite = transferStarted;
    checkTransferLimits();
    pump();
  }

  /**
   * BIND's {@code max-transfer-idle-out} and {@code max-transfer-time-out}, as a TCP connection
   * applies them: a transfer whose client has taken no message for the idle time (QUIC flow control
   * stops the stream while the client reads nothing), or that has run for the whole time, is
   * cancelled and its stream reset, which gives its {@code transfers-out} slot back; otherwise
   * checked again when the first of them can run out.
   */
  private void checkTransferLimits() {
    transferTimer = null;
    if (transfer == null) {
      return;
    }
    TcpOptions limits = connection.setup().options().tcp();
    long now = System.nanoTime();
    long idleLeft = limits.transferIdleMillis() - (now - lastTransferWrite) / 1_000_000;
    long timeLeft = limits.transferTimeMillis() - (now - transferStarted) / 1_000_000;
    if (idleLeft <= 0 || timeLeft <= 0) {
      connection
          .owner()
          .count(
              idleLeft <= 0 ? "transfer idle" : "transfer time",
              connection,
              idleLeft <= 0
                  ? "no message taken for " + limits.transferIdleMillis() + " ms"
                  : "running for " + limits.transferTimeMillis() + " ms");
      endTransfer();
      channel.shutdown(DoqError.REQUEST_CANCELLED);
      return;
    }
    transferTimer =
        channel
            .eventLoop()
            .schedule(
                this::checkTransferLimits, Math.min(idleLeft, timeLeft), TimeUnit.MILLISECONDS);
  }

  /** Cancels the transfer, if one runs, and its timer. */
  private void endTransfer() {
    if (transferTimer != null) {
      transferTimer.cancel(false);
      transferTimer = null;
    }
    if (transfer != null) {
      transfer.cancel();
      transfer = null;
    }
  }

  /**
   * Writes a transfer's messages while the stream takes them; a full stream parks the transfer
   * until it becomes writable again, so a slow reader pauses the producer.
   */
  private void pump() {
    for (int written = 0; transfer != null; written++) {
      if (!channel.isWritable()) {
        waitingForWritable = true;
        return;
      }
      if (written == MESSAGES_PER_TURN) {
        context.runOnContext(v -> pump());
        return;
      }
      Future<ResponseStream.Part> next = transfer.next();
      if (!next.isComplete()) {
        next.onComplete(
            done -> {
              if (sent(done)) {
                pump();
              }
            });
        return;
      }
      if (!sent(next)) {
        return;
      }
    }
  }

  /** Writes one message of the transfer; false when the transfer is over. */
  private boolean sent(AsyncResult<ResponseStream.Part> next) {
    if (transfer == null || !channel.isActive()) {
      return false;
    }
    if (next.failed()) {
      connection.owner().count("response stream failed", connection, next.cause().toString());
      endTransfer();
      // A reset, not FIN: the client must not take a cut transfer for a whole one.
      channel.shutdown(DoqError.INTERNAL_ERROR);
      return false;
    }
    if (next.result() == null) {
      endTransfer();
      channel.shutdownOutput();
      return false;
    }
    channel.writeAndFlush(framed(next.result().render()));
    lastTransferWrite = System.nanoTime();
    return true;
  }

  private void writeLast(DnsExchange answered) {
    channel.writeAndFlush(new DefaultQuicStreamFrame(framed(render(answered)), true));
  }

  private static byte[] render(DnsExchange answered) {
    return DnsResponses.render(answered, DnsResponses.STREAM_MESSAGE_LIMIT);
  }

  private ByteBuf framed(byte[] wire) {
    ByteBuf out = channel.alloc().directBuffer(PREFIX + wire.length);
    out.writeShort(wire.length);
    out.writeBytes(wire);
    return out;
  }

  /**
   * REFUSED with EDE "Too Early" for what must not be answered from 0-RTT data (RFC 9250 section
   * 4.5): anything but a plain query, and zone transfers. Null for a replayable query, and for
   * bytes that do not parse, which the pipeline answers as usual (FORMERR).
   */
  static Message refusedInEarlyData(byte[] query, int udpSize) {
    Message request;
    try {
      request = new Message(query);
    } catch (IOException | RuntimeException unparseable) {
      return null;
    }
    int opcode = request.getHeader().getOpcode();
    int type = request.getQuestion() == null ? 0 : request.getQuestion().getType();
    if (opcode == Opcode.QUERY && type != Type.AXFR && type != Type.IXFR) {
      return null;
    }
    Message refused = DnsResponses.error(request, Rcode.REFUSED, udpSize);
    DnsResponses.addExtendedError(refused, EDE_TOO_EARLY, "");
    return refused;
  }
}
