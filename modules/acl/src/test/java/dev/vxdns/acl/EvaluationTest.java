package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ACLS;
import static dev.vxdns.acl.Fixtures.compile;
import static dev.vxdns.acl.Fixtures.decide;
import static dev.vxdns.acl.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ARM 7.1 semantics, table by table: list (JSON), client address, expected decision. */
class EvaluationTest {

  static Stream<Arguments> firstMatchAndNegation() {
    return Stream.of(
        c("[]", "192.0.2.1", "no match"),
        c("['192.0.2.1']", "192.0.2.1", "allowed by '192.0.2.1'"),
        c("['192.0.2.1']", "192.0.2.2", "no match"),
        c("['!192.0.2.1']", "192.0.2.1", "denied by '!192.0.2.1'"),
        c("['!192.0.2.1']", "192.0.2.2", "no match"),
        c("['! 192.0.2.1']", "192.0.2.1", "denied by '! 192.0.2.1'"),
        // The first element that matches decides, even if a later one is more specific ...
        c("['10/8', '!10.1/16']", "10.1.2.3", "allowed by '10/8'"),
        c("['!10.1/16', '10/8']", "10.1.2.3", "denied by '!10.1/16'"),
        c("['!10.1/16', '10/8']", "10.2.0.1", "allowed by '10/8'"),
        // ... or less specific.
        c("['10.1.2.0/24', '!10/8']", "10.1.2.3", "allowed by '10.1.2.0/24'"),
        c("['!10/8', '10.1.2.0/24']", "10.1.2.3", "denied by '!10/8'"),
        // Overlapping prefixes, identical prefixes: the earlier one wins.
        c("['!10/8', '10/8']", "10.0.0.1", "denied by '!10/8'"),
        c("['10/8', '!10.0.0.0/8']", "10.0.0.1", "allowed by '10/8'"),
        c(
            "['192.0.2.0/25', '!192.0.2.0/24', '192.0.2.128/25']",
            "192.0.2.200",
            "denied by '!192.0.2.0/24'"),
        c(
            "['192.0.2.0/25', '!192.0.2.0/24', '192.0.2.128/25']",
            "192.0.2.100",
            "allowed by '192.0.2.0/25'"),
        // A host element is /32 or /128.
        c("['192.0.2.1', '!192.0.2.0/24']", "192.0.2.1", "allowed by '192.0.2.1'"),
        c("['192.0.2.1', '!192.0.2.0/24']", "192.0.2.2", "denied by '!192.0.2.0/24'"));
  }

  static Stream<Arguments> zeroLengthAndBuiltins() {
    return Stream.of(
        // 0.0.0.0/0 is all of IPv4 and nothing of IPv6; ::/0 the reverse; "any" is both.
        c("['0.0.0.0/0']", "203.0.113.9", "allowed by '0.0.0.0/0'"),
        c("['0.0.0.0/0']", "2001:db8::9", "no match"),
        c("['::/0']", "2001:db8::9", "allowed by '::/0'"),
        c("['::/0']", "203.0.113.9", "no match"),
        c("['0/0']", "203.0.113.9", "allowed by '0/0'"),
        c("['!0.0.0.0/0', '::/0']", "::1", "allowed by '::/0'"),
        c("['10/8', '!0.0.0.0/0']", "10.0.0.1", "allowed by '10/8'"),
        c("['10/8', '!0.0.0.0/0']", "11.0.0.1", "denied by '!0.0.0.0/0'"),
        c("['any']", "2001:db8::1", "allowed by 'any'"),
        c("['ANY']", "192.0.2.1", "allowed by 'ANY'"),
        c("['!any']", "192.0.2.1", "denied by '!any'"),
        // "none" matches everything and denies (BIND: none = !any) ...
        c("['none']", "192.0.2.1", "denied by 'none'"),
        c("['none', 'any']", "2001:db8::1", "denied by 'none'"),
        c("['10/8', 'none']", "10.9.9.9", "allowed by '10/8'"),
        // ... so "!none" allows everything.
        c("['!none']", "192.0.2.1", "allowed by '!none'"),
        c("['!10/8', 'any']", "10.0.0.1", "denied by '!10/8'"),
        c("['!10/8', 'any']", "11.0.0.1", "allowed by 'any'"),
        // localhost: the host's own addresses (injected: 127.0.0.1, ::1, 192.0.2.53,
        // 2001:db8:1::53).
        c("['localhost']", "192.0.2.53", "allowed by 'localhost' -> '192.0.2.53/32'"),
        c("['localhost']", "127.0.0.1", "allowed by 'localhost' -> '127.0.0.1/32'"),
        c("['localhost']", "::1", "allowed by 'localhost' -> '::1/128'"),
        c("['localhost']", "2001:db8:1::53", "allowed by 'localhost' -> '2001:db8:1::53/128'"),
        c("['localhost']", "192.0.2.54", "no match"),
        c("['localhost']", "127.0.0.2", "no match"),
        c("['!localhost', 'any']", "192.0.2.53", "denied by '!localhost' -> '192.0.2.53/32'"),
        // localnets: the networks of its interfaces (127.0.0.0/8, ::1/128, 192.0.2.0/24,
        // 2001:db8:1::/64).
        c("['localnets']", "192.0.2.200", "allowed by 'localnets' -> '192.0.2.0/24'"),
        c("['localnets']", "127.3.2.1", "allowed by 'localnets' -> '127.0.0.0/8'"),
        c("['localnets']", "2001:db8:1::ffff", "allowed by 'localnets' -> '2001:db8:1::/64'"),
        c("['localnets']", "2001:db8:2::1", "no match"),
        c("['localnets']", "198.51.100.1", "no match"),
        c("['!localnets', 'any']", "192.0.2.7", "denied by '!localnets' -> '192.0.2.0/24'"),
        c("['!localnets', 'any']", "198.51.100.1", "allowed by 'any'"),
        c("['LocalNets']", "192.0.2.7", "allowed by 'LocalNets' -> '192.0.2.0/24'"),
        // Built-ins keep their position in the list.
        c("['192.0.2.7', '!localnets']", "192.0.2.7", "allowed by '192.0.2.7'"),
        c("['!localnets', '192.0.2.7']", "192.0.2.7", "denied by '!localnets' -> '192.0.2.0/24'"));
  }

  static Stream<Arguments> nestedLists() {
    return Stream.of(
        // Inner allow: the nested element matches positively; the outer list stops.
        c("[['10/8'], '!any']", "10.1.1.1", "allowed by '{ 10/8; }' -> '10/8'"),
        // Inner no match: the outer list continues.
        c("[['10/8'], '!any']", "11.1.1.1", "denied by '!any'"),
        // Inner deny: "a negative match of a nested ACL tells the containing ACL to continue".
        c("[['!10/8'], 'any']", "10.1.1.1", "allowed by 'any'"),
        c("[['!10/8'], '!any']", "10.1.1.1", "denied by '!any'"),
        c("[['!10/8']]", "10.1.1.1", "no match"),
        c("[['!10/8', 'any'], '!any']", "11.1.1.1", "allowed by '{ !10/8; any; }' -> 'any'"),
        c("[['!10/8', 'any'], '!any']", "10.1.1.1", "denied by '!any'"),
        // Negated nested list: inner allow becomes a deny that stops the outer list ...
        c("[{'!': ['10/8']}, 'any']", "10.1.1.1", "denied by '!{ 10/8; }' -> '10/8'"),
        c("[{'!': ['10/8']}, 'any']", "11.1.1.1", "allowed by 'any'"),
        // ... but inner deny never becomes an allow (no double negation): the list continues.
        c("[{'!': ['!10/8']}]", "10.1.1.1", "no match"),
        c("[{'!': ['!10/8']}, '!any']", "10.1.1.1", "denied by '!any'"),
        c("[{'!': []}, 'any']", "10.1.1.1", "allowed by 'any'"),
        c("[[], 'any']", "10.1.1.1", "allowed by 'any'"),
        // Deeper nesting, each level with the same rule.
        c("[[['10/8']]]", "10.0.0.1", "allowed by '{ { 10/8; }; }' -> '{ 10/8; }' -> '10/8'"),
        c("[[{'!': ['10/8']}], 'any']", "10.0.0.1", "allowed by 'any'"),
        c("[{'!': [{'!': ['10/8']}]}, 'any']", "10.0.0.1", "allowed by 'any'"),
        c(
            "[{'!': [['10/8']]}, 'any']",
            "10.0.0.1",
            "denied by '!{ { 10/8; }; }' -> '{ 10/8; }' -> '10/8'"),
        // Nested lists keep their position relative to address elements.
        c("['!10.1/16', ['10/8']]", "10.1.0.1", "denied by '!10.1/16'"),
        c("[['10/8'], '!10.1/16']", "10.1.0.1", "allowed by '{ 10/8; }' -> '10/8'"),
        c("['!10.1/16', ['10/8'], '!10.2/16']", "10.2.0.1", "allowed by '{ 10/8; }' -> '10/8'"),
        c("['!10.1/16', ['!10/8'], '10.2/16']", "10.2.0.1", "allowed by '10.2/16'"),
        c(
            "[['localhost'], '!localnets']",
            "192.0.2.53",
            "allowed by '{ localhost; }' -> 'localhost' -> '192.0.2.53/32'"),
        c(
            "[['localhost'], '!localnets']",
            "192.0.2.52",
            "denied by '!localnets' -> '192.0.2.0/24'"));
  }

  static Stream<Arguments> namedAcls() {
    return Stream.of(
        c("['ten']", "10.0.0.1", "allowed by 'ten' -> '10/8'"),
        c("['ten']", "11.0.0.1", "no match"),
        c("['!ten', 'any']", "10.0.0.1", "denied by '!ten' -> '10/8'"),
        c("['! ten', 'any']", "10.0.0.1", "denied by '! ten' -> '10/8'"),
        c("['!ten', 'any']", "11.0.0.1", "allowed by 'any'"),
        // A named ACL is an indirect list: its deny makes the referring list continue.
        c("['not-ten', 'any']", "10.0.0.1", "allowed by 'any'"),
        c("['!not-ten', 'any']", "10.0.0.1", "allowed by 'any'"),
        c("['ten-but-not-ten-one', '!any']", "10.1.0.1", "denied by '!any'"),
        c(
            "['ten-but-not-ten-one', '!any']",
            "10.2.0.1",
            "allowed by 'ten-but-not-ten-one' -> '10/8'"),
        // References through references.
        c("['uses-ten']", "10.0.0.1", "allowed by 'uses-ten' -> 'ten' -> '10/8'"),
        c("['uses-not-ten']", "10.0.0.1", "no match"),
        c("['uses-not-ten']", "11.0.0.1", "allowed by 'uses-not-ten' -> 'any'"),
        c("['empty', 'any']", "11.0.0.1", "allowed by 'any'"),
        c("[['ten'], '!any']", "10.0.0.1", "allowed by '{ ten; }' -> 'ten' -> '10/8'"),
        c("['v6']", "2001:db8:ffff::1", "allowed by 'v6' -> '2001:db8::/32'"),
        c("['v6']", "2001:db9::1", "no match"));
  }

  static Stream<Arguments> ipv6AndMapped() {
    return Stream.of(
        c(
            "['2001:db8::/32']",
            "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
            "allowed by '2001:db8::/32'"),
        c("['2001:db8::/32']", "2001:db9::", "no match"),
        c("['2001:DB8::1']", "2001:db8::1", "allowed by '2001:DB8::1'"),
        c("['2001:db8::1']", "2001:db8::2", "no match"),
        c("['!2001:db8::/48', '2001:db8::/32']", "2001:db8:0:1::1", "denied by '!2001:db8::/48'"),
        c("['!2001:db8::/48', '2001:db8::/32']", "2001:db8:1::1", "allowed by '2001:db8::/32'"),
        c("['2001:db8::/32', '!2001:db8::/48']", "2001:db8:0:1::1", "allowed by '2001:db8::/32'"),
        c("['::1']", "::1", "allowed by '::1'"),
        c("['::']", "::", "allowed by '::'"),
        c("['fe80::/10']", "fe80::1:2:3:4", "allowed by 'fe80::/10'"),
        c("['::2:3:4:5:6:7:8/128']", "0:2:3:4:5:6:7:8", "allowed by '::2:3:4:5:6:7:8/128'"),
        c("['1:2:3:4:5:6:7::']", "1:2:3:4:5:6:7:0", "allowed by '1:2:3:4:5:6:7::'"),
        c("['64:ff9b::192.0.2.0/120']", "64:ff9b::c000:2ff", "allowed by '64:ff9b::192.0.2.0/120'"),
        c("['2001:db8::/128', '2001:db8::/127']", "2001:db8::1", "allowed by '2001:db8::/127'"),
        c("['10/8', '2001:db8::/32']", "2001:db8::1", "allowed by '2001:db8::/32'"),
        // An IPv4 client never matches an IPv6 element with the same bits, and vice versa.
        c("['::a00:1']", "10.0.0.1", "no match"),
        c("['10.0.0.1']", "::a00:1", "no match"),
        // Mapped elements stay IPv6, as BIND never rewrites an element: IPv4 clients do not
        // match them (checked against named 9.20 by AclEquivalenceInteropTest).
        c("['::ffff:192.0.2.1']", "192.0.2.1", "no match"),
        c("['::ffff:192.0.2.0/120']", "192.0.2.77", "no match"),
        c("['::ffff:0:0/96']", "203.0.113.1", "no match"),
        c("['::ffff:0:0/96']", "2001:db8::1", "no match"));
  }

  private static Arguments c(String list, String address, String expected) {
    return Arguments.of(list, address, expected);
  }

  @ParameterizedTest(name = "{0} from {1}: {2}")
  @MethodSource({
    "firstMatchAndNegation",
    "zeroLengthAndBuiltins",
    "nestedLists",
    "namedAcls",
    "ipv6AndMapped"
  })
  void decides(String list, String address, String expected) {
    assertEquals(expected, decide(compile(list, ACLS), address));
  }

  /**
   * Java turns "::ffff:a.b.c.d" into an Inet4Address; a dual-stack socket may still hand an
   * Inet6Address.
   */
  static InetAddress mapped(String v4) throws UnknownHostException {
    byte[] b = new byte[16];
    b[10] = (byte) 0xff;
    b[11] = (byte) 0xff;
    System.arraycopy(ip(v4).getAddress(), 0, b, 12, 4);
    return Inet6Address.getByAddress(null, b, -1);
  }

  static Stream<Arguments> mappedClients() {
    return Stream.of(
        c("['192.0.2.0/24']", "192.0.2.1", "no match"),
        c("['!192.0.2.1', 'any']", "192.0.2.1", "allowed by 'any'"),
        c("['0.0.0.0/0']", "192.0.2.1", "no match"),
        c("['10/8']", "192.0.2.1", "no match"),
        c("['any']", "192.0.2.1", "allowed by 'any'"),
        c("['localnets']", "192.0.2.1", "no match"),
        c("['localhost']", "127.0.0.1", "no match"),
        c("['::/0']", "192.0.2.1", "allowed by '::/0'"),
        c("['::ffff:192.0.2.1']", "192.0.2.1", "allowed by '::ffff:192.0.2.1'"),
        c("['::ffff:192.0.2.0/120']", "192.0.2.9", "allowed by '::ffff:192.0.2.0/120'"));
  }

  /**
   * A mapped client is an IPv6 client, as in BIND 9.20 by default ({@code match-mapped-addresses
   * no}): it matches IPv6 elements and {@code any}, never IPv4 prefixes.
   */
  @ParameterizedTest(name = "{0} from ::ffff:{1}: {2}")
  @MethodSource("mappedClients")
  void mappedClientMatchesAsIpv6(String list, String v4, String expected)
      throws UnknownHostException {
    InetAddress client = mapped(v4);
    assertTrue(client instanceof Inet6Address, "the test must use a real Inet6Address");
    assertEquals(expected, compile(list, ACLS).evaluate(MatchContext.of(client)).toString());
    assertSame(client, MatchContext.of(client).address());
  }

  @Test
  void decisionParts() {
    AddressMatchList list = compile("['!ten', '192.0.2.0/24']", ACLS);
    AclDecision denied = list.evaluate(MatchContext.of(ip("10.9.8.7")));
    assertTrue(denied.matched());
    assertTrue(denied.denied());
    assertFalse(denied.allowed());
    assertEquals("!ten", denied.element());
    assertEquals(List.of("!ten", "10/8"), denied.path());

    AclDecision allowed = list.evaluate(MatchContext.of(ip("192.0.2.1")));
    assertTrue(allowed.allowed());
    assertFalse(allowed.denied());
    assertEquals(List.of("192.0.2.0/24"), allowed.path());
    // Direct elements' decisions are prebuilt: the same object every time.
    assertSame(allowed, list.evaluate(MatchContext.of(ip("192.0.2.2"))));

    AclDecision none = list.evaluate(MatchContext.of(ip("198.51.100.1")));
    assertFalse(none.matched());
    assertFalse(none.allowed());
    assertFalse(none.denied());
    assertNull(none.element());
    assertEquals(List.of(), none.path());
    assertSame(AclDecision.noMatch(), none);
  }

  @Test
  void conveniences() {
    assertTrue(AddressMatchList.any().allows(ip("192.0.2.1")));
    assertTrue(AddressMatchList.any().allows(ip("2001:db8::1")));
    assertFalse(AddressMatchList.none().allows(ip("192.0.2.1")));
    assertTrue(AddressMatchList.none().evaluate(MatchContext.of(ip("::1"))).denied());
    AddressMatchList list = compile("['!10.1/16', '10/8']", ACLS);
    assertTrue(list.allows(ip("10.2.0.0")));
    assertFalse(list.allows(ip("10.1.0.0")));
    assertFalse(list.allows(ip("11.0.0.0")));
    assertEquals("{ !10.1/16; 10/8; }", list.toString());
  }

  @Test
  void namedAclsCompiledTogether() throws AclException {
    var all = AddressMatchList.compileNamed(ACLS, Fixtures.ENV);
    assertEquals(List.copyOf(ACLS.keySet()), List.copyOf(all.keySet()));
    assertTrue(all.get("uses-ten").allows(ip("10.0.0.1")));
    assertFalse(all.get("not-ten").allows(ip("10.0.0.1")));
  }

  @Test
  void aNamedAclCanBeReferencedManyTimes() {
    AddressMatchList list = compile("['ten', ['ten'], 'uses-ten', '!ten']", ACLS);
    assertEquals("allowed by 'ten' -> '10/8'", decide(list, "10.0.0.1"));
  }
}
