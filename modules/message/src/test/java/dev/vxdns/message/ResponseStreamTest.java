package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;

@ExtendWith(VertxExtension.class)
class ResponseStreamTest {
  private static final String SIGN = "test.stream.sign";
  private static final String ANSWER = "test.stream.answer";
  private static final int FURTHER = 40;

  private static DnsExchange fresh() {
    return DnsExchange.received(
        Transport.TCP,
        "t",
        new InetSocketAddress("127.0.0.1", 1),
        new InetSocketAddress("127.0.0.1", 53),
        new byte[12]);
  }

  /** Messages with ids from..to-1, each padded so a few fill a bus batch. */
  private static Iterator<Message> messages(int from, int to, AtomicInteger pulled) {
    return new Iterator<>() {
      private int next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Message next() {
        pulled.incrementAndGet();
        Message m = new Message(next++);
        m.addRecord(
            org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromConstantString("pad.test."),
                org.xbill.DNS.Type.NULL,
                org.xbill.DNS.DClass.IN,
                0,
                new byte[8000]),
            org.xbill.DNS.Section.ANSWER);
        return m;
      }
    };
  }

  /** A response step that gives every message a final wire form: its id as one byte in front. */
  private static final Stage MARKING =
      new Stage() {
        @Override
        public Future<DnsExchange> handle(DnsExchange exchange) {
          return Future.succeededFuture(exchange.withResponseStep(SIGN));
        }

        @Override
        public Future<DnsExchange> onResponse(DnsExchange answered) {
          return Future.succeededFuture(
              answered.withResponseStream(
                  answered
                      .responseStream()
                      .map(
                          part ->
                              new ResponseStream.Part(
                                  part.message(), marked(part.message().getHeader().getID())))));
        }
      };

  private static byte[] marked(int id) {
    Message m = new Message(id);
    m.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    return m.toWire();
  }

  private static Future<List<ResponseStream.Part>> drain(ResponseStream stream) {
    List<ResponseStream.Part> parts = new ArrayList<>();
    Promise<List<ResponseStream.Part>> done = Promise.promise();
    pull(stream, parts, done);
    return done.future();
  }

  private static void pull(
      ResponseStream stream,
      List<ResponseStream.Part> parts,
      Promise<List<ResponseStream.Part>> done) {
    stream
        .next()
        .onFailure(done::fail)
        .onSuccess(
            part -> {
              if (part == null) {
                done.complete(parts);
              } else {
                parts.add(part);
                pull(stream, parts, done);
              }
            });
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void aStreamedResponseReachesTheCallerWholeAndInOrderInBothDeliveries(
      Delivery delivery, Vertx vertx, VertxTestContext test) {
    AtomicInteger pulled = new AtomicInteger();
    Stage answer =
        exchange ->
            Future.succeededFuture(
                exchange.respond(
                    new Message(0), ResponseStream.of(messages(1, 1 + FURTHER, pulled))));
    Future.all(
            StageRegistration.register(vertx, SIGN, MARKING),
            StageRegistration.register(vertx, ANSWER, answer))
        .compose(
            ready ->
                Future.<DnsExchange>future(
                    p ->
                        vertx.runOnContext(
                            v ->
                                new StageChain(vertx, List.of(SIGN, ANSWER), delivery, 5000)
                                    .run(fresh())
                                    .onComplete(p))))
        .compose(
            result -> {
              test.verify(
                  () -> {
                    assertEquals(0, result.responseMessage().getHeader().getID());
                    assertNotNull(result.responseStream(), "the transport gets a local stream");
                    assertNull(result.reply().stream(), "no bus address reaches the transport");
                  });
              return drain(result.responseStream());
            })
        .onComplete(
            test.succeeding(
                parts ->
                    test.verify(
                        () -> {
                          assertEquals(FURTHER, parts.size());
                          for (int i = 0; i < FURTHER; i++) {
                            assertEquals(i + 1, parts.get(i).message().getHeader().getID());
                            assertArrayEquals(marked(i + 1), parts.get(i).wire());
                          }
                          assertEquals(FURTHER, pulled.get());
                          test.completeNow();
                        })));
  }

  @Test
  void theServingSidePullsOnlyWhatTheReceiverAsksFor(Vertx vertx, VertxTestContext test) {
    AtomicInteger pulled = new AtomicInteger();
    ResponseStream source = ResponseStream.of(messages(1, 1001, pulled));
    vertx.runOnContext(
        v ->
            ResponseStreams.export(vertx, source, 10_000)
                .map(address -> ResponseStreams.attach(vertx, address, 5000))
                .compose(attached -> attached.next().map(first -> attached))
                .onComplete(
                    test.succeeding(
                        attached ->
                            test.verify(
                                () -> {
                                  // One batch of about 64 KiB: eight or nine 8 KB messages.
                                  int perBatch = ResponseStreams.BATCH_BYTES / 8000 + 1;
                                  assertTrue(
                                      pulled.get() <= perBatch,
                                      pulled.get() + " pulled for one next()");
                                  attached.cancel();
                                  test.completeNow();
                                }))));
  }

  @Test
  void cancellingTheReceiverCancelsAndUnregistersTheServedStream(
      Vertx vertx, VertxTestContext test) {
    AtomicBoolean cancelled = new AtomicBoolean();
    ResponseStream source = cancellable(cancelled);
    vertx.runOnContext(
        v ->
            ResponseStreams.export(vertx, source, 10_000)
                .onComplete(
                    test.succeeding(
                        address -> {
                          ResponseStream attached = ResponseStreams.attach(vertx, address, 5000);
                          attached
                              .next()
                              .onComplete(
                                  test.succeeding(
                                      first -> {
                                        test.verify(() -> assertNotNull(first));
                                        attached.cancel();
                                        vertx.setTimer(
                                            200, t -> expectGone(vertx, address, cancelled, test));
                                      }));
                        })));
  }

  @Test
  void anAbandonedServedStreamIsCancelledAndUnregisteredAfterItsIdleTimeout(
      Vertx vertx, VertxTestContext test) {
    AtomicBoolean cancelled = new AtomicBoolean();
    vertx.runOnContext(
        v ->
            ResponseStreams.export(vertx, cancellable(cancelled), 100)
                .onComplete(
                    test.succeeding(
                        address -> {
                          // Positive control: the stream answers while it is not idle.
                          ResponseStreams.attach(vertx, address, 5000)
                              .next()
                              .onComplete(
                                  test.succeeding(
                                      first -> {
                                        test.verify(() -> assertNotNull(first));
                                        vertx.setTimer(
                                            600, t -> expectGone(vertx, address, cancelled, test));
                                      }));
                        })));
  }

  private static ResponseStream cancellable(AtomicBoolean cancelled) {
    ResponseStream endless = ResponseStream.of(messages(1, Integer.MAX_VALUE, new AtomicInteger()));
    return new ResponseStream() {
      @Override
      public Future<Part> next() {
        return endless.next();
      }

      @Override
      public void cancel() {
        cancelled.set(true);
      }
    };
  }

  private static void expectGone(
      Vertx vertx, String address, AtomicBoolean cancelled, VertxTestContext test) {
    vertx
        .eventBus()
        .request(address, ResponseStreams.NEXT)
        .onComplete(
            asked ->
                test.verify(
                    () -> {
                      assertTrue(cancelled.get(), "the source stream was cancelled");
                      assertTrue(asked.failed(), "the address no longer answers");
                      assertEquals(
                          ReplyFailure.NO_HANDLERS, ((ReplyException) asked.cause()).failureType());
                      test.completeNow();
                    }));
  }
}
