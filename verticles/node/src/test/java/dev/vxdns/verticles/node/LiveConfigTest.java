package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The live platform through the launcher as an operator runs it: the config store reloaded by its
 * scan, by SIGHUP and by {@code vxdns reconfig}; {@code vxdns deployments} and {@code vxdns
 * redeploy} under load. Queries go over real sockets to the node's process.
 */
class LiveConfigTest {
  private NodeProcess node;
  private Path dir;
  private Path configFile;
  private int port;

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.terminate();
      node.awaitExit(30);
      node.close();
    }
  }

  /** Starts a node from a config file with a control channel, its store scanned every period. */
  private JsonObject start(int scanSeconds) throws Exception {
    dir = Files.createTempDirectory("vxdns-live");
    port = LauncherConfig.freePort();
    JsonObject config = LauncherConfig.config(port);
    assertEquals(
        "0", run("tsig-keygen", "--file", dir.resolve("rndc.key").toString(), "rndc-key").get(0));
    config.put(
        "controls",
        new JsonArray()
            .add(
                new JsonObject()
                    .put("address", "127.0.0.1")
                    .put("port", LauncherConfig.freePort())
                    .put("key", "rndc-key.")
                    .put("key-file", "rndc.key")));
    configFile = dir.resolve("vxdns.json");
    write(config);
    node =
        NodeProcess.launch(
            "--config",
            configFile.toString(),
            "--config-scan-period",
            Integer.toString(scanSeconds));
    assertTrue(node.awaitStarted(60), node.output());
    return config;
  }

  private void write(JsonObject config) throws IOException {
    // Atomically, so that a scan never reads half a file.
    Path temporary = dir.resolve("vxdns.json.new");
    Files.writeString(temporary, config.encodePrettily());
    Files.move(temporary, configFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void invalidEditsKeepTheRunningConfigAndSighupAppliesAValidOne() throws Exception {
    JsonObject config = start(0);
    Map<String, String> before = deployments();
    assertEquals(Rcode.NOERROR, query(port, "example.test.", Type.SOA, false).getRcode());

    // Bad JSON: the tool cannot even find the control channel in it; SIGHUP makes the node try.
    Files.writeString(configFile, "{\"options\": ");
    List<String> unreadable = run("reconfig", "--config", configFile.toString());
    assertNotEquals("0", unreadable.get(0));
    assertTrue(unreadable.get(2).contains("end-of-input"), unreadable.get(2));
    new ProcessBuilder("kill", "-HUP", Long.toString(node.pid())).start().waitFor();
    await(
        () -> node.output().contains("the running configuration is kept"),
        "the node logs the invalid file");
    assertTrue(node.output().contains("end-of-input"), node.output());
    write(config.copy().put("no-such-section", 1));
    assertRefused("no-such-section");
    JsonObject badAcl = config.copy();
    badAcl.getJsonObject("options").put("allow-query", new JsonArray().add("300.1.2.3"));
    write(badAcl);
    assertRefused("allow-query");
    JsonObject missingZone = config.copy();
    missingZone
        .getJsonObject("zone")
        .put("missing.test", new JsonObject().put("file", dir.resolve("nope.zone").toString()));
    write(missingZone);
    assertRefused("nope.zone");
    assertTrue(node.output().contains("the running configuration is kept"), node.output());
    assertEquals(before, deployments(), "nothing was replaced");
    assertEquals(Rcode.NOERROR, query(port, "example.test.", Type.SOA, false).getRcode());
    assertEquals(Rcode.NOERROR, query(port, "example.test.", Type.SOA, true).getRcode());

    // A valid edit: a zone added, applied on SIGHUP.
    JsonObject added = config.copy();
    added.getJsonObject("zone").put("added.test", new JsonObject().put("file", addedZone()));
    write(added);
    assertEquals(Rcode.REFUSED, query(port, "added.test.", Type.SOA, false).getRcode());
    new ProcessBuilder("kill", "-HUP", Long.toString(node.pid())).start().waitFor();
    await(() -> rcode(port, "added.test.") == Rcode.NOERROR, "the added zone is served");
    Map<String, String> after = deployments();
    assertEquals(before.get("zone"), after.get("zone"), "the zone verticle loaded it in place");
    assertNotEquals(before.get("acl"), after.get("acl"), "the ACLs are chosen by zone");
    assertUnchanged(before, after, "acl");
    assertEquals(Rcode.NOERROR, query(port, "example.test.", Type.SOA, true).getRcode());

    // Its file edited, then SIGHUP again: the file is read again, as named's rndc reload does.
    Path addedFile = dir.resolve("added.test.zone");
    Files.writeString(
        addedFile, Files.readString(addedFile).replace("hostmaster 1 ", "hostmaster 2 "));
    assertEquals(1, serial(port, "added.test."));
    new ProcessBuilder("kill", "-HUP", Long.toString(node.pid())).start().waitFor();
    await(() -> serial(port, "added.test.") == 2, "the edited file is served");
    assertTrue(node.output().contains("added.test. reloaded from its file"), node.output());
    assertEquals(after.get("zone"), deployments().get("zone"), "read again in place");

    // And removed again, through vxdns reconfig, which says what changed.
    write(config);
    List<String> removed = run("reconfig", "--config", configFile.toString());
    assertEquals("0", removed.get(0), removed.get(2));
    assertTrue(removed.get(1).contains("added.test. removed"), removed.get(1));
    assertEquals(Rcode.REFUSED, query(port, "added.test.", Type.SOA, false).getRcode());
    assertEquals(Rcode.NOERROR, query(port, "example.test.", Type.SOA, false).getRcode());
    assertEquals(after.get("zone"), deployments().get("zone"));
    List<String> again = run("reconfig", "--config", configFile.toString());
    assertTrue(again.get(1).contains("configuration unchanged"), again.get(1));
  }

  @Test
  void validEditsTakeEffectWithinTheScanPeriodAndLeaveTheRestRunning() throws Exception {
    JsonObject config = start(1);
    Map<String, String> before = deployments();

    // An ACL changed: only the ACL stage is replaced.
    config.getJsonObject("options").put("allow-query", new JsonArray().add("none"));
    write(config);
    await(() -> rcode(port, "example.test.") == Rcode.REFUSED, "allow-query none applies");
    Map<String, String> aclChanged = deployments();
    assertNotEquals(before.get("acl"), aclChanged.get("acl"));
    assertUnchanged(before, aclChanged, "acl");
    config.getJsonObject("options").remove("allow-query");

    // A listener added, the others untouched.
    int second = LauncherConfig.freePort();
    JsonArray listeners = config.getJsonObject("options").getJsonArray("listen-on");
    listeners.add(
        new JsonObject()
            .put("address", "127.0.0.1")
            .put("port", second)
            .put("transport", new JsonArray().add("udp").add("tcp")));
    write(config);
    await(() -> rcode(second, "example.test.") == Rcode.NOERROR, "the new listener answers");
    assertEquals(Rcode.NOERROR, query(second, "example.test.", Type.SOA, true).getRcode());
    Map<String, String> listenerAdded = deployments();
    assertTrue(listenerAdded.containsKey("tcp 127.0.0.1:" + second), listenerAdded.toString());
    assertUnchanged(
        aclChanged, listenerAdded, "acl", "udp 127.0.0.1:" + second, "tcp 127.0.0.1:" + second);

    // PROXY switched on for the new listener: new connections must begin with a header.
    listeners.getJsonObject(1).put("proxy", "plain");
    config.getJsonObject("options").put("allow-proxy", new JsonArray().add("127.0.0.1"));
    write(config);
    await(
        () -> {
          try {
            query(second, "example.test.", Type.SOA, true);
            return false;
          } catch (IOException closed) {
            return true;
          }
        },
        "a TCP query without a PROXY header is refused");
    assertEquals(Rcode.NOERROR, proxiedTcpQuery(second).getRcode(), "with a header it answers");
    assertEquals(Rcode.NOERROR, query(port, "example.test.", Type.SOA, true).getRcode());
    Map<String, String> proxied = deployments();
    assertEquals(listenerAdded.get("udp 127.0.0.1:" + port), proxied.get("udp 127.0.0.1:" + port));
    assertEquals(listenerAdded.get("tcp 127.0.0.1:" + port), proxied.get("tcp 127.0.0.1:" + port));
    assertEquals(listenerAdded.get("zone"), proxied.get("zone"));
  }

  @Test
  void redeployingEachVerticleUnderLoadLosesNoQuery() throws Exception {
    start(0);
    Map<String, String> before = deployments();
    // A cold node (its JIT at work) on a shared machine falls behind a stream at first, and the
    // kernel drops what overflows its socket buffer: warm it up before the redeploys are measured.
    for (Thread warmUp : new StreamLoad(port, 3000, UDP_PER_SECOND, TCP_PER_SECOND).start()) {
      warmUp.join(30_000);
    }
    Load load = new Load(port);
    Thread client = new Thread(load, "load");
    // Like dnsperf: UDP at a fixed rate without waiting, and one TCP connection kept busy.
    StreamLoad stream = new StreamLoad(port, 10_000, UDP_PER_SECOND, TCP_PER_SECOND);
    long loadStart = System.nanoTime();
    List<Thread> streams = stream.start();
    client.start();
    Thread.sleep(500);
    StringBuilder timeline = new StringBuilder("redeployed:");
    for (String name :
        List.of("udp", "tcp", "proxy", "auth", "acl", "rrl", "zone", "udp", "metrics")) {
      List<String> args =
          new java.util.ArrayList<>(List.of("redeploy", name, "--config", configFile.toString()));
      if (name.equals("udp")) {
        args.addAll(List.of("--instances", "2"));
      }
      long at = System.nanoTime();
      List<String> redeployed = run(args.toArray(String[]::new));
      timeline.append(
          String.format(
              " %s at %.3f s (%d ms)",
              name, (at - loadStart) / 1e9, (System.nanoTime() - at) / 1_000_000));
      assertEquals("0", redeployed.get(0), name + ": " + redeployed.get(2));
      if (name.equals("tcp")) {
        // The busy connection keeps the old instances: the redeploy returned, they still drain.
        List<String> listed = run("deployments", "--config", configFile.toString());
        assertTrue(
            listed.get(1).lines().anyMatch(l -> l.startsWith("tcp ") && l.endsWith(" draining")),
            listed.get(1));
      }
      Thread.sleep(700);
    }
    client.join(30_000);
    for (Thread thread : streams) {
      thread.join(30_000);
    }
    Map<String, String> after = deployments();
    for (String key : before.keySet()) {
      if (!key.equals("admin")) {
        assertNotEquals(before.get(key), after.get(key), key + " was replaced");
      }
    }
    assertEquals(before.get("admin"), after.get("admin"), "admin was not asked to");
    String lost = "lost: " + stream.failures.subList(0, Math.min(20, stream.failures.size()));
    // All reported together: which client lost what, and when the redeploys ran.
    org.junit.jupiter.api.Assertions.assertAll(
        () -> assertTrue(load.sent.get() > 100, "the load ran: " + load.sent.get()),
        () ->
            assertEquals(
                load.sent.get(),
                load.answered.get(),
                "every query answered: " + load.failures + "; " + timeline),
        () ->
            assertTrue(
                stream.udpSent() > UDP_PER_SECOND * 9, "the UDP stream ran: " + stream.udpSent()),
        () ->
            assertEquals(
                stream.udpSent(),
                stream.udpAnswered(),
                "every UDP query answered; lost"
                    + stream.udpLost()
                    + "; "
                    + timeline
                    + "; "
                    + lost),
        () ->
            assertTrue(
                stream.tcpSent() > TCP_PER_SECOND * 5, "the TCP stream ran: " + stream.tcpSent()),
        () ->
            assertEquals(
                stream.tcpSent(),
                stream.tcpAnswered(),
                "every TCP query answered; " + timeline + "; " + lost),
        // A successor that made its pools again registered their meters twice (Micrometer warns).
        () ->
            assertTrue(
                node.output().lines().noneMatch(line -> line.contains("already registered")),
                node.output()));
    // The client closed its connection: the drained instances are gone, none leaks.
    await(
        () ->
            run("deployments", "--config", configFile.toString())
                .get(1)
                .lines()
                .noneMatch(l -> l.endsWith(" draining")),
        "the replaced instances finish draining");
  }

  /** The stream load's rates: well below what the node serves, far above the 40 ms client. */
  private static final int UDP_PER_SECOND = 1000;

  private static final int TCP_PER_SECOND = 500;

  /** UDP and TCP SOA queries, one of each every 40 ms for 10 s; a UDP query is sent once. */
  private static final class Load implements Runnable {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    final List<String> failures =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final int port;

    Load(int port) {
      this.port = port;
    }

    @Override
    public void run() {
      long end = System.nanoTime() + 10_000_000_000L;
      while (System.nanoTime() < end) {
        for (boolean tcp : new boolean[] {false, true}) {
          sent.incrementAndGet();
          try {
            Message response = query(port, "www.example.test.", Type.A, tcp);
            if (response.getRcode() == Rcode.NOERROR) {
              answered.incrementAndGet();
            } else {
              failures.add((tcp ? "tcp " : "udp ") + Rcode.string(response.getRcode()));
            }
          } catch (IOException e) {
            failures.add((tcp ? "tcp " : "udp ") + e);
          }
        }
        try {
          Thread.sleep(40);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void assertRefused(String expected) throws Exception {
    List<String> result = run("reconfig", "--config", configFile.toString());
    assertEquals("1", result.get(0), result.get(1) + result.get(2));
    assertTrue(
        result.get(2).contains("400") && result.get(2).contains(expected),
        "reports the problem: " + result.get(2));
    assertEquals(Rcode.NOERROR, query(port, "example.test.", Type.SOA, false).getRcode());
  }

  private static void assertUnchanged(
      Map<String, String> before, Map<String, String> after, String... changedKeys) {
    List<String> changed = List.of(changedKeys);
    for (Map.Entry<String, String> deployment : before.entrySet()) {
      if (!changed.contains(deployment.getKey())) {
        assertEquals(
            deployment.getValue(),
            after.get(deployment.getKey()),
            deployment.getKey() + " kept its deployment");
      }
    }
  }

  private String addedZone() throws IOException {
    Path file = dir.resolve("added.test.zone");
    Files.writeString(
        file,
        "$ORIGIN added.test.\n$TTL 300\n"
            + "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
            + "@ IN NS ns1\nns1 IN A 192.0.2.53\n");
    return file.toString();
  }

  /** Deployment key to deployment ID, from {@code vxdns deployments}. */
  private Map<String, String> deployments() {
    List<String> listed = run("deployments", "--config", configFile.toString());
    assertEquals("0", listed.get(0), listed.get(2));
    Map<String, String> ids = new LinkedHashMap<>();
    for (String line : listed.get(1).split("\n")) {
      if (line.endsWith(" draining")) {
        continue; // a replaced listener finishing its connections
      }
      // name key... instances=N id=ID
      String[] fields = line.trim().split(" ");
      String key = line.substring(line.indexOf(' ') + 1, line.indexOf(" instances="));
      ids.put(key, fields[fields.length - 1].substring("id=".length()));
    }
    assertTrue(ids.containsKey("zone") && ids.containsKey("udp 127.0.0.1:" + port), ids.toString());
    return ids;
  }

  private static int rcode(int port, String name) {
    try {
      return query(port, name, Type.SOA, false).getRcode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The zone's SOA serial as the node answers it, -1 without one. */
  private static long serial(int port, String zone) {
    try {
      return query(port, zone, Type.SOA, false).getSection(org.xbill.DNS.Section.ANSWER).stream()
          .filter(record -> record instanceof org.xbill.DNS.SOARecord)
          .mapToLong(record -> ((org.xbill.DNS.SOARecord) record).getSerial())
          .findFirst()
          .orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not within 20 s: " + what);
  }

  /** One query, sent once (no retry), answered within 2 s or an IOException. */
  static Message query(int port, String name, int type, boolean tcp) throws IOException {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    byte[] wire = query.toWire();
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    Message response;
    if (tcp) {
      try (Socket socket = new Socket()) {
        socket.connect(server, 2000);
        socket.setSoTimeout(2000);
        response = exchange(socket, new byte[0], wire);
      }
    } else {
      try (DatagramSocket socket = new DatagramSocket()) {
        socket.setSoTimeout(2000);
        socket.send(new DatagramPacket(wire, wire.length, server));
        byte[] buffer = new byte[4096];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        response = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
      }
    }
    if (response.getHeader().getID() != query.getHeader().getID()) {
      throw new IOException("answer to another query");
    }
    return response;
  }

  private static Message exchange(Socket socket, byte[] before, byte[] wire) throws IOException {
    DataOutputStream out = new DataOutputStream(socket.getOutputStream());
    out.write(before);
    out.writeShort(wire.length);
    out.write(wire);
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] answer = new byte[in.readUnsignedShort()];
    in.readFully(answer);
    return new Message(answer);
  }

  /** A TCP query behind a PROXY v2 header from 192.0.2.7. */
  private static Message proxiedTcpQuery(int port) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(28);
    header.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
    header.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
    header.put(new byte[] {(byte) 192, 0, 2, 7}).put(new byte[] {127, 0, 0, 1});
    header.putShort((short) 40000).putShort((short) port);
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      socket.setSoTimeout(3000);
      return exchange(socket, header.array(), query.toWire());
    }
  }

  /** Runs a subcommand: its exit status, then what it printed on stdout and stderr. */
  private static List<String> run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new Tools(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(List.of(args));
    return List.of(
        Integer.toString(status),
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }
}
