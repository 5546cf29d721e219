package dev.vxdns.message;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Function;

/**
 * What every stage verticle does in start() and undoes in stop(): consume its address on the
 * event bus and publish the same stage object in the local registry.
 */
public final class StageRegistration {
  /** Suffix of the address on which a stage takes {@link Stage#onResponse} over the bus. */
  public static final String RESPONSE_SUFFIX = ".response";

  private final StageRegistry registry;
  private final String address;
  private final Handoff handoff;
  private final MessageConsumer<DnsExchange> consumer;
  private final MessageConsumer<DnsExchange> responseConsumer;

  private StageRegistration(StageRegistry registry, String address, Handoff handoff,
      MessageConsumer<DnsExchange> consumer, MessageConsumer<DnsExchange> responseConsumer) {
    this.registry = registry;
    this.address = address;
    this.handoff = handoff;
    this.consumer = consumer;
    this.responseConsumer = responseConsumer;
  }

  /** Registers the consumer and, once the bus has it, publishes the stage for direct calls. */
  public static Future<StageRegistration> register(Vertx vertx, String address, Stage stage) {
    DnsExchangeCodec.registerOn(vertx);
    Handoff handoff = new Handoff(stage);
    MessageConsumer<DnsExchange> consumer = vertx.eventBus().consumer(address,
        message -> reply(message, exchange -> handoff.current.handle(exchange)));
    MessageConsumer<DnsExchange> responseConsumer = vertx.eventBus().consumer(address + RESPONSE_SUFFIX,
        message -> reply(message, exchange -> handoff.current.onResponse(exchange)));
    StageRegistry registry = StageRegistry.of(vertx);
    return Future.all(consumer.completion(), responseConsumer.completion()).map(ready -> {
      registry.publish(address, stage);
      return new StageRegistration(registry, address, handoff, consumer, responseConsumer);
    });
  }

  private static void reply(Message<DnsExchange> message, Function<DnsExchange, Future<DnsExchange>> step) {
    Future<DnsExchange> result;
    try {
      result = step.apply(message.body());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result(), DnsExchangeCodec.DELIVERY);
      } else {
        message.fail(500, String.valueOf(done.cause()));
      }
    });
  }

  /**
   * Serves a new stage object from now on, on the bus and in the registry: how a stage swaps its
   * immutable state (zones, keys, ACLs) when a change event arrives. Call it on the verticle's context.
   */
  public void replace(Stage stage) {
    handoff.current = stage;
    registry.publish(address, stage);
  }

  /** The stage object served now. */
  public Stage current() {
    return handoff.current;
  }

  /** Withdraws the stage from the registry first, so transports switch to the bus, then unregisters. */
  public Future<Void> unregister() {
    registry.withdraw(address, handoff.current);
    return Future.all(consumer.unregister(), responseConsumer.unregister()).mapEmpty();
  }

  /** The stage the consumer calls; volatile because replace() and the consumer may run on different threads. */
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
