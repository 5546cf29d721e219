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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What BIND 9.20 makes a zone's data obey, compared with named on the same zones: {@code
 * max-records-per-type} and {@code max-types-per-name} (defaults 100 and 100, 0 for no limit) and
 * {@code check-names} (primary fail, secondary warn; zone-level overrides). A primary zone that
 * breaks them does not load, one within them or with the rule lifted does; a secondary refuses a
 * transferred zone or change that breaks them. Each zone is asked the same questions on both
 * servers and every answer's rcode and record count must be the same; updates are compared step by
 * step in {@link UpdateDifferentialInteropTest} ("zone limits", "host names and NSEC3").
 */
class ZoneRulesBindDifferentialTest {

  private static final int TYPE_BASE = 1000;

  /**
   * One zone: the records after its SOA, NS and ok A record, its own options as named spells them
   * (the node's zone keys are the same: a number or a word), and whether named loads it.
   */
  record Case(String zone, String records, Map<String, Object> options, boolean loads) {}

  static final List<Case> CASES =
      List.of(
          new Case("r100.test", records(100, 1), Map.of(), true),
          new Case("r101.test", records(101, 1), Map.of(), false),
          new Case("t100.test", records(1, 100), Map.of(), true),
          new Case("t101.test", records(1, 101), Map.of(), false),
          new Case("r101-unlimited.test", records(101, 1), Map.of("max-records-per-type", 0), true),
          new Case("r51-of-50.test", records(51, 1), Map.of("max-records-per-type", 50), false),
          new Case("t101-of-200.test", records(1, 101), Map.of("max-types-per-name", 200), true),
          new Case(
              "t101-unlimited.test",
              records(1, 101),
              Map.of("max-records-per-type", 0, "max-types-per-name", 0),
              true),
          // 15 records: named holds transfers and updates to max-records, not a zone file.
          new Case("sized.test", records(10, 1), Map.of("max-records", 5), true),
          new Case("bad-owner.test", "under_score A 10.0.0.1\n", Map.of(), false),
          new Case("bad-mx.test", "m MX 10 bad_host.example.org.\n", Map.of(), false),
          new Case("bad-ns.test", "sub NS ns_1.example.org.\n", Map.of(), false),
          new Case(
              "bad-owner-warn.test",
              "under_score A 10.0.0.1\n",
              Map.of("check-names", "warn"),
              true),
          new Case(
              "bad-mx-ignore.test",
              "m MX 10 bad_host.example.org.\n",
              Map.of("check-names", "ignore"),
              true),
          new Case(
              "underscores-elsewhere.test",
              "_sip._tcp SRV 0 0 5060 sip.example.org.\nunder_score TXT fine\n"
                  + "p PTR bad_host.example.org.\n*.wild A 10.0.0.3\nx._spf A 10.0.0.4\n",
              Map.of(),
              true),
          new Case("2.0.192.in-addr.arpa", "1 PTR bad_host.example.org.\n", Map.of(), false),
          new Case("3.0.192.in-addr.arpa", "1 PTR host.example.org.\n", Map.of(), true));

  /** A zone file: SOA, NS, ok A, then {@code records}. */
  static String zoneText(String records) {
    return "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n"
        + "ok A 10.1.1.1\n"
        + records;
  }

  /** {@code addresses} A records at big, {@code types} RRsets of private types at many. */
  static String records(int addresses, int types) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= addresses; i++) {
      text.append("big A 10.0.").append(i / 256).append('.').append(i % 256).append('\n');
    }
    for (int i = 1; i <= types; i++) {
      text.append("many TYPE").append(TYPE_BASE + i).append(" \\# 1 01\n");
    }
    return text.toString();
  }

  /** The zone's options in named.conf's words. */
  private static String namedOptions(Map<String, Object> options) {
    StringBuilder text = new StringBuilder();
    options.forEach(
        (key, value) -> text.append(' ').append(key).append(' ').append(value).append(';'));
    return text.toString();
  }

  /** The questions asked of every zone: (name, type, over TCP). */
  private static final List<Object[]> PROBES =
      List.of(
          new Object[] {"ok", Type.A, false},
          new Object[] {"big", Type.A, true},
          new Object[] {"many", TYPE_BASE + 1, false},
          new Object[] {"@", Type.SOA, false});

  @Test
  void primaryZonesThatBreakTheRulesDoNotLoadAsInNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int port = ports[0];
    int namedPort = ports[1];
    StringBuilder namedZones = new StringBuilder();
    JsonObject zones = new JsonObject();
    List<String> loading = new ArrayList<>();
    for (Case c : CASES) {
      Path file = dir.resolve(c.zone() + ".zone");
      Files.writeString(file, zoneText(c.records()));
      namedZones.append(
          "zone \""
              + c.zone()
              + "\" { type primary; file \""
              + file
              + "\";"
              + namedOptions(c.options())
              + " };\n");
      JsonObject zone = new JsonObject().put("file", file.toString()).put("notify", "no");
      c.options().forEach(zone::put);
      zones.put(c.zone(), zone);
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
          if (probe[0].equals("ok") && c.loads()) {
            assertEquals("NOERROR 1", theirs, "named's positive control");
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
   * A primary without limits or name checks; a named and a vxdns secondary with the defaults,
   * except for lifted.test (no record limit), names-fail.test (check-names fail), sized.test and
   * fits.test (max-records 12 and 15 for the same 15 records: the first refused, the second taken).
   * over.test (150 records at big) is refused whole; grow.test (100) transfers, an IXFR of a change
   * beside big follows, and the IXFR of the change that takes big to 101 is refused (then the AXFR
   * named and vxdns retry with), the version before it serving on. A host name with an underscore
   * is served by names.test (a secondary only warns) and refuses names-fail.test.
   */
  @Test
  void secondariesRefuseTransfersThatBreakTheRulesAsNamedDoes(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(3);
    int port = ports[0];
    int primaryPort = ports[1];
    int secondaryPort = ports[2];
    Path primaryDir = Files.createDirectories(dir.resolve("primary"));
    Path secondaryDir = Files.createDirectories(dir.resolve("secondary"));
    Files.writeString(primaryDir.resolve("over.test.zone"), zoneText(records(150, 1)));
    Files.writeString(primaryDir.resolve("lifted.test.zone"), zoneText(records(150, 1)));
    Files.writeString(primaryDir.resolve("grow.test.zone"), zoneText(records(100, 1)));
    Files.writeString(primaryDir.resolve("sized.test.zone"), zoneText(records(10, 1)));
    Files.writeString(primaryDir.resolve("names.test.zone"), zoneText("under_score A 10.0.0.1\n"));
    String primaryConf =
        TransferPeers.namedOptions(
                primaryDir,
                primaryPort,
                "  max-records-per-type 0;",
                "  allow-transfer { any; };",
                "  notify no;")
            + "zone \"over.test\" { type primary; file \"over.test.zone\"; };\n"
            + "zone \"lifted.test\" { type primary; file \"lifted.test.zone\"; };\n"
            + "zone \"sized.test\" { type primary; file \"sized.test.zone\"; };\n"
            + "zone \"fits.test\" { type primary; file \"sized.test.zone\"; };\n"
            + "zone \"names.test\" { type primary; file \"names.test.zone\"; check-names ignore; };\n"
            + "zone \"names-fail.test\" { type primary; file \"names.test.zone\";"
            + " check-names ignore; };\n"
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
            + " };\n"
            + "zone \"sized.test\" { type secondary; max-records 12; "
            + primaries
            + " };\n"
            + "zone \"fits.test\" { type secondary; max-records 15; "
            + primaries
            + " };\n"
            + "zone \"names.test\" { type secondary; "
            + primaries
            + " };\n"
            + "zone \"names-fail.test\" { type secondary; check-names fail; "
            + primaries
            + " };\n";
    JsonObject config =
        TestNode.config(port, Delivery.DIRECT)
            .put(
                "zone",
                new JsonObject()
                    .put("over.test", TransferPeers.secondaryOf(primaryPort))
                    .put(
                        "lifted.test",
                        TransferPeers.secondaryOf(primaryPort).put("max-records-per-type", 0))
                    .put("grow.test", TransferPeers.secondaryOf(primaryPort))
                    .put(
                        "sized.test", TransferPeers.secondaryOf(primaryPort).put("max-records", 12))
                    .put("fits.test", TransferPeers.secondaryOf(primaryPort).put("max-records", 15))
                    .put("names.test", TransferPeers.secondaryOf(primaryPort))
                    .put(
                        "names-fail.test",
                        TransferPeers.secondaryOf(primaryPort).put("check-names", "fail")));
    int[] secondaries = {secondaryPort, port};
    try (Peer named = TransferPeers.startNamed(primaryDir, primaryConf);
        Peer secondaryNamed = TransferPeers.startNamed(secondaryDir, secondaryConf);
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(
          List.of(
              "over.test", "lifted.test", "grow.test", "sized.test", "fits.test", "names.test"));
      for (int each : secondaries) {
        awaitSerial(each, "lifted.test", 1, secondaryNamed);
        assertEquals("NOERROR 150", shape(DnsClient.query(each, "big.lifted.test.", Type.A, true)));
        awaitSerial(each, "grow.test", 1, secondaryNamed);
        awaitSerial(each, "fits.test", 1, secondaryNamed);
        // A secondary's check-names is warn: the name is served as transferred.
        awaitSerial(each, "names.test", 1, secondaryNamed);
        assertEquals(
            "NOERROR 1", shape(DnsClient.query(each, "under_score.names.test.", Type.A, false)));
      }
      awaitBothRefused(node, secondaryNamed, "over.test", "too many records");
      // 15 records, max-records 12
      awaitBothRefused(node, secondaryNamed, "sized.test", "too many records");
      awaitBothRefused(node, secondaryNamed, "names-fail.test", "check-names");
      for (int each : secondaries) {
        assertEquals(
            "SERVFAIL 0", shape(DnsClient.query(each, "big.over.test.", Type.A, true)), "" + each);
        assertEquals(
            "SERVFAIL 0", shape(DnsClient.query(each, "ok.sized.test.", Type.A, false)), "" + each);
        assertEquals(
            "SERVFAIL 0",
            shape(DnsClient.query(each, "ok.names-fail.test.", Type.A, false)),
            "" + each);
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
      assertEquals(0, failedTransfers(node, "grow.test.").count());
      TransferPeers.update(
          primaryPort,
          "grow.test",
          update -> update.add(TransferPeers.name("big.grow.test."), Type.A, 300, "10.9.9.9"));
      awaitBothRefused(node, secondaryNamed, "grow.test", "too many records");
      assertEquals(3, TransferPeers.serial(primaryPort, "grow.test"));
      for (int each : secondaries) {
        assertEquals(2, TransferPeers.serial(each, "grow.test"), "" + each);
        assertEquals(
            "NOERROR 100", shape(DnsClient.query(each, "big.grow.test.", Type.A, true)), "" + each);
      }
    }
  }

  /**
   * {@code max-records 16} on a named and a vxdns primary of the same 15 records: each update is
   * answered with the same rcode by both, and both zones end at the same serial. named holds an
   * update to it after the change (update.c: "records in zone (N) exceeds max-records (M)",
   * SERVFAIL), so deletions in the same update count.
   */
  @Test
  void updatesOverMaxRecordsFailAsInNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int port = ports[0];
    int namedPort = ports[1];
    // A file each: each server keeps its journal beside it.
    Path file = dir.resolve("sized.test.zone");
    Files.writeString(file, zoneText(records(10, 1)));
    Files.copy(file, dir.resolve("named-sized.test.zone"));
    String conf =
        TransferPeers.namedOptions(dir, namedPort, "  notify no;")
            + "zone \"sized.test\" { type primary; file \"named-sized.test.zone\"; max-records 16;"
            + " allow-update { key \""
            + TransferPeers.KEY_NAME
            + "\"; }; };\n";
    JsonObject config =
        TestNode.config(port, Delivery.DIRECT)
            .put("key", TransferPeers.keyConfig())
            .put(
                "zone",
                new JsonObject()
                    .put(
                        "sized.test",
                        new JsonObject()
                            .put("file", file.toString())
                            .put("notify", "no")
                            .put("max-records", 16)
                            .put(
                                "allow-update",
                                new JsonArray().add("key " + TransferPeers.KEY_NAME))));
    List<TransferPeers.Changes> updates =
        List.of(
            update -> update.add(TransferPeers.name("a.sized.test."), Type.A, 300, "10.3.0.1"),
            update -> update.add(TransferPeers.name("b.sized.test."), Type.A, 300, "10.3.0.2"),
            update -> {
              update.delete(TransferPeers.name("a.sized.test."), Type.A);
              update.add(TransferPeers.name("c.sized.test."), Type.A, 300, "10.3.0.3");
            },
            update -> {
              update.add(TransferPeers.name("d.sized.test."), Type.A, 300, "10.3.0.4");
              update.add(TransferPeers.name("e.sized.test."), Type.A, 300, "10.3.0.5");
            });
    List<String> rcodes = new ArrayList<>();
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(List.of("sized.test"));
      for (TransferPeers.Changes update : updates) {
        String theirs =
            Rcode.string(TransferPeers.signedUpdate(namedPort, "sized.test", update).getRcode());
        String ours =
            Rcode.string(TransferPeers.signedUpdate(port, "sized.test", update).getRcode());
        assertEquals(theirs, ours, "update #" + (rcodes.size() + 1) + "\n" + named.log());
        rcodes.add(theirs);
      }
      assertEquals(
          TransferPeers.serial(namedPort, "sized.test"), TransferPeers.serial(port, "sized.test"));
    }
    // 16 records, then 17: SERVFAIL; a swap stays at 16; two more: SERVFAIL.
    assertEquals(List.of("NOERROR", "SERVFAIL", "NOERROR", "SERVFAIL"), rcodes);
  }

  private static void awaitSerial(int port, String zone, long serial, Peer named) throws Exception {
    TransferPeers.awaitSerial(
        zone + " at serial " + serial + " on port " + port, port, zone, serial, named::log);
  }

  /**
   * Waits until named logged the zone's transfer refused for {@code why} and the node failed one.
   */
  private static void awaitBothRefused(TestNode node, Peer named, String zone, String why)
      throws Exception {
    Counter failed = failedTransfers(node, zone + ".");
    TransferPeers.waitFor(
        "both secondaries' failed transfer of " + zone,
        () -> failedIn(named, zone, why) && failed.count() >= 1,
        named::log);
  }

  /** Whether named logged a line about the zone that says why (its transfer was refused). */
  private static boolean failedIn(Peer named, String zone, String why) {
    return named
        .log()
        .lines()
        .anyMatch(line -> line.contains("'" + zone + "/IN'") && line.contains(why));
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
}
