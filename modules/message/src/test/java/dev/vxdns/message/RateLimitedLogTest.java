package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
  /** A logger that keeps its formatted lines. */
  static class Recording implements System.Logger {
    final List<String> lines = new ArrayList<>();

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= Level.INFO.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
      lines.add(message);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(MessageFormat.format(format, params));
    }

    @Override
    public void log(Level level, Supplier<String> supplier) {
      lines.add(supplier.get());
    }
  }

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final Recording logger = new Recording();
  private final RateLimitedLog log =
      new RateLimitedLog(logger, 3, Duration.ofSeconds(10), clock::get);

  @Test
  void theFirstLinesOfAKeyPassThenTheRestAreCounted() {
    for (int i = 0; i < 100; i++) {
      log.log("pipeline failed", System.Logger.Level.WARNING, "failure {0}", i);
    }
    assertEquals(List.of("failure 0", "failure 1", "failure 2"), logger.lines);
    assertEquals(97, log.suppressed("pipeline failed"));
  }

  @Test
  void afterTheIntervalOneSummaryLineThenANewBurst() {
    for (int i = 0; i < 10; i++) {
      log.log("k", System.Logger.Level.WARNING, "line {0}", i);
    }
    clock.addAndGet(Duration.ofSeconds(9).toNanos());
    assertFalse(log.log("k", System.Logger.Level.WARNING, "line {0}", "late"));
    clock.addAndGet(Duration.ofSeconds(2).toNanos());
    assertTrue(log.log("k", System.Logger.Level.WARNING, "line {0}", "next"));
    assertEquals(
        List.of("line 0", "line 1", "line 2", "k: 8 more suppressed in the last 11 s", "line next"),
        logger.lines);
    assertEquals(0, log.suppressed("k"));
  }

  @Test
  void keysAreCountedApart() {
    for (int i = 0; i < 5; i++) {
      log.log("a", System.Logger.Level.INFO, "a{0}", i);
      log.log("b", System.Logger.Level.INFO, "b{0}", i);
    }
    assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), logger.lines);
  }

  @Test
  void aLevelTheLoggerDropsIsNeitherLoggedNorCounted() {
    assertFalse(log.log("k", System.Logger.Level.DEBUG, "quiet"));
    assertEquals(0, log.suppressed("k"));
    assertTrue(logger.lines.isEmpty());
  }

  @Test
  void aQuietIntervalEndsWithoutASummary() {
    log.log("k", System.Logger.Level.INFO, "one");
    clock.addAndGet(Duration.ofSeconds(60).toNanos());
    log.log("k", System.Logger.Level.INFO, "two");
    assertEquals(List.of("one", "two"), logger.lines);
  }

  @Test
  void manyThreadsNeverLetMoreThanTheBurstThrough() throws Exception {
    Recording shared = new Recording();
    List<String> synchronizedLines = java.util.Collections.synchronizedList(shared.lines);
    System.Logger threadSafe =
        new Recording() {
          @Override
          public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            synchronizedLines.add(format);
          }
        };
    RateLimitedLog concurrent = new RateLimitedLog(threadSafe, 5, Duration.ofHours(1), clock::get);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  concurrent.log("k", System.Logger.Level.WARNING, "x");
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(5, synchronizedLines.size());
    assertEquals(7995, concurrent.suppressed("k"));
  }

  @Test
  void refusesANonsenseConfiguration() {
    assertThrows(
        IllegalArgumentException.class, () -> new RateLimitedLog(logger, 0, Duration.ofSeconds(1)));
    assertThrows(
        IllegalArgumentException.class, () -> new RateLimitedLog(logger, 1, Duration.ZERO));
  }
}
