package dev.vxdns.update;

import static dev.vxdns.update.Updates.applied;
import static dev.vxdns.update.Updates.apply;
import static dev.vxdns.update.Updates.name;
import static dev.vxdns.update.Updates.rr;
import static dev.vxdns.update.Updates.rrset;
import static dev.vxdns.update.Updates.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vxdns.zone.CheckNames;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneRules;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The zone checks named applies to updates with its defaults for a primary zone: check-names fail,
 * the apex NS sanity check and check-integrity for MX. Each refusal has a control that passes.
 */
class ZoneChecksTest {

  private static final String ZONE =
      Updates.BASE
          + "child IN NS ns.child\n"
          + "ns.child IN A 192.0.2.60\n"
          + "*.wild IN A 192.0.2.70\n"
          + "dn IN DNAME example.org.\n"
          + "a.b IN TXT deep\n"
          + "*.empty.wild IN TXT no-address\n";

  private static UpdateResult one(String line) {
    Update update = update();
    update.add(rr(line));
    return apply(Updates.zone(ZONE), update);
  }

  private static void assertRefused(UpdateResult result) {
    assertEquals(Rcode.string(Rcode.REFUSED), Rcode.string(result.rcode()), result.reason());
    assertNull(result.diff());
  }

  private static void assertServfail(UpdateResult result, String reason) {
    assertEquals(Rcode.string(Rcode.SERVFAIL), Rcode.string(result.rcode()), result.reason());
    assertNull(result.diff());
    assertEquals(reason, result.reason());
  }

  private static void assertAccepted(UpdateResult result) {
    assertEquals(Rcode.string(Rcode.NOERROR), Rcode.string(result.rcode()), result.reason());
    assertEquals(1, result.diff().added().size(), result.reason());
  }

  @Test
  void checkNamesRefusesBadHostNamesWhereBindWantsThem() {
    assertRefused(one("under_score 300 A 192.0.2.5"));
    assertAccepted(one("under-score 300 A 192.0.2.5"));
    assertAccepted(one("under_score 300 TXT fine"));
    assertRefused(one("m 300 MX 10 bad_host.example.org."));
    assertRefused(one("@ 300 NS -bad.example.org."));
    assertRefused(one("s 300 SRV 0 0 443 bad_host.example.org."));
    assertAccepted(one("_sip._tcp 300 SRV 0 0 5060 sip.example.org."));
    // Wildcard owners and RFC 7208 "exists" targets are host names for BIND.
    assertAccepted(one("*.dyn 300 A 192.0.2.5"));
    assertAccepted(one("x._spf 300 A 127.0.0.2"));
    assertAccepted(one("gc._msdcs 300 A 192.0.2.5"));
  }

  @Test
  void checkNamesLooksAtPtrTargetsOnlyInReverseZones() throws Exception {
    assertAccepted(one("p 300 PTR bad_host.example.org."));
    Zone reverse =
        Zone.of(
            org.xbill.DNS.Name.fromConstantString("2.0.192.in-addr.arpa."),
            Updates.records(
                "$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 3600\n@ SOA ns1.example.test. h.example.test."
                    + " 1 2 3 4 5\n@ NS ns1.example.test.\n"));
    Update bad = new Update(reverse.origin());
    bad.add(
        Updates.records("$ORIGIN 2.0.192.in-addr.arpa.\n1 300 PTR bad_host.example.org.\n").get(0));
    assertRefused(withRules(reverse, bad, ZoneRules.BIND_PRIMARY));
    Update good = new Update(reverse.origin());
    good.add(
        Updates.records("$ORIGIN 2.0.192.in-addr.arpa.\n1 300 PTR host.example.org.\n").get(0));
    assertAccepted(withRules(reverse, good, ZoneRules.BIND_PRIMARY));
  }

  @Test
  void apexNameServersInsideTheZoneMustKeepAnAddress() {
    Update deleteAddress = update();
    deleteAddress.delete(name("ns1"), Type.A);
    assertRefused(apply(Updates.zone(ZONE), deleteAddress));
    Update replaceAddress = update();
    replaceAddress.delete(name("ns1"), Type.A);
    replaceAddress.add(rr("ns1 300 AAAA 2001:db8::53"));
    Zone after = applied(Updates.zone(ZONE), replaceAddress);
    assertEquals(List.of("300 AAAA 2001:db8:0:0:0:0:0:53"), rrset(after, "ns1", Type.AAAA));

    assertRefused(one("@ 300 NS ns3"));
    assertRefused(one("@ 300 NS alias"));
    assertRefused(one("@ 300 NS x.dn"));
    assertEquals(Rcode.NOERROR, one("@ 300 NS ns.elsewhere.example.org.").rcode());
    assertEquals(Rcode.NOERROR, one("@ 300 NS ns.child").rcode(), "glue below a delegation");
    assertEquals(Rcode.NOERROR, one("@ 300 NS a.wild").rcode(), "a wildcard address");
  }

  @Test
  void addedMailExchangersInsideTheZoneMustHaveAnAddress() {
    assertRefused(one("m 300 MX 10 nothere"));
    assertRefused(one("m 300 MX 10 alias"));
    assertRefused(one("m 300 MX 10 x.dn"));
    assertAccepted(one("m 300 MX 10 www"));
    assertAccepted(one("m 300 MX 10 mx.elsewhere.example.org."));
    assertAccepted(one("m 300 MX 10 b.wild"));
    // A wildcard below an empty non-terminal without an address, and an empty non-terminal ("b"
    // exists because a.b does) have no address.
    assertRefused(one("m 300 MX 10 x.empty.wild"));
    assertRefused(one("m 300 MX 10 b"));
    // check-integrity no: update.c skips the check; the apex NS check stays (zone_check_ns).
    ZoneRules noIntegrity = new ZoneRules(100, 100, 0, CheckNames.Mode.FAIL, false);
    Update mx = update();
    mx.add(rr("m 300 MX 10 nothere"));
    assertAccepted(withRules(Updates.zone(ZONE), mx, noIntegrity));
  }

  @Test
  void anUpdateOverTheZoneRulesFailsWithServfailAsInBind() {
    StringBuilder text = new StringBuilder(Updates.BASE);
    for (int i = 3; i <= 100; i++) {
      text.append("www IN A 10.0.0.").append(i).append('\n');
    }
    for (int i = 1; i <= 99; i++) {
      text.append("t IN TYPE").append(1000 + i).append(" \\# 1 01\n");
    }
    Zone zone = Updates.zone(text.toString());
    Update more = update();
    more.add(rr("www 300 A 10.9.9.9"));
    assertServfail(
        apply(zone, more),
        "adding an RR failed: www.example.test/A: too many records (must not exceed 100,"
            + " max-records-per-type)");
    Update swap = update();
    swap.delete(rr("www 300 A 10.0.0.3"));
    swap.add(rr("www 300 A 10.9.9.9"));
    assertEquals(100, rrset(applied(zone, swap), "www", Type.A).size());
    // A hundredth type, then a hundred-and-first; more records of a type it has stay possible.
    Update hundredth = update();
    hundredth.add(rr("t 300 A 10.0.0.1"));
    Zone full = applied(zone, hundredth);
    Update newType = update();
    newType.add(rr("t 300 AAAA 2001:db8::1"));
    assertServfail(
        apply(full, newType),
        "adding an RR failed: t.example.test: too many records (more than 100 types,"
            + " max-types-per-name)");
    Update sameType = update();
    sameType.add(rr("t 300 A 10.0.0.2"));
    assertEquals(2, rrset(applied(full, sameType), "t", Type.A).size());
    // A type the same update deleted still counts, as in BIND's database while it runs.
    Update swapType = update();
    swapType.delete(name("t"), 1001);
    swapType.add(rr("t 300 AAAA 2001:db8::1"));
    assertServfail(
        apply(full, swapType),
        "adding an RR failed: t.example.test: too many records (more than 100 types,"
            + " max-types-per-name)");
    // Deleted by an earlier update, it no longer counts (named counts it until it cleans the name
    // up: a difference the README lists).
    Update deleteType = update();
    deleteType.delete(name("t"), 1001);
    assertEquals(
        List.of("300 AAAA 2001:db8:0:0:0:0:0:1"),
        rrset(applied(applied(full, deleteType), newType), "t", Type.AAAA));
  }

  @Test
  void anUpdateThatWouldLeaveTheZoneOverMaxRecordsFailsWithServfail() {
    ZoneRules ten = new ZoneRules(100, 100, 10, CheckNames.Mode.FAIL);
    Zone zone = Updates.base();
    assertEquals(9, zone.recordCount());
    Update two = update();
    two.add(rr("www 3600 A 10.9.9.1"));
    two.add(rr("www 3600 A 10.9.9.2"));
    assertServfail(withRules(zone, two, ten), "records in zone (11) exceeds max-records (10)");
    // Counted after the deletions: one out and two in leaves ten.
    Update swap = update();
    swap.delete(rr("www 3600 A 192.0.2.1"));
    swap.add(rr("www 3600 A 10.9.9.1"));
    swap.add(rr("www 3600 A 10.9.9.2"));
    assertEquals(2, withRules(zone, swap, ten).diff().added().size());
    Update one = update();
    one.add(rr("www 3600 A 10.9.9.1"));
    assertAccepted(withRules(zone, one, ten));
  }

  private static UpdateResult withRules(Zone zone, Update update, ZoneRules rules) {
    return DynamicUpdate.apply(
        zone,
        Updates.wire(update),
        Updates.UNSIGNED_UDP,
        null,
        SerialUpdateMethod.INCREMENT,
        rules,
        Updates.NOW);
  }
}
