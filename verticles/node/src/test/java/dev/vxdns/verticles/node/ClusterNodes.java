package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Clustered nodes as separate JVMs for the cluster tests: each with its own directory (config, the
 * zone file of config/zones/dyn.test.zone, its journal), one shared CA made by cluster/make-tls.sh,
 * the zone {@code dyn.test} with key {@code update-key.} as in config/examples/dynamic.json; and a
 * DNS client for them (TSIG-signed updates, queries).
 */
final class ClusterNodes implements AutoCloseable {
  static final Name ORIGIN = Name.fromConstantString("dyn.test.");
  static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
  private static final String KEY = "update-key.";
  private static final String SECRET = "dXBkYXRlLWtleS1leGFtcGxlLW9ubHktcmVwbGFjZSE=";
  private static final String CONTROL_KEY = "rndc-key.";
  private static final String CONTROL_SECRET = "cm5kYy1rZXktZXhhbXBsZS1vbmx5LXJlcGxhY2UtbWUh";

  /** One node: where it listens and how it is started. */
  record Spec(
      int index,
      String address,
      int dnsPort,
      int hazelcastPort,
      int busPort,
      int controlPort,
      int statsPort,
      Path dir) {
    Path config() {
      return dir.resolve("vxdns.json");
    }
  }

  private final List<Spec> specs;
  private final List<String>[] prefixes;
  private final NodeProcess[] running;
  private final TSIG tsig =
      new TSIG(
          TSIG.HMAC_SHA256,
          Name.fromConstantString(KEY),
          new SecretKeySpec(java.util.Base64.getDecoder().decode(SECRET), "HmacSHA256"));

  @SuppressWarnings("unchecked")
  private ClusterNodes(List<Spec> specs, List<List<String>> prefixes) {
    this.specs = List.copyOf(specs);
    this.prefixes = prefixes.toArray(new List[0]);
    this.running = new NodeProcess[specs.size()];
  }

  /**
   * Nodes on 127.0.0.1 started as they are (no namespace), node i running as {@code roles[i]}
   * (cluster.role: "full" or "edge").
   */
  static ClusterNodes onLoopback(Path dir, String... roles)
      throws IOException, InterruptedException {
    List<String> addresses = java.util.Collections.nCopies(roles.length, "127.0.0.1");
    List<List<String>> prefixes = java.util.Collections.nCopies(roles.length, List.of());
    return create(dir, addresses, prefixes, List.of(roles));
  }

  /**
   * Writes the configs of {@code addresses.size()} nodes under {@code dir}; node i listens on
   * {@code addresses.get(i)} and is started under {@code prefixes.get(i)}.
   */
  static ClusterNodes create(Path dir, List<String> addresses, List<List<String>> prefixes)
      throws IOException, InterruptedException {
    return create(dir, addresses, prefixes, addresses.stream().map(a -> "full").toList());
  }

  /** Like {@link #create(Path, List, List)}; node i runs as {@code roles.get(i)} (cluster.role). */
  static ClusterNodes create(
      Path dir, List<String> addresses, List<List<String>> prefixes, List<String> roles)
      throws IOException, InterruptedException {
    require("openssl", "openssl");
    Path tls = dir.resolve("tls");
    List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
    addresses.stream().filter(a -> !ips.contains(a)).forEach(ips::add);
    List<String> command = new ArrayList<>(List.of(script("make-tls.sh"), tls.toString()));
    command.addAll(ips);
    Process make = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(make.getInputStream().readAllBytes());
    assertTrue(make.waitFor() == 0, "cluster/make-tls.sh: " + output);
    List<Spec> specs = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      Path nodeDir = Files.createDirectories(dir.resolve("node-" + (i + 1)));
      Files.copy(
          REPOSITORY.resolve("config/zones/dyn.test.zone"), nodeDir.resolve("dyn.test.zone"));
      specs.add(
          new Spec(
              i + 1,
              addresses.get(i),
              LauncherConfig.freePort(),
              LauncherConfig.freePort(),
              LauncherConfig.freePort(),
              LauncherConfig.freePort(),
              LauncherConfig.freePort(),
              nodeDir));
    }
    JsonArray members = new JsonArray();
    specs.forEach(spec -> members.add(spec.address() + ":" + spec.hazelcastPort()));
    for (Spec spec : specs) {
      JsonObject config = config(spec, members, tls);
      String role = roles.get(spec.index() - 1);
      if (!role.equals("full")) {
        config.getJsonObject("cluster").put("role", role);
      }
      Files.writeString(spec.config(), config.encodePrettily());
    }
    return new ClusterNodes(specs, prefixes);
  }

  /** Sets {@code cluster.<key>} in every node's config; the nodes read it when they start. */
  void setClusterKey(String key, Object value) throws IOException {
    for (Spec spec : specs) {
      JsonObject config = new JsonObject(Files.readString(spec.config()));
      config.getJsonObject("cluster").put(key, value);
      Files.writeString(spec.config(), config.encodePrettily());
    }
  }

  static String script(String name) {
    return REPOSITORY.resolve("cluster").resolve(name).toString();
  }

  /**
   * A tool the cluster tests run (openssl makes their CA): a machine without it skips outside CI
   * and fails in CI.
   */
  static void require(String tool, String debianPackage) {
    boolean present =
        List.of("/usr/bin/", "/usr/local/bin/", "/usr/sbin/").stream()
            .anyMatch(path -> Files.isExecutable(Path.of(path + tool)));
    if (!present) {
      String why = tool + " is missing (Debian: " + debianPackage + ")";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
  }

  private static JsonObject config(Spec spec, JsonArray members, Path tls) {
    JsonObject listener =
        new JsonObject()
            .put("address", spec.address())
            .put("port", spec.dnsPort())
            .put("transport", new JsonArray().add("udp").add("tcp"));
    return new JsonObject()
        .put(
            "key",
            new JsonObject()
                .put(KEY, new JsonObject().put("algorithm", "hmac-sha256").put("secret", SECRET))
                .put(
                    CONTROL_KEY,
                    new JsonObject().put("algorithm", "hmac-sha256").put("secret", CONTROL_SECRET)))
        .put(
            "options",
            new JsonObject()
                .put("listen-on", new JsonArray().add(listener))
                .put("tkey-domain", "tkey.test."))
        .put(
            "controls",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("address", spec.address())
                        .put("port", spec.controlPort())
                        .put("allow", new JsonArray().add("any"))
                        .put("key", CONTROL_KEY)))
        .put(
            "statistics-channels",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("address", spec.address())
                        .put("port", spec.statsPort())
                        .put("allow", new JsonArray().add("any"))))
        .put(
            "zone",
            new JsonObject()
                .put(
                    "dyn.test",
                    new JsonObject()
                        .put("type", "primary")
                        .put("file", "dyn.test.zone")
                        .put("update-policy", new JsonArray().add("grant " + KEY + " zonesub ANY"))
                        .put("allow-transfer", new JsonArray().add("key " + KEY))
                        .put("sync-interval", 2)))
        .put(
            "cluster",
            new JsonObject()
                .put("name", "vxdns-test-" + spec.dir().getParent().getFileName())
                .put("hazelcast-config", script("hazelcast.xml"))
                .put("members", members)
                .put("interfaces", new JsonArray().add(spec.address()))
                .put("port", spec.hazelcastPort())
                .put(
                    "event-bus",
                    new JsonObject()
                        .put("host", spec.address())
                        .put("port", spec.busPort())
                        .put("cert-file", tls.resolve("node.crt").toString())
                        .put("key-file", tls.resolve("node.key").toString())
                        .put("ca-file", tls.resolve("ca.crt").toString())));
  }

  /** Where cluster/make-tls.sh put the cluster's CA and node certificate. */
  Path tls() {
    return specs.get(0).dir().getParent().resolve("tls");
  }

  List<Spec> specs() {
    return specs;
  }

  int size() {
    return specs.size();
  }

  /** Starts the nodes not running, all at once, and waits until each has started. */
  void startAll() throws Exception {
    for (int i = 0; i < running.length; i++) {
      if (running[i] == null) {
        running[i] =
            NodeProcess.launch(
                prefixes[i], "--config", specs.get(i).config().toString(), "--cluster");
      }
    }
    for (int i = 0; i < running.length; i++) {
      assertTrue(running[i].awaitStarted(180), "node " + (i + 1) + ":\n" + running[i].output());
    }
  }

  /**
   * Node i's health ({@code vxdns cluster-status}, run where the node is: in its namespace), or
   * null when the tool got no answer.
   */
  io.vertx.core.json.JsonObject health(int i) throws IOException, InterruptedException {
    return toolJson(i, "cluster-status");
  }

  /**
   * A control-channel tool's JSON answer from node i ({@code cluster-status}, {@code
   * cluster-stats}), or null when the tool got no answer.
   */
  io.vertx.core.json.JsonObject toolJson(int i, String name)
      throws IOException, InterruptedException {
    ToolRun run = runTool(i, name);
    return run.status() != 0 ? null : new io.vertx.core.json.JsonObject(run.output());
  }

  /** A tool's exit status and what it printed (standard output and error together). */
  record ToolRun(int status, String output) {}

  /**
   * Runs {@code vxdns ARGS --config CONFIG --server CONTROL} for node i in a JVM of its own, where
   * the node is (in its namespace).
   */
  ToolRun runTool(int i, String... args) throws IOException, InterruptedException {
    Spec spec = specs.get(i);
    List<String> command = new ArrayList<>(prefixes[i]);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx64m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName()));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", spec.config().toString(), "--server", control(i)));
    Process tool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(tool.getInputStream().readAllBytes());
    return new ToolRun(tool.waitFor(), output);
  }

  /**
   * Runs a {@code vxdns} tool in this JVM (on loopback only: not in a node's namespace): its exit
   * status, then what it printed on stdout and stderr.
   */
  static List<String> tool(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int status =
        new Tools(
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8))
            .run(List.of(args));
    return List.of(
        Integer.toString(status),
        out.toString(java.nio.charset.StandardCharsets.UTF_8),
        err.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Node i's control channel, for a tool's {@code --server}. */
  String control(int i) {
    return specs.get(i).address() + ":" + specs.get(i).controlPort();
  }

  /** An HTTP status and its JSON body. */
  record HttpAnswer(int status, io.vertx.core.json.JsonObject body) {}

  /**
   * GET {@code path} ({@code /health}, {@code /ready}) on node i's statistics channel with curl,
   * run where the node is (in its namespace).
   */
  HttpAnswer statistics(int i, String path) throws IOException, InterruptedException {
    require("curl", "curl");
    Spec spec = specs.get(i);
    List<String> command = new ArrayList<>(prefixes[i]);
    command.addAll(
        List.of(
            "curl",
            "-s",
            "--max-time",
            "10",
            "-w",
            "\n%{http_code}",
            "http://" + spec.address() + ":" + spec.statsPort() + path));
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(curl.getInputStream().readAllBytes()).strip();
    assertTrue(curl.waitFor() == 0, "curl " + path + " on node " + (i + 1) + ": " + output);
    int split = output.lastIndexOf('\n');
    return new HttpAnswer(
        Integer.parseInt(output.substring(split + 1)),
        new io.vertx.core.json.JsonObject(output.substring(0, split)));
  }

  /** kill -9. */
  void kill(int i) throws InterruptedException {
    running[i].close();
    running[i].awaitExit(30);
    running[i] = null;
  }

  boolean isRunning(int i) {
    return running[i] != null && running[i].isAlive();
  }

  NodeProcess process(int i) {
    return running[i];
  }

  String output(int i) {
    return running[i] == null ? "(not running)" : running[i].output();
  }

  /**
   * Adds {@code r<n>.dyn.test. A} through node i over TCP, TSIG-signed; the response's rcode, or -1
   * when there was none (the node died, a timeout).
   */
  int update(int i, int n) {
    try {
      Update update = new Update(ORIGIN);
      update.add(
          new ARecord(
              name(n),
              DClass.IN,
              300,
              InetAddress.getByAddress(
                  new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n})));
      SimpleResolver resolver = resolver(i);
      resolver.setTCP(true);
      resolver.setTSIGKey(tsig);
      resolver.setTimeout(Duration.ofSeconds(20));
      Message response = resolver.send(update);
      return response.isVerified() ? response.getRcode() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  static Name name(int n) {
    return Name.fromConstantString("r" + n + ".dyn.test.");
  }

  /** An answer from node i over UDP, or null when it did not answer within the timeout. */
  Message query(int i, Name name, int type, Duration timeout) {
    try {
      SimpleResolver resolver = resolver(i);
      resolver.setTimeout(timeout);
      return resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether node i answers {@code r<n>} with its A record. */
  boolean serves(int i, int n) {
    Message answer = query(i, name(n), Type.A, Duration.ofSeconds(3));
    return answer != null
        && answer.getRcode() == Rcode.NOERROR
        && !answer.getSection(Section.ANSWER).isEmpty();
  }

  /** Node i's SOA serial, -1 without an answer. */
  long serial(int i) {
    Message answer = query(i, ORIGIN, Type.SOA, Duration.ofSeconds(3));
    if (answer == null || answer.getSection(Section.ANSWER).isEmpty()) {
      return -1;
    }
    return ((SOARecord) answer.getSection(Section.ANSWER).get(0)).getSerial();
  }

  /** The update key, which may sign TKEY requests. */
  TSIG updateKey() {
    return tsig;
  }

  SimpleResolver resolver(int i) throws IOException {
    Spec spec = specs.get(i);
    return new SimpleResolver(
        new InetSocketAddress(InetAddress.getByName(spec.address()), spec.dnsPort()));
  }

  @Override
  public void close() {
    for (NodeProcess process : running) {
      if (process != null) {
        process.close();
      }
    }
  }
}
