package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ARM_ACLS;
import static dev.vxdns.acl.Fixtures.compile;
import static dev.vxdns.acl.Fixtures.decide;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example of BIND 9 ARM section 7.1, in its JSON form. */
class ArmExamplesTest {

  static Stream<Arguments> examples() {
    return Stream.of(
        // acl bogusnets { 0.0.0.0/8; 192.0.2.0/24; 224.0.0.0/3; 10.0.0.0/8; 172.16.0.0/12;
        // 192.168.0.0/16; };
        // options { blackhole { bogusnets; }; };  ("allowed" = blackholed)
        c("['bogusnets']", "0.1.2.3", "allowed by 'bogusnets' -> '0.0.0.0/8'"),
        c("['bogusnets']", "192.0.2.99", "allowed by 'bogusnets' -> '192.0.2.0/24'"),
        c("['bogusnets']", "224.0.0.1", "allowed by 'bogusnets' -> '224.0.0.0/3'"),
        c("['bogusnets']", "255.255.255.255", "allowed by 'bogusnets' -> '224.0.0.0/3'"),
        c("['bogusnets']", "10.200.3.4", "allowed by 'bogusnets' -> '10.0.0.0/8'"),
        c("['bogusnets']", "172.31.255.255", "allowed by 'bogusnets' -> '172.16.0.0/12'"),
        c("['bogusnets']", "192.168.44.1", "allowed by 'bogusnets' -> '192.168.0.0/16'"),
        c("['bogusnets']", "172.32.0.1", "no match"),
        c("['bogusnets']", "223.255.255.255", "no match"),
        c("['bogusnets']", "198.51.100.1", "no match"),
        c("['bogusnets']", "2001:db8::1", "no match"),
        // The same ACL with BIND's short forms (as in the design sketch).
        c("['bogusnets-short']", "10.200.3.4", "allowed by 'bogusnets-short' -> '10/8'"),
        c("['bogusnets-short']", "172.20.0.1", "allowed by 'bogusnets-short' -> '172.16/12'"),
        c("['bogusnets-short']", "192.168.0.0", "allowed by 'bogusnets-short' -> '192.168/16'"),
        c("['bogusnets-short']", "192.169.0.0", "no match"),
        // acl our-nets { x.x.x.x/24; x.x.x.x/21; }; allow-query { our-nets; }; allow-recursion {
        // our-nets; };
        c("['our-nets']", "198.51.100.200", "allowed by 'our-nets' -> '198.51.100.0/24'"),
        c("['our-nets']", "203.0.112.0", "allowed by 'our-nets' -> '203.0.112.0/21'"),
        c("['our-nets']", "203.0.119.255", "allowed by 'our-nets' -> '203.0.112.0/21'"),
        c("['our-nets']", "203.0.120.0", "no match"),
        c("['our-nets']", "192.0.2.1", "no match"),
        // zone "example.com" { allow-query { any; }; };
        c("['any']", "192.0.2.1", "allowed by 'any'"),
        c("['any']", "2001:db8::1", "allowed by 'any'"),
        // "the ACL { 10/8; !10.0.0.1; } would actually match a query from 10.0.0.1"
        c("['10/8', '!10.0.0.1']", "10.0.0.1", "allowed by '10/8'"),
        c("['!10.0.0.1', '10/8']", "10.0.0.1", "denied by '!10.0.0.1'"),
        // allow-query { !{ !10/8; any; }; key example; };  (first element; "key" comes later)
        // "any address that is not in the 10/8 network prefix is rejected, which terminates
        // the processing of the ACL":
        c("[{'!': ['!10/8', 'any']}]", "192.0.2.1", "denied by '!{ !10/8; any; }' -> 'any'"),
        c("[{'!': ['!10/8', 'any']}, 'any']", "192.0.2.1", "denied by '!{ !10/8; any; }' -> 'any'"),
        // "any address that is in the 10/8 network prefix is accepted, but this causes a
        // negative match of the nested ACL, so the containing ACL continues processing":
        c("[{'!': ['!10/8', 'any']}]", "10.1.2.3", "no match"),
        c("[{'!': ['!10/8', 'any']}, 'any']", "10.1.2.3", "allowed by 'any'"),
        // "only matches when both conditions are true": 10.0/16 stands in for "key example".
        c("[{'!': ['!10/8', 'any']}, '10.0/16']", "10.0.9.9", "allowed by '10.0/16'"),
        c("[{'!': ['!10/8', 'any']}, '10.0/16']", "10.1.9.9", "no match"),
        c(
            "[{'!': ['!10/8', 'any']}, '10.0/16']",
            "192.0.2.1",
            "denied by '!{ !10/8; any; }' -> 'any'"),
        // the design sketch's "updaters": [ { "!": ["!localnets", "any"] }, "key host1-host2." ]
        // (localnets = 192.0.2.0/24 here; 192.0.2.0/25 stands in for the key).
        c(
            "[{'!': ['!localnets', 'any']}, '192.0.2.0/25']",
            "192.0.2.10",
            "allowed by '192.0.2.0/25'"),
        c("[{'!': ['!localnets', 'any']}, '192.0.2.0/25']", "192.0.2.200", "no match"),
        c(
            "[{'!': ['!localnets', 'any']}, '192.0.2.0/25']",
            "198.51.100.1",
            "denied by '!{ !localnets; any; }' -> 'any'"));
  }

  private static Arguments c(String list, String address, String expected) {
    return Arguments.of(list, address, expected);
  }

  @ParameterizedTest(name = "{0} from {1}: {2}")
  @MethodSource("examples")
  void armExample(String list, String address, String expected) {
    assertEquals(expected, decide(compile(list, ARM_ACLS), address));
  }

  static Stream<Arguments> geoipWithoutDatabases() {
    String noDatabases =
        "no GeoIP2 databases are configured (set geoip-directory), so geoip elements cannot be used";
    return Stream.of(
        // The ARM's GeoIP examples need databases (GeoipElementTest has them); Fixtures.ENV has
        // none.
        Arguments.of("['geoip country US']", "element 'geoip country US': " + noDatabases),
        Arguments.of(
            "['geoip db country country Canada']",
            "element 'geoip db country country Canada': " + noDatabases),
        Arguments.of(
            "['!geoip city \"San Francisco\"']",
            "element '!geoip city \"San Francisco\"': " + noDatabases));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geoipWithoutDatabases")
  void geoipElementsWithoutDatabasesAreRejectedClearly(String list, String message) {
    AclException e =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(Json.list(list), Map.of(), Fixtures.ENV));
    assertEquals(message, e.getMessage());
  }

  static Stream<Arguments> formerlyRejectedKinds() {
    return Stream.of(
        // ecs and the port/transport qualifiers compile now (EcsElementTest,
        // PortTransportElementTest).
        Arguments.of("['ecs 192.0.2.0/24']", "no match"),
        Arguments.of("[{'port': 853, 'transport': 'tls', 'match': ['any']}]", "no match"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formerlyRejectedKinds")
  void ecsAndQualifiersCompileAndIgnoreAPlainClient(String list, String expected) {
    assertEquals(expected, decide(compile(list, ARM_ACLS), "192.0.2.1"));
  }
}
