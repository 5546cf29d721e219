package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ARM_ACLS;
import static dev.vxdns.acl.Fixtures.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code key NAME}: matches requests verified with that TSIG key or SIG(0) signer. */
class KeyElementTest {
  private static String decide(String list, String address, String key) throws Exception {
    MatchContext context = MatchContext.of(InetAddress.getByName(address));
    if (!key.isEmpty()) {
      context = context.withKey(key);
    }
    return compile(list, ARM_ACLS).evaluate(context).toString();
  }

  /** The ARM's own example, in full: allow-query { !{ !10/8; any; }; key example; }. */
  @ParameterizedTest(name = "{0} key ''{1}'' -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.1.2.3    | example.  | allowed by 'key example'",
        "10.1.2.3    | EXAMPLE   | allowed by 'key example'",
        "10.1.2.3    |           | no match",
        "10.1.2.3    | other.    | no match",
        "192.0.2.1   | example.  | denied by '!{ !10/8; any; }' -> 'any'",
      })
  void theArmsNestedExampleNeedsBothTheNetworkAndTheKey(String address, String key, String expected)
      throws Exception {
    assertEquals(
        expected,
        decide("[{'!': ['!10/8', 'any']}, 'key example']", address, key == null ? "" : key));
  }

  @Test
  void negatedKeysAndFirstMatch() throws Exception {
    assertEquals("denied by '!key bad.'", decide("['!key bad.', 'any']", "192.0.2.1", "bad."));
    assertEquals("allowed by 'any'", decide("['!key bad.', 'any']", "192.0.2.1", "good."));
    assertEquals(
        "allowed by '192.0.2.0/24'", decide("['192.0.2.0/24', 'key k.']", "192.0.2.1", "k."));
  }

  @Test
  void keyNeedsOneName() {
    AclException error =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(List.of("key"), Map.of(), AclEnvironment.empty()));
    assertTrue(error.getMessage().contains("needs one key name"), error.getMessage());
    assertThrows(
        AclException.class,
        () -> AddressMatchList.compile(List.of("key a b"), Map.of(), AclEnvironment.empty()));
  }
}
