package dev.vxdns.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/** Shared test data: an injected environment and the named ACLs of the ARM's examples. */
final class Fixtures {
  private Fixtures() {}

  /** This "host" has 192.0.2.53/24 and 2001:db8:1::53/64, plus loopback. */
  static final AclEnvironment ENV =
      AclEnvironment.of(
          List.of(ip("127.0.0.1"), ip("::1"), ip("192.0.2.53"), ip("2001:db8:1::53")),
          List.of("127.0.0.0/8", "::1/128", "192.0.2.53/24", "2001:db8:1::53/64"));

  /** The ARM 7.1 named ACLs ("x.x.x.x" of our-nets replaced by documentation prefixes). */
  static final Map<String, List<?>> ARM_ACLS =
      Json.acls(
          """
            {
              'bogusnets': ['0.0.0.0/8', '192.0.2.0/24', '224.0.0.0/3', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
              'bogusnets-short': ['0.0.0.0/8', '192.0.2.0/24', '224.0.0.0/3', '10/8', '172.16/12', '192.168/16'],
              'our-nets': ['198.51.100.0/24', '203.0.112.0/21']
            }""");

  /** Named ACLs for the semantic tables. */
  static final Map<String, List<?>> ACLS =
      Json.acls(
          """
            {
              'ten': ['10/8'],
              'not-ten': ['!10/8'],
              'ten-but-not-ten-one': ['!10.1/16', '10/8'],
              'uses-ten': ['ten'],
              'uses-not-ten': ['!ten', 'any'],
              'v6': ['2001:db8::/32'],
              'empty': []
            }""");

  static InetAddress ip(String literal) {
    try {
      // Literals only in tests: no name lookup happens.
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static AddressMatchList compile(String listJson, Map<String, List<?>> acls) {
    try {
      return AddressMatchList.compile(Json.list(listJson), acls, ENV);
    } catch (AclException e) {
      throw new AssertionError("does not compile: " + listJson + ": " + e.getMessage(), e);
    }
  }

  static String decide(AddressMatchList list, String address) {
    return list.evaluate(MatchContext.of(ip(address))).toString();
  }
}
