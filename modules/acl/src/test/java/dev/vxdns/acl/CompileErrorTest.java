package dev.vxdns.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed lists: each is rejected with a message naming the element and, if any, the named ACL.
 */
class CompileErrorTest {

  static Stream<Arguments> malformedElements() {
    return Stream.of(
        // Bad addresses.
        e("['300.1.1.1']", "element '300.1.1.1': bad IPv4 address: octet 300 out of range 0-255"),
        e(
            "['1.2.3']",
            "element '1.2.3': incomplete IPv4 address (a short form needs a prefix length, e.g. 10/8)"),
        e(
            "['10']",
            "element '10': incomplete IPv4 address (a short form needs a prefix length, e.g. 10/8)"),
        e("['1.2.3.4.5']", "element '1.2.3.4.5': bad IPv4 address: more than four parts"),
        e("['1..2.3']", "element '1..2.3': bad IPv4 address: bad octet ''"),
        e("['1.2.3.4.']", "element '1.2.3.4.': bad IPv4 address: more than four parts"),
        e("['010.0.0.1']", "element '010.0.0.1': bad IPv4 address: bad octet '010'"),
        e("['1.2.3.-4/32']", "element '1.2.3.-4/32': bad IPv4 address: bad octet '-4'"),
        // Without ':' or '/', only digits and dots make an address; anything else is an acl name.
        e("['1.2.3.-4']", "undefined acl '1.2.3.-4'"),
        e("['a.b.c.d/8']", "element 'a.b.c.d/8': bad IPv4 address: bad octet 'a'"),
        e("['2001:db8::g']", "element '2001:db8::g': bad IPv6 address: bad group 'g'"),
        e("['2001:db8::12345']", "element '2001:db8::12345': bad IPv6 address: bad group '12345'"),
        e("['1::2::3']", "element '1::2::3': bad IPv6 address: more than one '::'"),
        e("['1:2:3:4:5:6:7']", "element '1:2:3:4:5:6:7': bad IPv6 address: wrong number of groups"),
        e(
            "['1:2:3:4:5:6:7:8:9']",
            "element '1:2:3:4:5:6:7:8:9': bad IPv6 address: wrong number of groups"),
        e(
            "['1:2:3:4::5:6:7:8']",
            "element '1:2:3:4::5:6:7:8': bad IPv6 address: wrong number of groups"),
        e("[':1:2:3:4:5:6:7']", "element ':1:2:3:4:5:6:7': bad IPv6 address: bad group ''"),
        e(
            "['fe80::1%eth0']",
            "element 'fe80::1%eth0': bad IPv6 address: zone indexes (%) are not allowed"),
        e(
            "['::ffff:1.2.3']",
            "element '::ffff:1.2.3': bad IPv6 address: bad embedded IPv4 address '1.2.3'"),
        // Bad prefix lengths.
        e("['10.0.0.0/33']", "element '10.0.0.0/33': prefix length 33 out of range 0-32"),
        e("['2001:db8::/129']", "element '2001:db8::/129': prefix length 129 out of range 0-128"),
        e("['10.0.0.0/']", "element '10.0.0.0/': missing prefix length after '/'"),
        e("['10.0.0.0/-1']", "element '10.0.0.0/-1': bad prefix length '-1'"),
        e("['10.0.0.0/8/8']", "element '10.0.0.0/8/8': bad prefix length '8/8'"),
        e("['10.0.0.0/1000']", "element '10.0.0.0/1000': bad prefix length '1000'"),
        e("['/8']", "element '/8': missing address before '/'"),
        // Host bits set (BIND: "address/prefix length mismatch").
        e("['10.1.2.3/8']", "element '10.1.2.3/8': host bits set (did you mean 10.0.0.0/8?)"),
        e("['!10.1.2.3/8']", "element '!10.1.2.3/8': host bits set (did you mean 10.0.0.0/8?)"),
        e("['10.1/8']", "element '10.1/8': host bits set (did you mean 10.0.0.0/8?)"),
        e("['172.16/11']", "element '172.16/11': host bits set (did you mean 172.0.0.0/11?)"),
        e("['0.0.0.1/0']", "element '0.0.0.1/0': host bits set (did you mean 0.0.0.0/0?)"),
        e(
            "['2001:db8::1/64']",
            "element '2001:db8::1/64': host bits set (did you mean 2001:db8::/64?)"),
        e("['::1/0']", "element '::1/0': host bits set (did you mean ::/0?)"),
        e(
            "['::ffff:192.0.2.1/120']",
            "element '::ffff:192.0.2.1/120': host bits set (did you mean ::ffff:c000:200/120?)"),
        // Empty elements and stray negation.
        e("['']", "element '': empty element"),
        e("['   ']", "element '   ': empty element"),
        e("['!']", "element '!': '!' without an element"),
        e("['!!10/8']", "element '!!10/8': double negation is not allowed"),
        e("['10/8', ['any', '']]", "element '': empty element"),
        // BIND syntax inside a string.
        e(
            "['!{ 10/8; }']",
            "element '!{ 10/8; }': BIND's brace syntax is not used in strings:"
                + " write a nested list as a JSON array and a negated one as {\"!\": [ ... ]}"),
        e(
            "['10/8;']",
            "element '10/8;': BIND's brace syntax is not used in strings:"
                + " write a nested list as a JSON array and a negated one as {\"!\": [ ... ]}"),
        // Wrong JSON types.
        e(
            "[10]",
            "element '10': expected a string, a JSON array or {\"!\": [ ... ]}, not a number"),
        e(
            "[true]",
            "element 'true': expected a string, a JSON array or {\"!\": [ ... ]}, not a boolean"),
        e(
            "[null]",
            "element 'null': expected a string, a JSON array or {\"!\": [ ... ]}, not null"),
        e(
            "[['any', 1.5]]",
            "element '1.5': expected a string, a JSON array or {\"!\": [ ... ]}, not a number"),
        e(
            "[{'!': '10/8'}]",
            "element '{\"!\": \"10/8\"}': the value of \"!\" must be a JSON array, not a string"),
        e(
            "[{'!': null}]",
            "element '{\"!\": null}': the value of \"!\" must be a JSON array, not null"),
        e(
            "[{'not': ['10/8']}]",
            "element '{\"not\": [\"10/8\"]}': an object element must have the single key \"!\" (a negated nested list)"),
        e(
            "[{}]",
            "element '{}': an object element must have the single key \"!\" (a negated nested list)"),
        e(
            "[{'!': ['10/8'], 'x': []}]",
            "element '{\"!\": [\"10/8\"], \"x\": []}': an object element must have the single key \"!\""
                + " (a negated nested list)"),
        // Undefined references.
        e("['bogus']", "undefined acl 'bogus'"),
        e("['!bogus']", "undefined acl 'bogus'"),
        e("['10/8', ['bogus']]", "undefined acl 'bogus'"),
        e("['Ten']", "undefined acl 'Ten'"));
  }

  private static Arguments e(String list, String message) {
    return Arguments.of(list, message);
  }

  private static final Map<String, List<?>> ACLS = Json.acls("{'ten': ['10/8']}");

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("malformedElements")
  void rejects(String list, String message) {
    AclException e =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(Json.list(list), ACLS, Fixtures.ENV));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> badNamedAcls() {
    return Stream.of(
        // Undefined and cyclic references, named by the ACL they are written in.
        n(
            "{'updaters': ['!bogus', 'any']}",
            "['updaters']",
            "acl 'updaters': undefined acl 'bogus'"),
        n("{'a': ['b'], 'b': [['c']]}", "['a']", "acl 'b': undefined acl 'c'"),
        n("{'a': ['a']}", "['a']", "acl 'a': cyclic reference to acl 'a' (a -> a)"),
        n("{'a': ['10/8', '!a']}", "['a']", "acl 'a': cyclic reference to acl 'a' (a -> a)"),
        n(
            "{'a': ['b'], 'b': ['a']}",
            "['any', 'a']",
            "acl 'b': cyclic reference to acl 'a' (a -> b -> a)"),
        n(
            "{'a': ['b'], 'b': ['c'], 'c': [{'!': ['b']}]}",
            "['a']",
            "acl 'c': cyclic reference to acl 'b' (b -> c -> b)"),
        n("{'a': [['10/8', ['a']]]}", "['a']", "acl 'a': cyclic reference to acl 'a' (a -> a)"),
        // Bad elements inside a named ACL name the ACL.
        n(
            "{'nets': ['10.1.2.3/8']}",
            "['nets']",
            "acl 'nets': element '10.1.2.3/8': host bits set (did you mean 10.0.0.0/8?)"),
        n(
            "{'nets': ['10/8', 42]}",
            "['nets']",
            "acl 'nets': element '42': expected a string, a JSON array or {\"!\": [ ... ]}, not a number"),
        n(
            "{'k': ['ecs 192.0.2.0/24/8']}",
            "['any', ['k']]",
            "acl 'k': element 'ecs 192.0.2.0/24/8': bad prefix length '24/8'"),
        n(
            "{'k': ['geoip country US']}",
            "['any', ['k']]",
            "acl 'k': element 'geoip country US': no GeoIP2"
                + " databases are configured (set geoip-directory), so geoip elements cannot be used"),
        n(
            "{'k': [{'port': 99999, 'match': []}]}",
            "['any', ['k']]",
            "acl 'k': element '{\"port\": 99999, \"match\": []}': \"port\" must be a port number 1-65535, not 99999"),
        // Definitions that cannot be named that way (checked even when not referenced, as
        // named-checkconf).
        n("{'any': ['10/8']}", "['10/8']", "acl 'any': cannot redefine built-in acl 'any'"),
        n(
            "{'LocalHost': ['10/8']}",
            "['10/8']",
            "acl 'LocalHost': cannot redefine built-in acl 'localhost'"),
        n(
            "{'10.0.0.0/8': ['10/8']}",
            "['10/8']",
            "acl '10.0.0.0/8': an acl name must not look like an address (contain ':' or '/', or be only digits and dots)"),
        n(
            "{'!x': []}",
            "['10/8']",
            "acl '!x': an acl name must not start with '!' or contain '{' or ';'"),
        n(
            "{'': []}",
            "['10/8']",
            "acl '': an acl name must not be empty or start or end with whitespace"),
        n(
            "{'key x': []}",
            "['10/8']",
            "acl 'key x': an acl name must not start with the keyword 'key'"),
        n("{'x': '10/8'}", "['10/8']", "acl 'x': definition must be a JSON array, not a string"),
        n("{'x': null}", "['10/8']", "acl 'x': definition must be a JSON array, not null"));
  }

  private static Arguments n(String acls, String list, String message) {
    return Arguments.of(acls, list, message);
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @MethodSource("badNamedAcls")
  void rejectsNamed(String acls, String list, String message) {
    AclException e =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(Json.list(list), Json.acls(acls), Fixtures.ENV));
    assertEquals(message, e.getMessage());
  }

  @Test
  void compileNamedChecksUnreferencedAcls() {
    AclException e =
        assertThrows(
            AclException.class,
            () ->
                AddressMatchList.compileNamed(
                    Json.acls("{'ok': ['10/8'], 'unused': ['nope']}"), Fixtures.ENV));
    assertEquals("acl 'unused': undefined acl 'nope'", e.getMessage());
  }

  @Test
  void exceptionParts() {
    AclException e =
        assertThrows(
            AclException.class,
            () ->
                AddressMatchList.compile(
                    Json.list("['x']"), Json.acls("{'x': ['!192.0.2.1/24']}"), Fixtures.ENV));
    assertEquals(Optional.of("x"), e.acl());
    assertEquals(Optional.of("!192.0.2.1/24"), e.element());
    assertEquals("host bits set (did you mean 192.0.2.0/24?)", e.problem());

    AclException top =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(Json.list("['!bogus']"), Map.of(), Fixtures.ENV));
    assertEquals(Optional.empty(), top.acl());
    assertEquals(Optional.of("!bogus"), top.element());
    assertEquals("undefined acl 'bogus'", top.problem());
  }

  @Test
  void tooDeeplyNested() {
    List<Object> list = new ArrayList<>(List.of("any"));
    for (int i = 0; i < Compiler.MAX_DEPTH + 1; i++) {
      list = new ArrayList<>(List.of(list));
    }
    List<Object> deep = list;
    AclException e =
        assertThrows(
            AclException.class, () -> AddressMatchList.compile(deep, Map.of(), Fixtures.ENV));
    assertEquals("nested more than 64 levels deep (nested lists and acl references)", e.problem());
  }

  @Test
  void tooLongReferenceChain() {
    Map<String, List<?>> acls = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      acls.put("a" + i, List.of("a" + (i + 1)));
    }
    acls.put("a100", List.of("any"));
    AclException e =
        assertThrows(
            AclException.class, () -> AddressMatchList.compile(List.of("a0"), acls, Fixtures.ENV));
    assertEquals("nested more than 64 levels deep (nested lists and acl references)", e.problem());
  }

  @Test
  void aSelfContainingListIsRejectedNotOverflowed() {
    List<Object> self = new ArrayList<>(Arrays.asList("10/8"));
    self.add(self);
    AclException e =
        assertThrows(
            AclException.class, () -> AddressMatchList.compile(self, Map.of(), Fixtures.ENV));
    assertEquals("nested more than 64 levels deep (nested lists and acl references)", e.problem());
  }

  @Test
  void nullArgumentsAreProgrammingErrors() {
    assertThrows(
        NullPointerException.class, () -> AddressMatchList.compile(null, Map.of(), Fixtures.ENV));
    assertThrows(
        NullPointerException.class, () -> AddressMatchList.compile(List.of(), null, Fixtures.ENV));
    assertThrows(
        NullPointerException.class, () -> AddressMatchList.compile(List.of(), Map.of(), null));
    assertThrows(NullPointerException.class, () -> MatchContext.of(null));
  }
}
