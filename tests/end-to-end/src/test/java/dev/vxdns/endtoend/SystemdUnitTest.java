package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ops/systemd: the unit passes {@code systemd-analyze verify} without a warning (an unknown key or
 * a missing command is caught, shown by the negative controls), its hardening rates "OK" or better
 * in {@code systemd-analyze security}, it grants CAP_NET_BIND_SERVICE and nothing else, and its
 * readiness script waits for /ready to answer 200 and gives up when it never does.
 */
class SystemdUnitTest {
  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  static final Path UNIT = ROOT.resolve("ops/systemd/vxdns.service");
  static final Path WAIT_READY = ROOT.resolve("ops/systemd/vxdns-wait-ready");

  record Run(int status, String output) {}

  static Run run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "did not finish: " + command);
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /**
   * The unit with the tree's real place instead of /opt/vxdns, so that verify finds the commands.
   */
  static Path installed(Path dir, String name, String extra) throws Exception {
    String unit = Files.readString(UNIT).replace("/opt/vxdns", ROOT.toString());
    unit = unit.replace("NoNewPrivileges=yes\n", "NoNewPrivileges=yes\n" + extra);
    return Files.writeString(dir.resolve(name), unit);
  }

  @Test
  void theUnitVerifiesCleanlyAndIsHardened(@TempDir Path dir) throws Exception {
    Requires.that(
        new File("/usr/bin/systemd-analyze").canExecute(),
        "systemd-analyze is missing (Debian systemd)");
    String unit = Files.readString(UNIT);
    assertTrue(unit.contains("\nUser=vxdns\n"), "an unprivileged user");
    assertTrue(unit.contains("\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n"), unit);
    assertTrue(unit.contains("\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"), unit);
    assertTrue(unit.contains("\nNoNewPrivileges=yes\n"), unit);
    assertTrue(
        unit.contains("ExecStartPost=/opt/vxdns/ops/systemd/vxdns-wait-ready 127.0.0.1:9153"),
        unit);

    Run verify =
        run(List.of("systemd-analyze", "verify", installed(dir, "vxdns.service", "").toString()));
    assertEquals(0, verify.status(), verify.output());
    assertEquals("", verify.output().strip(), "no warning");
    Run unknownKey =
        run(
            List.of(
                "systemd-analyze",
                "verify",
                installed(dir, "bogus.service", "NoSuchDirective=1\n").toString()));
    assertTrue(unknownKey.output().contains("Unknown key 'NoSuchDirective'"), unknownKey.output());
    Path missingCommand =
        Files.writeString(
            dir.resolve("missing.service"),
            Files.readString(installed(dir, "missing-source.service", ""))
                .replace("ExecStart=" + ROOT, "ExecStart=/nonexistent"));
    assertNotEquals(
        0, run(List.of("systemd-analyze", "verify", missingCommand.toString())).status());

    Run security =
        run(
            List.of(
                "systemd-analyze",
                "security",
                "--offline=true",
                installed(dir, "vxdns.service", "").toString()));
    Matcher exposure =
        Pattern.compile("Overall exposure level for vxdns.service: ([0-9.]+) (\\S+)")
            .matcher(security.output());
    assertTrue(exposure.find(), security.output());
    assertTrue(
        Double.parseDouble(exposure.group(1)) <= 2.0,
        "exposure " + exposure.group(1) + "\n" + security.output());
  }

  @Test
  void readinessWaitsForReadyAndGivesUp() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // not ready for the first three polls, then ready
    server.createContext(
        "/ready",
        exchange -> {
          int status = calls.incrementAndGet() <= 3 ? 503 : 200;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    try {
      String target = "127.0.0.1:" + server.getAddress().getPort();
      Run ready = run(List.of(WAIT_READY.toString(), target, "20"));
      assertEquals(0, ready.status(), ready.output());
      assertTrue(calls.get() >= 4, "polled until 200: " + calls.get());
    } finally {
      server.stop(0);
    }
    int closed = TestNode.freePort();
    Run never = run(List.of(WAIT_READY.toString(), "127.0.0.1:" + closed, "2"));
    assertEquals(1, never.status(), never.output());
    assertTrue(
        never.output().contains("not ready on http://127.0.0.1:" + closed + "/ready within 2 s"),
        never.output());
  }
}
