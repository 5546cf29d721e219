package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The launcher as a separate JVM: configuration errors, the embedded default, SIGTERM, what it says
 * about an ephemeral TLS certificate.
 */
class LauncherTest {
  private static Message soa(int port, boolean tcp) throws Exception {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN)));
  }

  @Test
  void anInvalidConfigStopsStartUpWithOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(
        file, "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"port\": 99999}]}}");
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertEquals(Main.EXIT_USAGE, node.awaitExit(30), node.output());
      assertTrue(
          node.output()
              .contains("options.listen-on[0].port: must be between 0 and 65535, got 99999"),
          node.output());
    }
  }

  @Test
  void unparseableJsonIsReportedWithTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"options\": ");
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertEquals(Main.EXIT_USAGE, node.awaitExit(30), node.output());
      assertTrue(node.output().contains("broken.json"), node.output());
    }
  }

  @Test
  void aPortInUseFailsStartUpClearly(@TempDir Path dir) throws Exception {
    try (DatagramSocket taken =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      JsonObject config = LauncherConfig.config(taken.getLocalPort());
      config.getJsonObject("options").put("udp-instances", 1);
      Path file = dir.resolve("vxdns.json");
      Files.writeString(file, config.encodePrettily());
      try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
        assertEquals(Main.EXIT_START_FAILED, node.awaitExit(30), node.output());
        assertTrue(node.output().contains("cannot bind"), node.output());
      }
    }
  }

  /** SIGTERM stops the node cleanly; its pid-file (BIND's) holds its pid while it serves. */
  @Test
  void sigtermStopsCleanlyWithExitZero(@TempDir Path dir) throws Exception {
    int port = LauncherConfig.freePort();
    Path file = dir.resolve("vxdns.json");
    JsonObject config = LauncherConfig.config(port);
    config.getJsonObject("options").put("pid-file", "run/vxdns.pid");
    Files.writeString(file, config.encodePrettily());
    Path pidFile = dir.resolve("run/vxdns.pid");
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertTrue(node.awaitStarted(30), node.output());
      assertEquals(Rcode.NOERROR, soa(port, false).getRcode());
      assertEquals(node.pid() + "\n", Files.readString(pidFile));
      node.terminate();
      assertEquals(Main.EXIT_OK, node.awaitExit(30), node.output());
      assertTrue(node.output().contains("SIGTERM: stopping"), node.output());
      assertFalse(Files.exists(pidFile), "the pid-file is removed when the node stops");
    }
  }

  /** A pid-file that cannot be written stops start-up with a line that names it. */
  @Test
  void aPidFileThatCannotBeWrittenFailsStartUpClearly(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("not-a-directory"), "");
    Path file = dir.resolve("vxdns.json");
    JsonObject config = LauncherConfig.config(LauncherConfig.freePort());
    config.getJsonObject("options").put("pid-file", "not-a-directory/vxdns.pid");
    Files.writeString(file, config.encodePrettily());
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertEquals(Main.EXIT_START_FAILED, node.awaitExit(60), node.output());
      assertTrue(
          node.output().contains("vxdns: cannot start: cannot write pid-file " + dir),
          node.output());
    }
  }

  @Test
  void withNoArgumentTheEmbeddedDefaultServesTheExampleZoneOnPort5300() throws Exception {
    try (DatagramSocket probe =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5300))) {
      // free: the node may take it
    } catch (java.net.BindException busy) {
      Assumptions.abort("127.0.0.1:5300 is in use on this machine; the embedded default needs it");
    }
    try (NodeProcess node = NodeProcess.launch()) {
      assertTrue(node.awaitStarted(30), node.output());
      Message udp = soa(5300, false);
      Message tcp = soa(5300, true);
      assertEquals(Rcode.NOERROR, udp.getRcode());
      assertTrue(udp.getHeader().getFlag(Flags.AA));
      assertTrue(tcp.getHeader().getFlag(Flags.AA));
      node.terminate();
      assertEquals(Main.EXIT_OK, node.awaitExit(30), node.output());
    }
  }

  /**
   * The JVM leaves SIGHUP ignored when it was ignored at launch (nohup): the node says so, and how
   * else to reload, instead of silently never reloading on kill -HUP.
   */
  @Test
  void aNodeStartedWithSighupIgnoredSaysHowToReload(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vxdns.json");
    Files.writeString(file, LauncherConfig.config(LauncherConfig.freePort()).encodePrettily());
    String warning = "SIGHUP is ignored by this process (started under nohup?)";
    try (NodeProcess ignoring = NodeProcess.launch(List.of("nohup"), "--config", file.toString())) {
      assertTrue(ignoring.awaitStarted(60), ignoring.output());
      assertTrue(ignoring.output().contains(warning), ignoring.output());
      ignoring.terminate();
      assertEquals(Main.EXIT_OK, ignoring.awaitExit(30), ignoring.output());
    }
    // Launched as usual, SIGHUP reloads (LiveConfigTest) and nothing is said.
    try (NodeProcess usual = NodeProcess.launch("--config", file.toString())) {
      assertTrue(usual.awaitStarted(60), usual.output());
      assertFalse(usual.output().contains(warning), usual.output());
      usual.terminate();
      assertEquals(Main.EXIT_OK, usual.awaitExit(30), usual.output());
    }
  }

  @Test
  void theLauncherSaysWhereTheCertificateIsAndThenReusesIt(@TempDir Path dir) throws Exception {
    JsonObject json = LauncherConfig.config(LauncherConfig.freePort());
    json.getJsonObject("options")
        .getJsonArray("listen-on")
        .add(
            new JsonObject()
                .put("address", "127.0.0.1")
                .put("port", LauncherConfig.freePort())
                .put("transport", "dot")
                .put("tls", "ephemeral"));
    Path file = dir.resolve("vxdns.json");
    Files.writeString(file, json.encodePrettily());
    Path generated = dir.toAbsolutePath().normalize().resolve("tls/generated");
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertTrue(node.awaitStarted(60), node.output());
      assertTrue(
          node.output()
              .contains(
                  "INFO    dev.vxdns.verticles.node.Node: tls ephemeral: generated a self-signed certificate"
                      + " for testing only (none was there yet) in "
                      + generated
                      + ": ephemeral.crt"),
          node.output());
      assertTrue(
          node.output().contains("for real certificates add a top-level \"tls\""), node.output());
      node.terminate();
      assertEquals(Main.EXIT_OK, node.awaitExit(30), node.output());
    }
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertTrue(node.awaitStarted(60), node.output());
      assertTrue(
          node.output()
              .contains(
                  "tls ephemeral: using the self-signed test certificate "
                      + generated.resolve("ephemeral.crt")),
          node.output());
      assertFalse(node.output().contains("generated a self-signed"), node.output());
      node.terminate();
      assertEquals(Main.EXIT_OK, node.awaitExit(30), node.output());
    }
  }
}
