package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vxdns zone-status}, {@code zone-refresh}, {@code zone-retransfer} and {@code zone-notify},
 * named's {@code rndc zonestatus}, {@code refresh}, {@code retransfer} and {@code notify}, run as
 * an operator runs them ({@code bin/vxdns} against the node's control channel), with named 9.20 as
 * the secondary zone's primary: a refresh finds the serial named took from an edited file (no
 * NOTIFY, a refresh timer an hour away), a retransfer makes named send the whole zone again at the
 * same serial, a notify tells the primary zone's also-notify target again; a refresh of a primary
 * zone and any operation on a zone the node does not serve fail with the reason.
 */
class ZoneControlInteropTest {
  private static final Path VXDNS = Path.of("../../bin/vxdns").toAbsolutePath().normalize();
  private static final String SECONDARY = "ctl.test";
  private static final String PRIMARY = "pri.test";

  @Test
  void theZoneCommandsDoWhatRndcs(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    int[] ports = TransferPeers.freePorts(3);
    int namedPort = ports[0];
    int port = ports[1];
    int controlPort = ports[2];
    TransferPeers.writeZone(namedDir, SECONDARY);
    String conf =
        TransferPeers.namedOptions(
                namedDir, namedPort, "  notify no;", "  allow-transfer { any; };")
            + TransferPeers.namedPrimary(SECONDARY, "");
    Run keygen = run("tsig-keygen", "--file", nodeDir.resolve("rndc.key").toString(), "rndc-key");
    assertEquals(0, keygen.status(), keygen.out());
    try (NotifyListeners listener = new NotifyListeners(1);
        Peer named = TransferPeers.startNamed(namedDir, conf)) {
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.getJsonObject("options").put("notify-delay", 0);
      config.put(
          "zone",
          new JsonObject()
              .put(SECONDARY, TransferPeers.secondaryOf(namedPort))
              .put(
                  PRIMARY,
                  TransferPeers.primaryOf(TransferPeers.writeZone(nodeDir, PRIMARY))
                      .put("notify", "explicit")
                      .put("also-notify", listener.nodeList())));
      config.put(
          "controls",
          new JsonArray()
              .add(
                  new JsonObject()
                      .put("address", "127.0.0.1")
                      .put("port", controlPort)
                      .put("key", "rndc-key.")
                      .put("key-file", "rndc.key")));
      Path configFile = nodeDir.resolve("vxdns.json");
      Files.writeString(configFile, config.encodePrettily());
      try (TestNode node = TestNode.start(config, nodeDir, null)) {
        TransferPeers.awaitSerial(SECONDARY + " transferred", port, SECONDARY, 1, named::log);
        List<String> tool = List.of("--config", configFile.toString());

        Run status = run(tool, "zone-status", SECONDARY);
        assertEquals(0, status.status(), status.out());
        for (String line :
            List.of(
                "name: ctl.test.",
                "type: secondary",
                "serial: 1",
                "primaries: 127.0.0.1#" + namedPort,
                "retransfer-queued: false")) {
          assertTrue(status.out().lines().anyMatch(line::equals), line + " in\n" + status.out());
        }

        // named takes serial 2 from its edited file and tells nobody (notify no).
        Path file = namedDir.resolve(SECONDARY + ".zone");
        Files.writeString(
            file,
            Files.readString(file)
                .replace("hostmaster 1 3600", "hostmaster 2 3600")
                .replace("www IN A 192.0.2.80", "www IN A 192.0.2.81"));
        named.hangUp();
        TransferPeers.awaitSerial(SECONDARY + " edited", namedPort, SECONDARY, 2, named::log);
        assertEquals(1, TransferPeers.serial(port, SECONDARY), "no NOTIFY, no refresh yet");
        Run refresh = run(tool, "zone-refresh", SECONDARY);
        assertEquals(List.of(0, "zone refresh queued"), List.of(refresh.status(), refresh.last()));
        TransferPeers.awaitSerial(SECONDARY + " refreshed", port, SECONDARY, 2, named::log);

        int wholeBefore = wholeTransfers(named);
        Run retransfer = run(tool, "zone-retransfer", SECONDARY);
        assertEquals(
            List.of(0, "zone retransfer queued"), List.of(retransfer.status(), retransfer.last()));
        TransferPeers.waitFor(
            "named's log of a second AXFR at serial 2",
            () -> wholeTransfers(named) == wholeBefore + 1,
            named::log);
        assertEquals(2, TransferPeers.serial(port, SECONDARY));

        TransferPeers.waitFor("the start's NOTIFY", () -> listener.count() >= 1, () -> "");
        int notifies = listener.count();
        Run notify = run(tool, "zone-notify", PRIMARY);
        assertEquals(List.of(0, "zone notify queued"), List.of(notify.status(), notify.last()));
        TransferPeers.waitFor(
            "zone-notify's NOTIFY", () -> listener.count() == notifies + 1, () -> "");

        Run primaryRefresh = run(tool, "zone-refresh", PRIMARY);
        assertEquals(1, primaryRefresh.status(), primaryRefresh.out());
        assertTrue(
            primaryRefresh.out().contains("400 not a secondary, mirror, or stub zone"),
            primaryRefresh.out());
        Run unknown = run(tool, "zone-status", "nope.test");
        assertEquals(1, unknown.status(), unknown.out());
        assertTrue(unknown.out().contains("404 no zone nope.test."), unknown.out());
      }
    }
  }

  /** How many whole transfers of the zone named has logged sending (AXFR, or IXFR sent whole). */
  private static int wholeTransfers(Peer named) {
    return (int)
        named
            .log()
            .lines()
            .filter(line -> line.contains("transfer of '" + SECONDARY + "/IN': AXFR started"))
            .count();
  }

  /** What a bin/vxdns command printed (standard output and error) and its exit status. */
  record Run(int status, String out) {
    String last() {
      List<String> lines = out.lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  private static Run run(List<String> options, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(options);
    return run(args.toArray(String[]::new));
  }

  private static Run run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", VXDNS.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("VXDNS_JAVA_OPTS");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
