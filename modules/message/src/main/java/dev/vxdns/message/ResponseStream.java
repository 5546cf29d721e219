package dev.vxdns.message;

import io.vertx.core.Future;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.xbill.DNS.Message;

/**
 * The messages of a multi-message response after its first one (a zone transfer, RFC 5936), pulled
 * one at a time: the transport asks for the next message only when its socket can take it, so a
 * slow reader pauses the producer instead of filling memory.
 *
 * <p>A stage finishes such an exchange with {@link DnsExchange#respond(Message, ResponseStream)};
 * the first message is the exchange's response as usual and the stream holds the rest. The stream
 * is local to one event loop's caller and never in a wire form: where an exchange crosses the event
 * bus the sender serves it at a fresh address and the receiver pulls from there ({@link
 * ResponseStreams}). Calls to {@link #next} are sequential: the next one only after the previous
 * future completed.
 */
public interface ResponseStream {
  /**
   * One message of the stream.
   *
   * @param message the message
   * @param wire its final wire form when a response step made it (TSIG signs each message), or null
   *     for the transport to render the message. Shared, never modify
   */
  record Part(Message message, byte[] wire) {
    public Part {
      Objects.requireNonNull(message, "message");
    }

    /** The bytes to send: the final wire form, or the message rendered whole. */
    public byte[] render() {
      return wire != null ? wire : message.toWire(Message.MAXLENGTH);
    }
  }

  /** The next message, or null once the stream ended; fails when the stream broke. */
  Future<Part> next();

  /** Stops the stream early (the connection closed); releases what it holds. Idempotent. */
  void cancel();

  /** A stream of already computed messages, produced lazily by the iterator. */
  static ResponseStream of(Iterator<Message> messages) {
    return new ResponseStream() {
      private boolean cancelled;

      @Override
      public Future<Part> next() {
        if (cancelled || !messages.hasNext()) {
          return Future.succeededFuture();
        }
        try {
          return Future.succeededFuture(new Part(messages.next(), null));
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      }

      @Override
      public void cancel() {
        cancelled = true;
      }
    };
  }

  /**
   * This stream with each part transformed in order (a response step signs every message); the
   * transformer runs once per part, in stream order.
   */
  default ResponseStream map(UnaryOperator<Part> transformer) {
    ResponseStream source = this;
    return new ResponseStream() {
      @Override
      public Future<Part> next() {
        return source.next().map(part -> part == null ? null : transformer.apply(part));
      }

      @Override
      public void cancel() {
        source.cancel();
      }
    };
  }
}
