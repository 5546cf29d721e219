package dev.vxdns.zone;

import static dev.vxdns.zone.TestZones.HEADER;
import static dev.vxdns.zone.TestZones.ORIGIN;
import static dev.vxdns.zone.TestZones.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneValidationTest {

  private static final String SOA = "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n";
  private static final String NS = "@ 3600 IN NS ns1\n";

  private static final String BASE = SOA + NS;

  static Stream<Arguments> invalidZones() {
    return Stream.of(
        // what, zone text, expected part of the message
        arguments("no SOA", NS, "has no SOA record"),
        arguments(
            "two SOAs",
            BASE + "@ 60 IN SOA ns1 hm 2 1 1 1 1\n",
            "more than one SOA record: example.test. 60 IN SOA"),
        arguments(
            "SOA below the apex",
            BASE + "www 60 IN SOA ns1 hm 1 1 1 1 1\n",
            "SOA record 'www.example.test. 60 IN SOA ns1.example.test. hm.example.test. 1 1 1 1 1'"
                + " is not at the zone apex example.test."),
        arguments("no NS at the apex", SOA + "www 60 IN A 192.0.2.1\n", "has no NS records"),
        arguments(
            "outside the zone",
            BASE + "www.example.org. 60 IN A 192.0.2.1\n",
            "record 'www.example.org. 60 IN A 192.0.2.1' is outside the zone example.test."),
        arguments(
            "parent of the origin",
            BASE + "test. 60 IN A 192.0.2.1\n",
            "record 'test. 60 IN A 192.0.2.1' is outside the zone example.test."),
        arguments(
            "CNAME and A",
            BASE + "x 60 IN CNAME www\nx 60 IN A 192.0.2.1\n",
            "CNAME 'x.example.test. 60 IN CNAME www.example.test.' cannot coexist with other data:"
                + " x.example.test. 60 IN A 192.0.2.1"),
        arguments("CNAME at the apex", BASE + "@ 60 IN CNAME www\n", "is at the zone apex"),
        arguments(
            "two CNAMEs",
            BASE + "x 60 IN CNAME a\nx 60 IN CNAME b\n",
            "more than one CNAME at x.example.test.: x.example.test. 60 IN CNAME b.example.test."),
        arguments(
            "two DNAMEs",
            BASE + "x 60 IN DNAME a.\nx 60 IN DNAME b.\n",
            "more than one DNAME at x.example.test."),
        arguments(
            "CNAME and DNAME",
            BASE + "x 60 IN CNAME a\nx 60 IN DNAME b.\n",
            "cannot coexist with other data: x.example.test. 60 IN DNAME b."),
        arguments(
            "another class",
            BASE + "x 60 CH TXT hello\n",
            "record 'x.example.test. 60 CH TXT \"hello\"' has class CH but the zone's SOA has"
                + " class IN"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidZones")
  void rejects(String what, String text, String message) {
    List<Record> records = records(text);
    ZoneException e = assertThrows(ZoneException.class, () -> Zone.of(ORIGIN, records));
    assertTrue(
        e.getMessage().contains(message),
        () -> "message '" + e.getMessage() + "' should contain '" + message + "'");
  }

  @Test
  void cnameMayCoexistWithDnssecRecords() throws ZoneException {
    Zone zone =
        Zone.of(
            ORIGIN,
            records(
                HEADER
                    + "x CNAME www\n"
                    + "x NSEC y A CNAME RRSIG NSEC\n"
                    + "x RRSIG CNAME 13 3 3600 20300101000000 20200101000000 1 example.test. "
                    + "AAAA\n"));
    assertEquals(3, zone.records().stream().filter(r -> r.getName().equals(name("x"))).count());
  }

  @Test
  void identicalRecordsCollapse() throws ZoneException {
    Zone zone =
        Zone.of(ORIGIN, records(HEADER + "www A 192.0.2.1\nwww A 192.0.2.1\nWWW A 192.0.2.1\n"));
    assertEquals(4, zone.recordCount());
  }

  @Test
  void largeRRsetCollapsesDuplicates() throws ZoneException {
    StringBuilder text = new StringBuilder(HEADER);
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 100; i++) {
        text.append("big TXT \"").append(i).append("\"\n");
      }
    }
    assertEquals(103, Zone.of(ORIGIN, records(text.toString())).recordCount());
  }

  @Test
  void rrsetTtlsAreLoweredToTheSmallest() throws ZoneException {
    Zone zone = Zone.of(ORIGIN, records(HEADER + "www 600 A 192.0.2.1\nwww 60 A 192.0.2.2\n"));
    List<Long> ttls =
        zone.records().stream()
            .filter(r -> r.getName().equals(name("www")))
            .map(Record::getTTL)
            .collect(Collectors.toList());
    assertEquals(List.of(60L, 60L), ttls);
  }

  @Test
  void recordsStartWithTheSoaAndKeepEveryRecord() throws ZoneException {
    Zone zone = Zone.of(ORIGIN, records("www 60 IN A 192.0.2.1\n" + NS + SOA));
    assertEquals(Type.SOA, zone.records().get(0).getType());
    assertEquals(3, zone.recordCount());
    assertEquals(1, zone.serial());
    assertEquals(ORIGIN, zone.origin());
    assertEquals(zone.soa(), zone.records().get(0));
    assertThrows(UnsupportedOperationException.class, () -> zone.records().clear());
  }

  @Test
  void relativeOriginIsRejected() {
    Name relative = Name.fromConstantString("example");
    assertThrows(ZoneException.class, () -> Zone.of(relative, records(HEADER)));
  }

  private static Name name(String label) {
    return TestZones.name(label);
  }
}
