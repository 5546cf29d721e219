package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.verticles.transport.EphemeralCertificate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code vxdns checkconf} as a script uses it: silent with status 0 on every shipped config, one
 * line naming the key path with status 1 on broken ones; the key-file mode check it shares with the
 * launcher (which then refuses to start); {@code vxdns --version}.
 */
class CheckconfTest {
  static final Path EXAMPLES = Path.of("../../config/examples").toAbsolutePath().normalize();
  static final Path ZONE =
      Path.of("../../config/zones/example.test.zone").toAbsolutePath().normalize();

  /** What a tool printed and its status. */
  record Run(int status, String out, String err) {}

  static Run tool(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new Tools(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(List.of(args));
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Stream<Path> shippedConfigs() throws Exception {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> json = Files.newDirectoryStream(EXAMPLES, "*.json")) {
      json.forEach(files::add);
    }
    files.add(EXAMPLES.resolveSibling("vxdns.json"));
    assertTrue(files.size() > 5, "the examples are found: " + files);
    return files.stream().sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedConfigs")
  void everyShippedConfigIsValidAndCheckconfIsSilent(Path file) {
    Run run = tool("checkconf", file.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals("", run.out() + run.err());
  }

  @Test
  void brokenConfigsNameTheKeyAndExitOne(@TempDir Path dir) throws Exception {
    JsonObject good = minimal();
    Path goodFile = write(dir, "good.json", good.encodePrettily());
    assertEquals(0, tool("checkconf", goodFile.toString()).status(), "positive control");

    JsonObject unknown = minimal();
    unknown.getJsonObject("options").put("max-udp-sise", 1232);
    expectProblem(dir, "unknown.json", unknown.encode(), "options.max-udp-sise");

    JsonObject badAcl = minimal();
    badAcl.getJsonObject("options").put("allow-query", new JsonArray().add("10.1.2.3/8"));
    expectProblem(dir, "acl.json", badAcl.encode(), "options.allow-query");

    JsonObject missingZone = minimal();
    missingZone
        .getJsonObject("zone")
        .put("gone.test", new JsonObject().put("file", dir.resolve("gone.zone").toString()));
    expectProblem(dir, "zonefile.json", missingZone.encode(), "zone.gone.test.file");

    JsonObject badPort = minimal();
    badPort.getJsonObject("options").getJsonArray("listen-on").getJsonObject(0).put("port", 70000);
    expectProblem(dir, "port.json", badPort.encode(), "options.listen-on[0].port");

    expectProblem(dir, "syntax.json", "{ \"options\": ", "");
    Run missing = tool("checkconf", dir.resolve("nowhere.json").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("nowhere.json"), missing.err());
    assertEquals(2, tool("checkconf").status(), "no file is a usage error");
  }

  /**
   * {@code -z} loads every primary zone, each reported with named-checkconf -z's lines (taken from
   * BIND 9.20's output for the same files): all zones are tried, status 1 if one did not load.
   */
  @Test
  void withZEveryPrimaryZoneIsLoadedAndReportedAsNamedCheckconfDoes(@TempDir Path dir)
      throws Exception {
    Path bad =
        write(
            dir,
            "bad.zone",
            String.join(
                "\n",
                "$ORIGIN bad.test.",
                "@ 3600 IN SOA ns1 hostmaster 7 3600 600 86400 300",
                "@ IN NS ns1",
                "ns1 IN A 192.0.2.1",
                "www IN A 300.1.1.1",
                ""));
    JsonObject good = minimal();
    Path goodFile = write(dir, "good.json", good.encode());
    Run loaded = tool("checkconf", "-z", goodFile.toString());
    assertEquals(0, loaded.status(), loaded.out() + loaded.err());
    assertTrue(loaded.out().matches("zone example\\.test/IN: loaded serial \\d+\n"), loaded.out());

    JsonObject withBad = minimal();
    withBad.getJsonObject("zone").put("bad.test", new JsonObject().put("file", bad.toString()));
    Path withBadFile = write(dir, "bad.json", withBad.encode());
    Run plain = tool("checkconf", withBadFile.toString());
    assertEquals(0, plain.status(), "without -z the zone files are only found: " + plain.err());
    assertEquals("", plain.out() + plain.err());
    Run failed = tool("checkconf", "-z", withBadFile.toString());
    assertEquals(1, failed.status(), failed.out() + failed.err());
    assertTrue(failed.out().contains("zone example.test/IN: loaded serial "), failed.out());
    assertTrue(
        failed.out().contains(bad + ":5: near '300.1.1.1': bad dotted quad\n"), failed.out());
    assertTrue(
        failed.out().contains("zone bad.test/IN: not loaded due to errors.\n"), failed.out());
    assertEquals("", failed.err());
    assertEquals(2, tool("checkconf", "-z").status(), "no file is a usage error");
  }

  @Test
  void aTlsKeyOthersCanReadIsRefusedByCheckconfAndAtStart(@TempDir Path dir) throws Exception {
    EphemeralCertificate.Result made =
        EphemeralCertificate.ensure(dev.vxdns.verticles.transport.TlsConfig.ephemeral(dir));
    JsonObject config = minimal();
    config.put(
        "tls",
        new JsonObject()
            .put(
                "mine",
                new JsonObject()
                    .put("cert-file", made.certFile().toString())
                    .put("key-file", made.keyFile().toString())));
    config
        .getJsonObject("options")
        .getJsonArray("listen-on")
        .add(
            new JsonObject()
                .put("address", "127.0.0.1")
                .put("port", LauncherConfig.freePort())
                .put("transport", "dot")
                .put("tls", "mine"));
    Path file = write(dir, "tls.json", config.encodePrettily());
    Files.setPosixFilePermissions(made.keyFile(), PosixFilePermissions.fromString("rw-------"));
    assertEquals(0, tool("checkconf", file.toString()).status(), "0600 is accepted");

    Files.setPosixFilePermissions(made.keyFile(), PosixFilePermissions.fromString("rw-r-----"));
    Run run = tool("checkconf", file.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("tls.mine.key-file"), run.err());
    assertTrue(run.err().contains("chmod 600"), run.err());

    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertEquals(Main.EXIT_USAGE, node.awaitExit(60), node.output());
      assertTrue(node.output().contains("tls.mine.key-file"), node.output());
    }
  }

  @Test
  void anIncludedKeyFileGroupCanReadIsRefused(@TempDir Path dir) throws Exception {
    Path keys =
        write(
            dir,
            "keys.json",
            "{\"key\": {\"k.\": {\"algorithm\": \"hmac-sha256\", \"secret\": \"MDEyMzQ1Njc4OWFiY2RlZg==\"}}}");
    JsonObject config = minimal().put("include", new JsonArray().add("keys.json"));
    Path file = write(dir, "include.json", config.encode());
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    assertEquals(0, tool("checkconf", file.toString()).status());
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-r-----"));
    Run run = tool("checkconf", file.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("include") && run.err().contains("keys.json"), run.err());
  }

  @Test
  void versionIsPrinted() throws Exception {
    try (NodeProcess node = NodeProcess.launch("--version")) {
      assertEquals(0, node.awaitExit(30), node.output());
      assertTrue(
          node.output().matches("(?s)vxdns [0-9]+\\.[0-9]+\\.[0-9]+(-SNAPSHOT)?\\s*"),
          node.output());
    }
  }

  static JsonObject minimal() throws Exception {
    return new JsonObject()
        .put(
            "options",
            new JsonObject()
                .put(
                    "listen-on",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("address", "127.0.0.1")
                                .put("port", LauncherConfig.freePort()))))
        .put(
            "zone",
            new JsonObject().put("example.test", new JsonObject().put("file", ZONE.toString())));
  }

  static Path write(Path dir, String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static void expectProblem(Path dir, String name, String text, String keyPath)
      throws Exception {
    Path file = write(dir, name, text);
    Run run = tool("checkconf", file.toString());
    assertEquals(1, run.status(), name + ": " + run.err());
    assertEquals("", run.out());
    assertTrue(run.err().startsWith("vxdns checkconf: "), run.err());
    assertTrue(run.err().contains(file.toString()), run.err());
    assertTrue(run.err().contains(keyPath + ":"), keyPath + " in: " + run.err());
    assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
  }
}
