package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The launcher's bounded wait for a stop after SIGTERM/SIGINT ({@link Main#awaitStop}, what {@code
 * Main.run} exits with): a stop that never completes cannot be provoked from a configuration, so a
 * never-completing future stands for it.
 */
class MainStopTest {
  @Test
  void aStopThatNeverCompletesEndsWithANonZeroStatusAtTheLimit() {
    long started = System.nanoTime();
    int status = Main.awaitStop(Promise.promise().future(), Duration.ofMillis(300));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertEquals(Main.EXIT_STOP_TIMED_OUT, status);
    assertTrue(millis >= 300 && millis < 5_000, "waited " + millis + " ms for a 300 ms limit");
  }

  @Test
  void aStopThatCompletesOrFailsInTimeExitsZero() {
    assertEquals(Main.EXIT_OK, Main.awaitStop(Future.succeededFuture(), Duration.ofSeconds(5)));
    assertEquals(
        Main.EXIT_OK,
        Main.awaitStop(Future.failedFuture("undeploy failed"), Duration.ofSeconds(5)),
        "a failed stop has nothing left to wait for");
  }

  @Test
  void theLimitExceedsTheTransportsOwnDrainOfQueriesInFlight() {
    assertTrue(Main.SHUTDOWN_LIMIT.toMillis() > 5_000, "TcpTransportVerticle drains up to 5 s");
  }
}
