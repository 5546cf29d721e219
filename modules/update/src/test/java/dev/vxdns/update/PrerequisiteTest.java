package dev.vxdns.update;

import static dev.vxdns.update.Updates.applied;
import static dev.vxdns.update.Updates.apply;
import static dev.vxdns.update.Updates.base;
import static dev.vxdns.update.Updates.name;
import static dev.vxdns.update.Updates.rr;
import static dev.vxdns.update.Updates.rrset;
import static dev.vxdns.update.Updates.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vxdns.zone.Zone;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** RFC 2136 §2.4 and §3.2: each prerequisite kind, satisfied and not, with BIND's rcodes. */
class PrerequisiteTest {

  private static final Record NEW_A = rr("new 300 A 192.0.2.99");

  /** The prerequisite plus one add, so a satisfied prerequisite shows as a change. */
  private static Update withAdd(java.util.function.Consumer<Update> prerequisite) {
    Update update = update();
    prerequisite.accept(update);
    update.add(NEW_A);
    return update;
  }

  private static void assertFails(int rcode, Update update) {
    UpdateResult result = apply(base(), update);
    assertEquals(Rcode.string(rcode), Rcode.string(result.rcode()), result.reason());
    assertNull(result.diff(), "a failed prerequisite changes nothing");
  }

  private static void assertSatisfied(Update update) {
    Zone after = applied(base(), update);
    assertEquals(List.of("300 A 192.0.2.99"), rrset(after, "new", Type.A));
  }

  @Test
  void nameInUseSatisfiedAndNot() {
    assertSatisfied(withAdd(u -> u.present(name("www"))));
    assertFails(Rcode.NXDOMAIN, withAdd(u -> u.present(name("nothere"))));
  }

  @Test
  void nameInUseIsFalseForAnEmptyNonTerminal() {
    // BIND's name_exists needs an RRset at the node; "b" exists only because a.b does.
    Zone zone = Updates.zone(Updates.BASE + "a.b IN TXT x\n");
    Update update = withAdd(u -> u.present(name("b")));
    UpdateResult result = Updates.apply(zone, update);
    assertEquals(Rcode.NXDOMAIN, result.rcode(), result.reason());
    assertEquals(Rcode.NOERROR, Updates.apply(zone, withAdd(u -> u.present(name("a.b")))).rcode());
  }

  @Test
  void nameNotInUseSatisfiedAndNot() {
    assertSatisfied(withAdd(u -> u.absent(name("nothere"))));
    assertFails(Rcode.YXDOMAIN, withAdd(u -> u.absent(name("www"))));
  }

  @Test
  void rrsetExistsValueIndependentSatisfiedAndNot() {
    assertSatisfied(withAdd(u -> u.present(name("www"), Type.A)));
    assertFails(Rcode.NXRRSET, withAdd(u -> u.present(name("www"), Type.AAAA)));
    assertFails(Rcode.NXRRSET, withAdd(u -> u.present(name("nothere"), Type.A)));
  }

  @Test
  void rrsetDoesNotExistSatisfiedAndNot() {
    assertSatisfied(withAdd(u -> u.absent(name("www"), Type.AAAA)));
    assertFails(Rcode.YXRRSET, withAdd(u -> u.absent(name("www"), Type.A)));
  }

  @Test
  void rrsetExistsValueDependentNeedsTheWholeRRsetExactly() {
    assertSatisfied(
        withAdd(
            u -> {
              u.present(rr("www 0 A 192.0.2.2"));
              u.present(rr("www 0 A 192.0.2.1"));
            }));
    // A subset, a superset, a different value and a duplicate all fail.
    assertFails(Rcode.NXRRSET, withAdd(u -> u.present(rr("www 0 A 192.0.2.1"))));
    assertFails(
        Rcode.NXRRSET,
        withAdd(
            u -> {
              u.present(rr("www 0 A 192.0.2.1"));
              u.present(rr("www 0 A 192.0.2.2"));
              u.present(rr("www 0 A 192.0.2.3"));
            }));
    assertFails(
        Rcode.NXRRSET,
        withAdd(
            u -> {
              u.present(rr("www 0 A 192.0.2.1"));
              u.present(rr("www 0 A 192.0.2.3"));
            }));
    assertFails(
        Rcode.NXRRSET,
        withAdd(
            u -> {
              u.present(rr("www 0 A 192.0.2.1"));
              u.present(rr("www 0 A 192.0.2.1"));
              u.present(rr("www 0 A 192.0.2.2"));
            }));
    assertFails(Rcode.NXRRSET, withAdd(u -> u.present(rr("nothere 0 A 192.0.2.1"))));
  }

  @Test
  void valueDependentPrerequisitesOfSeveralRRsetsAllHold() {
    assertSatisfied(
        withAdd(
            u -> {
              u.present(rr("ns1 0 A 192.0.2.53"));
              u.present(rr("mail 0 MX 10 www"));
            }));
    assertFails(
        Rcode.NXRRSET,
        withAdd(
            u -> {
              u.present(rr("ns1 0 A 192.0.2.53"));
              u.present(rr("mail 0 MX 20 www"));
            }));
  }

  @Test
  void prerequisiteWithTtlIsFormErr() {
    assertFails(
        Rcode.FORMERR,
        withAdd(
            u ->
                u.addRecord(Record.newRecord(name("www"), Type.A, DClass.ANY, 5), Section.PREREQ)));
    assertFails(Rcode.FORMERR, withAdd(u -> u.present(rr("www 60 A 192.0.2.1"))));
  }

  @Test
  void prerequisiteOutsideTheZoneIsNotZone() {
    assertFails(
        Rcode.NOTZONE, withAdd(u -> u.present(Name.fromConstantString("www.example.org."))));
  }

  @Test
  void classAnyOrNonePrerequisiteWithRdataIsFormErr() {
    Record withData =
        Record.newRecord(name("www"), Type.A, DClass.ANY, 0, new byte[] {(byte) 192, 0, 2, 1});
    assertFails(Rcode.FORMERR, withAdd(u -> u.addRecord(withData, Section.PREREQ)));
    Record noneWithData =
        Record.newRecord(name("www"), Type.A, DClass.NONE, 0, new byte[] {(byte) 192, 0, 2, 1});
    assertFails(Rcode.FORMERR, withAdd(u -> u.addRecord(noneWithData, Section.PREREQ)));
  }

  @Test
  void prerequisiteOfAnotherClassIsFormErr() {
    Record chaos =
        Record.newRecord(name("www"), Type.A, DClass.CH, 0, new byte[] {(byte) 192, 0, 2, 1});
    assertFails(Rcode.FORMERR, withAdd(u -> u.addRecord(chaos, Section.PREREQ)));
  }

  @Test
  void theFirstFailingPrerequisiteDecidesAndValueDependentOnesComeLast() {
    // The value-dependent one (NXRRSET) is listed first but checked after the others (update.c).
    assertFails(
        Rcode.YXDOMAIN,
        withAdd(
            u -> {
              u.present(rr("www 0 A 192.0.2.9"));
              u.absent(name("www"));
              u.present(name("nothere"));
            }));
  }

  @Test
  void aFailingLaterPrerequisiteLeavesNoChange() {
    Update update = update();
    update.present(name("www"));
    update.present(name("ns1"), Type.A);
    update.absent(name("mail"), Type.MX);
    update.add(NEW_A);
    update.delete(name("www"));
    assertFails(Rcode.YXRRSET, update);
  }
}
