package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StageCountersTest {
  @Test
  void countsPerEventAndSnapshotsSorted() {
    StageCounters counters = new StageCounters();
    assertEquals(Map.of(), counters.snapshot());
    assertEquals(0L, counters.count("missing"));
    counters.increment("zero-port");
    counters.increment("accepted");
    counters.increment("zero-port");
    assertEquals(2L, counters.count("zero-port"));
    assertEquals(1L, counters.count("accepted"));
    Map<String, Long> snapshot = counters.snapshot();
    assertEquals(Map.of("accepted", 1L, "zero-port", 2L), snapshot);
    assertEquals(List.of("accepted", "zero-port"), List.copyOf(snapshot.keySet()));
    counters.increment("accepted");
    assertEquals(1L, snapshot.get("accepted"), "a snapshot is a copy");
  }

  @Test
  void countsFromManyThreads() throws InterruptedException {
    StageCounters counters = new StageCounters();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      pool.execute(
          () -> {
            for (int i = 0; i < 10_000; i++) {
              counters.increment(i % 2 == 0 ? "even" : "odd");
            }
          });
    }
    pool.shutdown();
    assertEquals(true, pool.awaitTermination(30, TimeUnit.SECONDS));
    assertEquals(Map.of("even", 20_000L, "odd", 20_000L), counters.snapshot());
  }
}
