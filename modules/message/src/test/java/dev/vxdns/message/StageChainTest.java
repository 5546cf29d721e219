package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.Message;

@ExtendWith(VertxExtension.class)
class StageChainTest {
  private static final String FIRST = "test.first";
  private static final String LAST = "test.last";

  private static DnsExchange fresh() {
    return DnsExchange.received(
        Transport.UDP,
        "t",
        new InetSocketAddress("127.0.0.1", 1),
        new InetSocketAddress("127.0.0.1", 53),
        new byte[12]);
  }

  /** Marks the exchange so the test can see the stage ran, without finishing it. */
  private static final Stage MARK =
      exchange -> Future.succeededFuture(exchange.withAclMatch("first ran"));

  private static final Stage ANSWER =
      exchange -> Future.succeededFuture(exchange.respond(new Message(7)));

  @Test
  void directDeliveryRunsStagesOnTheCallersThreadWithoutTheBus(Vertx vertx, VertxTestContext test) {
    AtomicReference<Thread> stageThread = new AtomicReference<>();
    Stage recordThread =
        exchange -> {
          stageThread.set(Thread.currentThread());
          return ANSWER.handle(exchange);
        };
    Future.all(
            StageRegistration.register(vertx, FIRST, MARK),
            StageRegistration.register(vertx, LAST, recordThread))
        .onComplete(
            test.succeeding(
                ready ->
                    vertx.runOnContext(
                        v -> {
                          StageChain chain =
                              new StageChain(vertx, List.of(FIRST, LAST), Delivery.DIRECT, 1000);
                          Future<DnsExchange> result = chain.run(fresh());
                          test.verify(
                              () -> {
                                assertTrue(
                                    result.isComplete(),
                                    "a direct chain of synchronous stages completes before run() returns");
                                assertEquals("first ran", result.result().verdicts().aclMatch());
                                assertEquals(
                                    7, result.result().responseMessage().getHeader().getID());
                                assertSame(Thread.currentThread(), stageThread.get());
                              });
                          test.completeNow();
                        })));
  }

  @Test
  void eventBusDeliveryGivesTheSameAnswer(Vertx vertx, VertxTestContext test) {
    Future.all(
            StageRegistration.register(vertx, FIRST, MARK),
            StageRegistration.register(vertx, LAST, ANSWER))
        .compose(
            ready ->
                new StageChain(vertx, List.of(FIRST, LAST), Delivery.EVENTBUS, 1000).run(fresh()))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertEquals("first ran", result.verdicts().aclMatch());
                          assertEquals(Outcome.RESPOND, result.reply().outcome());
                          assertEquals(7, result.responseMessage().getHeader().getID());
                          test.completeNow();
                        })));
  }

  @Test
  void aStageOnlyOnTheBusIsReachedFromADirectChain(Vertx vertx, VertxTestContext test) {
    // A consumer without a registry entry stands for a stage on another node.
    busOnlyStageAnswering9(vertx)
        .compose(ready -> StageRegistration.register(vertx, FIRST, MARK))
        .compose(
            ready ->
                new StageChain(vertx, List.of(FIRST, LAST), Delivery.DIRECT, 1000).run(fresh()))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertEquals("first ran", result.verdicts().aclMatch());
                          assertAnswered9(result, test);
                        })));
  }

  private static void assertAnswered9(DnsExchange result, VertxTestContext test) {
    assertEquals(9, result.responseMessage().getHeader().getID());
    test.completeNow();
  }

  /** A consumer of {@link #LAST} on the bus, with no registry entry, answering with id 9. */
  private static Future<Void> busOnlyStageAnswering9(Vertx vertx) {
    DnsExchangeCodec.registerOn(vertx);
    return vertx
        .eventBus()
        .<DnsExchange>consumer(
            LAST,
            message ->
                message.reply(message.body().respond(new Message(9)), DnsExchangeCodec.DELIVERY))
        .completion();
  }

  @Test
  void stopsAtTheFirstStageThatFinishes(Vertx vertx, VertxTestContext test) {
    Stage mustNotRun = exchange -> Future.failedFuture("ran after a finished exchange");
    Future.all(
            StageRegistration.register(vertx, FIRST, ANSWER),
            StageRegistration.register(vertx, LAST, mustNotRun))
        .compose(
            ready ->
                new StageChain(vertx, List.of(FIRST, LAST), Delivery.DIRECT, 1000).run(fresh()))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertEquals(Outcome.RESPOND, result.reply().outcome());
                          test.completeNow();
                        })));
  }

  @Test
  void failsWhenNoStageFinishesOrAStageThrows(Vertx vertx, VertxTestContext test) {
    Stage throwing =
        exchange -> {
          throw new IllegalStateException("boom");
        };
    Future.all(
            StageRegistration.register(vertx, FIRST, MARK),
            StageRegistration.register(vertx, LAST, throwing))
        .compose(
            ready -> {
              Future<DnsExchange> unfinished =
                  new StageChain(vertx, List.of(FIRST), Delivery.DIRECT, 1000).run(fresh());
              Future<DnsExchange> thrown =
                  new StageChain(vertx, List.of(FIRST, LAST), Delivery.DIRECT, 1000).run(fresh());
              return Future.join(unfinished, thrown)
                  .transform(done -> Future.succeededFuture(List.of(unfinished, thrown)));
            })
        .onComplete(
            test.succeeding(
                results ->
                    test.verify(
                        () -> {
                          assertTrue(
                              results.get(0).failed(), "a chain that no stage finishes fails");
                          assertTrue(
                              results.get(0).cause().getMessage().contains("no stage"),
                              results.get(0).cause().getMessage());
                          assertTrue(results.get(1).failed(), "a throwing stage fails the chain");
                          assertEquals("boom", results.get(1).cause().getMessage());
                          test.completeNow();
                        })));
  }

  @Test
  void replaceSwapsTheStageForBothDeliveries(Vertx vertx, VertxTestContext test) {
    Stage other = exchange -> Future.succeededFuture(exchange.respond(new Message(8)));
    StageRegistration.register(vertx, LAST, ANSWER)
        .compose(
            registration -> {
              registration.replace(other);
              assertNotSame(ANSWER, StageRegistry.of(vertx).find(LAST));
              return Future.all(
                  new StageChain(vertx, List.of(LAST), Delivery.DIRECT, 1000).run(fresh()),
                  new StageChain(vertx, List.of(LAST), Delivery.EVENTBUS, 1000).run(fresh()));
            })
        .onComplete(
            test.succeeding(
                both ->
                    test.verify(
                        () -> {
                          assertEquals(
                              8,
                              both.<DnsExchange>resultAt(0).responseMessage().getHeader().getID());
                          assertEquals(
                              8,
                              both.<DnsExchange>resultAt(1).responseMessage().getHeader().getID());
                          test.completeNow();
                        })));
  }

  /**
   * A chain keeps its stages' registry slots, not the stages: one made before a redeploy runs the
   * new stage from its next query on (the old one before it).
   */
  @Test
  void aChainMadeBeforeARedeployRunsTheNewStage(Vertx vertx, VertxTestContext test) {
    Stage other = exchange -> Future.succeededFuture(exchange.respond(new Message(8)));
    StageChain chain = new StageChain(vertx, List.of(LAST), Delivery.DIRECT, 1000);
    StageRegistration.register(vertx, LAST, ANSWER)
        .compose(
            registration ->
                chain
                    .run(fresh())
                    .compose(
                        before -> {
                          registration.replace(other);
                          return chain.run(fresh()).map(after -> List.of(before, after));
                        }))
        .onComplete(
            test.succeeding(
                both ->
                    test.verify(
                        () -> {
                          assertEquals(7, both.get(0).responseMessage().getHeader().getID());
                          assertEquals(8, both.get(1).responseMessage().getHeader().getID());
                          test.completeNow();
                        })));
  }

  /**
   * A request the bus handed to a consumer that was unregistered before it ran (a redeploy's old
   * stage) comes back unrun; the chain sends it again, and the consumer that replaced it answers.
   * The old consumer is paused so that the request is surely waiting in it when it goes.
   */
  @Test
  void aRequestAnOldConsumerDroppedUnrunIsSentAgain(Vertx vertx, VertxTestContext test) {
    DnsExchangeCodec.registerOn(vertx);
    io.vertx.core.eventbus.MessageConsumer<DnsExchange> old =
        vertx.eventBus().<DnsExchange>localConsumer(LAST, message -> message.fail(500, "ran"));
    old.pause();
    StageChain chain = new StageChain(vertx, List.of(LAST), Delivery.EVENTBUS, 5000);
    old.completion()
        .compose(
            ready -> {
              Future<DnsExchange> answered = chain.run(fresh());
              // The request now waits in the paused old consumer; the new one registers, then the
              // old one goes with the request still in it.
              return busOnlyStageAnswering9(vertx)
                  .compose(registered -> old.unregister())
                  .compose(gone -> answered);
            })
        .onComplete(test.succeeding(result -> test.verify(() -> assertAnswered9(result, test))));
  }

  /** Asks for the response on the way back and appends its name to the response's id trail. */
  private static Stage signing(String name) {
    return new Stage() {
      @Override
      public Future<DnsExchange> handle(DnsExchange exchange) {
        return Future.succeededFuture(exchange.withResponseStep(name));
      }

      @Override
      public Future<DnsExchange> onResponse(DnsExchange answered) {
        Message signed = answered.responseMessage().clone();
        signed.getHeader().setID(signed.getHeader().getID() * 10 + (name.equals(FIRST) ? 1 : 2));
        return Future.succeededFuture(answered.withResponse(signed));
      }
    };
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void responseStepsRunInReverseOrderInBothDeliveries(
      Delivery delivery, Vertx vertx, VertxTestContext test) {
    String answer = "test.answer";
    Future.all(
            StageRegistration.register(vertx, FIRST, signing(FIRST)),
            StageRegistration.register(vertx, LAST, signing(LAST)),
            StageRegistration.register(vertx, answer, ANSWER))
        .compose(
            ready ->
                new StageChain(vertx, List.of(FIRST, LAST, answer), delivery, 1000).run(fresh()))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertEquals(
                              721,
                              result.responseMessage().getHeader().getID(),
                              "answer 7, then LAST's step (2), then FIRST's (1)");
                          assertEquals(List.of(FIRST, LAST), result.reply().steps());
                          test.completeNow();
                        })));
  }

  @Test
  void droppedExchangesSkipTheWayBack(Vertx vertx, VertxTestContext test) {
    String dropper = "test.drop";
    Future.all(
            StageRegistration.register(vertx, FIRST, signing(FIRST)),
            StageRegistration.register(
                vertx, dropper, exchange -> Future.succeededFuture(exchange.drop())))
        .compose(
            ready ->
                new StageChain(vertx, List.of(FIRST, dropper), Delivery.DIRECT, 1000).run(fresh()))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertEquals(Outcome.DROP, result.reply().outcome());
                          test.completeNow();
                        })));
  }

  @Test
  void unregisterWithdrawsFromRegistryAndBus(Vertx vertx, VertxTestContext test) {
    StageRegistration.register(vertx, LAST, ANSWER)
        .compose(registration -> registration.unregister())
        .compose(
            gone -> {
              assertEquals(null, StageRegistry.of(vertx).find(LAST));
              return new StageChain(vertx, List.of(LAST), Delivery.DIRECT, 500).run(fresh());
            })
        .onComplete(test.failing(noHandler -> test.completeNow()));
  }
}
