package dev.vxdns.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random lists with every element kind (prefixes, built-ins, nested and negated nested lists, named
 * ACLs, negation everywhere), evaluated by the compiled structure and by a direct, naive
 * transcription of ARM 7.1 over the JSON. Covers the interplay the tables cannot enumerate: terms
 * before and after trie hits, several levels, shared named ACLs.
 */
class ReferenceModelTest {
  private static final String[] POOL = {
    "10.0.0.0/8",
    "10.1.0.0/16",
    "10.1.2.0/24",
    "10.1.2.3",
    "10.1.2.128/25",
    "10.2.0.0/15",
    "192.0.2.0/24",
    "192.0.2.0/25",
    "192.0.2.53",
    "0.0.0.0/0",
    "10.0.0.0/7",
    "2001:db8::/32",
    "2001:db8:1::/48",
    "2001:db8:1::53",
    "2001:db8:1::/64",
    "::/0",
    "2001:db8:0:1::/64",
  };
  private static final String[] BUILTINS = {"any", "none", "localhost", "localnets"};
  private static final String[] ADDRESSES = {
    "10.0.0.1",
    "10.1.0.1",
    "10.1.2.3",
    "10.1.2.4",
    "10.1.2.200",
    "10.2.3.4",
    "10.3.0.0",
    "11.0.0.1",
    "192.0.2.53",
    "192.0.2.1",
    "192.0.2.129",
    "127.0.0.1",
    "198.51.100.1",
    "2001:db8::1",
    "2001:db8:1::53",
    "2001:db8:1::54",
    "2001:db8:1:2::1",
    "2001:db8:0:1::9",
    "::1",
    "2001:db9::1",
  };

  private enum Result {
    ALLOW,
    DENY,
    NONE
  }

  @Test
  void compiledEqualsReference() throws Exception {
    Random rnd = new Random(71);
    Map<Result, Integer> seen = new java.util.EnumMap<>(Result.class);
    int decidedByIndirect = 0;
    for (int round = 0; round < 400; round++) {
      Map<String, List<?>> acls = new LinkedHashMap<>();
      int named = rnd.nextInt(4);
      for (int i = 0; i < named; i++) {
        // acl-i may only refer to acl-j, j < i: no cycles.
        acls.put("acl-" + i, randomList(rnd, 0, i));
      }
      List<?> list = randomList(rnd, 0, named);
      AddressMatchList compiled = AddressMatchList.compile(list, acls, Fixtures.ENV);
      for (String a : ADDRESSES) {
        InetAddress address = Fixtures.ip(a);
        int[] decidingIndex = new int[1];
        Result expected = evalList(list, acls, address, decidingIndex);
        AclDecision d = compiled.evaluate(MatchContext.of(address));
        Result actual = d.allowed() ? Result.ALLOW : d.matched() ? Result.DENY : Result.NONE;
        String where = Texts.describe(list) + " " + acls + " from " + a;
        assertEquals(expected, actual, where);
        seen.merge(expected, 1, Integer::sum);
        if (d.path().size() > 1) {
          decidedByIndirect++;
        }
        if (expected != Result.NONE) {
          assertEquals(Texts.describe(list.get(decidingIndex[0])), d.element(), where);
        }
      }
    }
    // The generator must produce every outcome, and indirect elements must decide some of them.
    for (Result r : Result.values()) {
      assertTrue(seen.getOrDefault(r, 0) > 500, r + " seen " + seen.get(r) + " times");
    }
    assertTrue(decidedByIndirect > 500, "indirect decisions: " + decidedByIndirect);
  }

  private static List<Object> randomList(Random rnd, int depth, int namedCount) {
    int n = rnd.nextInt(depth == 0 ? 7 : 4);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int kind = rnd.nextInt(10);
      String neg = rnd.nextInt(3) == 0 ? "!" : "";
      if (kind < 5) {
        out.add(neg + POOL[rnd.nextInt(POOL.length)]);
      } else if (kind < 7) {
        out.add(neg + BUILTINS[rnd.nextInt(BUILTINS.length)]);
      } else if (kind < 9 && depth < 3) {
        List<Object> nested = randomList(rnd, depth + 1, namedCount);
        out.add(neg.isEmpty() ? nested : Map.of("!", nested));
      } else if (namedCount > 0) {
        out.add(neg + "acl-" + rnd.nextInt(namedCount));
      }
    }
    return out;
  }

  // ---- The reference: ARM 7.1 read literally. Nothing shared with the compiler. ----

  private static Result evalList(
      List<?> list, Map<String, List<?>> acls, InetAddress a, int[] decidingIndex) {
    for (int i = 0; i < list.size(); i++) {
      Result r = evalElement(list.get(i), acls, a);
      if (r != Result.NONE) {
        decidingIndex[0] = i;
        return r;
      }
    }
    return Result.NONE;
  }

  private static Result evalElement(Object e, Map<String, List<?>> acls, InetAddress a) {
    if (e instanceof List<?> nested) {
      // A nested list matches when it allows; its deny or no match lets the outer list continue.
      return evalList(nested, acls, a, new int[1]) == Result.ALLOW ? Result.ALLOW : Result.NONE;
    }
    if (e instanceof Map<?, ?> m) {
      return evalList((List<?>) m.get("!"), acls, a, new int[1]) == Result.ALLOW
          ? Result.DENY
          : Result.NONE;
    }
    String s = (String) e;
    boolean negated = s.startsWith("!");
    String body = negated ? s.substring(1) : s;
    boolean matches;
    boolean positive = !negated;
    switch (body) {
      case "any" -> matches = true;
      case "none" -> {
        matches = true;
        positive = negated;
      }
      case "localhost" ->
          matches = anyContains(List.of("127.0.0.1", "::1", "192.0.2.53", "2001:db8:1::53"), a);
      case "localnets" ->
          matches =
              anyContains(List.of("127.0.0.0/8", "::1", "192.0.2.0/24", "2001:db8:1::/64"), a);
      default -> {
        if (body.startsWith("acl-")) {
          matches = evalList(acls.get(body), acls, a, new int[1]) == Result.ALLOW;
        } else {
          matches = contains(body, a);
        }
      }
    }
    if (!matches) {
      return Result.NONE;
    }
    return positive ? Result.ALLOW : Result.DENY;
  }

  private static boolean anyContains(List<String> prefixes, InetAddress a) {
    return prefixes.stream().anyMatch(p -> contains(p, a));
  }

  private static boolean contains(String prefix, InetAddress a) {
    String[] parts = prefix.split("/");
    InetAddress net = Fixtures.ip(parts[0]);
    if ((net instanceof Inet4Address) != (a instanceof Inet4Address)) {
      return false;
    }
    int bits = net instanceof Inet4Address ? 32 : 128;
    int length = parts.length == 1 ? bits : Integer.parseInt(parts[1]);
    BigInteger x = new BigInteger(1, net.getAddress()).xor(new BigInteger(1, a.getAddress()));
    return x.shiftRight(bits - length).signum() == 0;
  }

  @Test
  void referenceSanity() throws UnknownHostException {
    assertTrue(contains("10.0.0.0/8", Fixtures.ip("10.9.9.9")));
    assertTrue(!contains("10.0.0.0/8", Fixtures.ip("11.0.0.0")));
    assertTrue(contains("::/0", Inet6Address.getByName("2001:db8::1")));
    assertTrue(!contains("::/0", Fixtures.ip("10.0.0.1")));
  }
}
