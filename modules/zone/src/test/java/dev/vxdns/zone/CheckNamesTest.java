package dev.vxdns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * BIND's check-names on records (dns_rdata_checkowner, dns_rdata_checknames) and what a zone's
 * {@code check-names} mode makes of a failing record in a load and a change. Each refusal has a
 * control that passes.
 */
class CheckNamesTest {

  @TempDir Path dir;

  private static String problem(String text) {
    return CheckNames.problem(TestZones.records("$TTL 300\n" + text + "\n").get(0));
  }

  @Test
  void ownersOfAddressAndMailRecordsMustBeHostNames() {
    assertEquals(
        "under_score.example.test/A: bad owner name (check-names)",
        problem("under_score A 192.0.2.1"));
    assertNull(problem("under-score A 192.0.2.1"));
    assertNull(problem("under_score TXT fine"));
    assertEquals(
        "-bad.example.test/AAAA: bad owner name (check-names)", problem("-bad AAAA 2001:db8::1"));
    assertEquals("bad-.example.test/MX: bad owner name (check-names)", problem("bad- MX 10 mail"));
    assertNull(problem("*.wild A 192.0.2.1"), "a leading wildcard label");
    assertEquals("a.*.example.test/A: bad owner name (check-names)", problem("a.* A 192.0.2.1"));
    assertNull(problem("x._spf A 192.0.2.1"), "RFC 7208 exists targets");
    assertNull(problem("gc._msdcs.corp A 192.0.2.1"), "Active Directory's global catalog");
    assertEquals(
        "gc._msdcs.example.test/MX: bad owner name (check-names)", problem("gc._msdcs MX 10 m"));
    assertNull(problem("any_thing MB host"), "a mailbox's first label is free");
    assertEquals(
        "x.bad_y.example.test/MB: bad owner name (check-names)", problem("x.bad_y MB host"));
  }

  @Test
  void namesInRdataMustBeHostOrMailboxNames() {
    assertEquals(
        "example.test/NS: bad_ns.example.org: bad name (check-names)",
        problem("@ NS bad_ns.example.org."));
    assertEquals(
        "m.example.test/MX: bad_host.example.org: bad name (check-names)",
        problem("m MX 10 bad_host.example.org."));
    assertNull(problem("m MX 10 mail.example.org."));
    assertEquals(
        "m.example.test/MX: Bad_Host.example.org: bad name (check-names)",
        problem("m MX 10 Bad_Host.example.org."),
        "spelled as the record spells it");
    assertEquals(
        "_sip._tcp.example.test/SRV: bad_host.example.org: bad name (check-names)",
        problem("_sip._tcp SRV 0 0 5060 bad_host.example.org."));
    assertNull(problem("_sip._tcp SRV 0 0 5060 sip.example.org."), "SRV owners are not checked");
    assertEquals(
        "example.test/SOA: ns_1.example.test: bad name (check-names)",
        problem("@ SOA ns_1 hostmaster 1 2 3 4 5"));
    assertEquals(
        "example.test/SOA: host\\.master.bad_host.example.test: bad name (check-names)",
        problem("@ SOA ns1 host\\.master.bad_host 1 2 3 4 5"));
    assertNull(problem("@ SOA ns1 host\\.master 1 2 3 4 5"), "a mailbox's first label is free");
    assertEquals(
        "rp.example.test/RP: x.bad_host.example.test: bad name (check-names)",
        problem("rp RP x.bad_host txt"));
    assertNull(problem("rp RP admin.example.org. bad_txt"), "RP's TXT name is not checked");
    assertEquals(
        "m.example.test/MINFO: e.bad_e.example.test: bad name (check-names)",
        problem("m MINFO r.example.org. e.bad_e"));
  }

  @Test
  void pointerTargetsAreCheckedInReverseZonesOnly() {
    assertNull(problem("p PTR bad_host.example.org."), "outside in-addr.arpa and ip6.arpa");
    assertEquals(
        "1.2.0.192.in-addr.arpa/PTR: bad_host.example.org: bad name (check-names)",
        problem("1.2.0.192.in-addr.arpa. PTR bad_host.example.org."));
    assertNull(problem("1.2.0.192.in-addr.arpa. PTR host.example.org."));
  }

  @Test
  void rdataTooShortForANameIsNotThisChecksToRefuse() {
    assertNull(CheckNames.problem(Name.root.toWire(), 15, 1, new byte[] {0, 10, 5}));
    assertNull(CheckNames.problem(Name.root.toWire(), 2, 1, new byte[] {3, 'a'}));
  }

  private Path file(String body) throws IOException {
    return Files.writeString(
        dir.resolve("names.zone"),
        "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n" + body);
  }

  private static ZoneRules rules(CheckNames.Mode mode) {
    return new ZoneRules(0, 0, 0, mode);
  }

  @Test
  void aLoadFailsWarnsOrPassesAsTheZoneSays() throws Exception {
    Path file = file("under_score A 10.0.0.1\nok A 10.0.0.2\n");
    ZoneException e =
        assertThrows(
            ZoneException.class,
            () -> ZoneFiles.load(file, TestZones.ORIGIN, rules(CheckNames.Mode.FAIL), r -> {}));
    assertTrue(
        e.getMessage().endsWith("under_score.example.test/A: bad owner name (check-names)"),
        e.getMessage());
    List<String> warnings = new ArrayList<>();
    Zone warned =
        ZoneFiles.load(
            file, TestZones.ORIGIN, rules(CheckNames.Mode.WARN), r -> {}, 1, warnings::add);
    assertEquals(5, warned.recordCount());
    assertEquals(List.of("under_score.example.test/A: bad owner name (check-names)"), warnings);
    warnings.clear();
    ZoneFiles.load(
        file, TestZones.ORIGIN, rules(CheckNames.Mode.IGNORE), r -> {}, 1, warnings::add);
    assertEquals(List.of(), warnings);
    ZoneFiles.load(
        file("under-score A 10.0.0.1\n"), TestZones.ORIGIN, rules(CheckNames.Mode.FAIL), r -> {});
  }

  @Test
  void warningsPastAHundredAreCounted() throws Exception {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 150; i++) {
      body.append("bad_").append(i).append(" A 10.0.0.1\n");
    }
    List<String> warnings = new ArrayList<>();
    ZoneFiles.load(
        file(body.toString()),
        TestZones.ORIGIN,
        rules(CheckNames.Mode.WARN),
        r -> {},
        1,
        warnings::add);
    assertEquals(101, warnings.size());
    assertEquals("and 50 more names that fail check-names", warnings.get(100));
  }

  @Test
  void aChangeAddingAFailingRecordFailsWhereTheZoneFails() throws Exception {
    Zone zone = ZoneFiles.load(file(""), TestZones.ORIGIN, rules(CheckNames.Mode.FAIL), r -> {});
    ZoneDiff bad =
        TestZones.change(zone, List.of(), TestZones.records("$TTL 300\nbad_host A 10.0.0.1\n"));
    assertThrows(ZoneException.class, () -> zone.apply(bad, rules(CheckNames.Mode.FAIL)));
    assertEquals(4, zone.apply(bad, rules(CheckNames.Mode.WARN)).recordCount());
    ZoneDiff good =
        TestZones.change(zone, List.of(), TestZones.records("$TTL 300\ngood-host A 10.0.0.1\n"));
    assertEquals(4, zone.apply(good, rules(CheckNames.Mode.FAIL)).recordCount());
  }
}
