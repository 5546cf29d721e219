package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Extension stages over real sockets: the example Groovy stage from config/examples/extensions, the
 * example Python stage over the TCP event-bus bridge, the bridge's permissions, and a Groovy file
 * changed under a fixed-rate UDP and TCP load.
 */
class ExtensionEndToEndTest {
  static final Path EXAMPLE_GROOVY =
      Path.of("../../config/examples/extensions/hello.groovy").toAbsolutePath().normalize();
  static final Path EXAMPLE_PYTHON =
      Path.of("../../config/examples/bridge/hello_bridge.py").toAbsolutePath().normalize();

  /** The test config with the listener's pipeline running {@code extension} before the zone. */
  static JsonObject config(int port, Delivery delivery, String extension) {
    JsonObject config = TestNode.config(port, delivery);
    JsonObject listener =
        config.getJsonObject("options").getJsonArray("listen-on").getJsonObject(0);
    listener.put(
        "pipeline",
        new JsonArray()
            .add("vxdns.blackhole")
            .add("vxdns.auth")
            .add("vxdns.acl")
            .add(extension)
            .add("vxdns.zone.query"));
    return config;
  }

  static Path extensionsWithExample() throws Exception {
    Path directory = Files.createTempDirectory("vxdns-ext-test");
    Files.copy(EXAMPLE_GROOVY, directory.resolve("hello.groovy"));
    return directory;
  }

  static List<String> txt(Message response) {
    List<String> strings = new ArrayList<>();
    for (Record record : response.getSection(Section.ANSWER)) {
      if (record instanceof TXTRecord txt) {
        strings.addAll(txt.getStrings());
      }
    }
    return strings;
  }

  @ParameterizedTest
  @EnumSource(Delivery.class)
  void groovyStageAnswersItsNameAndPassesOthersOn(Delivery delivery) throws Exception {
    JsonObject config = config(TestNode.freePort(), delivery, "vxdns.ext.hello");
    config.put("extensions", new JsonObject().put("directory", extensionsWithExample().toString()));
    try (TestNode node = TestNode.start(config)) {
      for (boolean tcp : new boolean[] {false, true}) {
        Message hello = node.query("hello.extension.test.", Type.TXT, tcp);
        assertEquals(Rcode.NOERROR, hello.getRcode(), hello::toString);
        assertTrue(String.join(" ", txt(hello)).contains("groovy"), hello::toString);
        // Positive control: other names pass the stage on to the zone.
        Message soa = node.query("example.test.", Type.SOA, tcp);
        assertEquals(Rcode.NOERROR, soa.getRcode(), soa::toString);
        assertEquals(Type.SOA, soa.getSection(Section.ANSWER).get(0).getType(), soa::toString);
        Message otherTxt = node.query("hello.extension.test.", Type.A, tcp);
        assertTrue(txt(otherTxt).isEmpty(), otherTxt::toString);
      }
    }
  }

  /**
   * config/examples/extension.json as shipped (its ports moved to free ones): the Groovy stage and
   * the Python stage answer in one pipeline, and the zone answers the rest.
   */
  @Test
  void theShippedExampleServesBothStages() throws Exception {
    Path examples = EXAMPLE_GROOVY.getParent().getParent();
    JsonObject config = new JsonObject(Files.readString(examples.resolve("extension.json")));
    int port = TestNode.freePort();
    int bridgePort = TestNode.freePort();
    config.getJsonObject("options").getJsonArray("listen-on").getJsonObject(0).put("port", port);
    config.getJsonObject("extensions").getJsonObject("bridge").put("port", bridgePort);
    config.getJsonArray("controls").getJsonObject(0).put("port", TestNode.freePort());
    try (TestNode node = TestNode.start(config, examples, Files.createTempDirectory("tls"))) {
      Process python = startPython(bridgePort);
      try {
        for (boolean tcp : new boolean[] {false, true}) {
          Message groovy = node.query("hello.extension.test.", Type.TXT, tcp);
          assertTrue(String.join(" ", txt(groovy)).contains("groovy"), groovy::toString);
          Message bridged = node.query("hello.bridge.test.", Type.TXT, tcp);
          assertTrue(String.join(" ", txt(bridged)).contains("python"), bridged::toString);
          Message soa = node.query("example.test.", Type.SOA, tcp);
          assertEquals(Type.SOA, soa.getSection(Section.ANSWER).get(0).getType(), soa::toString);
        }
      } finally {
        python.destroy();
        python.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void brokenGroovyFileFailsTheStartWithItsError() throws Exception {
    Path directory = Files.createTempDirectory("vxdns-ext-test");
    Files.writeString(directory.resolve("broken.groovy"), "class Broken implements {");
    JsonObject config = config(TestNode.freePort(), Delivery.DIRECT, "vxdns.ext.broken");
    config.put("extensions", new JsonObject().put("directory", directory.toString()));
    Exception failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class, () -> TestNode.start(config));
    assertTrue(String.valueOf(failure).contains("broken.groovy"), String.valueOf(failure));
  }

  @Test
  void pythonStageAnswersOverTheBridge() throws Exception {
    int bridgePort = TestNode.freePort();
    JsonObject config = config(TestNode.freePort(), Delivery.DIRECT, "vxdns.ext.hello-bridge");
    config.put("extensions", bridgeSection(bridgePort));
    try (TestNode node = TestNode.start(config)) {
      // Before the external stage registers, its step passes on: the zone refuses the name.
      Message before = node.query("hello.bridge.test.", Type.TXT, false);
      assertTrue(txt(before).isEmpty(), before::toString);
      Process python = startPython(bridgePort);
      try {
        for (boolean tcp : new boolean[] {false, true}) {
          Message hello = node.query("hello.bridge.test.", Type.TXT, tcp);
          assertEquals(Rcode.NOERROR, hello.getRcode(), hello::toString);
          assertTrue(String.join(" ", txt(hello)).contains("python"), hello::toString);
          Message soa = node.query("example.test.", Type.SOA, tcp);
          assertEquals(Rcode.NOERROR, soa.getRcode(), soa::toString);
          assertEquals(Type.SOA, soa.getSection(Section.ANSWER).get(0).getType());
        }
      } finally {
        python.destroy();
        python.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void bridgeClientIsRefusedAddressesItIsNotPermitted() throws Exception {
    int bridgePort = TestNode.freePort();
    JsonObject config = config(TestNode.freePort(), Delivery.DIRECT, "vxdns.ext.hello-bridge");
    config.put("extensions", bridgeSection(bridgePort));
    try (TestNode node = TestNode.start(config);
        Socket bridge = new Socket(InetAddress.getLoopbackAddress(), bridgePort)) {
      bridge.setSoTimeout(10_000);
      // Sending to a node address (the zone writer, a stage) and registering another address.
      for (JsonObject forbidden :
          List.of(
              new JsonObject()
                  .put("type", "send")
                  .put("address", "vxdns.zone.sync")
                  .put("replyAddress", "r1")
                  .put("body", new JsonObject()),
              new JsonObject()
                  .put("type", "send")
                  .put("address", "vxdns.ext.hello-bridge")
                  .put("body", new JsonObject()),
              new JsonObject().put("type", "register").put("address", "vxdns.zone.query"),
              new JsonObject().put("type", "register").put("address", "vxdns.bridge.other"))) {
        writeFrame(bridge, forbidden);
        JsonObject answer = readFrame(bridge);
        assertEquals("err", answer.getString("type"), forbidden + " -> " + answer);
        assertEquals("access_denied", answer.getString("message"), forbidden + " -> " + answer);
      }
      // Positive control: its own address registers without an error (the pong comes next).
      writeFrame(
          bridge,
          new JsonObject().put("type", "register").put("address", "vxdns.bridge.hello-bridge"));
      writeFrame(bridge, new JsonObject().put("type", "ping"));
      JsonObject pong = readFrame(bridge);
      assertEquals("pong", pong.getString("type"), pong::toString);
      // ...and it now gets the pipeline's queries as JSON.
      ExecutorService client = Executors.newSingleThreadExecutor();
      try {
        Future<Message> pending =
            client.submit(() -> node.query("hello.bridge.test.", Type.TXT, false));
        JsonObject request = readFrame(bridge);
        assertEquals("message", request.getString("type"), request::toString);
        assertEquals("vxdns.bridge.hello-bridge", request.getString("address"));
        assertNotNull(request.getJsonObject("body").getJsonObject("query").getString("wire"));
        writeFrame(
            bridge,
            new JsonObject()
                .put("type", "send")
                .put("address", request.getString("replyAddress"))
                .put("body", request.getJsonObject("body")));
        Message passed = pending.get(10, TimeUnit.SECONDS);
        assertTrue(txt(passed).isEmpty(), passed::toString);
      } finally {
        client.shutdownNow();
      }
    }
  }

  /**
   * The Groovy file is rewritten (two new versions and a broken one in between) while a client
   * sends UDP and TCP queries at a fixed rate for 10 s: every query gets its answer (one datagram
   * each, no retries), and the answers show the new version took over.
   */
  @ParameterizedTest
  @EnumSource(Delivery.class)
  void changingAGroovyFileUnderLoadLosesNoQuery(Delivery delivery) throws Exception {
    Path directory = extensionsWithExample();
    Path file = directory.resolve("hello.groovy");
    String original = Files.readString(EXAMPLE_GROOVY);
    assertTrue(original.contains("'hello from groovy'"));
    JsonObject config = config(TestNode.freePort(), delivery, "vxdns.ext.hello");
    config.put(
        "extensions",
        new JsonObject().put("directory", directory.toString()).put("scan-period-ms", 200));
    try (TestNode node = TestNode.start(config)) {
      int perSecond = 25; // per transport
      int seconds = 10;
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      ExecutorService clients = Executors.newFixedThreadPool(32);
      List<Future<String>> results = new ArrayList<>();
      AtomicInteger sent = new AtomicInteger();
      Map<String, Integer> versions = new ConcurrentHashMap<>();
      int total = perSecond * seconds * 2;
      ticker.scheduleAtFixedRate(
          () -> {
            int n = sent.getAndIncrement();
            if (n >= total) {
              return;
            }
            boolean tcp = n % 2 == 1;
            boolean hello = (n / 2) % 2 == 0;
            synchronized (results) {
              results.add(clients.submit(() -> oneQuery(node.port, n, tcp, hello, versions)));
            }
          },
          0,
          1_000_000 / (perSecond * 2),
          TimeUnit.MICROSECONDS);
      try {
        Thread.sleep(2_000);
        replace(file, original.replace("'hello from groovy'", "'hello from groovy v2'"));
        Thread.sleep(2_000);
        replace(file, "class Broken implements dev.vxdns.message.Stage {"); // keeps v2 serving
        Thread.sleep(2_000);
        replace(file, original.replace("'hello from groovy'", "'hello from groovy v3'"));
        while (sent.get() < total) {
          Thread.sleep(100);
        }
      } finally {
        ticker.shutdownNow();
      }
      List<String> failures = new ArrayList<>();
      synchronized (results) {
        for (Future<String> result : results) {
          String failure = result.get(30, TimeUnit.SECONDS);
          if (failure != null) {
            failures.add(failure);
          }
        }
      }
      clients.shutdownNow();
      assertEquals(total, results.size());
      assertEquals(List.of(), failures, "every query answered");
      // The load saw the first version and the last: the file changes were served.
      assertTrue(versions.containsKey("hello from groovy"), versions::toString);
      assertTrue(versions.containsKey("hello from groovy v3"), versions::toString);
      assertNotEquals(0, versions.getOrDefault("hello from groovy v2", 0), versions::toString);
    }
  }

  /** One query, one datagram or one connection; null when answered right, else what went wrong. */
  private static String oneQuery(
      int port, int n, boolean tcp, boolean hello, Map<String, Integer> versions) {
    String what = (tcp ? "tcp" : "udp") + " #" + n + (hello ? " hello TXT" : " example SOA");
    try {
      Message query =
          Message.newQuery(
              Record.newRecord(
                  Name.fromString(hello ? "hello.extension.test." : "example.test."),
                  hello ? Type.TXT : Type.SOA,
                  DClass.IN));
      query.getHeader().setID(n & 0xffff);
      byte[] wire = query.toWire();
      byte[] answer;
      if (tcp) {
        try (Socket socket = DnsClient.tcp(port, 5_000)) {
          DnsClient.writeFramed(socket, wire);
          answer = DnsClient.readFramed(socket);
        }
      } else {
        answer = DnsClient.udp(port, wire, 5_000);
      }
      if (answer == null) {
        return what + ": no answer";
      }
      Message response = new Message(answer);
      if (response.getRcode() != Rcode.NOERROR || response.getHeader().getID() != (n & 0xffff)) {
        return what + ": " + response;
      }
      if (hello) {
        List<String> strings = txt(response);
        if (strings.size() != 1 || !strings.get(0).contains("groovy")) {
          return what + ": " + response;
        }
        versions.merge(strings.get(0), 1, Integer::sum);
      } else if (response.getSection(Section.ANSWER).isEmpty()) {
        return what + ": " + response;
      }
      return null;
    } catch (Exception e) {
      return what + ": " + e;
    }
  }

  /** Replaces the file's content in one step, as an editor or a deployment tool does. */
  private static void replace(Path file, String content) throws Exception {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, content);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private static JsonObject bridgeSection(int bridgePort) {
    return new JsonObject()
        .put(
            "bridge",
            new JsonObject()
                .put("port", bridgePort)
                .put("stages", new JsonArray().add("hello-bridge"))
                .put("timeout-ms", 5000));
  }

  private static Process startPython(int bridgePort) throws Exception {
    Process python =
        new ProcessBuilder(
                "python3",
                EXAMPLE_PYTHON.toString(),
                "--port",
                String.valueOf(bridgePort),
                "--name",
                "hello-bridge")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertEquals("registered vxdns.bridge.hello-bridge", line);
    return python;
  }

  static void writeFrame(Socket socket, JsonObject frame) throws Exception {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(ByteBuffer.allocate(4).putInt(json.length).array());
    out.write(json);
    out.flush();
  }

  static JsonObject readFrame(Socket socket) throws Exception {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new JsonObject(new String(json, StandardCharsets.UTF_8));
  }
}
