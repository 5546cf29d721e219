package dev.vxdns.verticles.auth;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What stands between a SIG(0) flood and the CPU (CVE-2024-1975, the reason BIND dropped SIG(0)):
 * at most {@code perSourcePerSecond} verifications per source address per second, and at most
 * {@code maxPending} waiting for the verification worker. Whatever is over either limit is not
 * verified at all. Thread-safe: every event loop calls it.
 */
final class Sig0Guard {
  private final int perSourcePerSecond;
  private final int maxPending;
  private final AtomicInteger pending = new AtomicInteger();
  private final java.util.concurrent.atomic.LongAdder admitted =
      new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder turnedAway =
      new java.util.concurrent.atomic.LongAdder();
  private final AtomicReference<Window> window = new AtomicReference<>(new Window(0));

  Sig0Guard(int perSourcePerSecond, int maxPending) {
    this.perSourcePerSecond = perSourcePerSecond;
    this.maxPending = maxPending;
  }

  /** Takes a verification slot for this source, or returns false when a limit is reached. */
  boolean tryAcquire(InetAddress source, long nowMillis) {
    long second = nowMillis / 1000;
    Window current = window.get();
    if (current.second != second) {
      // A new second starts with fresh counts; losing a race here only resets counts twice.
      Window fresh = new Window(second);
      current = window.compareAndSet(current, fresh) ? fresh : window.get();
    }
    int used = current.counts.computeIfAbsent(source, s -> new AtomicInteger()).incrementAndGet();
    if (used > perSourcePerSecond) {
      turnedAway.increment();
      return false;
    }
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      turnedAway.increment();
      return false;
    }
    admitted.increment();
    return true;
  }

  /** Verifications let through so far. */
  long admitted() {
    return admitted.sum();
  }

  /** Queries turned away unverified so far. */
  long turnedAway() {
    return turnedAway.sum();
  }

  /** Gives back the slot once the verification finished. */
  void release() {
    pending.decrementAndGet();
  }

  private static final class Window {
    private final long second;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> counts = new ConcurrentHashMap<>();

    private Window(long second) {
      this.second = second;
    }
  }
}
