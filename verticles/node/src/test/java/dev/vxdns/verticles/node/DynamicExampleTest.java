package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/examples/dynamic.json run as its README says (on free ports instead of 5300 and 9530, in a
 * copy of the config and zone folders): nsupdate -y adds a record and dig shows it, an unsigned
 * update is REFUSED, {@code vxdns zone-sync} writes the zone file (every zone, and one by name; an
 * unknown zone fails), the change survives kill -9 (journal replay), and SIGTERM folds it into the
 * file. Needs Debian's nsupdate and dig (skipped without them, failed in CI).
 */
class DynamicExampleTest {
  @TempDir Path dir;

  private static final String Y =
      "hmac-sha256:update-key.:dXBkYXRlLWtleS1leGFtcGxlLW9ubHktcmVwbGFjZSE=";

  private static void requireTools() {
    for (String tool : List.of("nsupdate", "dig")) {
      boolean installed =
          List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
              .anyMatch(folder -> new File(folder, tool).canExecute());
      if (!installed) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          fail("CI=true, and " + tool + " is not installed (Debian bind9-dnsutils)");
        }
        Assumptions.abort(tool + " is not installed (Debian bind9-dnsutils)");
      }
    }
  }

  /** Runs a command with {@code input} on stdin: exit status, then its output. */
  private static List<String> command(String input, String... args) throws Exception {
    Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
    process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "did not finish: " + List.of(args));
    return List.of(
        Integer.toString(process.exitValue()),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
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

  private static String dig(int port, String... question) throws Exception {
    List<String> args = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port)));
    args.addAll(List.of(question));
    args.add("+short");
    return command("", args.toArray(new String[0])).get(1).strip();
  }

  @Test
  void theExampleWorksAsItsReadmeSays() throws Exception {
    requireTools();
    int port = LauncherConfig.freePort();
    int control;
    do {
      control = LauncherConfig.freePort();
    } while (control == port);
    Path examples = Files.createDirectories(dir.resolve("examples"));
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Path zoneFile = zones.resolve("dyn.test.zone");
    Files.copy(Path.of("../../config/zones/dyn.test.zone"), zoneFile);
    JsonObject config =
        new JsonObject(Files.readString(Path.of("../../config/examples/dynamic.json")));
    config.getJsonObject("options").getJsonArray("listen-on").getJsonObject(0).put("port", port);
    config.getJsonArray("controls").getJsonObject(0).put("port", control);
    Path file = examples.resolve("dynamic.json");
    Files.writeString(file, config.encodePrettily());
    String server = "127.0.0.1:" + control;
    String script =
        "server 127.0.0.1 "
            + port
            + "\nzone dyn.test\nupdate add host1.dyn.test. 300 A 192.0.2.21\nsend\n";

    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertTrue(node.awaitStarted(60), node.output());
      assertEquals("2026120301", dig(port, "dyn.test", "SOA").split(" ")[2]);

      List<String> unsigned = command(script.replace("host1", "nokey"), "nsupdate");
      assertNotEquals("0", unsigned.get(0));
      assertTrue(unsigned.get(1).contains("update failed: REFUSED"), unsigned.get(1));
      assertEquals("", dig(port, "nokey.dyn.test", "A"));

      List<String> signed = command(script, "nsupdate", "-y", Y);
      assertEquals("0", signed.get(0), signed.get(1));
      assertEquals("192.0.2.21", dig(port, "host1.dyn.test", "A"));
      assertEquals("2026120302", dig(port, "dyn.test", "SOA").split(" ")[2]);
      assertFalse(Files.readString(zoneFile).contains("192.0.2.21"), "in the journal only");

      node.close(); // kill -9
      assertNotEquals(0, node.awaitExit(30));
    }
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertTrue(node.awaitStarted(60), node.output());
      assertEquals("192.0.2.21", dig(port, "host1.dyn.test", "A"), "replayed from the journal");

      List<String> unknown =
          tools("zone-sync", "nope.test", "--config", file.toString(), "--server", server);
      assertNotEquals("0", unknown.get(0), unknown.get(1));
      List<String> all = tools("zone-sync", "--config", file.toString(), "--server", server);
      assertEquals(List.of("0", "synced dyn.test.\n"), all);
      assertTrue(Files.readString(zoneFile).contains("192.0.2.21"), "zone-sync wrote the file");

      assertEquals(
          "0",
          command(script.replace("host1", "host2").replace(".21", ".22"), "nsupdate", "-y", Y)
              .get(0));
      List<String> one =
          tools("zone-sync", "dyn.test", "--config", file.toString(), "--server", server);
      assertEquals(List.of("0", "synced dyn.test.\n"), one);
      assertTrue(Files.readString(zoneFile).contains("192.0.2.22"), "zone-sync dyn.test wrote it");

      assertEquals(
          "0",
          command(script.replace("host1", "host3").replace(".21", ".23"), "nsupdate", "-y", Y)
              .get(0));
      node.terminate();
      assertEquals(0, node.awaitExit(60), node.output());
      String written = Files.readString(zoneFile);
      assertTrue(written.contains("192.0.2.23") && written.contains("2026120304"), written);
    }
  }
}
