package dev.vxdns.message;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Runs a listener's stages in order until one finishes the exchange.
 *
 * <p>"One contract, two deliveries" (docs/architecture.md): with {@link Delivery#DIRECT} a stage
 * published in the local {@link StageRegistry} is called on the caller's event loop and a completed
 * result is followed in a plain loop, so the hot path allocates no timers, reply handlers or
 * task-queue entries and never changes thread. A stage that is not published locally (another node,
 * another language, hot redeploy in progress) and every stage under {@link Delivery#EVENTBUS} is
 * reached by event-bus request/reply with the same {@link DnsExchange}.
 *
 * <p>Once a stage finished the exchange with a response, the stages that asked for it ({@link
 * DnsExchange#withResponseStep}) get it back in reverse order ({@link Stage#onResponse}; on the bus
 * at the stage's address + {@link StageRegistration#RESPONSE_SUFFIX}). A response with further
 * messages ({@link DnsExchange#responseStream()}) keeps them as a local stream in both deliveries:
 * over the bus they are served and pulled by {@link ResponseStreams}.
 */
public final class StageChain {
  private final List<String> addresses;
  // The registry's slot of each address, in order: read per query, resolved once.
  private final StageRegistry.Slot[] slots;
  private final Delivery delivery;
  private final StageRegistry registry;
  private final Vertx vertx;
  private final EventBus eventBus;
  private final DeliveryOptions busOptions;
  private final long busTimeoutMillis;

  /**
   * Per stage, the time its forward step took ({@code vxdns_stage_duration_seconds}), for one query
   * in {@link #STAGE_SAMPLE}: the distribution is the same at a sixteenth of the cost (two clock
   * reads and a histogram update per stage). The first query of a chain is always timed.
   */
  private final Timer[] stageTimers;

  static final int STAGE_SAMPLE = 16;

  /**
   * Queries run so far; a chain belongs to one transport instance and its event loop, so a plain
   * field (a lost increment would only move the sample).
   */
  private int runs;

  public StageChain(Vertx vertx, List<String> addresses, Delivery delivery, long busTimeoutMillis) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a pipeline needs at least one stage");
    }
    this.addresses = List.copyOf(addresses);
    this.delivery = delivery;
    this.registry = StageRegistry.of(vertx);
    this.slots = this.addresses.stream().map(registry::slot).toArray(StageRegistry.Slot[]::new);
    this.vertx = vertx;
    this.eventBus = vertx.eventBus();
    this.busTimeoutMillis = busTimeoutMillis;
    this.busOptions =
        new DeliveryOptions(DnsExchangeCodec.DELIVERY)
            .setSendTimeout(busTimeoutMillis)
            .setLocalOnly(true);
    DnsExchangeCodec.registerOn(vertx);
    this.stageTimers = new Timer[this.addresses.size()];
    for (int i = 0; i < stageTimers.length; i++) {
      stageTimers[i] =
          Timer.builder("vxdns_stage_duration")
              .description("time a stage took for a query (its forward step)")
              .tag("stage", this.addresses.get(i))
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofNanos(1_000))
              .maximumExpectedValue(Duration.ofSeconds(10))
              .register(NodeMetrics.of(vertx).registry());
    }
  }

  public List<String> addresses() {
    return addresses;
  }

  public Delivery delivery() {
    return delivery;
  }

  /**
   * Runs the chain. The result is finished (respond, drop or close); an exchange that no stage
   * finished, or a failed stage, yields a failed future for the transport to answer SERVFAIL.
   */
  public Future<DnsExchange> run(DnsExchange exchange) {
    return run(exchange, UnaryOperator.identity());
  }

  /**
   * Runs the chain; {@code finishing} adjusts the answered exchange before the way back (the TCP
   * transport adds its keepalive option there, before auth signs the response).
   */
  public Future<DnsExchange> run(DnsExchange exchange, UnaryOperator<DnsExchange> finishing) {
    Future<DnsExchange> forward = runFrom(0, exchange, runs++ % STAGE_SAMPLE == 0);
    if (!forward.isComplete()) {
      return forward.compose(done -> wayBack(finishing.apply(done)));
    }
    if (forward.failed()) {
      return forward;
    }
    DnsExchange finished = finishing.apply(forward.result());
    boolean unchanged = finished == forward.result() && finished.reply().steps().isEmpty();
    return unchanged ? forward : wayBack(finished);
  }

  private Future<DnsExchange> wayBack(DnsExchange finished) {
    List<String> steps = finished.reply().steps();
    return steps.isEmpty() || finished.reply().outcome() != Outcome.RESPOND
        ? Future.succeededFuture(finished)
        : respondFrom(finished, steps.size() - 1);
  }

  /** The way back: response steps in reverse order, only for exchanges that have a response. */
  private Future<DnsExchange> respondFrom(DnsExchange exchange, int index) {
    DnsExchange current = exchange;
    for (int i = index; i >= 0 && current.reply().outcome() == Outcome.RESPOND; i--) {
      String address = current.reply().steps().get(i);
      Future<DnsExchange> step = invoke(address, slotOf(address), current, true);
      if (!step.isComplete()) {
        int next = i - 1;
        return step.compose(result -> respondFrom(result, next));
      }
      if (step.failed()) {
        return step;
      }
      current = step.result();
    }
    return Future.succeededFuture(current);
  }

  /**
   * The slot of a stage that asked for the response: one of this chain's (resolved once), or, for a
   * step some other stage added, the registry's.
   */
  private StageRegistry.Slot slotOf(String address) {
    for (int i = 0; i < slots.length; i++) {
      if (addresses.get(i).equals(address)) {
        return slots[i];
      }
    }
    return registry.slot(address);
  }

  private Future<DnsExchange> runFrom(int index, DnsExchange exchange, boolean timed) {
    DnsExchange current = exchange;
    for (int i = index; i < addresses.size(); i++) {
      if (current.isFinished()) {
        return Future.succeededFuture(current);
      }
      long start = timed ? System.nanoTime() : 0;
      Future<DnsExchange> step = invoke(addresses.get(i), slots[i], current, false);
      Timer timer = timed ? stageTimers[i] : null;
      if (!step.isComplete()) {
        if (timer != null) {
          step.onComplete(done -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
        }
        int next = i + 1;
        return step.compose(result -> runFrom(next, result, timed));
      }
      if (timer != null) {
        timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
      if (step.failed()) {
        return step;
      }
      current = step.result();
    }
    if (!current.isFinished()) {
      return Future.failedFuture(
          new IllegalStateException("no stage of " + addresses + " answered " + current));
    }
    return Future.succeededFuture(current);
  }

  /**
   * Whether the bus gave a request back unrun: Vert.x fails a request whose consumer was
   * unregistered after the bus chose it with this message (a TIMEOUT failure sent at once, not
   * after the timeout).
   */
  static boolean discarded(Throwable failure) {
    return failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.TIMEOUT
        && reply.getMessage() != null
        && reply.getMessage().startsWith("Discarded the request");
  }

  /**
   * One stage, on this event loop when it is local and the delivery is direct, else over the bus:
   * {@code handle} on the way there, {@code onResponse} (at {@code ADDRESS.response}) on the way
   * back.
   */
  private Future<DnsExchange> invoke(
      String address, StageRegistry.Slot slot, DnsExchange exchange, boolean wayBack) {
    Stage local = delivery == Delivery.DIRECT ? slot.stage() : null;
    if (local == null) {
      String target = wayBack ? address + StageRegistration.RESPONSE_SUFFIX : address;
      // A multi-message response crosses as an address to pull from, never by reference.
      return ResponseStreams.exported(vertx, exchange)
          .compose(
              sent ->
                  eventBus
                      .<DnsExchange>request(target, sent, busOptions)
                      // Sent to a consumer that a redeploy unregistered before it ran: the stage
                      // never saw it, and the bus routes the second try to the consumer that
                      // replaced it.
                      .recover(
                          failure ->
                              discarded(failure)
                                  ? eventBus.<DnsExchange>request(target, sent, busOptions)
                                  : Future.failedFuture(failure)))
          .map(reply -> ResponseStreams.attached(vertx, reply.body(), busTimeoutMillis));
    }
    try {
      return wayBack ? local.onResponse(exchange) : local.handle(exchange);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
