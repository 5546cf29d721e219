package dev.vxdns.verticles.forward;

import io.vertx.core.net.ClientSSLOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A backend as every event loop shares it: whether it is up (its health check's verdict), how many
 * queries it has in flight (least-outstanding), and its counters. Health streaks are only touched
 * by the forward verticle's own loop, which runs the checks.
 */
final class BackendState {
  final Backend backend;

  /** The DoT client's TLS options (trust loaded once at start), or null. */
  final ClientSSLOptions tls;

  final AtomicInteger outstanding = new AtomicInteger();
  final LongAdder queries = new LongAdder();
  final LongAdder answers = new LongAdder();
  final LongAdder failures = new LongAdder();
  final LongAdder truncatedRetries = new LongAdder();
  private volatile boolean up = true;
  private int failedChecks;
  private int passedChecks;

  BackendState(Backend backend, ClientSSLOptions tls) {
    this.backend = backend;
    this.tls = tls;
  }

  boolean up() {
    return up;
  }

  /** A check's outcome; true when it changed the state (up to down or back). */
  boolean checked(boolean passed) {
    HealthCheck check = backend.healthCheck();
    if (passed) {
      failedChecks = 0;
      passedChecks++;
      if (!up && passedChecks >= check.successes()) {
        up = true;
        return true;
      }
    } else {
      passedChecks = 0;
      failedChecks++;
      if (up && failedChecks >= check.failures()) {
        up = false;
        return true;
      }
    }
    return false;
  }

  void counters(Map<String, Long> into) {
    String prefix = "backend " + backend.name() + " ";
    into.put(prefix + "up", up ? 1L : 0L);
    into.put(prefix + "queries", queries.sum());
    into.put(prefix + "answers", answers.sum());
    into.put(prefix + "failures", failures.sum());
    into.put(prefix + "outstanding", (long) outstanding.get());
    into.put(prefix + "tc-retries-over-tcp", truncatedRetries.sum());
  }

  static Map<String, Long> newCounters() {
    return new LinkedHashMap<>();
  }
}
