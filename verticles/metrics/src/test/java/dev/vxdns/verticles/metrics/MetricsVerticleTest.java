package dev.vxdns.verticles.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.QueryLog;
import dev.vxdns.message.QueryLogEntry;
import dev.vxdns.message.Transport;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statistics channel on its own (no node): /health and /ready while the node is absent and when
 * a deployment is down, /metrics, the allow list; the query log's writer: JSON lines, rotation by
 * size, drops counted when the queue is full, and the switch on the event bus.
 */
class MetricsVerticleTest {
  @TempDir Path dir;

  private Vertx vertx;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static AddressMatchList list(Path dir, String... elements) throws Exception {
    return ConfigSource.of(new JsonObject(), dir).acls().compile("allow", List.of(elements));
  }

  private int deploy(MetricsSettings settings) throws Exception {
    MetricsVerticle verticle = new MetricsVerticle(settings);
    vertx
        .deployVerticle(verticle)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return settings.channels().isEmpty() ? -1 : verticle.boundPort();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private MetricsSettings.Channel channel(String... allow) throws Exception {
    return new MetricsSettings.Channel(InetAddress.getLoopbackAddress(), 0, list(dir, allow));
  }

  @Test
  void healthAndReadyFollowTheNodesDeployments() throws Exception {
    int port = deploy(new MetricsSettings(List.of(channel("localhost")), null));
    // No node answers yet: alive, not ready.
    assertEquals(200, get(port, "/health").statusCode());
    HttpResponse<String> starting = get(port, "/ready");
    assertEquals(503, starting.statusCode());
    assertEquals("starting or stopping", new JsonObject(starting.body()).getString("status"));

    JsonArray deployments =
        new JsonArray()
            .add(new JsonObject().put("name", "udp").put("up", true))
            .add(new JsonObject().put("name", "zone").put("up", true));
    var consumer =
        vertx
            .eventBus()
            .consumer(
                Addresses.NODE_HEALTH,
                m -> m.reply(new JsonObject().put("deployments", deployments.copy())));
    consumer.completion().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    HttpResponse<String> ready = get(port, "/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("ready", new JsonObject(ready.body()).getString("status"));

    consumer.unregister().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    deployments.getJsonObject(1).put("up", false);
    vertx
        .eventBus()
        .consumer(
            Addresses.NODE_HEALTH,
            m -> m.reply(new JsonObject().put("deployments", deployments.copy())))
        .completion()
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
    HttpResponse<String> down = get(port, "/health");
    assertEquals(503, down.statusCode(), down.body());
    assertEquals("not ok", new JsonObject(down.body()).getString("status"));
    assertEquals(503, get(port, "/ready").statusCode());
  }

  @Test
  void metricsAreScrapedAndTheAllowListApplies() throws Exception {
    Counter.builder("vxdns_test_events").register(NodeMetrics.of(vertx).registry()).increment(3);
    int port = deploy(new MetricsSettings(List.of(channel("localhost")), null));
    HttpResponse<String> scrape = get(port, "/metrics");
    assertEquals(200, scrape.statusCode());
    assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    assertTrue(scrape.body().contains("vxdns_test_events_total 3.0"), scrape.body());

    int refused = deploy(new MetricsSettings(List.of(channel("!127.0.0.1", "any")), null));
    assertEquals(403, get(refused, "/metrics").statusCode());
  }

  @Test
  void theQueryLogWritesLinesRotatesBySizeAndCountsDrops() throws Exception {
    Path file = dir.resolve("log/queries.jsonl");
    MetricsSettings.QueryLogConfig config =
        new MetricsSettings.QueryLogConfig(true, file, 4096, 2, 100_000);
    deploy(new MetricsSettings(List.of(), config));
    QueryLog log = NodeMetrics.of(vertx).queryLog();
    assertTrue(log.enabled());
    InetSocketAddress client = new InetSocketAddress("192.0.2.7", 5353);
    InetSocketAddress server = new InetSocketAddress("127.0.0.1", 53);
    for (int i = 0; i < 200; i++) {
      log.offer(
          new QueryLogEntry(
              1_700_000_000_000L + i,
              Transport.UDP,
              "udp 127.0.0.1:53",
              client,
              server,
              client,
              server,
              false,
              null,
              "q" + i + ".example.",
              1,
              0,
              100,
              12_000));
    }
    Path first = dir.resolve("log/queries.jsonl.1");
    Path second = dir.resolve("log/queries.jsonl.2");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(Files.exists(second) && contains(file, "q199.example."))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(first) && Files.exists(second), "rotated twice at least");
    assertFalse(Files.exists(dir.resolve("log/queries.jsonl.3")), "versions: 2");
    for (Path version : List.of(file, first, second)) {
      assertTrue(Files.size(version) <= 4096, version + " " + Files.size(version));
    }
    JsonObject last =
        new JsonObject(Files.readAllLines(file).get(Files.readAllLines(file).size() - 1));
    assertEquals("q199.example.", last.getString("qname"));
    assertEquals("192.0.2.7#5353", last.getString("source"));
    assertEquals("A", last.getString("qtype"));
    assertEquals("NOERROR", last.getString("rcode"));
    assertEquals(12, last.getLong("latency-us"));

    // Switched off over the bus; then the queue's bound drops and counts.
    JsonObject state =
        vertx
            .eventBus()
            .<JsonObject>request(Addresses.QUERYLOG, new JsonObject().put("enabled", false))
            .toCompletionStage()
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS)
            .body();
    assertFalse(state.getBoolean("enabled"));
    assertFalse(log.enabled());

    QueryLog small = new QueryLog(2, true, NodeMetrics.of(vertx).registry());
    QueryLogEntry entry =
        new QueryLogEntry(
            0, Transport.TCP, "x", client, server, client, server, false, null, null, -1, -1, 0, 0);
    small.offer(entry);
    small.offer(entry);
    assertEquals(0, small.droppedCount());
    small.offer(entry);
    assertEquals(1, small.droppedCount(), "the third entry did not fit");
    assertEquals(entry, small.poll());
  }

  /** False while the file is missing: between a rotation's move and the next open it is. */
  private static boolean contains(Path file, String text) throws IOException {
    try {
      return Files.readString(file).contains(text);
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
