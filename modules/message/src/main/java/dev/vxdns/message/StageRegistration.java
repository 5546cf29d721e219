package dev.vxdns.message;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every stage verticle does in start() and undoes in stop(): consume its address on the event
 * bus and publish the same stage object in the local registry.
 */
public final class StageRegistration {
  /** Suffix of the address on which a stage takes {@link Stage#onResponse} over the bus. */
  public static final String RESPONSE_SUFFIX = ".response";

  private final StageRegistry registry;
  private final String address;
  private final Handoff handoff;
  private final MessageConsumer<DnsExchange> consumer;
  private final MessageConsumer<DnsExchange> responseConsumer;
  private final MessageConsumer<Object> statsConsumer;

  private StageRegistration(
      StageRegistry registry,
      String address,
      Handoff handoff,
      MessageConsumer<DnsExchange> consumer,
      MessageConsumer<DnsExchange> responseConsumer,
      MessageConsumer<Object> statsConsumer) {
    this.registry = registry;
    this.address = address;
    this.handoff = handoff;
    this.consumer = consumer;
    this.responseConsumer = responseConsumer;
    this.statsConsumer = statsConsumer;
  }

  /** Registers the consumer and, once the bus has it, publishes the stage for direct calls. */
  public static Future<StageRegistration> register(Vertx vertx, String address, Stage stage) {
    return register(vertx, address, stage, null, null);
  }

  /**
   * Like {@link #register(Vertx, String, Stage)}, and answers requests on {@code statsAddress} with
   * the stage's counters (the control channel's {@code /stats} asks there).
   */
  public static Future<StageRegistration> register(
      Vertx vertx,
      String address,
      Stage stage,
      String statsAddress,
      Supplier<Map<String, Long>> counters) {
    DnsExchangeCodec.registerOn(vertx);
    Handoff handoff = new Handoff(stage);
    MessageConsumer<DnsExchange> consumer =
        vertx
            .eventBus()
            .localConsumer(
                address,
                message -> reply(vertx, message, exchange -> handoff.current.handle(exchange)));
    MessageConsumer<DnsExchange> responseConsumer =
        vertx
            .eventBus()
            .localConsumer(
                address + RESPONSE_SUFFIX,
                message -> reply(vertx, message, exchange -> handoff.current.onResponse(exchange)));
    MessageConsumer<Object> statsConsumer =
        statsAddress == null
            ? null
            : vertx
                .eventBus()
                .localConsumer(
                    statsAddress,
                    request -> {
                      JsonObject counts = new JsonObject();
                      counters.get().forEach(counts::put);
                      request.reply(counts);
                    });
    StageRegistry registry = StageRegistry.of(vertx);
    Future<Void> statsReady =
        statsConsumer == null ? Future.succeededFuture() : statsConsumer.completion();
    return Future.all(consumer.completion(), responseConsumer.completion(), statsReady)
        .map(
            ready -> {
              registry.publish(address, stage);
              return new StageRegistration(
                  registry, address, handoff, consumer, responseConsumer, statsConsumer);
            });
  }

  /**
   * Runs the step on the exchange that came over the bus and replies with its result; a response
   * stream is attached on arrival and served again for the reply ({@link ResponseStreams}).
   */
  private static void reply(
      Vertx vertx, Message<DnsExchange> message, Function<DnsExchange, Future<DnsExchange>> step) {
    Future<DnsExchange> result;
    try {
      DnsExchange arrived =
          ResponseStreams.attached(vertx, message.body(), ResponseStreams.IDLE_TIMEOUT_MILLIS);
      result = step.apply(arrived).compose(done -> ResponseStreams.exported(vertx, done));
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(
        done -> {
          if (done.succeeded()) {
            message.reply(done.result(), DnsExchangeCodec.DELIVERY);
          } else {
            message.fail(500, String.valueOf(done.cause()));
          }
        });
  }

  /**
   * Serves a new stage object from now on, on the bus and in the registry: how a stage swaps its
   * immutable state (zones, keys, ACLs) when a change event arrives. Call it on the verticle's
   * context.
   */
  public void replace(Stage stage) {
    handoff.current = stage;
    registry.publish(address, stage);
  }

  /** The stage object served now. */
  public Stage current() {
    return handoff.current;
  }

  /**
   * Withdraws the stage from the registry first, so transports switch to the bus, then unregisters.
   */
  public Future<Void> unregister() {
    registry.withdraw(address, handoff.current);
    Future<Void> stats =
        statsConsumer == null ? Future.succeededFuture() : statsConsumer.unregister();
    return Future.all(consumer.unregister(), responseConsumer.unregister(), stats).mapEmpty();
  }

  /**
   * The stage the consumer calls; volatile because replace() and the consumer may run on different
   * threads.
   */
  private static final class Handoff {
    private volatile Stage current;

    private Handoff(Stage stage) {
      this.current = stage;
    }
  }

  public String address() {
    return address;
  }
}
