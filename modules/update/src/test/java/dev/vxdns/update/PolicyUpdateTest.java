package dev.vxdns.update;

import static dev.vxdns.update.Updates.ORIGIN;
import static dev.vxdns.update.Updates.name;
import static dev.vxdns.update.Updates.rr;
import static dev.vxdns.update.Updates.rrset;
import static dev.vxdns.update.Updates.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneRules;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** update-policy applied by DynamicUpdate: per RR, in the prescan, with per-type maximums. */
class PolicyUpdateTest {

  private static final UpdateIdentity HOST_KEY =
      new UpdateIdentity("host.example.test.", InetAddress.getLoopbackAddress(), false);

  private static UpdatePolicy policy(String... rules) {
    try {
      return UpdatePolicy.parse(List.of(rules), ORIGIN);
    } catch (UpdatePolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static UpdateResult apply(Zone zone, Update update, UpdateIdentity who, UpdatePolicy p) {
    return DynamicUpdate.apply(
        zone,
        Updates.wire(update),
        who,
        p,
        SerialUpdateMethod.INCREMENT,
        ZoneRules.BIND_PRIMARY,
        Updates.NOW);
  }

  private static Zone applied(Zone zone, UpdateResult result) {
    assertEquals(Rcode.NOERROR, result.rcode(), result.reason());
    try {
      return zone.apply(result.diff());
    } catch (ZoneException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void oneRefusedRecordRefusesTheWholeUpdate() {
    UpdatePolicy p = policy("grant * self . A");
    Update allowed = update();
    allowed.add(rr("host 300 A 192.0.2.10"));
    Zone after = applied(Updates.base(), apply(Updates.base(), allowed, HOST_KEY, p));
    assertEquals(List.of("300 A 192.0.2.10"), rrset(after, "host", Type.A));

    Update mixed = update();
    mixed.add(rr("host 300 A 192.0.2.10"));
    mixed.add(rr("www 300 A 192.0.2.10"));
    UpdateResult result = apply(Updates.base(), mixed, HOST_KEY, p);
    assertEquals(Rcode.REFUSED, result.rcode(), result.reason());
    assertNull(result.diff());
  }

  @Test
  void unsignedUpdatesOverUdpAreRefusedWhenThereIsAPolicy() {
    UpdatePolicy p = policy("grant * tcp-self . PTR");
    Update update = update();
    update.add(rr("new 300 TXT hello"));
    UpdateIdentity udp = new UpdateIdentity(null, InetAddress.getLoopbackAddress(), false);
    assertEquals(Rcode.REFUSED, apply(Updates.base(), update, udp, p).rcode());
    // Without a policy (allow-update already passed) the same update goes through.
    assertEquals(Rcode.NOERROR, apply(Updates.base(), update, udp, null).rcode());
  }

  @Test
  void tcpSelfLetsAClientSetItsOwnPtrOverTcp() throws Exception {
    Zone reverse =
        Zone.of(
            org.xbill.DNS.Name.fromConstantString("2.0.192.in-addr.arpa."),
            Updates.records(
                "$ORIGIN 2.0.192.in-addr.arpa.\n$TTL 3600\n@ SOA ns1.example.test. h.example.test. 1"
                    + " 2 3 4 5\n@ NS ns1.example.test.\n"));
    UpdatePolicy p =
        UpdatePolicy.parse(
            List.of("grant * tcp-self . PTR(1)"),
            org.xbill.DNS.Name.fromConstantString("2.0.192.in-addr.arpa."));
    Update update = new Update(reverse.origin());
    update.delete(org.xbill.DNS.Name.fromConstantString("1.2.0.192.in-addr.arpa."), Type.PTR);
    update.add(
        org.xbill.DNS.Record.fromString(
            org.xbill.DNS.Name.fromConstantString("1.2.0.192.in-addr.arpa."),
            Type.PTR,
            org.xbill.DNS.DClass.IN,
            0,
            "example.com.",
            org.xbill.DNS.Name.root));
    UpdateIdentity tcp = new UpdateIdentity(null, InetAddress.getByName("192.0.2.1"), true);
    Zone after = applied(reverse, apply(reverse, update, tcp, p));
    assertEquals(
        1,
        after.recordsAt(org.xbill.DNS.Name.fromConstantString("1.2.0.192.in-addr.arpa.")).size());
    UpdateIdentity other = new UpdateIdentity(null, InetAddress.getByName("192.0.2.2"), true);
    assertEquals(Rcode.REFUSED, apply(reverse, update, other, p).rcode());
  }

  @Test
  void perTypeMaximumDropsAddsBeyondIt() {
    UpdatePolicy p = policy("grant host.example.test. zonesub A PTR(1) ANY(2)");
    Update two = update();
    two.add(rr("h 300 PTR a.example.org."));
    two.add(rr("h 300 PTR b.example.org."));
    two.add(rr("h 300 TXT one"));
    two.add(rr("h 300 TXT two"));
    two.add(rr("h 300 TXT three"));
    two.add(rr("www 300 A 192.0.2.3"));
    Zone after = applied(Updates.base(), apply(Updates.base(), two, HOST_KEY, p));
    assertEquals(List.of("300 PTR a.example.org."), rrset(after, "h", Type.PTR));
    assertEquals(List.of("300 TXT \"one\"", "300 TXT \"two\""), rrset(after, "h", Type.TXT));
    assertEquals(3, rrset(after, "www", Type.A).size(), "A has no maximum");

    // With the maximum already reached, both new records are dropped: nothing changes.
    Update more = update();
    more.add(rr("h 300 PTR c.example.org."));
    UpdateResult result = apply(after, more, HOST_KEY, p);
    assertEquals(Rcode.NOERROR, result.rcode());
    assertNull(result.diff(), result.reason());

    // Deleting first makes room, as in the ARM's tcp-self example.
    Update replace = update();
    replace.delete(name("h"), Type.PTR);
    replace.add(rr("h 300 PTR c.example.org."));
    Zone replaced = applied(after, apply(after, replace, HOST_KEY, p));
    assertEquals(List.of("300 PTR c.example.org."), rrset(replaced, "h", Type.PTR));
  }

  @Test
  void deletingEveryRRsetOfANameNeedsEachExistingType() {
    Zone zone = Updates.zone(Updates.BASE + "www IN TXT hello\n");
    Update update = update();
    update.delete(name("www"));
    UpdatePolicy aOnly = policy("grant host.example.test. zonesub A");
    assertEquals(Rcode.REFUSED, apply(zone, update, HOST_KEY, aOnly).rcode());
    UpdatePolicy both = policy("grant host.example.test. zonesub A TXT");
    Zone after = applied(zone, apply(zone, update, HOST_KEY, both));
    assertEquals(List.of(), after.recordsAt(name("www")));
    // A name with nothing on it needs no permission at all (ssu_checkall finds no RRset).
    Update nothing = update();
    nothing.delete(name("nothere"));
    UpdateResult result = apply(zone, nothing, HOST_KEY, policy("deny * zonesub ANY"));
    assertEquals(Rcode.NOERROR, result.rcode(), result.reason());
  }

  @Test
  void deletingPtrOrSrvThatIsNotThereNeedsNoPermission() {
    UpdatePolicy denyPtr =
        policy("deny host.example.test. zonesub PTR", "grant host.example.test. zonesub ANY");
    Update missing = update();
    missing.delete(rr("www 0 PTR nothere.example.org."));
    missing.delete(name("www"), Type.SRV);
    assertEquals(Rcode.NOERROR, apply(Updates.base(), missing, HOST_KEY, denyPtr).rcode());
    Zone zone = Updates.zone(Updates.BASE + "www IN PTR there.example.org.\n");
    Update present = update();
    present.delete(rr("www 0 PTR there.example.org."));
    assertEquals(Rcode.REFUSED, apply(zone, present, HOST_KEY, denyPtr).rcode());
    Update rrset = update();
    rrset.delete(name("www"), Type.PTR);
    assertEquals(Rcode.REFUSED, apply(zone, rrset, HOST_KEY, denyPtr).rcode());
  }
}
