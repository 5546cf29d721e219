package dev.vxdns.update;

import static dev.vxdns.update.Updates.applied;
import static dev.vxdns.update.Updates.apply;
import static dev.vxdns.update.Updates.base;
import static dev.vxdns.update.Updates.name;
import static dev.vxdns.update.Updates.rr;
import static dev.vxdns.update.Updates.rrset;
import static dev.vxdns.update.Updates.update;
import static dev.vxdns.update.Updates.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.Zone;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** RFC 2136 §3.4: the zone section, the prescan, each kind of update and BIND's protections. */
class UpdateSectionTest {

  private static void assertRcode(int rcode, UpdateResult result) {
    assertEquals(Rcode.string(rcode), Rcode.string(result.rcode()), result.reason());
  }

  /** NOERROR and no change: nothing to apply, serial unchanged. */
  private static void assertNoChange(Zone zone, Update update) {
    UpdateResult result = apply(zone, update);
    assertRcode(Rcode.NOERROR, result);
    assertNull(result.diff(), "expected no change: " + result.reason());
  }

  // --- zone section (§3.1) ---

  @Test
  void zoneSectionMustHoldOneSoaQuestionForThisZone() {
    Message none = new Message();
    none.getHeader().setOpcode(Opcode.UPDATE);
    assertRcode(Rcode.FORMERR, apply(base(), none));

    Message notSoa = new Message();
    notSoa.getHeader().setOpcode(Opcode.UPDATE);
    notSoa.addRecord(Record.newRecord(Updates.ORIGIN, Type.A, DClass.IN), Section.ZONE);
    assertRcode(Rcode.FORMERR, apply(base(), notSoa));

    Update two = update();
    two.addRecord(Record.newRecord(Updates.ORIGIN, Type.SOA, DClass.IN), Section.ZONE);
    assertRcode(Rcode.FORMERR, apply(base(), two));

    Update other = new Update(Name.fromConstantString("example.org."));
    assertRcode(Rcode.NOTAUTH, apply(base(), other));

    // Positive control: the same zone section for this zone is fine.
    Update ok = update();
    ok.add(rr("new 300 A 192.0.2.99"));
    assertRcode(Rcode.NOERROR, apply(base(), ok));
  }

  @Test
  void aQueryIsNotAnUpdate() {
    Message query = Message.newQuery(Record.newRecord(Updates.ORIGIN, Type.SOA, DClass.IN));
    query.getHeader().unsetFlag(Flags.RD);
    assertRcode(Rcode.FORMERR, apply(base(), query));
  }

  // --- prescan (§3.4.1) ---

  @Test
  void updateRecordOutsideTheZoneIsNotZoneEvenWhenAPrerequisiteFails() {
    Update update = update();
    update.present(name("nothere"));
    update.add(rr("new 300 A 192.0.2.99"));
    update.add(rr("www.example.org. 300 A 192.0.2.99"));
    // BIND prescans the update section before it checks prerequisites.
    assertRcode(Rcode.NOTZONE, apply(base(), update));
  }

  @Test
  void metaTypesAndBadClassesAreFormErr() {
    Update addAny = update();
    addAny.addRecord(Record.newRecord(name("www"), Type.ANY, DClass.IN, 300), Section.UPDATE);
    assertRcode(Rcode.FORMERR, apply(base(), addAny));

    Update deleteWithTtl = update();
    deleteWithTtl.addRecord(Updates.withTtl(name("www"), Type.A, DClass.ANY, 300), Section.UPDATE);
    assertRcode(Rcode.FORMERR, apply(base(), deleteWithTtl));

    Update deleteAxfr = update();
    deleteAxfr.delete(name("www"), Type.AXFR);
    assertRcode(Rcode.FORMERR, apply(base(), deleteAxfr));

    Update noneAny = update();
    noneAny.addRecord(Record.newRecord(name("www"), Type.ANY, DClass.NONE, 0), Section.UPDATE);
    assertRcode(Rcode.FORMERR, apply(base(), noneAny));

    Update chaos = update();
    chaos.addRecord(
        Record.newRecord(name("www"), Type.A, DClass.CH, 300, new byte[] {(byte) 192, 0, 2, 9}),
        Section.UPDATE);
    assertRcode(Rcode.FORMERR, apply(base(), chaos));

    Update anyWithData = update();
    anyWithData.addRecord(
        Record.newRecord(name("www"), Type.A, DClass.ANY, 0, new byte[] {(byte) 192, 0, 2, 1}),
        Section.UPDATE);
    assertRcode(Rcode.FORMERR, apply(base(), anyWithData));
  }

  @Test
  void dnssecRecordsNamedMaintainsAreRefused() {
    Update nsec = update();
    nsec.add(rr("www 300 NSEC zzz.example.test. A RRSIG NSEC"));
    assertRcode(Rcode.REFUSED, apply(base(), nsec));

    Update nsec3 = update();
    nsec3.delete(name("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"), Type.NSEC3);
    assertRcode(Rcode.REFUSED, apply(base(), nsec3));

    // BIND's parser already rejects an NSEC3 whose owner is not a base32hex hash: SERVFAIL.
    Update badOwner = update();
    badOwner.delete(name("www"), Type.NSEC3);
    assertRcode(Rcode.SERVFAIL, apply(base(), badOwner));

    Update rrsig = update();
    rrsig.delete(name("www"), Type.RRSIG);
    assertRcode(Rcode.REFUSED, apply(base(), rrsig));

    // At the apex an RRSIG may be updated (BIND: "except at the apex").
    Update apexSig = update();
    apexSig.add(
        rr(
            "@ 300 RRSIG SOA 13 2 3600 20270101000000 20261201000000 12345 example.test."
                + " AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="));
    assertRcode(Rcode.NOERROR, apply(base(), apexSig));
  }

  // --- the four kinds of update (§2.5) ---

  @Test
  void addAnRecordAndTheSerialGoesUpByOne() {
    Update update = update();
    update.add(rr("new 300 A 192.0.2.99"));
    UpdateResult result = apply(base(), update);
    assertRcode(Rcode.NOERROR, result);
    assertEquals(10, result.diff().fromSerial());
    assertEquals(11, result.diff().toSerial());
    assertEquals(List.of(rr("new 300 A 192.0.2.99")), result.diff().added());
    assertEquals(List.of(), result.diff().deleted());
    Zone after = applied(base(), update);
    assertEquals(List.of("300 A 192.0.2.99"), rrset(after, "new", Type.A));
    assertEquals(11, after.serial());
  }

  @Test
  void addingADuplicateIsANoOp() {
    Update update = update();
    update.add(rr("www 3600 A 192.0.2.1"));
    assertNoChange(base(), update);
  }

  @Test
  void addingToAnRRsetGivesTheWholeRRsetTheNewTtl() {
    Update update = update();
    update.add(rr("www 600 A 192.0.2.3"));
    Zone after = applied(base(), update);
    assertEquals(
        List.of("600 A 192.0.2.1", "600 A 192.0.2.2", "600 A 192.0.2.3"),
        rrset(after, "www", Type.A));
  }

  @Test
  void addingADuplicateWithAnotherTtlChangesTheTtl() {
    Update update = update();
    update.add(rr("www 60 A 192.0.2.1"));
    UpdateResult result = apply(base(), update);
    assertRcode(Rcode.NOERROR, result);
    assertEquals(2, result.diff().deleted().size());
    assertEquals(2, result.diff().added().size());
    Zone after = applied(base(), update);
    assertEquals(List.of("60 A 192.0.2.1", "60 A 192.0.2.2"), rrset(after, "www", Type.A));
  }

  @Test
  void deleteAnRRset() {
    Update update = update();
    update.delete(name("www"), Type.A);
    Zone after = applied(base(), update);
    assertEquals(List.of(), rrset(after, "www", Type.A));
    assertEquals(List.of("3600 CNAME www.example.test."), rrset(after, "alias", Type.CNAME));
  }

  @Test
  void deleteAllRRsetsOfAName() {
    Zone zone = zone(Updates.BASE + "www IN TXT hello\n");
    Update update = update();
    update.delete(name("www"));
    Zone after = applied(zone, update);
    assertTrue(after.recordsAt(name("www")).isEmpty());
    assertEquals(List.of("3600 A 192.0.2.53"), rrset(after, "ns1", Type.A));
  }

  @Test
  void deleteOneRecord() {
    Update update = update();
    update.delete(rr("www 3600 A 192.0.2.1"));
    Zone after = applied(base(), update);
    assertEquals(List.of("3600 A 192.0.2.2"), rrset(after, "www", Type.A));
  }

  @Test
  void deletingWhatIsNotThereChangesNothing() {
    Update update = update();
    update.delete(rr("www 3600 A 192.0.2.77"));
    update.delete(name("nothere"), Type.A);
    update.delete(name("nothere"));
    assertNoChange(base(), update);
  }

  @Test
  void addThenDeleteInOneUpdateIsNoNetChange() {
    Update update = update();
    update.add(rr("new 300 A 192.0.2.99"));
    update.delete(rr("new 300 A 192.0.2.99"));
    assertNoChange(base(), update);
  }

  @Test
  void updatesApplyInOrder() {
    Update update = update();
    update.delete(name("www"), Type.A);
    update.add(rr("www 300 A 192.0.2.50"));
    Zone after = applied(base(), update);
    assertEquals(List.of("300 A 192.0.2.50"), rrset(after, "www", Type.A));
  }

  // --- protections ---

  @Test
  void theSoaCannotBeDeleted() {
    Update byRecord = update();
    byRecord.delete(base().soa());
    assertNoChange(base(), byRecord);
    Update byRRset = update();
    byRRset.delete(Updates.ORIGIN, Type.SOA);
    assertNoChange(base(), byRRset);
  }

  @Test
  void theLastApexNsCannotBeDeleted() {
    Update update = update();
    update.delete(rr("@ 3600 NS ns1"));
    update.delete(rr("@ 3600 NS ns2"));
    Zone after = applied(base(), update);
    assertEquals(List.of("3600 NS ns2.example.test."), rrset(after, "@", Type.NS));
    Update rrset = update();
    rrset.delete(Updates.ORIGIN, Type.NS);
    assertNoChange(base(), rrset);
  }

  @Test
  void deletingEverythingAtTheApexKeepsSoaAndNs() {
    Zone zone = zone(Updates.BASE + "@ IN MX 10 mail\n@ IN TXT \"v=spf1 -all\"\n");
    Update update = update();
    update.delete(Updates.ORIGIN);
    Zone after = applied(zone, update);
    assertEquals(List.of(), rrset(after, "@", Type.MX));
    assertEquals(List.of(), rrset(after, "@", Type.TXT));
    assertEquals(2, rrset(after, "@", Type.NS).size());
    assertEquals(11, after.serial());
  }

  @Test
  void aCnameIsNotAddedBesideOtherDataNorOtherDataBesideACname() {
    Update cname = update();
    cname.add(rr("www 300 CNAME elsewhere.example.org."));
    assertNoChange(base(), cname);
    Update other = update();
    other.add(rr("alias 300 A 192.0.2.9"));
    assertNoChange(base(), other);
    Update apex = update();
    apex.add(rr("@ 300 CNAME elsewhere.example.org."));
    assertNoChange(base(), apex);
  }

  @Test
  void aCnameReplacesTheCnameAndKeyMayJoinIt() {
    Update update = update();
    update.add(rr("alias 300 CNAME elsewhere.example.org."));
    update.add(
        rr(
            "alias 300 KEY 256 3 13 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    Zone after = applied(base(), update);
    assertEquals(List.of("300 CNAME elsewhere.example.org."), rrset(after, "alias", Type.CNAME));
    assertEquals(1, rrset(after, "alias", Type.KEY).size());
  }

  @Test
  void aCnameMayReplaceItselfAfterTheOtherDataWasDeleted() {
    Update update = update();
    update.delete(name("www"));
    update.add(rr("www 300 CNAME alias"));
    Zone after = applied(base(), update);
    assertEquals(List.of("300 CNAME alias.example.test."), rrset(after, "www", Type.CNAME));
  }

  @Test
  void wildcardNsDsAtApexMdAndThePrivateTypeAreIgnored() {
    Update update = update();
    update.add(rr("*.wild 300 NS ns1"));
    update.add(rr("*.wild 300 DNAME example.org."));
    update.add(rr("@ 300 DS 12345 13 2 " + "00".repeat(32)));
    update.add(rr("old 300 MD mail.example.org."));
    update.add(rr("x 300 TYPE65534 \\# 1 00"));
    assertNoChange(base(), update);
  }

  @Test
  void soaWithAHigherSerialReplacesTheSoaAndSetsTheSerial() {
    Update update = update();
    update.add(rr("@ 300 SOA ns2 admin 500 1800 900 604800 60"));
    UpdateResult result = apply(base(), update);
    assertRcode(Rcode.NOERROR, result);
    assertEquals(500, result.diff().toSerial());
    Zone after = applied(base(), update);
    SOARecord soa = after.soa();
    assertEquals(500, soa.getSerial());
    assertEquals(300, soa.getTTL());
    assertEquals(Name.fromConstantString("ns2.example.test."), soa.getHost());
  }

  @Test
  void soaWithoutAHigherSerialIsIgnored() {
    Update same = update();
    same.add(rr("@ 3600 SOA ns2 admin 10 1800 900 604800 60"));
    assertNoChange(base(), same);
    Update lower = update();
    lower.add(rr("@ 3600 SOA ns2 admin 9 1800 900 604800 60"));
    assertNoChange(base(), lower);
    Update elsewhere = update();
    elsewhere.add(rr("sub 3600 SOA ns2 admin 99 1800 900 604800 60"));
    assertNoChange(base(), elsewhere);
  }

  @Test
  void soaSerialComparisonWrapsAsRfc1982() {
    Zone zone = zone(Updates.BASE.replace(" 10 7200", " 4294967290 7200"));
    Update update = update();
    update.add(rr("@ 3600 SOA ns1 hostmaster 5 7200 3600 1209600 300"));
    assertEquals(5, applied(zone, update).serial());
    Update plain = update();
    plain.add(rr("new 300 A 192.0.2.99"));
    Zone max = zone(Updates.BASE.replace(" 10 7200", " 4294967295 7200"));
    assertEquals(1, applied(max, plain).serial(), "serial 0 is skipped");
  }

  @Test
  void ownerNameSpellingFollowsTheLatestAdd() {
    Update update = update();
    update.add(rr("WWW 3600 A 192.0.2.3"));
    Zone after = applied(base(), update);
    for (Record record : after.recordsAt(name("www"))) {
      assertEquals("WWW.example.test.", record.getName().toString());
    }
    assertEquals(3, after.recordsAt(name("www")).size());
  }

  @Test
  void dsWithoutADelegationIsRemovedAndGoesWithItsNs() {
    Zone zone =
        zone(
            Updates.BASE
                + "child IN NS ns.child\nns.child IN A 192.0.2.60\nchild IN DS 1 13 2 "
                + "00".repeat(32)
                + "\n");
    Update orphan = update();
    orphan.add(rr("www 300 DS 2 13 2 " + "11".repeat(32)));
    UpdateResult result = apply(zone, orphan);
    assertRcode(Rcode.NOERROR, result);
    // As in BIND, the serial moved before the orphaned DS was taken out again.
    assertEquals(List.of(), result.diff().added());
    assertEquals(11, result.diff().toSerial());

    Update undelegate = update();
    undelegate.delete(name("child"), Type.NS);
    Zone after = applied(zone, undelegate);
    assertEquals(List.of(), rrset(after, "child", Type.DS));
  }

  // --- atomicity ---

  @Test
  void aFailureAfterEarlierChangesLeavesNoDiff() {
    Update update = update();
    update.add(rr("new 300 A 192.0.2.99"));
    update.delete(name("www"));
    update.add(rr("x 300 NSEC y.example.test. A"));
    UpdateResult result = apply(base(), update);
    assertRcode(Rcode.REFUSED, result);
    assertNull(result.diff());
  }

  @Test
  void everyDiffAppliesCleanlyAndReplaysToTheSameZone() {
    Zone zone = base();
    Update first = update();
    first.add(rr("www 60 A 192.0.2.3"));
    first.add(rr("WWW 60 AAAA 2001:db8::1"));
    first.delete(rr("mail 3600 MX 10 www"));
    first.add(rr("mail 120 MX 20 www"));
    Zone second = applied(zone, first);
    Update next = update();
    next.delete(name("www"), Type.A);
    next.add(rr("www 30 A 192.0.2.7"));
    Zone third = applied(second, next);
    assertEquals(12, third.serial());
    assertEquals(2, third.history().size());
    assertEquals(List.of("30 A 192.0.2.7"), rrset(third, "www", Type.A));
    assertEquals(List.of("120 MX 20 www.example.test."), rrset(third, "mail", Type.MX));
    assertNotNull(third.soa());
  }
}
