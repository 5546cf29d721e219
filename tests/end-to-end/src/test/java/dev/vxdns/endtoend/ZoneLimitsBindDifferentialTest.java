package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vxdns.message.Delivery;
import dev.vxdns.message.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * BIND 9.20's {@code max-records-per-type} and {@code max-types-per-name} (defaults 100 and 100,
 * zone-level overrides, 0 for no limit), compared with named on the same zones: a primary zone over
 * them does not load, one under them or with the limit lifted does; a secondary refuses a
 * transferred zone over them. Each zone is asked the same questions on both servers and every
 * answer's rcode and record count must be the same; updates are compared step by step in {@link
 * UpdateDifferentialInteropTest} ("zone limits").
 */
class ZoneLimitsBindDifferentialTest {

  private static final int TYPE_BASE = 1000;

  /**
   * One zone: {@code addresses} A records at big, {@code types} RRsets of private types at many;
   * the zone's own limits (null: the defaults) and whether named loads it.
   */
  record Case(
      String zone, int addresses, int types, Integer maxRecords, Integer maxTypes, boolean loads) {}

  static final List<Case> CASES =
      List.of(
          new Case("r100.test", 100, 1, null, null, true),
          new Case("r101.test", 101, 1, null, null, false),
          new Case("t100.test", 1, 100, null, null, true),
          new Case("t101.test", 1, 101, null, null, false),
          new Case("r101-unlimited.test", 101, 1, 0, null, true),
          new Case("r51-of-50.test", 51, 1, 50, null, false),
          new Case("t101-of-200.test", 1, 101, null, 200, true),
          new Case("t101-unlimited.test", 1, 101, 0, 0, true));

  static String zoneText(int addresses, int types) {
    StringBuilder text =
        new StringBuilder(
            "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n"
                + "ok A 10.1.1.1\n");
    for (int i = 1; i <= addresses; i++) {
      text.append("big A 10.0.").append(i / 256).append('.').append(i % 256).append('\n');
    }
    for (int i = 1; i <= types; i++) {
      text.append("many TYPE").append(TYPE_BASE + i).append(" \\# 1 01\n");
    }
    return text.toString();
  }

  private static String namedLimits(Integer maxRecords, Integer maxTypes) {
    return (maxRecords == null ? "" : " max-records-per-type " + maxRecords + ";")
        + (maxTypes == null ? "" : " max-types-per-name " + maxTypes + ";");
  }

  private static JsonObject withLimits(JsonObject zone, Integer maxRecords, Integer maxTypes) {
    if (maxRecords != null) {
      zone.put("max-records-per-type", maxRecords);
    }
    if (maxTypes != null) {
      zone.put("max-types-per-name", maxTypes);
    }
    return zone;
  }

  /** The questions asked of every zone: (name, type, over TCP). */
  private static final List<Object[]> PROBES =
      List.of(
          new Object[] {"ok", Type.A, false},
          new Object[] {"big", Type.A, true},
          new Object[] {"many", TYPE_BASE + 1, false},
          new Object[] {"@", Type.SOA, false});

  @Test
  void primaryZonesOverTheLimitsDoNotLoadAsInNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int port = ports[0];
    int namedPort = ports[1];
    StringBuilder namedZones = new StringBuilder();
    JsonObject zones = new JsonObject();
    List<String> loading = new ArrayList<>();
    for (Case c : CASES) {
      Path file = dir.resolve(c.zone() + ".zone");
      Files.writeString(file, zoneText(c.addresses(), c.types()));
      namedZones.append(
          "zone \""
              + c.zone()
              + "\" { type primary; file \""
              + file
              + "\";"
              + namedLimits(c.maxRecords(), c.maxTypes())
              + " };\n");
      zones.put(
          c.zone(),
          withLimits(
              new JsonObject().put("file", file.toString()).put("notify", "no"),
              c.maxRecords(),
              c.maxTypes()));
      if (c.loads()) {
        loading.add(c.zone());
      }
    }
    JsonObject config = TestNode.config(port, Delivery.DIRECT).put("zone", zones);
    List<String> differences = new ArrayList<>();
    int compared = 0;
    try (Peer named =
            TransferPeers.startNamed(dir, TransferPeers.namedOptions(dir, namedPort) + namedZones);
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(loading);
      for (Case c : CASES) {
        assertEquals(
            c.loads(),
            !named.log().contains("zone " + c.zone() + "/IN: not loaded due to errors"),
            c.zone() + ":\n" + named.log());
        for (Object[] probe : PROBES) {
          String name = probe[0].equals("@") ? c.zone() + "." : probe[0] + "." + c.zone() + ".";
          int type = (Integer) probe[1];
          boolean tcp = (Boolean) probe[2];
          String theirs = shape(DnsClient.query(namedPort, name, type, tcp));
          String ours = shape(DnsClient.query(port, name, type, tcp));
          compared++;
          if (!theirs.equals(ours)) {
            differences.add(
                name + " " + Type.string(type) + ": named " + theirs + ", vxdns " + ours);
          }
          if (probe[0].equals("big") && c.loads()) {
            assertEquals("NOERROR " + c.addresses(), theirs, "named's positive control");
          }
          if (!c.loads()) {
            assertNotEquals(Rcode.NOERROR, DnsClient.query(namedPort, name, type, tcp).getRcode());
          }
        }
      }
      assertTrue(named.alive(), named.log());
    }
    assertEquals(CASES.size() * PROBES.size(), compared);
    if (!differences.isEmpty()) {
      fail("vxdns and named differ:\n" + String.join("\n", differences));
    }
  }

  /** The rcode and the answer's record count. */
  private static String shape(Message answer) {
    return Rcode.string(answer.getRcode()) + " " + answer.getSection(Section.ANSWER).size();
  }

  /**
   * A primary without limits; a named and a vxdns secondary with the defaults, except for
   * lifted.test. over.test (150 records at big) is refused whole; grow.test (100) transfers, an
   * IXFR of a change beside big follows, and the IXFR of the change that takes big to 101 is
   * refused (then the AXFR named and vxdns retry with), the version before it serving on.
   */
  @Test
  void secondariesRefuseTransfersOverTheLimitsAsNamedDoes(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(3);
    int port = ports[0];
    int primaryPort = ports[1];
    int secondaryPort = ports[2];
    Path primaryDir = Files.createDirectories(dir.resolve("primary"));
    Path secondaryDir = Files.createDirectories(dir.resolve("secondary"));
    Files.writeString(primaryDir.resolve("over.test.zone"), zoneText(150, 1));
    Files.writeString(primaryDir.resolve("lifted.test.zone"), zoneText(150, 1));
    Files.writeString(primaryDir.resolve("grow.test.zone"), zoneText(100, 1));
    String primaryConf =
        TransferPeers.namedOptions(
                primaryDir,
                primaryPort,
                "  max-records-per-type 0;",
                "  allow-transfer { any; };",
                "  notify no;")
            + "zone \"over.test\" { type primary; file \"over.test.zone\"; };\n"
            + "zone \"lifted.test\" { type primary; file \"lifted.test.zone\"; };\n"
            + "zone \"grow.test\" { type primary; file \"grow.test.zone\";"
            + " allow-update { key \"xfr-key.\"; }; max-ixfr-ratio unlimited; notify explicit;"
            + " also-notify { 127.0.0.1 port "
            + secondaryPort
            + "; 127.0.0.1 port "
            + port
            + "; }; };\n";
    String primaries = "primaries { 127.0.0.1 port " + primaryPort + "; };";
    String secondaryConf =
        TransferPeers.namedOptions(secondaryDir, secondaryPort)
            + "zone \"over.test\" { type secondary; "
            + primaries
            + " };\n"
            + "zone \"lifted.test\" { type secondary; max-records-per-type 0; "
            + primaries
            + " };\n"
            + "zone \"grow.test\" { type secondary; "
            + primaries
            + " };\n";
    JsonObject primary = new JsonObject().put("address", "127.0.0.1").put("port", primaryPort);
    JsonObject config =
        TestNode.config(port, Delivery.DIRECT)
            .put(
                "zone",
                new JsonObject()
                    .put("over.test", secondary(primary))
                    .put("lifted.test", secondary(primary).put("max-records-per-type", 0))
                    .put("grow.test", secondary(primary)));
    int[] secondaries = {secondaryPort, port};
    try (Peer named = TransferPeers.startNamed(primaryDir, primaryConf);
        Peer secondaryNamed = TransferPeers.startNamed(secondaryDir, secondaryConf);
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(List.of("over.test", "lifted.test", "grow.test"));
      for (int each : secondaries) {
        awaitSerial(each, "lifted.test", 1, secondaryNamed);
        assertEquals("NOERROR 150", shape(DnsClient.query(each, "big.lifted.test.", Type.A, true)));
        awaitSerial(each, "grow.test", 1, secondaryNamed);
      }
      Counter overFailed = failedTransfers(node, "over.test.");
      TransferPeers.waitFor(
          "both secondaries' failed transfer of over.test",
          () -> failedIn(secondaryNamed, "over.test") && overFailed.count() >= 1,
          secondaryNamed::log);
      for (int each : secondaries) {
        assertEquals(
            "SERVFAIL 0", shape(DnsClient.query(each, "big.over.test.", Type.A, true)), "" + each);
      }

      TransferPeers.update(
          primaryPort,
          "grow.test",
          update -> update.add(TransferPeers.name("beside.grow.test."), Type.A, 300, "10.2.2.2"));
      for (int each : secondaries) {
        awaitSerial(each, "grow.test", 2, secondaryNamed);
      }
      assertTrue(
          secondaryNamed
              .log()
              .contains(
                  "transfer of 'grow.test/IN' from 127.0.0.1#"
                      + primaryPort
                      + ": Transfer completed"),
          secondaryNamed.log());
      Counter growFailed = failedTransfers(node, "grow.test.");
      assertEquals(0, growFailed.count());
      TransferPeers.update(
          primaryPort,
          "grow.test",
          update -> update.add(TransferPeers.name("big.grow.test."), Type.A, 300, "10.9.9.9"));
      TransferPeers.waitFor(
          "both secondaries' failed transfer of grow.test",
          () -> failedIn(secondaryNamed, "grow.test") && growFailed.count() >= 1,
          secondaryNamed::log);
      assertEquals(3, TransferPeers.serial(primaryPort, "grow.test"));
      for (int each : secondaries) {
        assertEquals(2, TransferPeers.serial(each, "grow.test"), "" + each);
        assertEquals(
            "NOERROR 100", shape(DnsClient.query(each, "big.grow.test.", Type.A, true)), "" + each);
      }
    }
  }

  private static void awaitSerial(int port, String zone, long serial, Peer named) throws Exception {
    TransferPeers.waitFor(
        zone + " at serial " + serial + " on port " + port,
        () -> TransferPeers.serial(port, zone) == serial,
        named::log);
  }

  /** Whether named logged a transfer of the zone refused for its limits. */
  private static boolean failedIn(Peer named, String zone) {
    return named
        .log()
        .lines()
        .anyMatch(line -> line.contains("'" + zone + "/IN'") && line.contains("too many records"));
  }

  private static Counter failedTransfers(TestNode node, String zone) {
    Counter failed =
        NodeMetrics.of(node.vertx)
            .registry()
            .find("vxdns_transfers_in")
            .tags("zone", zone, "result", "failed")
            .counter();
    assertNotNull(failed, "no transfer counter for " + zone);
    return failed;
  }

  private static JsonObject secondary(JsonObject primary) {
    return new JsonObject()
        .put("type", "secondary")
        .put("primaries", new JsonArray().add(primary))
        .put("notify", "no");
  }
}
