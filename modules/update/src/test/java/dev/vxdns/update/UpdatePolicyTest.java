package dev.vxdns.update;

import static dev.vxdns.update.Updates.ORIGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Parsing update-policy rules as named-checkconf does, and matching them as ssu.c does. */
class UpdatePolicyTest {

  private static final InetAddress CLIENT = address("192.0.2.1");

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static UpdatePolicy policy(String... rules) {
    try {
      return UpdatePolicy.parse(List.of(rules), ORIGIN);
    } catch (UpdatePolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static UpdateIdentity key(String name) {
    return new UpdateIdentity(name, CLIENT, false);
  }

  private static Name n(String text) {
    return Name.fromConstantString(text);
  }

  private static String parseError(String rule) {
    return assertThrows(
            UpdatePolicyException.class, () -> UpdatePolicy.parse(List.of(rule), ORIGIN))
        .getMessage();
  }

  // --- parse errors ---

  @Test
  void unsupportedRuleTypesAndLocalAreRejectedByName() {
    assertEquals(
        "update-policy rule 'grant EXAMPLE.COM krb5-self . A': rule type 'krb5-self' is not"
            + " supported by vxdns",
        parseError("grant EXAMPLE.COM krb5-self . A"));
    assertEquals(
        "update-policy rule 'grant EXAMPLE.COM ms-subdomain hosts.example.com. A': rule type"
            + " 'ms-subdomain' is not supported by vxdns",
        parseError("grant EXAMPLE.COM ms-subdomain hosts.example.com. A"));
    assertEquals(
        "update-policy rule 'grant local:/run/ssu.sock external . A': rule type 'external' is"
            + " not supported by vxdns",
        parseError("grant local:/run/ssu.sock external . A"));
    assertEquals(
        "'local' is a policy of its own, not a rule: write \"update-policy\": \"local\"",
        parseError("local"));
    assertTrue(
        parseError("grant local-ddns. local example.test. ANY").contains("'local'"),
        "local is not a rule type to write");
  }

  /**
   * update-policy local (ssu.c's local match type): the session key may change anything in the
   * zone, SOA and NS included, but only from one of this host's addresses; another key, an unsigned
   * request and a name outside the zone are denied.
   */
  @Test
  void localGrantsTheSessionKeyTheZoneFromThisHostOnly() {
    UpdatePolicy local = UpdatePolicy.local(n("local-ddns."), ORIGIN);
    UpdateIdentity session = new UpdateIdentity("local-ddns.", address("127.0.0.1"), false, true);
    for (int type : new int[] {Type.A, Type.TXT, Type.NS, Type.SOA}) {
      assertTrue(local.allows(session, n("www.example.test."), type), Type.string(type));
      assertTrue(local.allows(session, ORIGIN, type), Type.string(type) + " at the apex");
    }
    assertFalse(local.allows(session, n("www.example.org."), Type.A), "outside the zone");
    UpdateIdentity elsewhere = new UpdateIdentity("local-ddns.", address("192.0.2.1"), true, false);
    assertFalse(local.allows(elsewhere, n("www.example.test."), Type.A), "not from this host");
    UpdateIdentity other = new UpdateIdentity("other-key.", address("127.0.0.1"), false, true);
    assertFalse(local.allows(other, n("www.example.test."), Type.A), "another key");
    UpdateIdentity unsigned = new UpdateIdentity(null, address("127.0.0.1"), true, true);
    assertFalse(local.allows(unsigned, n("www.example.test."), Type.A), "unsigned");
  }

  @Test
  void malformedRulesSayWhatIsWrong() {
    assertEquals(
        "update-policy rule 'allow k name a.example.test.': 'allow' is not grant or deny",
        parseError("allow k name a.example.test."));
    assertEquals("update-policy rule 'grant': missing identity", parseError("grant"));
    assertEquals("update-policy rule 'grant k': missing rule type", parseError("grant k"));
    assertEquals(
        "update-policy rule 'grant k nameish x.': 'nameish' is not a rule type (name, subdomain,"
            + " zonesub, wildcard, self, selfsub, selfwild, tcp-self, 6to4-self)",
        parseError("grant k nameish x."));
    assertEquals(
        "update-policy rule 'grant k subdomain': rule type 'subdomain' needs a name field",
        parseError("grant k subdomain"));
    assertEquals(
        "update-policy rule 'grant k subdomain A': missing name field: type 'A' found",
        parseError("grant k subdomain A"));
    assertEquals(
        "update-policy rule 'grant k wildcard host.example.test. A': 'host.example.test.' is not"
            + " a wildcard",
        parseError("grant k wildcard host.example.test. A"));
    assertEquals(
        "update-policy rule 'grant k self other. A': identity and name fields are not the same",
        parseError("grant k self other. A"));
    assertEquals(
        "update-policy rule 'grant * tcp-self example.test. PTR': name field not set to"
            + " placeholder value '.'",
        parseError("grant * tcp-self example.test. PTR"));
    assertEquals(
        "update-policy rule 'grant k zonesub example.test. A': 'example.test.' is not a valid"
            + " type",
        parseError("grant k zonesub example.test. A"));
    assertEquals(
        "update-policy rule 'grant k zonesub BOGUS': 'BOGUS' is not a valid type",
        parseError("grant k zonesub BOGUS"));
    assertEquals(
        "update-policy rule 'grant k zonesub PTR(70000)': '(70000)' is not a valid count",
        parseError("grant k zonesub PTR(70000)"));
    assertEquals(
        "update-policy rule 'grant k zonesub PTR(1x)': '(1x)' is not a valid count",
        parseError("grant k zonesub PTR(1x)"));
    assertEquals(
        "update-policy rule 'grant a..b zonesub A': 'a..b' is not a valid name",
        parseError("grant a..b zonesub A"));
  }

  @Test
  void parsesTheArmExamples() {
    UpdatePolicy policy =
        policy(
            "grant local-ddns zonesub any",
            "grant * tcp-self . PTR(1)",
            "grant EXAMPLE.COM. self EXAMPLE.COM. A AAAA;",
            "deny bad-key. name www.example.test.");
    assertEquals(4, policy.rules().size());
    UpdatePolicy.Rule zonesub = policy.rules().get(0);
    assertEquals(UpdatePolicy.RuleType.ZONESUB, zonesub.ruleType());
    assertEquals(ORIGIN, zonesub.name());
    assertEquals(n("local-ddns."), zonesub.identity());
    assertEquals(List.of(new UpdatePolicy.TypeLimit(Type.ANY, 0)), zonesub.types());
    assertEquals(1, policy.rules().get(1).max(Type.PTR));
    assertFalse(policy.rules().get(3).grant());
  }

  // --- matching, one rule type at a time ---

  @Test
  void nameMatchesExactlyThatName() {
    UpdatePolicy p = policy("grant k name host.example.test. A");
    assertTrue(p.allows(key("k"), n("host.example.test."), Type.A));
    assertFalse(p.allows(key("k"), n("sub.host.example.test."), Type.A));
    assertFalse(p.allows(key("k"), n("host.example.test."), Type.AAAA));
    assertFalse(p.allows(key("other"), n("host.example.test."), Type.A));
  }

  @Test
  void subdomainMatchesTheNameAndBelow() {
    UpdatePolicy p = policy("grant k. subdomain hosts.example.test. A");
    assertTrue(p.allows(key("k."), n("hosts.example.test."), Type.A));
    assertTrue(p.allows(key("k."), n("a.b.hosts.example.test."), Type.A));
    assertFalse(p.allows(key("k."), n("example.test."), Type.A));
  }

  @Test
  void zonesubMatchesTheWholeZone() {
    UpdatePolicy p = policy("grant k zonesub TXT");
    assertTrue(p.allows(key("k"), n("example.test."), Type.TXT));
    assertTrue(p.allows(key("k"), n("deep.in.example.test."), Type.TXT));
    assertFalse(p.allows(key("k"), n("example.org."), Type.TXT));
  }

  @Test
  void wildcardMatchesStrictlyBelowItsParent() {
    UpdatePolicy p = policy("grant k wildcard *.dyn.example.test. A");
    assertTrue(p.allows(key("k"), n("a.dyn.example.test."), Type.A));
    assertTrue(p.allows(key("k"), n("a.b.dyn.example.test."), Type.A));
    assertFalse(p.allows(key("k"), n("dyn.example.test."), Type.A));
  }

  @Test
  void selfMatchesTheKeysOwnNameAndAWildcardIdentityAnyKey() {
    UpdatePolicy p = policy("grant * self * A");
    assertTrue(p.allows(key("host.example.test."), n("host.example.test."), Type.A));
    assertFalse(p.allows(key("host.example.test."), n("other.example.test."), Type.A));
    assertFalse(p.allows(new UpdateIdentity(null, CLIENT, true), n("host.example.test."), Type.A));
    UpdatePolicy narrow = policy("grant *.example.test. self . A");
    assertTrue(narrow.allows(key("h.example.test."), n("h.example.test."), Type.A));
    assertFalse(narrow.allows(key("h.example.org."), n("h.example.org."), Type.A));
  }

  @Test
  void selfsubMatchesTheKeysNameAndBelow() {
    UpdatePolicy p = policy("grant * selfsub . A");
    assertTrue(p.allows(key("host.example.test."), n("host.example.test."), Type.A));
    assertTrue(p.allows(key("host.example.test."), n("x.host.example.test."), Type.A));
    assertFalse(p.allows(key("host.example.test."), n("example.test."), Type.A));
  }

  @Test
  void selfwildMatchesOnlyBelowTheKeysName() {
    UpdatePolicy p = policy("grant * selfwild . A");
    assertTrue(p.allows(key("host.example.test."), n("x.host.example.test."), Type.A));
    assertFalse(p.allows(key("host.example.test."), n("host.example.test."), Type.A));
  }

  @Test
  void tcpSelfMatchesTheClientsReverseNameOverTcpOnly() {
    UpdatePolicy p = policy("grant * tcp-self . PTR(1)");
    Name reverse = n("1.2.0.192.in-addr.arpa.");
    assertTrue(p.allows(new UpdateIdentity(null, CLIENT, true), reverse, Type.PTR));
    assertFalse(p.allows(new UpdateIdentity(null, CLIENT, false), reverse, Type.PTR));
    assertFalse(
        p.allows(new UpdateIdentity(null, CLIENT, true), n("2.2.0.192.in-addr.arpa."), Type.PTR));
    InetAddress v6 = address("2001:db8::1");
    Name v6reverse = n("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
    assertTrue(p.allows(new UpdateIdentity(null, v6, true), v6reverse, Type.PTR));
    UpdatePolicy onlyNet = policy("grant *.2.0.192.in-addr.arpa. tcp-self . PTR");
    assertTrue(onlyNet.allows(new UpdateIdentity(null, CLIENT, true), reverse, Type.PTR));
    assertFalse(
        onlyNet.allows(
            new UpdateIdentity(null, address("198.51.100.1"), true),
            n("1.100.51.198.in-addr.arpa."),
            Type.PTR));
  }

  @Test
  void sixToFourSelfMatchesThe6to4PrefixOfTheClient() {
    UpdatePolicy p = policy("grant * 6to4-self . NS DNAME");
    Name prefix = n("1.0.2.0.0.0.0.c.2.0.0.2.ip6.arpa.");
    assertTrue(p.allows(new UpdateIdentity(null, CLIENT, true), prefix, Type.NS));
    assertTrue(
        p.allows(new UpdateIdentity(null, address("2002:c000:201::1"), true), prefix, Type.NS));
    assertFalse(p.allows(new UpdateIdentity(null, CLIENT, false), prefix, Type.NS));
    Name slash48 = n("c.0.d.e.8.b.d.0.1.0.0.2.ip6.arpa.");
    assertTrue(
        p.allows(new UpdateIdentity(null, address("2001:db8:ed0c::5"), true), slash48, Type.NS));
  }

  // --- types, order and maximums ---

  @Test
  void noTypesMeansEverythingButNsSoaAndRrsigWhileAnyMeansEverything() {
    UpdatePolicy plain = policy("grant k zonesub");
    assertTrue(plain.allows(key("k"), ORIGIN, Type.MX));
    assertFalse(plain.allows(key("k"), ORIGIN, Type.NS));
    assertFalse(plain.allows(key("k"), ORIGIN, Type.SOA));
    assertFalse(plain.allows(key("k"), ORIGIN, Type.RRSIG));
    UpdatePolicy any = policy("grant k zonesub ANY");
    assertTrue(any.allows(key("k"), ORIGIN, Type.NS));
    assertTrue(any.allows(key("k"), ORIGIN, Type.SOA));
  }

  @Test
  void theFirstMatchingRuleDecidesAndNoMatchDenies() {
    UpdatePolicy p =
        policy(
            "deny k name locked.example.test. ANY",
            "grant k zonesub ANY",
            "grant other zonesub ANY");
    assertFalse(p.allows(key("k"), n("locked.example.test."), Type.A));
    assertTrue(p.allows(key("k"), n("open.example.test."), Type.A));
    assertNull(p.decidingRule(key("nobody"), n("open.example.test."), Type.A));
    assertFalse(p.allows(key("nobody"), n("open.example.test."), Type.A));
    assertFalse(p.allows(new UpdateIdentity(null, null, true), n("open.example.test."), Type.A));
  }

  @Test
  void typesAndKeywordsAreCaseInsensitiveAndAnEmptyPolicyDeniesAll() {
    UpdatePolicy.Rule rule = policy("GRANT K. ZoneSub ptr(1) any").rules().get(0);
    assertEquals(
        List.of(new UpdatePolicy.TypeLimit(Type.PTR, 1), new UpdatePolicy.TypeLimit(Type.ANY, 0)),
        rule.types());
    assertTrue(policy("GRANT K. ZoneSub ptr(1) any").allows(key("k."), ORIGIN, Type.TXT));
    assertFalse(policy().allows(key("k."), ORIGIN, Type.TXT));
  }

  @Test
  void maxIsTheTypesOwnEntryElseAnys() {
    UpdatePolicy.Rule rule = policy("grant k zonesub A PTR(1) ANY(2)").rules().get(0);
    assertEquals(0, rule.max(Type.A));
    assertEquals(1, rule.max(Type.PTR));
    assertEquals(2, rule.max(Type.TXT));
    assertEquals(0, policy("grant k zonesub A").rules().get(0).max(Type.A));
  }
}
