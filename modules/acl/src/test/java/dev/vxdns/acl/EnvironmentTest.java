package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The environment of localhost/localnets: injected, empty, and this host's. */
class EnvironmentTest {

  @Test
  void injected() {
    AclEnvironment env =
        AclEnvironment.of(
            List.of(ip("192.0.2.53"), ip("192.0.2.53"), ip("::1")),
            List.of(
                "192.0.2.53/24", "2001:db8:1::53/64", "198.51.100.7", "::ffff:203.0.113.0/120"));
    // Duplicates removed, host bits of networks cleared, mapped networks stay IPv6.
    assertEquals(List.of("192.0.2.53/32", "::1/128"), env.localhost());
    assertEquals(
        List.of("192.0.2.0/24", "2001:db8:1::/64", "198.51.100.7/32", "::ffff:cb00:7100/120"),
        env.localnets());
    assertEquals(
        env,
        AclEnvironment.of(
            List.of(ip("192.0.2.53"), ip("::1")),
            List.of("192.0.2.0/24", "2001:db8:1::/64", "198.51.100.7/32", "::ffff:cb00:7100/120")));
  }

  static Stream<Arguments> badNetworks() {
    return Stream.of(
        Arguments.of(
            "192.0.2.0/33", "localnets network '192.0.2.0/33': prefix length 33 out of range 0-32"),
        Arguments.of("10/8", "localnets network '10/8': bad IPv4 address: expected four parts"),
        Arguments.of("any", "localnets network 'any': bad IPv4 address: expected four parts"),
        Arguments.of(
            "2001:db8::/", "localnets network '2001:db8::/': missing prefix length after '/'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNetworks")
  void rejectsBadNetworks(String network, String message) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> AclEnvironment.of(List.of(), List.of(network)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void emptyEnvironmentMatchesNothing() throws AclException {
    AddressMatchList list =
        AddressMatchList.compile(
            List.of("localhost", "localnets"), Map.of(), AclEnvironment.empty());
    assertFalse(list.evaluate(MatchContext.of(ip("127.0.0.1"))).matched());
    assertFalse(list.evaluate(MatchContext.of(ip("::1"))).matched());
  }

  @Test
  void thisHostIsScannedOnceAndHoldsItsInterfaces() throws Exception {
    AclEnvironment env = AclEnvironment.ofThisHost();
    assertSame(env, AclEnvironment.ofThisHost());
    AddressMatchList localhost = AddressMatchList.compile(List.of("localhost"), Map.of(), env);
    AddressMatchList localnets = AddressMatchList.compile(List.of("localnets"), Map.of(), env);
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp()) {
        continue;
      }
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        assertTrue(localhost.allows(a), "localhost must match " + a);
        assertTrue(localnets.allows(a), "localnets must match " + a);
      }
    }
  }
}
