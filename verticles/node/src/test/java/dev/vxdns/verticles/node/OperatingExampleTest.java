package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * config/examples/ops.json run by the launcher in its own JVM (on free ports, in a copy of the
 * config folder), plus what the series need to exist: a PROXY listener, an {@code allow-query} that
 * refuses one PROXY client, response rate limiting with the test's client exempt, and a secondary
 * zone transferred from a second node. Real queries (UDP, TCP, TSIG, PROXY accepted and rejected,
 * refused), then: {@code /ready} and {@code /health}; a Prometheus scrape parsed and checked for
 * each named series and value; the Grafana dashboard's every series exported; the query log's PROXY
 * line with both address pairs; {@code vxdns querylog off|on} at run time.
 */
class OperatingExampleTest {
  @TempDir Path dir;

  private static final String RNDC_SECRET = "cm5kYy1rZXktZXhhbXBsZS1vbmx5LXJlcGxhY2UtbWUh";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A series of the exposition: name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  @Test
  void metricsHealthQueryLogAndDashboardOnTheOpsExample() throws Exception {
    int port = LauncherConfig.freePort();
    int proxyPort = otherFreePort(port);
    int control = otherFreePort(port, proxyPort);
    int stats = otherFreePort(port, proxyPort, control);
    int primaryPort = otherFreePort(port, proxyPort, control, stats);

    Path examples = Files.createDirectories(dir.resolve("examples"));
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.copy(Path.of("../../config/zones/example.test.zone"), zones.resolve("example.test.zone"));
    Files.copy(Path.of("../../config/zones/dyn.test.zone"), zones.resolve("dyn.test.zone"));
    JsonObject config = new JsonObject(Files.readString(Path.of("../../config/examples/ops.json")));
    JsonObject options = config.getJsonObject("options");
    options.getJsonArray("listen-on").getJsonObject(0).put("port", port);
    options
        .getJsonArray("listen-on")
        .add(
            new JsonObject()
                .put("address", "127.0.0.1")
                .put("port", proxyPort)
                .put("transport", new JsonArray().add("udp").add("tcp"))
                .put("proxy", "plain"));
    options
        .put("allow-proxy", new JsonArray().add("127.0.0.0/8"))
        .put("allow-query", new JsonArray().add("!192.0.2.66").add("any"))
        .put(
            "rate-limit",
            new JsonObject()
                .put("responses-per-second", 1000)
                .put("exempt-clients", new JsonArray().add("127.0.0.1")));
    config.getJsonArray("controls").getJsonObject(0).put("port", control);
    config.getJsonArray("statistics-channels").getJsonObject(0).put("port", stats);
    config
        .getJsonObject("zone")
        .put(
            "dyn.test",
            new JsonObject()
                .put("type", "secondary")
                .put("file", "../zones/dyn.test.copy.zone")
                .put(
                    "primaries",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("address", "127.0.0.1")
                                .put("port", primaryPort))));
    Path file = examples.resolve("ops.json");
    Files.writeString(file, config.encodePrettily());
    Path queryLog = examples.resolve("querylog/queries.jsonl");
    String base = "http://127.0.0.1:" + stats;

    Vertx primaryVertx = Main.newVertx(new VertxOptions().setEventLoopPoolSize(1));
    startPrimary(primaryVertx, primaryPort, zones.resolve("dyn.test.zone"));
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertTrue(node.awaitStarted(60), node.output());
      // Ready once dyn.test is transferred from the primary, too.
      HttpResponse<String> ready = awaitStatus(base + "/ready", 200, 30);
      JsonObject readiness = new JsonObject(ready.body());
      assertEquals("ready", readiness.getString("status"));
      assertEquals(2026112301L, readiness.getJsonObject("zones").getLong("example.test."));
      assertEquals(2026120301L, readiness.getJsonObject("zones").getLong("dyn.test."));
      HttpResponse<String> health = get(base + "/health");
      assertEquals(200, health.statusCode(), health.body());
      Set<String> up = new TreeSet<>();
      new JsonObject(health.body())
          .getJsonArray("deployments")
          .forEach(
              d -> {
                JsonObject deployment = (JsonObject) d;
                assertTrue(deployment.getBoolean("up"), deployment.encode());
                up.add(deployment.getString("name"));
              });
      assertTrue(up.containsAll(List.of("zone", "acl", "auth", "metrics", "udp", "tcp")), "" + up);

      // Real queries: UDP and TCP answers, a TSIG-signed one, a name outside the zones.
      assertEquals(Rcode.NOERROR, query(port, false, "www.example.test.", Type.A, null).getRcode());
      assertEquals(
          Rcode.NOERROR, query(port, true, "www.example.test.", Type.AAAA, null).getRcode());
      TSIG key = new TSIG(TSIG.HMAC_SHA256, "rndc-key.", RNDC_SECRET);
      Message signed = query(port, false, "mail.example.test.", Type.A, key);
      assertEquals(Rcode.NOERROR, signed.getRcode());
      assertTrue(signed.isVerified(), "the response is signed with the key");
      assertEquals(Rcode.REFUSED, query(port, false, "nope.invalid.", Type.A, null).getRcode());
      // Through PROXY: one client served, one refused by allow-query, one header rejected.
      InetSocketAddress served = new InetSocketAddress("198.51.100.7", 4242);
      InetSocketAddress refused = new InetSocketAddress("192.0.2.66", 4343);
      InetSocketAddress listenerSide = new InetSocketAddress("192.0.2.1", 53);
      Message viaProxy = proxied(proxyPort, served, listenerSide, "www.example.test.");
      assertNotNull(viaProxy, "the proxied query is answered");
      assertEquals(Rcode.NOERROR, viaProxy.getRcode());
      Message refusedViaProxy = proxied(proxyPort, refused, listenerSide, "www.example.test.");
      assertNotNull(refusedViaProxy);
      assertEquals(Rcode.REFUSED, refusedViaProxy.getRcode());
      byte[] bad =
          ProxyEncoder.prepend(
              ProxyHeader.proxy(TransportProtocol.DGRAM, served, listenerSide),
              wire("www.example.test.", Type.A));
      bad[3] ^= 0x55; // the signature
      assertNull(udp(proxyPort, bad, 700), "a datagram with a broken PROXY signature is dropped");

      // The scrape: the named series, with the values these queries gave.
      List<Sample> scrape = parse(get(base + "/metrics").body());
      String udpListener = "127.0.0.1:" + port;
      assertTrue(
          sum(
                  scrape,
                  "vxdns_queries_total",
                  l ->
                      l.get("listener").endsWith(":" + port)
                          && l.get("transport").equals("udp")
                          && l.get("qtype").equals("A")
                          && l.get("rcode").equals("NOERROR")
                          && l.get("opcode").equals("QUERY"))
              >= 2,
          "udp A NOERROR on " + udpListener + ": " + names(scrape));
      assertTrue(
          sum(
                  scrape,
                  "vxdns_queries_total",
                  l ->
                      l.get("transport").equals("tcp")
                          && l.get("qtype").equals("AAAA")
                          && l.get("rcode").equals("NOERROR"))
              >= 1);
      assertTrue(
          sum(
                  scrape,
                  "vxdns_queries_total",
                  l -> l.get("listener").endsWith(":" + port) && l.get("rcode").equals("REFUSED"))
              >= 1);
      assertTrue(
          sum(
                  scrape,
                  "vxdns_queries_total",
                  l ->
                      l.get("listener").endsWith(":" + proxyPort)
                          && l.get("rcode").equals("REFUSED"))
              >= 1);
      assertTrue(
          sum(
                  scrape,
                  "vxdns_queries_total",
                  l -> l.get("listener").endsWith(":" + proxyPort) && l.get("rcode").equals("none"))
              >= 1,
          "the dropped datagram counts without an rcode");
      assertEquals(
          2,
          sum(
              scrape,
              "vxdns_proxy_headers_total",
              l -> l.get("result").equals("accepted") && l.get("reason").isEmpty()));
      assertEquals(
          1,
          sum(
              scrape,
              "vxdns_proxy_headers_total",
              l -> l.get("result").equals("rejected") && l.get("reason").equals("bad-signature")));
      assertEquals(
          1,
          sum(
              scrape,
              "vxdns_acl_refusals_total",
              l -> l.get("list").equals("allow-query") && l.get("zone").equals("example.test.")));
      assertEquals(
          1,
          sum(
              scrape,
              "vxdns_signatures_total",
              l -> l.get("kind").equals("tsig") && l.get("result").equals("verified")));
      assertTrue(
          sum(scrape, "vxdns_rrl_responses_total", l -> l.get("action").equals("exempt")) >= 1);
      assertTrue(
          sum(
                  scrape,
                  "vxdns_transfers_in_total",
                  l -> l.get("zone").equals("dyn.test.") && l.get("result").equals("changed"))
              >= 1);
      assertEquals(
          2026112301, sum(scrape, "vxdns_zone_serial", l -> l.get("zone").equals("example.test.")));
      assertTrue(
          sum(scrape, "vxdns_zone_records", l -> l.get("zone").equals("example.test.")) > 10);
      assertTrue(
          sum(scrape, "vxdns_query_duration_seconds_count", l -> l.get("transport").equals("udp"))
              >= 4);
      assertTrue(
          sum(scrape, "vxdns_query_duration_seconds_bucket", l -> l.get("le").equals("+Inf")) >= 6);
      assertTrue(
          sum(scrape, "vxdns_response_size_bytes_bucket", l -> l.get("le").equals("512.0")) >= 5);
      assertTrue(
          sum(scrape, "vxdns_stage_duration_seconds_count", l -> l.get("stage").equals("vxdns.acl"))
              >= 1,
          "stages are timed on the first query of a chain and one in 16 after it");
      assertTrue(
          sum(
                  scrape,
                  "vxdns_stage_duration_seconds_count",
                  l -> l.get("stage").equals("vxdns.proxy"))
              >= 1);
      assertTrue(has(scrape, "vxdns_event_loop_lag_seconds"), "event-loop lag");
      assertTrue(has(scrape, "vxdns_querylog_dropped_total"));
      assertTrue(has(scrape, "jvm_memory_used_bytes"), "Vert.x Micrometer's JVM metrics");

      // The dashboard uses only series a node exports.
      Set<String> exported = names(scrape);
      Set<String> used = dashboardSeries(Path.of("../../ops/grafana-vxdns.json"));
      assertTrue(used.size() >= 10, "" + used);
      for (String series : used) {
        assertTrue(exported.contains(series), "the dashboard uses " + series + ", not exported");
      }

      // The query log: the PROXY query's line has both address pairs.
      JsonObject proxyLine =
          awaitLine(
              queryLog,
              line ->
                  line.getBoolean("proxy") && line.getString("source").equals("198.51.100.7#4242"));
      assertEquals("192.0.2.1#53", proxyLine.getString("destination"));
      assertTrue(proxyLine.getString("real-source").startsWith("127.0.0.1#"), proxyLine.encode());
      assertEquals("127.0.0.1#" + proxyPort, proxyLine.getString("real-destination"));
      assertEquals("udp", proxyLine.getString("transport"));
      assertEquals("www.example.test.", proxyLine.getString("qname"));
      assertEquals("A", proxyLine.getString("qtype"));
      assertEquals("NOERROR", proxyLine.getString("rcode"));
      assertTrue(
          proxyLine.getInteger("size") > 12 && proxyLine.getLong("latency-us") >= 0,
          proxyLine.encode());
      JsonObject plainLine =
          awaitLine(
              queryLog, line -> String.valueOf(line.getValue("qname")).equals("nope.invalid."));
      assertFalse(plainLine.getBoolean("proxy"));
      assertEquals(plainLine.getString("real-source"), plainLine.getString("source"));
      assertEquals("REFUSED", plainLine.getString("rcode"));
      assertEquals(
          "rndc-key.",
          awaitLine(
                  queryLog,
                  line -> String.valueOf(line.getValue("qname")).equals("mail.example.test."))
              .getString("key"));

      // vxdns querylog off: no more lines; on again: lines again (the positive control).
      String server = "127.0.0.1:" + control;
      assertEquals(
          List.of("0", "nothing in progress\n"),
          tools("progress", "--config", file.toString(), "--server", server),
          "the loads and the transfer are over");
      assertEquals(
          List.of(
              "0", "query log off (" + queryLog.toAbsolutePath().normalize() + ", 0 dropped)\n"),
          tools("querylog", "off", "--config", file.toString(), "--server", server));
      assertEquals(
          Rcode.NOERROR, query(port, false, "off.wild.example.test.", Type.A, null).getRcode());
      assertEquals(
          Rcode.NOERROR, query(port, false, "on.wild.example.test.", Type.TXT, null).getRcode());
      Thread.sleep(500); // the writer's delay is 20 ms
      assertFalse(
          Files.readString(queryLog).contains("off.wild.example.test."), "logged while off");
      // The switch outlives a redeploy of the metrics verticle, which runs the log.
      assertEquals(
          "0",
          tools("redeploy", "metrics", "--config", file.toString(), "--server", server).get(0));
      assertEquals("query log off", queryLogState(file, server));
      assertEquals(
          Rcode.NOERROR, query(port, false, "off.wild.example.test.", Type.TXT, null).getRcode());
      Thread.sleep(500);
      assertFalse(
          Files.readString(queryLog).contains("off.wild.example.test."),
          "logged while off, after the redeploy");
      assertEquals(
          "0", tools("querylog", "on", "--config", file.toString(), "--server", server).get(0));
      assertEquals("query log on", queryLogState(file, server));
      assertEquals(
          Rcode.NOERROR, query(port, false, "on.wild.example.test.", Type.A, null).getRcode());
      assertEquals(
          "A",
          awaitLine(
                  queryLog,
                  line -> String.valueOf(line.getValue("qname")).equals("on.wild.example.test."))
              .getString("qtype"));
      assertFalse(Files.readString(queryLog).contains("off.wild.example.test."));

      node.terminate();
      assertEquals(0, node.awaitExit(30), node.output());
    } finally {
      primaryVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A node in this JVM serving dyn.test as a primary that lets 127.0.0.1 transfer it. */
  private static void startPrimary(Vertx vertx, int port, Path zoneFile) throws Exception {
    JsonObject config =
        LauncherConfig.config(port)
            .put(
                "zone",
                new JsonObject()
                    .put(
                        "dyn.test",
                        new JsonObject()
                            .put("file", zoneFile.toString())
                            .put("allow-transfer", new JsonArray().add("127.0.0.1"))));
    Node.start(vertx, NodeConfig.parse(config, zoneFile.getParent()))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static int otherFreePort(int... taken) throws Exception {
    while (true) {
      int port = LauncherConfig.freePort();
      if (Arrays.stream(taken).noneMatch(t -> t == port)) {
        return port;
      }
    }
  }

  private static HttpResponse<String> get(String uri) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> awaitStatus(String uri, int status, int seconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    HttpResponse<String> response = get(uri);
    while (response.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(200);
      response = get(uri);
    }
    assertEquals(status, response.statusCode(), response.body());
    return response;
  }

  private static byte[] wire(String name, int type) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)).toWire();
  }

  private static Message query(int port, boolean tcp, String name, int type, TSIG key)
      throws Exception {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(port);
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(5));
    if (key != null) {
      resolver.setTSIGKey(key);
    }
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  private static Message proxied(
      int port, InetSocketAddress source, InetSocketAddress destination, String name)
      throws Exception {
    byte[] reply =
        udp(
            port,
            ProxyEncoder.prepend(
                ProxyHeader.proxy(TransportProtocol.DGRAM, source, destination),
                wire(name, Type.A)),
            5000);
    return reply == null ? null : new Message(reply);
  }

  /** One datagram out, the reply or null after {@code waitMillis}. */
  private static byte[] udp(int port, byte[] packet, int waitMillis) throws Exception {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(waitMillis);
      socket.send(
          new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), port));
      DatagramPacket reply = new DatagramPacket(new byte[65535], 65535);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException silent) {
        return null;
      }
      return Arrays.copyOf(reply.getData(), reply.getLength());
    }
  }

  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** The Prometheus text format's samples (comments skipped). */
  static List<Sample> parse(String exposition) {
    List<Sample> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher sample = SAMPLE.matcher(line);
      assertTrue(sample.matches(), "not a Prometheus sample line: " + line);
      Map<String, String> labels = new HashMap<>();
      if (sample.group(2) != null) {
        Matcher label = LABEL.matcher(sample.group(2));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
      }
      samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
    }
    return samples;
  }

  private static double sum(
      List<Sample> samples, String name, Predicate<Map<String, String>> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && labels.test(s.labels()))
        .mapToDouble(Sample::value)
        .sum();
  }

  private static boolean has(List<Sample> samples, String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  private static Set<String> names(List<Sample> samples) {
    Set<String> names = new TreeSet<>();
    samples.forEach(s -> names.add(s.name()));
    return names;
  }

  private static final Pattern SERIES = Pattern.compile("\\b(vxdns_[a-z0-9_]+)");

  /** Every vxdns_ series named in the dashboard's queries (panel targets and variables). */
  static Set<String> dashboardSeries(Path dashboard) throws Exception {
    JsonObject json = new JsonObject(Files.readString(dashboard));
    Set<String> series = new TreeSet<>();
    List<String> expressions = new ArrayList<>();
    for (Object panel : json.getJsonArray("panels")) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
        expressions.add(((JsonObject) target).getString("expr"));
      }
    }
    for (Object variable : json.getJsonObject("templating").getJsonArray("list")) {
      expressions.add(((JsonObject) variable).getString("definition", ""));
    }
    for (String expression : expressions) {
      Matcher name = SERIES.matcher(expression);
      while (name.find()) {
        series.add(name.group(1));
      }
    }
    return series;
  }

  /** Waits (at most 10 s) for a line of the query log that {@code wanted} accepts. */
  private static JsonObject awaitLine(Path log, Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          JsonObject entry = new JsonObject(line);
          if (wanted.test(entry)) {
            return entry;
          }
        }
      }
      assertTrue(System.nanoTime() < deadline, "no such line in " + log);
      Thread.sleep(50);
    }
  }

  /** {@code vxdns querylog}'s answer without the file and drop count: "query log on|off". */
  private static String queryLogState(Path config, String server) {
    return tools("querylog", "--config", config.toString(), "--server", server)
        .get(1)
        .split(" \\(")[0];
  }

  private static List<String> tools(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        new Tools(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8))
            .run(List.of(args));
    return List.of(Integer.toString(status), out.toString(StandardCharsets.UTF_8));
  }
}
