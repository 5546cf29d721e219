package dev.vxdns.verticles.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code vxdns_event_loop_lag_seconds{loop}}: every second a task is queued on each event loop and
 * the delay until it runs is kept; a loop busy with long work (or blocked) shows it at once.
 * Started once per Vert.x, by the launcher, for the lifetime of that Vert.x.
 */
public final class EventLoopLag {
  private static final long PERIOD_MILLIS = 1000;

  private EventLoopLag() {}

  public static void start(Vertx vertx, MeterRegistry registry) {
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) vertx).nettyEventLoopGroup().forEach(loops::add);
    List<AtomicLong> lags = new ArrayList<>();
    for (int i = 0; i < loops.size(); i++) {
      AtomicLong lag = new AtomicLong();
      lags.add(lag);
      Gauge.builder("vxdns_event_loop_lag_seconds", lag, nanos -> nanos.get() / 1e9)
          .description("delay before a task queued on the event loop ran (sampled each second)")
          .tag("loop", Integer.toString(i))
          .strongReference(true)
          .register(registry);
    }
    vertx.setPeriodic(
        PERIOD_MILLIS,
        tick -> {
          for (int i = 0; i < loops.size(); i++) {
            AtomicLong lag = lags.get(i);
            long queued = System.nanoTime();
            loops.get(i).execute(() -> lag.set(System.nanoTime() - queued));
          }
        });
  }
}
