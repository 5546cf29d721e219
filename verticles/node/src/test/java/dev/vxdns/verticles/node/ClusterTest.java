package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three clustered nodes, each its own JVM: TSIG-signed updates go to random nodes while queries go
 * to all of them; one node is killed (-9) in the middle of a stream and restarted; then all three
 * are killed at once and restarted. After each step every acknowledged update is served by every
 * node, the nodes agree on the SOA serial and on every name ever sent (an unacknowledged one is on
 * all or on none), and queries to the nodes that stayed up were all answered. And the event bus
 * takes no connection without a certificate from the cluster's CA.
 */
class ClusterTest {
  @TempDir Path dir;

  private final Random random = new Random();

  @Test
  void updatesToAnyNodeAreServedByAllThroughKillsAndRestarts() throws Exception {
    try (ClusterNodes nodes = ClusterNodes.onLoopback(dir, "full", "full", "full")) {
      ClusterChecks checks = new ClusterChecks(nodes);
      nodes.startAll();
      checks.converged("started");
      // Without a cookie-secret of their own, each node says what that costs behind a balancer.
      for (int i = 0; i < nodes.size(); i++) {
        assertTrue(nodes.output(i).contains("cookie-secret is not set"), nodes.output(i));
      }
      everyMemberIsInTheHealthOfEach(nodes);
      strangersCannotConnectToTheEventBus(nodes);
      checks.stream(30, -1);
      checks.converged("after the first stream");

      int victim = random.nextInt(3);
      Thread killer =
          new Thread(
              () -> {
                try {
                  Thread.sleep(300 + random.nextInt(1500));
                  nodes.kill(victim);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      killer.start();
      checks.stream(30, victim);
      killer.join();
      checks.converged("node " + (victim + 1) + " killed");
      nodes.startAll();
      checks.converged("node " + (victim + 1) + " restarted");
      checks.stream(10, -1);
      checks.converged("a stream after the restart");

      for (int i = 0; i < nodes.size(); i++) {
        nodes.kill(i);
      }
      nodes.startAll();
      checks.converged("all three killed and restarted");
      checks.stream(10, -1);
      checks.converged("a stream after the whole cluster restarted");

      long acknowledged = checks.acknowledgedCount();
      assertTrue(
          acknowledged >= 70,
          "updates acknowledged: " + acknowledged + " of " + checks.sentCount());
      System.out.printf(
          "ClusterTest: %d updates, %d acknowledged; acknowledged to visible on the other nodes: %s%n",
          checks.sentCount(), acknowledged, checks.latencies());
    }
  }

  /**
   * {@code /health} and {@code /ready} of each node list the three members and, per zone, the
   * serial each member serves: the same, as the nodes have converged.
   */
  private void everyMemberIsInTheHealthOfEach(ClusterNodes nodes) throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      long serial = nodes.serial(i);
      // Each member records what it serves a moment after it serves it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      ClusterNodes.HttpAnswer ready = nodes.statistics(i, "/ready");
      while (!servesEverywhere(ready.body(), serial) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        ready = nodes.statistics(i, "/ready");
      }
      assertEquals(200, ready.status(), ready.body().encodePrettily());
      JsonObject cluster = ready.body().getJsonObject("cluster");
      assertEquals(3, cluster.getJsonArray("members").size(), cluster.encodePrettily());
      assertEquals(true, cluster.getBoolean("quorum"), cluster.encodePrettily());
      assertTrue(servesEverywhere(ready.body(), serial), cluster.encodePrettily());
      assertEquals(200, nodes.statistics(i, "/health").status());
    }
  }

  /** Whether each member in a health report serves {@code serial} of dyn.test. */
  private static boolean servesEverywhere(JsonObject health, long serial) {
    JsonObject cluster = health.getJsonObject("cluster");
    if (!cluster.containsKey("zones")) {
      return false; // the cluster's maps did not answer within the report's wait: ask again
    }
    JsonObject serving =
        cluster.getJsonObject("zones").getJsonObject("dyn.test.").getJsonObject("serving");
    return serving
            .fieldNames()
            .equals(new java.util.HashSet<>(cluster.getJsonArray("members").getList()))
        && serving.getMap().values().stream()
            .allMatch(at -> at instanceof Number number && number.longValue() == serial);
  }

  /**
   * The event bus takes only peers with a certificate from the cluster's CA: a connection with a
   * certificate from another CA, or with none, is closed by the node, while one with the cluster's
   * certificate stays open (the positive control).
   */
  private void strangersCannotConnectToTheEventBus(ClusterNodes nodes) throws Exception {
    Path stranger = dir.resolve("stranger");
    Process make =
        new ProcessBuilder(ClusterNodes.script("make-tls.sh"), stranger.toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(make.waitFor() == 0, new String(make.getInputStream().readAllBytes()));
    Vertx vertx = Vertx.vertx();
    try {
      assertFalse(staysConnected(vertx, nodes, stranger), "a certificate from another CA");
      assertFalse(staysConnected(vertx, nodes, null), "no client certificate");
      assertTrue(staysConnected(vertx, nodes, nodes.tls()), "the cluster's own certificate");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Whether node 1's event bus keeps a TLS connection made with the certificate in {@code tls} open
   * for 10 s (TLS 1.3 checks the client's certificate after the client's handshake is done, so a
   * refusal is a close that follows; on a busy machine it can take seconds).
   */
  private static boolean staysConnected(Vertx vertx, ClusterNodes nodes, Path tls)
      throws Exception {
    NetClientOptions options =
        new NetClientOptions()
            .setSsl(true)
            .setHostnameVerificationAlgorithm("")
            .setTrustOptions(
                new PemTrustOptions().addCertPath(nodes.tls().resolve("ca.crt").toString()));
    if (tls != null) {
      options.setKeyCertOptions(
          new PemKeyCertOptions()
              .setCertPath(tls.resolve("node.crt").toString())
              .setKeyPath(tls.resolve("node.key").toString()));
    }
    NetClient client = vertx.createNetClient(options);
    ClusterNodes.Spec node = nodes.specs().get(0);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    try {
      // The close handler is set on the event loop as the connection completes: set later, from
      // this thread, it would miss a refusal that closed the connection in between.
      NetSocket socket =
          client
              .connect(node.busPort(), node.address())
              .map(
                  connected -> {
                    connected.closeHandler(v -> closed.complete(null));
                    return connected;
                  })
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      try {
        closed.get(10, TimeUnit.SECONDS);
        return false;
      } catch (TimeoutException open) {
        socket.close();
        return true;
      }
    } catch (ExecutionException refused) {
      return false;
    } finally {
      client.close();
    }
  }
}
