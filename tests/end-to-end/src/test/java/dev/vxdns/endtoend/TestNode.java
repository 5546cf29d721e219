package dev.vxdns.endtoend;

import dev.vxdns.message.Delivery;
import dev.vxdns.verticles.node.Main;
import dev.vxdns.verticles.node.Node;
import dev.vxdns.verticles.node.NodeConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

/** A node on 127.0.0.1 and a free port, serving the repository's example zone and a test zone. */
final class TestNode implements AutoCloseable {
  static final Path EXAMPLE_ZONE =
      Path.of("../../config/zones/example.test.zone").toAbsolutePath().normalize();
  static final Path BIG_ZONE =
      Path.of("src/test/resources/zones/big.test.zone").toAbsolutePath().normalize();

  final Vertx vertx;
  final Node node;
  final int port;
  final Path directory;

  private TestNode(Vertx vertx, Node node, int port, Path directory) {
    this.vertx = vertx;
    this.node = node;
    this.port = port;
    this.directory = directory;
  }

  /** The test config: both zones, one UDP and one TCP listener on a free port. */
  static JsonObject config(int port, Delivery delivery) {
    return new JsonObject()
        .put(
            "options",
            new JsonObject()
                .put("listen-on", new JsonArray().add(do53Listener(port)))
                .put("pipeline", new JsonObject().put("delivery", delivery.configName()))
                .put("tcp-initial-timeout", 25))
        .put(
            "zone",
            new JsonObject()
                .put("example.test", exampleZone())
                .put("big.test", new JsonObject().put("file", BIG_ZONE.toString())));
  }

  /** A listener on 127.0.0.1: {@code transport} is a name or a {@link JsonArray} of names. */
  static JsonObject listener(int port, Object transport) {
    return new JsonObject()
        .put("address", "127.0.0.1")
        .put("port", port)
        .put("transport", transport);
  }

  /** Do53 over UDP and TCP on one port on 127.0.0.1, as the test config listens. */
  static JsonObject do53Listener(int port) {
    return listener(port, new JsonArray().add("udp").add("tcp"));
  }

  /** Adds a listener to a config made by {@link #config}; returns the config. */
  static JsonObject listen(JsonObject config, JsonObject listener) {
    config.getJsonObject("options").getJsonArray("listen-on").add(listener);
    return config;
  }

  /**
   * The repository's example zone as a zone entry, with {@code notify no} as in config/vxdns.json:
   * a node NOTIFYs a zone's NS hosts once it has loaded it, and the example zone's have
   * documentation addresses (192.0.2.54), off this machine.
   */
  static JsonObject exampleZone() {
    return new JsonObject().put("file", EXAMPLE_ZONE.toString()).put("notify", "no");
  }

  /** An {@code http} section: "local-http", DoH on {@code /dns-query}. */
  static JsonObject localHttp() {
    return new JsonObject()
        .put("local-http", new JsonObject().put("endpoints", new JsonArray().add("/dns-query")));
  }

  /**
   * Gives {@code config} a control channel on 127.0.0.1 and {@code port} with a key {@code
   * bin/vxdns tsig-keygen} writes to {@code dir}/rndc.key, and writes the config to {@code
   * dir}/vxdns.json (start the node on {@code dir} after this): the options the control-channel
   * tools take.
   */
  static List<String> controlled(JsonObject config, Path dir, int port) throws Exception {
    Commands.Run keygen =
        Commands.vxdns(
            List.of("tsig-keygen", "--file", dir.resolve("rndc.key").toString(), "rndc-key"));
    if (keygen.status() != 0) {
      throw new AssertionError("tsig-keygen failed: " + keygen.out());
    }
    config.put(
        "controls",
        new JsonArray()
            .add(
                new JsonObject()
                    .put("address", "127.0.0.1")
                    .put("port", port)
                    .put("key", "rndc-key.")
                    .put("key-file", "rndc.key")));
    Path file = dir.resolve("vxdns.json");
    Files.writeString(file, config.encodePrettily());
    return List.of("--config", file.toString());
  }

  /**
   * A node in a JVM of its own, as an operator runs it (so that a test can kill it with SIGKILL),
   * on {@code config} written to {@code dir}/vxdns.json, its output in {@code dir}/java.log; once
   * it serves.
   */
  static Peer startProcess(Path dir, JsonObject config) throws Exception {
    Path file = dir.resolve("vxdns.json");
    Files.writeString(file, config.encodePrettily());
    Peer node =
        Peer.start(
            dir,
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--config",
                file.toString()));
    try {
      node.awaitLog("vxdns started", 60);
      return node;
    } catch (AssertionError e) {
      node.close();
      throw e;
    }
  }

  /**
   * Starts a node for {@code config}, its relative paths resolved against a new temporary folder.
   */
  static TestNode start(JsonObject config) throws Exception {
    return start(config, Files.createTempDirectory("vxdns-test"), null, 30);
  }

  /**
   * Starts a node for {@code config}, its relative paths resolved against {@code directory}; {@code
   * tlsGenerated} (null: the default under {@code directory}) is where {@code "tls": "ephemeral"}
   * makes its certificate. Start-up may generate that certificate first, hence the longer wait.
   */
  static TestNode start(JsonObject config, Path directory, Path tlsGenerated) throws Exception {
    return start(config, directory, tlsGenerated, 60);
  }

  private static TestNode start(
      JsonObject config, Path directory, Path tlsGenerated, int timeoutSeconds) throws Exception {
    Vertx vertx = Main.newVertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      NodeConfig parsed = NodeConfig.parse(config, directory, tlsGenerated);
      Node node =
          Node.start(vertx, parsed)
              .toCompletionStage()
              .toCompletableFuture()
              .get(timeoutSeconds, TimeUnit.SECONDS);
      return new TestNode(vertx, node, parsed.transport().listeners().get(0).port(), directory);
    } catch (java.util.concurrent.TimeoutException e) {
      // A start that never ends is a bug to find: say where every thread was.
      System.err.println("node start timed out after " + timeoutSeconds + " s; threads:");
      Thread.getAllStackTraces()
          .forEach(
              (thread, stack) -> {
                System.err.println("  " + thread.getName() + " " + thread.getState());
                for (StackTraceElement frame : stack) {
                  System.err.println("      at " + frame);
                }
              });
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw e;
    } catch (Exception e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Parses {@code config} and starts a node for it on a Vert.x the test made itself (not {@link
   * Main#newVertx}), for a test of what such a Vert.x refuses. The caller closes {@code vertx}.
   */
  static Future<Node> startOnOwnVertx(Vertx vertx, JsonObject config, Path directory)
      throws Exception {
    return Node.start(vertx, NodeConfig.parse(config, directory));
  }

  static TestNode start(Delivery delivery) throws Exception {
    return start(config(freePort(), delivery));
  }

  /** {@link dev.vxdns.verticles.node.FreePorts#freePort}. */
  static int freePort() throws IOException {
    return dev.vxdns.verticles.node.FreePorts.freePort();
  }

  /** dnsjava's resolver to this node as a plain client ({@link DnsClient#resolver}). */
  SimpleResolver resolver(boolean tcp) throws Exception {
    return DnsClient.resolver(port, tcp);
  }

  /** Sends a query without EDNS over UDP or TCP and returns the response. */
  Message query(String name, int type, boolean tcp) throws Exception {
    return DnsClient.query(port, name, type, tcp);
  }

  /** Sends raw bytes in one datagram to this node ({@link DnsClient#udp}). */
  byte[] udpRaw(byte[] packet, int waitMillis) throws IOException {
    return DnsClient.udp(port, packet, waitMillis);
  }

  /** A TCP connection to this node ({@link DnsClient#tcp}). */
  java.net.Socket tcpSocket(int readTimeoutMillis) throws IOException {
    return DnsClient.tcp(port, readTimeoutMillis);
  }

  Message send(Message query, boolean tcp) throws Exception {
    return resolver(tcp).send(query);
  }

  @Override
  public void close()
      throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    try {
      node.stop()
          .eventually(vertx::close)
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the node", e);
    }
  }
}
