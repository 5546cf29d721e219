package dev.vxdns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ZoneSetTest {

  private static Zone parent;
  private static Zone child;
  private static Zone grandchild;
  private static ZoneSet set;

  @BeforeAll
  static void zones() throws ZoneException {
    parent = TestZones.example();
    child = zone("sub.example.test.");
    grandchild = zone("deep.sub.example.test.");
    set = ZoneSet.of(List.of(parent, child, grandchild));
  }

  private static Zone zone(String origin) throws ZoneException {
    Name name = Name.fromConstantString(origin);
    String text =
        "$ORIGIN "
            + origin
            + "\n$TTL 60\n@ IN SOA ns hm 1 1 1 1 1\n@ IN NS ns\nns IN A 192.0.2.1\n";
    return Zone.of(name, TestZones.records(text));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "example.test.,              A,   example.test.",
    "www.example.test.,          A,   example.test.",
    "sub.example.test.,          A,   sub.example.test.",
    "a.b.sub.example.test.,      AAAA, sub.example.test.",
    "deep.sub.example.test.,     NS,  deep.sub.example.test.",
    "x.deep.sub.example.test.,   A,   deep.sub.example.test.",
    "WWW.SUB.EXAMPLE.TEST.,      A,   sub.example.test.",
    // DS lives in the parent
    "sub.example.test.,          DS,  example.test.",
    "deep.sub.example.test.,     DS,  sub.example.test.",
    "x.sub.example.test.,        DS,  sub.example.test.",
    // the parent is not served: the child answers DS itself
    "example.test.,              DS,  example.test.",
  })
  void findsTheClosestEnclosingZone(String qname, String qtype, String origin) {
    Zone zone = set.find(Name.fromConstantString(qname), Type.value(qtype));
    assertEquals(Name.fromConstantString(origin), zone.origin());
  }

  @Test
  void namesOutsideEveryZoneFindNothing() {
    assertNull(set.find(Name.fromConstantString("example.org."), Type.A));
    assertNull(set.find(Name.fromConstantString("test."), Type.A));
    assertNull(set.find(Name.root, Type.NS));
    assertNull(ZoneSet.empty().find(Name.fromConstantString("example.test."), Type.A));
  }

  @Test
  void rootZoneEnclosesEverything() throws ZoneException {
    ZoneSet withRoot = ZoneSet.of(List.of(zone("."), parent));
    Name org = Name.fromConstantString("example.org.");
    assertEquals(Name.root, withRoot.find(org, Type.A).origin());
    // DS for a top zone comes from the root zone
    assertEquals(Name.root, withRoot.find(parent.origin(), Type.DS).origin());
    assertEquals(Name.root, withRoot.find(Name.root, Type.DS).origin());
  }

  @Test
  void dsFromTheParentIsAnAuthoritativeNodata() {
    Name sub = Name.fromConstantString("sub.example.test.");
    Zone zone = set.find(sub, Type.DS);
    Message response = ZoneAnswers.answer(zone, sub, Type.DS, new Message());
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.AA));
    assertEquals(Type.SOA, response.getSection(Section.AUTHORITY).get(0).getType());
    assertEquals(parent.origin(), response.getSection(Section.AUTHORITY).get(0).getName());
  }

  @Test
  void duplicateOriginsAreRejected() throws ZoneException {
    Zone again = zone("sub.example.test.");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ZoneSet.of(List.of(child, again)));
    assertTrue(e.getMessage().contains("sub.example.test."), e.getMessage());
  }

  @Test
  void withAndWithoutReturnNewSets() throws ZoneException {
    Zone replacement = zone("sub.example.test.");
    ZoneSet replaced = set.with(replacement);
    assertEquals(3, replaced.size());
    assertSame(replacement, replaced.find(Name.fromConstantString("sub.example.test."), Type.A));
    assertSame(child, set.find(Name.fromConstantString("sub.example.test."), Type.A));

    ZoneSet smaller = set.without(child.origin());
    assertEquals(2, smaller.size());
    assertEquals(3, set.size());
    assertSame(parent, smaller.find(Name.fromConstantString("www.sub.example.test."), Type.A));
    assertSame(set, set.without(Name.fromConstantString("example.org.")));

    assertEquals(1, ZoneSet.empty().with(parent).size());
    assertEquals(0, ZoneSet.empty().with(parent).without(parent.origin()).size());
    assertThrows(UnsupportedOperationException.class, () -> set.zones().clear());
  }
}
