package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * {@code bin/vxdns} as the README starts it: the JVM flags it chooses from the zones (JvmSizing)
 * are the ones the node's JVM runs with, and {@code VXDNS_JAVA_OPTS} replaces them; either way the
 * node starts on the build's class-data archive (and the sizing JVM on one of its own). The sizing
 * is kept for the next start while the files it was made from stay as they were.
 */
class LauncherScriptTest {
  private static final Path SCRIPT = Path.of("../../bin/vxdns").toAbsolutePath().normalize();
  private static final Path JAR =
      Path.of("../../verticles/node/target/vxdns.jar").toAbsolutePath().normalize();
  private static final Path ARCHIVE = JAR.resolveSibling("vxdns.jsa");
  private static final Path SIZING_ARCHIVE = JAR.resolveSibling("vxdns-sizing.jsa");
  private static final Path SIZING_ARGS = SCRIPT.resolveSibling("sizing-jvm.args");

  @Test
  void aNodeWithTheExampleZoneRunsOnASmallSerialHeap(@TempDir Path dir) throws Exception {
    List<String> output = new CopyOnWriteArrayList<>();
    Process node = launch(dir, null, output);
    try {
      String flags = "-XX:+UseSerialGC -XX:PretenureSizeThreshold=512k -Xmn32m -Xms48m -Xmx512m";
      assertTrue(output.contains("vxdns: JVM: " + flags), String.join("\n", output));
      String commandLine = commandLine(node);
      assertTrue(commandLine.contains(" " + flags + " "), commandLine);
      assertStartsOnTheClassDataArchive(node, commandLine);
      assertAnsweringDidNotStartJfr(node);
    } finally {
      stop(node, output);
    }
  }

  @Test
  void vxdnsJavaOptsReplacesTheSizing(@TempDir Path dir) throws Exception {
    List<String> output = new CopyOnWriteArrayList<>();
    Path classes = dir.resolve("classes.log");
    Process node = launch(dir, "-Xmx300m -Xlog:class+load:file=" + classes, output);
    try {
      assertFalse(
          output.stream().anyMatch(line -> line.startsWith("vxdns: JVM:")),
          String.join("\n", output));
      String commandLine = commandLine(node);
      assertTrue(commandLine.contains(" -Xmx300m "), commandLine);
      assertFalse(commandLine.contains("UseSerialGC"), commandLine);
      assertStartsOnTheClassDataArchive(node, commandLine);
      assertAnsweredFromTheArchive(classes);
    } finally {
      stop(node, output);
    }
  }

  @Test
  void theSizingIsKeptForTheNextStartUntilAZoneFileChanges(@TempDir Path dir) throws Exception {
    Path zone = dir.resolve("example.test.zone");
    Files.copy(TestNode.EXAMPLE_ZONE, zone);
    int port = TestNode.freePort();
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put(
        "zone",
        new JsonObject()
            .put(
                "example.test",
                new JsonObject().put("file", "example.test.zone").put("notify", "no")));
    String sized = "vxdns: JVM sized for";
    String kept = "vxdns: JVM sizing as at an earlier start";

    List<String> first = startAndStop(dir, config, port);
    assertTrue(first.stream().anyMatch(line -> line.startsWith(sized)), String.join("\n", first));
    assertFalse(first.stream().anyMatch(line -> line.startsWith(kept)), String.join("\n", first));

    List<String> again = startAndStop(dir, config, port);
    assertTrue(again.stream().anyMatch(line -> line.startsWith(kept)), String.join("\n", again));
    assertEquals(flagsLine(first), flagsLine(again));

    Files.writeString(zone, "; edited\n", java.nio.file.StandardOpenOption.APPEND);
    List<String> edited = startAndStop(dir, config, port);
    assertFalse(edited.stream().anyMatch(line -> line.startsWith(kept)), String.join("\n", edited));
    assertTrue(edited.stream().anyMatch(line -> line.startsWith(sized)), String.join("\n", edited));
  }

  /**
   * The build's archive for the sizing JVM (class-data-archive.sh) maps under the launcher's flags
   * for that JVM (bin/sizing-jvm.args), with JvmSizing in it: the JVM refuses to start with
   * -Xshare:on otherwise.
   */
  @Test
  void theSizingJvmStartsOnItsOwnArchive(@TempDir Path dir) throws Exception {
    Requires.that(
        Files.isRegularFile(SIZING_ARCHIVE), "the build's sizing archive " + SIZING_ARCHIVE);
    Path config = dir.resolve("vxdns.json");
    Files.writeString(config, TestNode.config(TestNode.freePort(), Delivery.DIRECT).encode());
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    Process sizing =
        new ProcessBuilder(
                java.toString(),
                "-Xshare:on",
                "-XX:SharedArchiveFile=" + SIZING_ARCHIVE,
                "@" + SIZING_ARGS,
                "-Xlog:class+load",
                "-cp",
                JAR.toString(),
                "dev.vxdns.verticles.node.JvmSizing",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(sizing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(sizing.waitFor(30, TimeUnit.SECONDS), "the sizing JVM did not finish");
    assertEquals(0, sizing.exitValue(), output);
    assertTrue(
        output.contains("dev.vxdns.verticles.node.JvmSizing source: shared objects file"), output);
  }

  private static List<String> startAndStop(Path dir, JsonObject config, int port) throws Exception {
    List<String> output = new CopyOnWriteArrayList<>();
    stop(launch(dir, config, port, null, output), output);
    return output;
  }

  private static String flagsLine(List<String> output) {
    return output.stream()
        .filter(line -> line.startsWith("vxdns: JVM: "))
        .findFirst()
        .orElseThrow(() -> new AssertionError(String.join("\n", output)));
  }

  /**
   * The build's class-data archive (verticles/node/src/build/class-data-archive.sh) is on the
   * node's command line and mapped into its memory: the JVM accepted it, and did not quietly start
   * without it.
   */
  private static void assertStartsOnTheClassDataArchive(Process node, String commandLine)
      throws Exception {
    Requires.that(Files.isRegularFile(ARCHIVE), "the build's class-data archive " + ARCHIVE);
    assertTrue(commandLine.contains(" -XX:SharedArchiveFile=" + ARCHIVE + " "), commandLine);
    List<String> maps = Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "maps"));
    assertTrue(
        maps.stream().anyMatch(line -> line.endsWith(ARCHIVE.toString())),
        "vxdns.jsa is not mapped into the node");
  }

  /**
   * The archive's node answered queries before it stopped (class-data-archive.sh), so the query
   * path's classes are in it: the node's first answer (launch) did not load them from the jar.
   */
  private static void assertAnsweredFromTheArchive(Path classes) throws Exception {
    String exchange =
        Files.readAllLines(classes).stream()
            .filter(line -> line.contains(" dev.vxdns.message.DnsExchange "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("DnsExchange was not loaded: " + classes));
    assertTrue(exchange.contains("source: shared objects file"), exchange);
  }

  /**
   * Netty's allocator events are off (Main): checking the first of them loads JFR's metadata, about
   * 50 ms of the first query a node answers. The node has answered (launch); its loaded classes
   * include the UDP transport's (the listing works) and not JFR's metadata loader.
   */
  private static void assertAnsweringDidNotStartJfr(Process node) throws Exception {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
    Requires.that(Files.isExecutable(jcmd), "the JDK's jcmd next to " + jcmd.getParent());
    Process listing =
        new ProcessBuilder(jcmd.toString(), Long.toString(node.pid()), "VM.class_hierarchy")
            .redirectErrorStream(true)
            .start();
    String classes = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(listing.waitFor(30, TimeUnit.SECONDS), "jcmd did not finish");
    assertTrue(
        classes.contains("dev.vxdns.verticles.transport.UdpTransportVerticle"),
        "no node classes in jcmd's listing:\n" + classes);
    assertFalse(
        classes.contains("jdk.jfr.internal.MetadataLoader"), "answering a query started JFR");
  }

  /** Starts bin/vxdns on a config serving the example zone and waits until it answers SOA. */
  private static Process launch(Path dir, String javaOpts, List<String> output) throws Exception {
    int port = TestNode.freePort();
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.getJsonObject("zone").remove("big.test");
    return launch(dir, config, port, javaOpts, output);
  }

  /**
   * Starts bin/vxdns on {@code config} (written to {@code dir}, its cache there too) and waits
   * until it answers example.test's SOA on {@code port}.
   */
  private static Process launch(
      Path dir, JsonObject config, int port, String javaOpts, List<String> output)
      throws Exception {
    Requires.that(Files.isRegularFile(JAR), "the node's jar " + JAR + " (mvn package)");
    Path file = dir.resolve("vxdns.json");
    String json = config.encodePrettily();
    // Written once: a start after another on the same config finds it as it was.
    if (!Files.exists(file) || !Files.readString(file).equals(json)) {
      Files.writeString(file, json);
    }
    ProcessBuilder builder =
        new ProcessBuilder("bash", SCRIPT.toString(), "--config", file.toString())
            .redirectErrorStream(true);
    builder.environment().remove("VXDNS_JAVA_OPTS");
    builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    if (javaOpts != null) {
      builder.environment().put("VXDNS_JAVA_OPTS", javaOpts);
    }
    Process node = builder.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(output::add);
              } catch (java.io.IOException | java.io.UncheckedIOException closed) {
                // the process ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (output.stream().noneMatch(line -> line.contains("vxdns started"))) {
      if (!node.isAlive() || System.nanoTime() > deadline) {
        node.destroyForcibly();
        throw new AssertionError("the node did not start:\n" + String.join("\n", output));
      }
      Thread.sleep(50);
    }
    Message soa = DnsClient.query(port, "example.test.", Type.SOA, false);
    assertEquals(Rcode.NOERROR, soa.getRcode());
    assertTrue(soa.getHeader().getFlag(Flags.AA));
    return node;
  }

  /** The node's JVM command line (bin/vxdns execs java: same process). */
  private static String commandLine(Process node) throws Exception {
    // A stream, not Files.readAllBytes: on JDK 17 that trusts the size procfs reports (0).
    byte[] raw;
    try (java.io.InputStream cmdline =
        Files.newInputStream(Path.of("/proc", Long.toString(node.pid()), "cmdline"))) {
      raw = cmdline.readAllBytes();
    }
    return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
  }

  private static void stop(Process node, List<String> output) throws Exception {
    node.destroy();
    if (!node.waitFor(30, TimeUnit.SECONDS)) {
      node.destroyForcibly();
      throw new AssertionError("the node did not stop on SIGTERM:\n" + String.join("\n", output));
    }
    assertEquals(0, node.exitValue(), String.join("\n", output));
  }
}
