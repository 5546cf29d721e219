package dev.vxdns.verticles.forward;

import dev.vxdns.proxyprotocol.ProxyHeader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * The backends' periodic checks, on the forward verticle's own loop: a query per interval over the
 * backend's transport, behind a PROXY LOCAL header where the backend expects PROXY (the check is
 * the forwarder's own, not a client's). A backend goes down after its {@code failures} in a row and
 * up after its {@code successes}; the change is logged.
 */
final class HealthChecks {
  private static final System.Logger LOG = System.getLogger(HealthChecks.class.getName());

  private final Vertx vertx;
  private final Forwarder forwarder;
  private final List<Long> timers = new ArrayList<>();

  HealthChecks(Vertx vertx, Forwarder forwarder) {
    this.vertx = vertx;
    this.forwarder = forwarder;
  }

  /** Starts the checks; call on the verticle's context. */
  void start() {
    for (PoolState pool : forwarder.pools) {
      for (BackendState backend : pool.backends) {
        HealthCheck check = backend.backend.healthCheck();
        if (check != null) {
          check(backend);
          timers.add(vertx.setPeriodic(check.intervalMillis(), t -> check(backend)));
        }
      }
    }
  }

  void stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  private void check(BackendState backend) {
    HealthCheck check = backend.backend.healthCheck();
    Message query = Message.newQuery(Record.newRecord(check.name(), check.type(), check.dclass()));
    ProxyHeader header = backend.backend.proxyProtocol() ? ProxyHeader.local() : null;
    forwarder
        .current()
        .send(
            backend,
            backend.backend.transport(),
            query.toWire(),
            header,
            check.timeoutMillis(),
            new Answer() {
              @Override
              public void answered(byte[] wire) {
                verdict(backend, passes(check, wire), "answered");
              }

              @Override
              public void failed(String why) {
                verdict(backend, false, why);
              }
            });
  }

  private static boolean passes(HealthCheck check, byte[] wire) {
    try {
      int rcode = new Message(wire).getRcode();
      return !check.mustResolve() || rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN;
    } catch (IOException malformed) {
      return false;
    }
  }

  private static void verdict(BackendState backend, boolean passed, String why) {
    if (backend.checked(passed)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "backend {0} is {1} ({2})",
          backend.backend.name(),
          backend.up() ? "up" : "down",
          why);
    }
  }
}
