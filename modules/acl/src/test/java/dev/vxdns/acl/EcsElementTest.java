package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ACLS;
import static dev.vxdns.acl.Fixtures.compile;
import static dev.vxdns.acl.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ecs PREFIX}: matches the EDNS Client-Subnet option, not the client address. */
class EcsElementTest {
  /** {@code ecs} is "ADDRESS/SOURCE-PREFIX-LENGTH" or "" for a request without the option. */
  private static String decide(String list, String client, String ecs) {
    MatchContext context = MatchContext.of(ip(client));
    if (!ecs.isEmpty()) {
      int slash = ecs.indexOf('/');
      context =
          context.withEcs(ip(ecs.substring(0, slash)), Integer.parseInt(ecs.substring(slash + 1)));
    }
    return compile(list, ACLS).evaluate(context).toString();
  }

  private static Arguments t(String list, String client, String ecs, String expected) {
    return Arguments.of(list, client, ecs, expected);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // The option's block must lie within the prefix: its source length is at least the
        // prefix's.
        t("['ecs 192.0.2.0/24']", "198.51.100.1", "192.0.2.0/24", "allowed by 'ecs 192.0.2.0/24'"),
        t(
            "['ecs 192.0.2.0/24']",
            "198.51.100.1",
            "192.0.2.128/25",
            "allowed by 'ecs 192.0.2.0/24'"),
        t("['ecs 192.0.2.0/24']", "198.51.100.1", "192.0.2.77/32", "allowed by 'ecs 192.0.2.0/24'"),
        t("['ecs 192.0.2.0/24']", "198.51.100.1", "192.0.0.0/16", "no match"),
        t("['ecs 192.0.2.0/24']", "198.51.100.1", "0.0.0.0/0", "no match"),
        t("['ecs 192.0.2.0/24']", "198.51.100.1", "192.0.3.0/24", "no match"),
        t("['ecs 10/8']", "198.51.100.1", "10.1.0.0/16", "allowed by 'ecs 10/8'"),
        t("['ecs 10/8']", "198.51.100.1", "10.0.0.0/7", "no match"),
        t("['ecs 0.0.0.0/0']", "198.51.100.1", "0.0.0.0/0", "allowed by 'ecs 0.0.0.0/0'"),
        // Bits beyond the source prefix length are ignored (RFC 7871 requires them to be zero).
        t(
            "['ecs 192.0.2.0/24']",
            "198.51.100.1",
            "192.0.2.255/24",
            "allowed by 'ecs 192.0.2.0/24'"),
        t("['ecs 192.0.2.0/24']", "198.51.100.1", "192.0.3.255/23", "no match"),
        // No ECS option: ecs elements are ignored. The client address plays no part.
        t("['ecs 192.0.2.0/24']", "192.0.2.1", "", "no match"),
        t("['ecs 192.0.2.0/24', '192.0.2.0/24']", "192.0.2.1", "", "allowed by '192.0.2.0/24'"),
        t("['192.0.2.0/24']", "198.51.100.1", "192.0.2.0/24", "no match"),
        // Families are kept apart; mapped elements and options stay IPv6, as in BIND.
        t(
            "['ecs 2001:db8::/32']",
            "192.0.2.1",
            "2001:db8:1::/48",
            "allowed by 'ecs 2001:db8::/32'"),
        t("['ecs 2001:db8::/32']", "192.0.2.1", "2001:db8::/31", "no match"),
        t("['ecs ::/0']", "192.0.2.1", "192.0.2.0/24", "no match"),
        t("['ecs 0.0.0.0/0']", "192.0.2.1", "2001:db8::/56", "no match"),
        t("['ecs ::ffff:192.0.2.0/120']", "2001:db8::1", "192.0.2.0/24", "no match"),
        // Negation and first match, in both directions.
        t(
            "['!ecs 192.0.2.0/24', 'any']",
            "198.51.100.1",
            "192.0.2.0/24",
            "denied by '!ecs 192.0.2.0/24'"),
        t("['!ecs 192.0.2.0/24', 'any']", "198.51.100.1", "203.0.113.0/24", "allowed by 'any'"),
        t("['!ecs 192.0.2.0/24', 'any']", "198.51.100.1", "", "allowed by 'any'"),
        t(
            "['198.51.100.0/24', '!ecs 192.0.2.0/24']",
            "198.51.100.1",
            "192.0.2.0/24",
            "allowed by '198.51.100.0/24'"),
        t(
            "['!198.51.100.0/24', 'ecs 192.0.2.0/24']",
            "198.51.100.1",
            "192.0.2.0/24",
            "denied by '!198.51.100.0/24'"),
        t(
            "['ecs 192.0.2.0/24', '!198.51.100.0/24']",
            "198.51.100.1",
            "192.0.2.0/24",
            "allowed by 'ecs 192.0.2.0/24'"),
        // Nested: "from 10/8 and with an ECS option in 192.0.2.0/24", the ARM's pattern.
        t(
            "[{'!': ['!10/8', 'any']}, 'ecs 192.0.2.0/24']",
            "10.1.1.1",
            "192.0.2.0/24",
            "allowed by 'ecs 192.0.2.0/24'"),
        t("[{'!': ['!10/8', 'any']}, 'ecs 192.0.2.0/24']", "10.1.1.1", "", "no match"),
        t(
            "[{'!': ['!10/8', 'any']}, 'ecs 192.0.2.0/24']",
            "198.51.100.1",
            "192.0.2.0/24",
            "denied by '!{ !10/8; any; }' -> 'any'"),
        t(
            "[['ecs 192.0.2.0/24']]",
            "198.51.100.1",
            "192.0.2.0/25",
            "allowed by '{ ecs 192.0.2.0/24; }' -> 'ecs 192.0.2.0/24'"),
        t(
            "[{'!': ['ecs 192.0.2.0/24']}, 'any']",
            "198.51.100.1",
            "192.0.2.0/25",
            "denied by '!{ ecs 192.0.2.0/24; }' -> 'ecs 192.0.2.0/24'"),
        t(
            "[{'!': ['!ecs 192.0.2.0/24', 'any']}, 'any']",
            "198.51.100.1",
            "192.0.2.0/25",
            "allowed by 'any'"),
        t(
            "[{'!': ['!ecs 192.0.2.0/24', 'any']}, 'any']",
            "198.51.100.1",
            "",
            "denied by '!{ !ecs 192.0.2.0/24; any; }' -> 'any'"));
  }

  @ParameterizedTest(name = "{0} client {1} ecs {2}: {3}")
  @MethodSource("table")
  void matchesTheOption(String list, String client, String ecs, String expected) {
    assertEquals(expected, decide(list, client, ecs));
  }

  @Test
  void inNamedAcls() throws AclException {
    AddressMatchList list =
        AddressMatchList.compile(
            List.of("!cdn", "any"),
            Map.of("cdn", List.of("ecs 203.0.113.0/24", "ecs 2001:db8::/32")),
            Fixtures.ENV);
    assertEquals(
        "denied by '!cdn' -> 'ecs 2001:db8::/32'",
        list.evaluate(MatchContext.of(ip("192.0.2.1")).withEcs(ip("2001:db8:4::"), 48)).toString());
    assertEquals("allowed by 'any'", list.evaluate(MatchContext.of(ip("203.0.113.1"))).toString());
  }

  @Test
  void aMappedOptionStaysIpv6() throws Exception {
    byte[] mapped = ip("::ffff:192.0.2.0").getAddress(); // Java gives the 4 IPv4 bytes
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(mapped, 0, v6, 12, 4);
    MatchContext c =
        MatchContext.of(ip("2001:db8::1"))
            .withEcs(java.net.Inet6Address.getByAddress(null, v6, -1), 120);
    assertEquals("::ffff:c000:200/120", c.ecs());
    assertEquals(
        "allowed by 'ecs ::ffff:192.0.2.0/120'",
        compile("['ecs ::ffff:192.0.2.0/120']", ACLS).evaluate(c).toString());
    assertEquals("no match", compile("['ecs 192.0.2.0/24']", ACLS).evaluate(c).toString());
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "ecs", "element 'ecs': 'ecs' needs one address prefix, e.g. \"ecs 192.0.2.0/24\""),
        Arguments.of(
            "!ecs", "element '!ecs': 'ecs' needs one address prefix, e.g. \"ecs 192.0.2.0/24\""),
        Arguments.of(
            "ecs any",
            "element 'ecs any': 'ecs' needs one address prefix, e.g. \"ecs 192.0.2.0/24\""),
        Arguments.of(
            "ecs bogusnets",
            "element 'ecs bogusnets': 'ecs' needs one address prefix,"
                + " e.g. \"ecs 192.0.2.0/24\""),
        Arguments.of(
            "ecs 10/8 11/8",
            "element 'ecs 10/8 11/8': 'ecs' needs one address prefix,"
                + " e.g. \"ecs 192.0.2.0/24\""),
        Arguments.of(
            "ecs 10.1.2.3/8", "element 'ecs 10.1.2.3/8': host bits set (did you mean 10.0.0.0/8?)"),
        Arguments.of("ecs 10/33", "element 'ecs 10/33': prefix length 33 out of range 0-32"),
        Arguments.of(
            "ecs 10",
            "element 'ecs 10': incomplete IPv4 address (a short form needs a prefix length,"
                + " e.g. 10/8)"),
        Arguments.of(
            "!ecs 2001:db8::/129",
            "element '!ecs 2001:db8::/129': prefix length 129 out of range 0-128"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedElementsAreRejectedNamingTheElement(String element, String message) {
    AclException e =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(List.of(element), Map.of(), Fixtures.ENV));
    assertEquals(message, e.getMessage());
  }

  @Test
  void contextValidatesTheOption() {
    MatchContext c = MatchContext.of(ip("192.0.2.1"));
    assertThrows(IllegalArgumentException.class, () -> c.withEcs(ip("192.0.2.0"), 33));
    assertThrows(IllegalArgumentException.class, () -> c.withEcs(ip("192.0.2.0"), -1));
    assertThrows(IllegalArgumentException.class, () -> c.withEcs(ip("2001:db8::"), 129));
    assertEquals("192.0.2.0/24", c.withEcs(ip("192.0.2.99"), 24).ecs());
    assertEquals(null, c.withEcs(ip("192.0.2.99"), 24).withEcs(null, 0).ecs());
    assertEquals(c, c.withEcs(ip("192.0.2.99"), 24).withEcs(null, 0));
    assertEquals(c.withEcs(ip("192.0.2.0"), 24), c.withEcs(ip("192.0.2.99"), 24));
    assertEquals(
        "MatchContext[address=192.0.2.1, key=k., ecs=192.0.2.0/24]",
        c.withKey("k").withEcs(ip("192.0.2.99"), 24).toString());
    assertEquals("k.", c.withKey("k").withEcs(ip("192.0.2.99"), 24).keyName());
  }
}
