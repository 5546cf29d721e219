package dev.vxdns.message;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A log for lines that remote parties can trigger: per key, the first {@code burst} lines of each
 * interval go to the logger, the rest are counted, and the next line of the key after the interval
 * is preceded by one summary line ("{key}: N more suppressed in the last T s"). Whoever floods the
 * server with queries that fail or are refused fills no disk; the counters (stats, debug log) still
 * see every event.
 *
 * <p>Its configuration is fixed at construction; it is thread-safe and holds no static state: one
 * instance per verticle or stage. Keys are the caller's constant event names, never peer addresses,
 * so the map of windows stays as small as the set of call sites.
 */
public final class RateLimitedLog {
  private final System.Logger logger;
  private final int burst;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Counting on {@link System#nanoTime()}. */
  public RateLimitedLog(System.Logger logger, int burst, Duration interval) {
    this(logger, burst, interval, System::nanoTime);
  }

  /**
   * @param burst lines let through per key and interval (at least 1)
   * @param interval the length of a window
   * @param nanoClock a monotonic clock in nanoseconds (a test's fake clock)
   */
  public RateLimitedLog(
      System.Logger logger, int burst, Duration interval, LongSupplier nanoClock) {
    if (burst < 1 || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("burst must be >= 1 and interval > 0");
    }
    this.logger = logger;
    this.burst = burst;
    this.intervalNanos = interval.toNanos();
    this.nanoClock = nanoClock;
  }

  /** A default for remote-triggered lines: 10 per key per minute. */
  public static RateLimitedLog perMinute(System.Logger logger) {
    return new RateLimitedLog(logger, 10, Duration.ofMinutes(1));
  }

  /**
   * Logs {@code format} with {@code args} ({@link java.text.MessageFormat} style) unless {@code
   * key} has had its {@code burst} lines in this interval; returns whether it was logged.
   */
  public boolean log(String key, System.Logger.Level level, String format, Object... args) {
    if (!logger.isLoggable(level)) {
      return false;
    }
    long now = nanoClock.getAsLong();
    Window window = windows.computeIfAbsent(key, k -> new Window(now));
    long suppressed;
    long elapsedNanos;
    synchronized (window) {
      elapsedNanos = now - window.start;
      if (elapsedNanos >= intervalNanos) {
        suppressed = window.suppressed;
        window.start = now;
        window.logged = 0;
        window.suppressed = 0;
      } else {
        suppressed = 0;
      }
      if (window.logged >= burst) {
        window.suppressed++;
        return false;
      }
      window.logged++;
    }
    if (suppressed > 0) {
      logger.log(
          level,
          "{0}: {1} more suppressed in the last {2} s",
          key,
          suppressed,
          Math.max(1, elapsedNanos / 1_000_000_000L));
    }
    logger.log(level, format, args);
    return true;
  }

  /** Lines of {@code key} counted but not logged in its current window. */
  public long suppressed(String key) {
    Window window = windows.get(key);
    if (window == null) {
      return 0;
    }
    synchronized (window) {
      return window.suppressed;
    }
  }

  private static final class Window {
    long start;
    int logged;
    long suppressed;

    Window(long start) {
      this.start = start;
    }
  }
}
