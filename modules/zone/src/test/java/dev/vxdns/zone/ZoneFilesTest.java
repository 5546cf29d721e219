package dev.vxdns.zone;

import static dev.vxdns.zone.TestZones.ORIGIN;
import static dev.vxdns.zone.TestZones.ask;
import static dev.vxdns.zone.TestZones.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ZoneFilesTest {

  private static final String HEAD =
      "$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n";

  @TempDir Path dir;

  @Test
  void loadsTheExampleZone() throws ZoneException {
    Zone zone = ZoneFiles.load(TestZones.resource("example.test.zone"), ORIGIN);
    assertEquals(ORIGIN, zone.origin());
    assertEquals(2026112301L, zone.serial());
    // 7 at the apex, 3 for ns1/ns2, 3 www, mail, 3 CNAMEs, 2 wildcard, exists.wild, a.b, old,
    // host.new, 2 sub NS, ns.sub, 5 generated
    assertEquals(31, zone.recordCount());
  }

  @Test
  void theShippedExampleZoneLoads() throws ZoneException {
    Path shipped = Path.of("../../config/zones/example.test.zone");
    assumeTrue(Files.exists(shipped), "run from the module folder");
    assertEquals(ORIGIN, ZoneFiles.load(shipped, ORIGIN).origin());
  }

  @Test
  void includesResolveAgainstTheIncludingFilesFolder() throws ZoneException {
    for (Path file :
        new Path[] {
          TestZones.resource("include/main.zone"),
          // relative to the working folder, as a config-relative path would be
          Path.of("src/test/resources/zones/include/main.zone")
        }) {
      Zone zone = ZoneFiles.load(file, ORIGIN);
      assertEquals("www A 192.0.2.10", section(ask(zone, "www", Type.A), Section.ANSWER));
      assertEquals("leaf A 192.0.2.77", section(ask(zone, "leaf", Type.A), Section.ANSWER));
      assertEquals("lab A 192.0.2.88", section(ask(zone, "lab", Type.A), Section.ANSWER));
      assertEquals("box.lab A 192.0.2.89", section(ask(zone, "box.lab", Type.A), Section.ANSWER));
      // the origin given to $INCLUDE does not leak back into the including file
      assertEquals("after A 192.0.2.99", section(ask(zone, "after", Type.A), Section.ANSWER));
    }
  }

  @Test
  void aNameMetAgainLaterInTheFileIsOneNameAsNamedLoadsIt() throws Exception {
    Path file =
        write(
            "scattered.zone",
            HEAD
                + "ns1 IN A 192.0.2.53\n"
                + "www 300 IN A 192.0.2.1\n"
                + "deep.below.lab IN A 192.0.2.7\n"
                + "mail IN A 192.0.2.2\n"
                + "WWW 60 IN A 192.0.2.3\n"
                + "www IN A 192.0.2.1\n"
                + "Www IN TXT \"met again\"\n"
                + "lab IN A 192.0.2.8\n");
    Zone zone = ZoneFiles.load(file, ORIGIN);
    // SOA, NS, ns1, www A twice (the third collapses), deep, mail, www TXT, lab
    assertEquals(9, zone.recordCount());
    Message www = ask(zone, "www", Type.A);
    assertEquals("www A 192.0.2.1; www A 192.0.2.3", section(www, Section.ANSWER));
    // one TTL per RRset, the lowest (RFC 2181 §5.2), across the name's two places in the file
    for (Record record : www.getSection(Section.ANSWER)) {
      assertEquals(60, record.getTTL());
    }
    // each RRset spelled as its first record
    assertEquals(
        "Www.example.test.",
        ask(zone, "www", Type.TXT).getSection(Section.ANSWER).get(0).getName().toString());
    // an empty non-terminal above a deep name; one that later got data of its own is a name
    Message between = ask(zone, "below.lab", Type.A);
    assertEquals(Rcode.NOERROR, between.getRcode());
    assertEquals("", section(between, Section.ANSWER));
    assertEquals(Rcode.NXDOMAIN, ask(zone, "above.lab", Type.A).getRcode());
    assertEquals("lab A 192.0.2.8", section(ask(zone, "lab", Type.A), Section.ANSWER));
  }

  @Test
  void generateExpandsRecords() throws Exception {
    Path file = write("gen.zone", HEAD + "ns1 IN A 192.0.2.53\n$GENERATE 10-12 h$ A 10.0.0.$\n");
    Zone zone = ZoneFiles.load(file, ORIGIN);
    assertEquals("h11 A 10.0.0.11", section(ask(zone, "h11", Type.A), Section.ANSWER));
    assertEquals(6, zone.recordCount());
  }

  static Stream<Arguments> brokenFiles() {
    return Stream.of(
        // what, file text, expected parts of the message
        arguments(
            "missing SOA",
            "$TTL 60\n@ IN NS ns1\nns1 IN A 192.0.2.1\n",
            new String[] {"zone example.test. from ", "bad.zone", "has no SOA record"}),
        arguments(
            "bad address, with its line",
            HEAD + "ns1 IN A 192.0.2.1\nwww IN A 300.1.1.1\n",
            new String[] {"bad.zone:5: near '300.1.1.1': bad dotted quad"}),
        arguments(
            "bad name, with its line",
            HEAD + "\n\nbad..name IN A 192.0.2.1\n",
            new String[] {"bad.zone:6: near 'bad..name': empty label"}),
        arguments(
            "unknown directive",
            "$FOO bar\n",
            new String[] {"bad.zone:1: unknown $ directive '$FOO'"}),
        arguments(
            "no TTL",
            "@ IN NS ns1\n",
            new String[] {"bad.zone:1: no TTL specified; zone rejected"}),
        arguments(
            "$INCLUDE of a missing file",
            HEAD + "$INCLUDE missing.inc\n",
            new String[] {"bad.zone:4: $INCLUDE ", "missing.inc: file not found"}),
        arguments(
            "a CNAME and other data at one name, met in two places",
            HEAD
                + "ns1 IN A 192.0.2.1\nalias IN CNAME ns1\nmail IN A 192.0.2.2\nAlias IN A 192.0.2.3\n",
            new String[] {"bad.zone", "cannot coexist with other data"}));
  }

  private static final ZoneRules WITHOUT_INTEGRITY =
      new ZoneRules(100, 100, 0, CheckNames.Mode.FAIL, false);

  /**
   * As BIND 9.20 refuses a primary zone (zone.c, zone_check_ns) and only a primary: an apex NS
   * target inside the zone and above every cut without an address record, a CNAME, or below a
   * DNAME; one below a cut, or with only an AAAA record, is fine.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("apexNsTargets")
  void apexNsTargetsAreCheckedAsNamedChecksThem(String what, String records, String problem)
      throws Exception {
    Path file =
        write(
            "ns.zone",
            "$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" + records + "\n");
    Zone zone = ZoneFiles.load(file, ORIGIN);
    assertEquals(1L, zone.serial(), "served as a secondary's copy would be, whatever the NS");
    if (problem == null) {
      ZoneFiles.checkAsPrimary(zone, file, ZoneRules.BIND_PRIMARY);
      return;
    }
    // The NS checks (zone_check_ns) hold with check-integrity no as well; the DS one does not.
    for (ZoneRules rules : List.of(ZoneRules.BIND_PRIMARY, WITHOUT_INTEGRITY)) {
      if (rules == WITHOUT_INTEGRITY && problem.startsWith("DS not at delegation point")) {
        ZoneFiles.checkAsPrimary(zone, file, rules);
        continue;
      }
      ZoneException e =
          assertThrows(ZoneException.class, () -> ZoneFiles.checkAsPrimary(zone, file, rules));
      assertTrue(e.getMessage().endsWith(": " + problem), e.getMessage());
    }
  }

  static Stream<Arguments> apexNsTargets() {
    return Stream.of(
        arguments("with an address", "@ NS ns1\nns1 A 192.0.2.1", null),
        arguments("with an AAAA only", "@ NS ns1\nns1 AAAA 2001:db8::1", null),
        arguments("outside the zone", "@ NS ns.example.org.", null),
        arguments(
            "below a cut (glue)",
            "@ NS ns1\nns1 A 192.0.2.1\n@ NS ns.sub\nsub NS ns.sub\nns.sub A 192.0.2.2",
            null),
        arguments(
            "without an address",
            "@ NS ns1\nns1 TXT \"x\"",
            "NS 'ns1.example.test' has no address records (A or AAAA)"),
        arguments(
            "an empty non-terminal",
            "@ NS x\ny.x A 192.0.2.1",
            "NS 'x.example.test' has no address records (A or AAAA)"),
        arguments(
            "a CNAME",
            "@ NS ns1\nns1 CNAME ns.example.org.",
            "NS 'ns1.example.test' is a CNAME (illegal)"),
        arguments(
            "below a DNAME",
            "@ NS ns1.d\nd DNAME example.org.",
            "NS 'ns1.d.example.test' is below a DNAME 'd.example.test' (illegal)"),
        // check-integrity (zone.c, integrity_checks): a DS only at a delegation point.
        arguments("a DS at a delegation", NS + "\nsub NS ns.example.org.\nsub " + DS, null),
        arguments("a DS below a cut", NS + "\nsub NS ns.example.org.\nx.sub " + DS, null),
        arguments("a DS below a DNAME", NS + "\nd DNAME example.org.\nx.d " + DS, null),
        arguments(
            "a DS at a plain name",
            NS + "\nwww " + DS,
            "DS not at delegation point (www.example.test)"),
        arguments(
            "a DS at a DNAME",
            NS + "\nd DNAME example.org.\nd " + DS,
            "DS not at delegation point (d.example.test)"));
  }

  private static final String NS = "@ NS ns1\nns1 A 192.0.2.1";
  private static final String DS = "DS 12345 8 2 " + "0123456789ABCDEF".repeat(4);

  /** A zone that is changed by an update is walked for DS whatever its file held. */
  @Test
  void anUpdatedZoneIsCheckedForDsToo() throws Exception {
    Path file =
        write(
            "plain.zone",
            "$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n" + NS + "\n");
    Zone loaded = ZoneFiles.load(file, ORIGIN);
    assertEquals(List.of(), loaded.dsProblems());
    Record ds =
        Record.fromString(
            Name.fromConstantString("www.example.test."),
            Type.DS,
            DClass.IN,
            3600,
            DS.substring(3),
            ORIGIN);
    Zone updated = loaded.apply(TestZones.change(loaded, List.of(), List.of(ds)));
    assertEquals(List.of("DS not at delegation point (www.example.test)"), updated.dsProblems());
  }

  /**
   * Records outside the zone are left out with named's warning, once per owner written, and the
   * zone loads, as named and Knot load such a file (a zone made from records, not a file, still
   * refuses them: ZoneValidationTest).
   */
  @Test
  void recordsOutsideTheZoneAreLeftOutWithAWarningAsNamedDoes() throws Exception {
    Path file =
        write(
            "outside.zone",
            HEAD
                + "ns1 IN A 192.0.2.1\n"
                + "www.example.org. IN A 192.0.2.1\n"
                + "\tIN TXT \"under the same owner\"\n"
                + "www IN A 192.0.2.2\n"
                + "example.test.sub.example.org. IN A 192.0.2.3\n");
    List<String> warnings = new ArrayList<>();
    Zone zone = ZoneFiles.load(file, ORIGIN, ZoneRules.CHECKZONE, records -> {}, 1, warnings::add);
    assertEquals(
        List.of(
            file + ":5: ignoring out-of-zone data (www.example.org)",
            file + ":8: ignoring out-of-zone data (example.test.sub.example.org)"),
        warnings);
    assertEquals(
        List.of("192.0.2.2"),
        zone.recordsAt(Name.fromString("www.example.test.")).stream()
            .map(Record::rdataToString)
            .toList());
    assertTrue(zone.recordsAt(Name.fromString("www.example.org.")).isEmpty());
    assertEquals(4, zone.recordCount(), "SOA, NS, ns1 A, www A, and nothing outside");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void rejectsWithAClearMessage(String what, String text, String[] expected) throws IOException {
    Path file = write("bad.zone", text);
    ZoneException e = assertThrows(ZoneException.class, () -> ZoneFiles.load(file, ORIGIN));
    for (String part : expected) {
      assertTrue(
          e.getMessage().contains(part),
          () -> "message '" + e.getMessage() + "' should contain '" + part + "'");
    }
  }

  @Test
  void missingFileIsAClearError() {
    Path file = dir.resolve("nowhere.zone");
    ZoneException e = assertThrows(ZoneException.class, () -> ZoneFiles.load(file, ORIGIN));
    assertTrue(e.getMessage().contains("cannot open the file"), e.getMessage());
    assertTrue(e.getMessage().contains("nowhere.zone"), e.getMessage());
  }

  @Test
  void relativeOriginIsAClearError() throws IOException {
    Path file = write("ok.zone", HEAD);
    Name relative = Name.fromConstantString("example");
    ZoneException e = assertThrows(ZoneException.class, () -> ZoneFiles.load(file, relative));
    assertTrue(e.getMessage().contains("not an absolute name"), e.getMessage());
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }
}
