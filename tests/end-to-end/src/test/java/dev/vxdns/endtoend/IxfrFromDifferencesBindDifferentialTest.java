package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import dev.vxdns.verticles.node.NodeConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/**
 * BIND's {@code ixfr-from-differences}: a primary zone whose file is edited and read again keeps
 * the change from the version it served, so an IXFR from the old serial gets that change; without
 * it (the default, the zone beside it) the whole zone. A named and a vxdns primary of the same two
 * zones read the same edit (named on SIGHUP, vxdns on a reload) and are asked the same IXFR; a
 * named and a vxdns secondary that receive a whole new version keep its change the same way.
 */
class IxfrFromDifferencesBindDifferentialTest {
  private static final List<String> ZONES = List.of("diff.test", "plain.test");

  @Test
  void anEditedFileIsSentAsAChangeAsNamedSendsIt(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int namedPort = ports[0];
    int port = ports[1];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    StringBuilder conf =
        new StringBuilder(
            TransferPeers.namedOptions(
                namedDir, namedPort, "  notify no;", "  allow-transfer { any; };"));
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    JsonObject entries = new JsonObject();
    for (String zone : ZONES) {
      TransferPeers.writeZone(namedDir, zone);
      entries.put(zone, TransferPeers.primaryOf(TransferPeers.writeZone(nodeDir, zone)));
      conf.append(
          TransferPeers.namedPrimary(
              zone, zone.equals("diff.test") ? " ixfr-from-differences yes;" : ""));
    }
    entries.getJsonObject("diff.test").put("ixfr-from-differences", "yes");
    config.put("zone", entries);
    List<String> theirs = new ArrayList<>();
    List<String> ours = new ArrayList<>();
    try (Peer named = TransferPeers.startNamed(namedDir, conf.toString());
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(ZONES);
      for (String zone : ZONES) {
        edit(namedDir, zone);
        edit(nodeDir, zone);
      }
      named.hangUp();
      node.node
          .reconfigure(NodeConfig.parse(config, node.directory))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      for (String zone : ZONES) {
        TransferPeers.awaitSerial(zone + " read again", namedPort, zone, 2, named::log);
        TransferPeers.awaitSerial(zone + " read again", port, zone, 2, () -> "vxdns");
        theirs.add(ixfrFromSerial1(namedPort, zone));
        ours.add(ixfrFromSerial1(port, zone));
      }
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of(
            "diff.test: incremental, deleted [www.diff.test.\t\t300\tIN\tA\t192.0.2.80],"
                + " added [www.diff.test.\t\t300\tIN\tA\t192.0.2.81]",
            "plain.test: whole"),
        theirs,
        "named's answers");
  }

  /**
   * The change of an edited file survives a kill -9, as named journals it: named and a vxdns node
   * in a JVM of its own read the same edit (SIGHUP), are killed with SIGKILL, started again on what
   * they left on disk and asked the same IXFR from serial 1. Then an edit that changes www but
   * keeps serial 2: both refuse it ("ixfr-from-differences: new serial (2) out of range") and keep
   * answering with the version they served.
   */
  @Test
  void theChangeOfAnEditedFileSurvivesAKill(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int namedPort = ports[0];
    int port = ports[1];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    String zone = "diff.test";
    String conf =
        TransferPeers.namedOptions(
                namedDir, namedPort, "  notify no;", "  allow-transfer { any; };")
            + TransferPeers.namedPrimary(zone, " ixfr-from-differences yes;");
    TransferPeers.writeZone(namedDir, zone);
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put(
        "zone",
        new JsonObject()
            .put(
                zone,
                TransferPeers.primaryOf(TransferPeers.writeZone(nodeDir, zone))
                    .put("ixfr-from-differences", "yes")));
    String theirs;
    String ours;
    Peer named = null;
    Peer node = null;
    try {
      named = TransferPeers.startNamed(namedDir, conf);
      node = TestNode.startProcess(nodeDir, config);
      TransferPeers.awaitSerial("serial 1", namedPort, zone, 1, named::log);
      TransferPeers.awaitSerial("serial 1", port, zone, 1, node::log);
      edit(namedDir, zone);
      edit(nodeDir, zone);
      named.hangUp();
      node.hangUp();
      TransferPeers.awaitSerial("serial 2", namedPort, zone, 2, named::log);
      TransferPeers.awaitSerial("serial 2", port, zone, 2, node::log);
      named.kill();
      node.kill();
      named = TransferPeers.startNamed(namedDir, conf);
      node = TestNode.startProcess(nodeDir, config);
      TransferPeers.awaitSerial("serial 2 after the kill", namedPort, zone, 2, named::log);
      TransferPeers.awaitSerial("serial 2 after the kill", port, zone, 2, node::log);
      theirs = ixfrFromSerial1(namedPort, zone);
      ours = ixfrFromSerial1(port, zone);

      for (Path folder : List.of(namedDir, nodeDir)) {
        Path file = folder.resolve(zone + ".zone");
        Files.writeString(
            file, Files.readString(file).replace("www IN A 192.0.2.81", "www IN A 192.0.2.99"));
      }
      named.hangUp();
      node.hangUp();
      named.awaitLog("ixfr-from-differences: new serial (2) out of range", 30);
      node.awaitLog("ixfr-from-differences: new serial (2) out of range", 30);
      assertEquals(List.of("192.0.2.81", "192.0.2.81"), List.of(www(namedPort), www(port)));
    } finally {
      TransferPeers.closeAll(named, node);
    }
    assertEquals(
        "diff.test: incremental, deleted [www.diff.test.\t\t300\tIN\tA\t192.0.2.80],"
            + " added [www.diff.test.\t\t300\tIN\tA\t192.0.2.81]",
        theirs,
        "named's answer");
    assertEquals(theirs, ours);
  }

  /** www's address as the server on {@code port} answers it. */
  private static String www(int port) throws Exception {
    Message answer = DnsClient.query(port, "www.diff.test.", Type.A, false);
    return answer.getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .collect(Collectors.joining(","));
  }

  /**
   * {@code ixfr-from-differences} on secondaries: a named and a vxdns secondary of a primary that
   * sends the whole zone for every IXFR take serial 2 (www moved) over serial 1, and are asked the
   * same IXFR from serial 1: the change from the zone with the option and a file, the whole zone
   * from the zone without the option and from the zone without a file (named keeps the differences
   * in the zone's journal, which a secondary without a file has not). The option is set as named's
   * {@code options} takes it, {@code secondary}. The zones are small: their change outweighs them,
   * so max-ixfr-ratio (counted in octets by named, records here) is off in both.
   */
  @Test
  void aSecondaryKeepsTheChangeOfAWholeZoneItReceived(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    List<String> zones = List.of("diff.test", "plain.test", "nofile.test");
    List<String> theirs;
    try (StandInPrimary primary = new StandInPrimary(0)) {
      primary.wwwAddress.set("192.0.2.80");
      int namedPort = TransferPeers.freePorts(1)[0];
      Path namedDir = Files.createDirectories(dir.resolve("named"));
      String conf =
          TransferPeers.namedOptions(
                  namedDir,
                  namedPort,
                  "  notify no;",
                  "  allow-transfer { any; };",
                  "  ixfr-from-differences secondary;",
                  "  max-ixfr-ratio unlimited;")
              + primary.namedSecondary("diff.test", " file \"diff.test.bk\";")
              + primary.namedSecondary(
                  "plain.test", " file \"plain.test.bk\"; ixfr-from-differences no;")
              + primary.namedSecondary("nofile.test", "");
      try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
        theirs = changedAndAsked(primary, zones, namedPort, named::log);
      }
    }
    List<String> ours;
    try (StandInPrimary primary = new StandInPrimary(0)) {
      primary.wwwAddress.set("192.0.2.80");
      int port = TestNode.freePort();
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config
          .getJsonObject("options")
          .put("ixfr-from-differences", "secondary")
          .put("max-ixfr-ratio", "unlimited");
      JsonObject entries = primary.nodeSecondaries(zones);
      for (String zone : zones) {
        entries.getJsonObject(zone).put("allow-transfer", new JsonArray().add("any"));
      }
      entries.getJsonObject("diff.test").put("file", "diff.test.bk");
      entries.getJsonObject("plain.test").put("file", "plain.test.bk");
      entries.getJsonObject("plain.test").put("ixfr-from-differences", "no");
      config.put("zone", entries);
      try (TestNode node = TestNode.start(config)) {
        ours = changedAndAsked(primary, zones, port, () -> "transfers: " + primary.transfers());
      }
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of(
            "diff.test: incremental, deleted [www.diff.test.\t\t300\tIN\tA\t192.0.2.80],"
                + " added [www.diff.test.\t\t300\tIN\tA\t192.0.2.81]",
            "plain.test: whole",
            "nofile.test: whole"),
        theirs,
        "named's answers");
  }

  /**
   * Waits for the secondary on {@code port} to load serial 1 of {@code zones} (www at 192.0.2.80),
   * moves the primary to serial 2 with www moved, tells the secondary, waits for serial 2: the IXFR
   * answers from serial 1 the secondary then gives.
   */
  private static List<String> changedAndAsked(
      StandInPrimary primary,
      List<String> zones,
      int port,
      java.util.function.Supplier<String> diagnostics)
      throws Exception {
    for (String zone : zones) {
      TransferPeers.awaitSerial(zone + " loaded", port, zone, 1, diagnostics);
    }
    primary.wwwAddress.set("192.0.2.81");
    primary.serial.set(2);
    List<String> answers = new ArrayList<>();
    for (String zone : zones) {
      TransferPeers.notify(port, zone);
      TransferPeers.awaitSerial(zone + " at serial 2", port, zone, 2, diagnostics);
      answers.add(ixfrFromSerial1(port, zone));
    }
    return answers;
  }

  /** Serial 2, and www's address moved (the edit an operator makes, then a reload). */
  private static void edit(Path dir, String zone) throws Exception {
    Files.writeString(
        dir.resolve(zone + ".zone"),
        SecondaryInteropTest.zoneFile(zone)
            .replace("hostmaster 1 3600", "hostmaster 2 3600")
            .replace("www IN A 192.0.2.80", "www IN A 192.0.2.81"));
  }

  /** The IXFR answer from serial 1: the change's records, or that it was the whole zone. */
  static String ixfrFromSerial1(int port, String zone) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newIXFR(TransferPeers.name(zone + "."), 1, false, "127.0.0.1", port, null);
    xfr.run();
    if (!xfr.isIXFR()) {
      return zone + ": " + (xfr.isAXFR() ? "whole" : "up to date");
    }
    TreeSet<String> deleted = new TreeSet<>();
    TreeSet<String> added = new TreeSet<>();
    for (ZoneTransferIn.Delta delta : xfr.getIXFR()) {
      delta.deletes.stream()
          .filter(r -> r.getType() != org.xbill.DNS.Type.SOA)
          .map(Record::toString)
          .forEach(deleted::add);
      delta.adds.stream()
          .filter(r -> r.getType() != org.xbill.DNS.Type.SOA)
          .map(Record::toString)
          .forEach(added::add);
    }
    return zone + ": incremental, deleted " + deleted + ", added " + added;
  }
}
