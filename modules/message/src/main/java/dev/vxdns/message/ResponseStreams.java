package dev.vxdns.message;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

/**
 * A {@link ResponseStream} across the event bus: the side that sends an exchange serves its local
 * stream at a fresh address ({@link #export}), the side that receives it pulls from there ({@link
 * #attach}). Transports thus only ever see a local stream, in both deliveries.
 *
 * <p>The receiver asks {@code "next"} and gets a batch of messages in wire form (up to {@link
 * #BATCH_BYTES}); it asks again only once it has handed out the batch, so a paused transport pauses
 * the producer across the bus too. The served address is unregistered at the end of the stream, on
 * {@code "cancel"}, when the stream fails, and after {@code idleMillis} without a request, so an
 * abandoned stream (its receiver crashed or forgot it) never leaks.
 *
 * <pre>
 * batch = u8 ended (1 when the stream is over after these parts), then per part:
 *         u8 final (1 when the bytes are the part's final wire form), u32 length, the message
 * </pre>
 */
public final class ResponseStreams {
  /** How long a served stream waits for its receiver's next request before it gives up. */
  public static final long IDLE_TIMEOUT_MILLIS = 60_000;

  /** About how many message bytes one batch carries (a batch holds at least one message). */
  static final int BATCH_BYTES = 64 * 1024;

  static final String NEXT = "next";
  static final String CANCEL = "cancel";
  private static final String ADDRESS_PREFIX = "vxdns.stream.";

  private ResponseStreams() {}

  /**
   * Serves {@code stream} at a fresh address until it ends, is cancelled, or sits idle for {@code
   * idleMillis}; the future completes with the address once the bus has the consumer. Call it on
   * the context that owns the stream.
   */
  public static Future<String> export(Vertx vertx, ResponseStream stream, long idleMillis) {
    return export(vertx, stream, idleMillis, false);
  }

  /**
   * Like {@link #export(Vertx, ResponseStream, long)}; {@code clusterWide}: served to the other
   * nodes of the cluster too (an edge node pulls a zone node's transfer), else to this node only.
   */
  public static Future<String> export(
      Vertx vertx, ResponseStream stream, long idleMillis, boolean clusterWide) {
    String address = ADDRESS_PREFIX + UUID.randomUUID();
    Served served = new Served(vertx, stream, idleMillis);
    served.consumer =
        clusterWide
            ? vertx.eventBus().consumer(address, served::onRequest)
            : vertx.eventBus().localConsumer(address, served::onRequest);
    served.armIdleTimer();
    return served.consumer.completion().map(address);
  }

  /** A local stream that pulls from the stream served at {@code address}. */
  public static ResponseStream attach(Vertx vertx, String address, long requestTimeoutMillis) {
    return attach(vertx, address, requestTimeoutMillis, false);
  }

  /**
   * Like {@link #attach(Vertx, String, long)}; {@code clusterWide}: the stream may be served by
   * another node ({@link #export(Vertx, ResponseStream, long, boolean)}).
   */
  public static ResponseStream attach(
      Vertx vertx, String address, long requestTimeoutMillis, boolean clusterWide) {
    return new Attached(vertx.eventBus(), address, requestTimeoutMillis, clusterWide);
  }

  /** The exchange ready to cross the bus: its local stream, if any, served at an address. */
  static Future<DnsExchange> exported(Vertx vertx, DnsExchange exchange) {
    return exported(vertx, exchange, false);
  }

  /**
   * The exchange ready to cross the bus; {@code clusterWide}: to another node, its stream served to
   * the cluster.
   */
  public static Future<DnsExchange> exported(
      Vertx vertx, DnsExchange exchange, boolean clusterWide) {
    if (exchange.responseStream() == null) {
      return Future.succeededFuture(exchange);
    }
    return export(vertx, exchange.responseStream(), IDLE_TIMEOUT_MILLIS, clusterWide)
        .map(exchange::withStreamServedAt);
  }

  /** The exchange as it arrived over the bus: a served stream attached as a local one. */
  static DnsExchange attached(Vertx vertx, DnsExchange exchange, long requestTimeoutMillis) {
    return attached(vertx, exchange, requestTimeoutMillis, false);
  }

  /**
   * The exchange as it arrived over the bus; {@code clusterWide}: from another node, its stream
   * pulled from there.
   */
  public static DnsExchange attached(
      Vertx vertx, DnsExchange exchange, long requestTimeoutMillis, boolean clusterWide) {
    String address = exchange.reply().stream();
    return address == null
        ? exchange
        : exchange.withResponseStream(attach(vertx, address, requestTimeoutMillis, clusterWide));
  }

  /** The serving side: one consumer, answering one request at a time. */
  private static final class Served {
    private final Vertx vertx;
    private final ResponseStream stream;
    private final long idleMillis;
    private MessageConsumer<String> consumer;
    private long idleTimer = -1;
    private boolean busy;
    private boolean done;

    private Served(Vertx vertx, ResponseStream stream, long idleMillis) {
      this.vertx = vertx;
      this.stream = stream;
      this.idleMillis = idleMillis;
    }

    private void armIdleTimer() {
      if (idleTimer != -1) {
        vertx.cancelTimer(idleTimer);
      }
      idleTimer = vertx.setTimer(Math.max(1, idleMillis), id -> finish(true));
    }

    private void onRequest(Message<String> request) {
      if (done) {
        request.fail(410, "stream is over");
        return;
      }
      if (CANCEL.equals(request.body())) {
        finish(true);
        request.reply(null);
        return;
      }
      if (!NEXT.equals(request.body()) || busy) {
        request.fail(400, "expected one " + NEXT + " at a time");
        return;
      }
      busy = true;
      armIdleTimer();
      Buffer batch = Buffer.buffer().appendByte((byte) 0);
      fill(batch, Promise.promise())
          .onComplete(
              filled -> {
                busy = false;
                if (filled.failed()) {
                  finish(true);
                  request.fail(500, String.valueOf(filled.cause()));
                  return;
                }
                if (filled.result()) {
                  batch.setByte(0, (byte) 1);
                  finish(false);
                } else {
                  armIdleTimer();
                }
                request.reply(batch);
              });
    }

    /** Appends parts up to the batch size; completes with whether the stream ended. */
    private Future<Boolean> fill(Buffer batch, Promise<Boolean> filled) {
      while (batch.length() < BATCH_BYTES) {
        Future<ResponseStream.Part> next = stream.next();
        if (!next.isComplete()) {
          next.onComplete(
              done -> {
                if (done.failed()) {
                  filled.fail(done.cause());
                } else if (append(batch, done.result())) {
                  fill(batch, filled);
                } else {
                  filled.complete(true);
                }
              });
          return filled.future();
        }
        if (next.failed()) {
          filled.fail(next.cause());
          return filled.future();
        }
        if (!append(batch, next.result())) {
          filled.complete(true);
          return filled.future();
        }
      }
      filled.tryComplete(false);
      return filled.future();
    }

    /** Appends a part; false at the end of the stream. */
    private static boolean append(Buffer batch, ResponseStream.Part part) {
      if (part == null) {
        return false;
      }
      byte[] wire = part.render();
      batch.appendByte((byte) (part.wire() != null ? 1 : 0)).appendInt(wire.length);
      batch.appendBytes(wire);
      return true;
    }

    private void finish(boolean cancel) {
      if (done) {
        return;
      }
      done = true;
      if (idleTimer != -1) {
        vertx.cancelTimer(idleTimer);
        idleTimer = -1;
      }
      if (cancel) {
        stream.cancel();
      }
      consumer.unregister();
    }
  }

  /** The receiving side: hands out one batch, then asks for the next. */
  private static final class Attached implements ResponseStream {
    private final EventBus eventBus;
    private final String address;
    private final DeliveryOptions options;
    private final Deque<Part> parts = new ArrayDeque<>();
    private boolean ended;

    private Attached(
        EventBus eventBus, String address, long requestTimeoutMillis, boolean clusterWide) {
      this.eventBus = eventBus;
      this.address = address;
      this.options =
          new DeliveryOptions().setSendTimeout(requestTimeoutMillis).setLocalOnly(!clusterWide);
    }

    @Override
    public Future<Part> next() {
      if (!parts.isEmpty()) {
        return Future.succeededFuture(parts.poll());
      }
      if (ended) {
        return Future.succeededFuture();
      }
      return eventBus
          .<Buffer>request(address, NEXT, options)
          .map(
              reply -> {
                read(reply.body());
                return parts.poll();
              })
          .onFailure(failed -> ended = true);
    }

    private void read(Buffer batch) {
      try {
        ended = batch.getByte(0) != 0;
        int at = 1;
        while (at < batch.length()) {
          boolean complete = batch.getByte(at) != 0;
          int length = batch.getInt(at + 1);
          byte[] wire = batch.getBytes(at + 5, at + 5 + length);
          at += 5 + length;
          org.xbill.DNS.Message message = new org.xbill.DNS.Message(wire);
          parts.add(new Part(message, complete ? wire : null));
        }
      } catch (IOException | RuntimeException e) {
        ended = true;
        throw new IllegalStateException("malformed stream batch from " + address + ": " + e, e);
      }
    }

    @Override
    public void cancel() {
      parts.clear();
      if (!ended) {
        ended = true;
        eventBus.send(address, CANCEL, new DeliveryOptions().setLocalOnly(options.isLocalOnly()));
      }
    }
  }
}
