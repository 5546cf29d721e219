package dev.vxdns.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The first-match trie against a naive evaluator: 100k random prefixes (random order, random
 * negation, many overlaps), then thousands of addresses, each decided by both. The naive side uses
 * its own arithmetic on its own numbers; it only shares the list text with the compiled side, so
 * parsing and formatting are checked too.
 */
class TrieDifferentialTest {
  private static final int PREFIXES = 100_000;
  private static final int PROBES = 5_000;

  /** One generated element: key bits in hi:lo (IPv4 in the top 32 bits of hi), length, polarity. */
  private record Element(boolean v6, long hi, long lo, int length, boolean negated, String text) {
    boolean contains(boolean addrV6, long ahi, long alo) {
      if (addrV6 != v6) {
        return false;
      }
      // Bit by bit on purpose: independent of the masks the trie uses.
      for (int i = 0; i < length; i++) {
        long a = i < 64 ? (ahi >>> (63 - i)) & 1 : (alo >>> (127 - i)) & 1;
        long p = i < 64 ? (hi >>> (63 - i)) & 1 : (lo >>> (127 - i)) & 1;
        if (a != p) {
          return false;
        }
      }
      return true;
    }
  }

  @Test
  void ipv4() throws Exception {
    differential(new Random(4), false);
  }

  @Test
  void ipv6() throws Exception {
    differential(new Random(6), true);
  }

  @Test
  void mixedFamilies() throws Exception {
    differential(new Random(46), null);
  }

  private void differential(Random rnd, Boolean onlyV6) throws Exception {
    // A few "hot" regions so that prefixes overlap at many depths, plus uniform noise.
    long[][] regions = new long[16][2];
    for (long[] r : regions) {
      r[0] = rnd.nextLong();
      r[1] = rnd.nextLong();
    }
    List<Element> elements = new ArrayList<>(PREFIXES);
    List<String> texts = new ArrayList<>(PREFIXES);
    for (int i = 0; i < PREFIXES; i++) {
      boolean v6 = onlyV6 != null ? onlyV6 : rnd.nextBoolean();
      Element e = randomElement(rnd, v6, regions);
      elements.add(e);
      texts.add(e.text());
    }
    AddressMatchList list = AddressMatchList.compile(texts, Map.of(), AclEnvironment.empty());

    int matched = 0;
    for (int n = 0; n < PROBES; n++) {
      boolean v6 = onlyV6 != null ? onlyV6 : rnd.nextBoolean();
      long[] addr = randomAddress(rnd, v6, regions, elements);
      InetAddress ip = toInetAddress(v6, addr[0], addr[1]);
      Element first = null;
      for (Element e : elements) {
        if (e.contains(v6, addr[0], addr[1])) {
          first = e;
          break;
        }
      }
      AclDecision d = list.evaluate(MatchContext.of(ip));
      String expected =
          first == null
              ? "no match"
              : (first.negated() ? "denied by '" : "allowed by '") + first.text() + "'";
      assertEquals(expected, d.toString(), () -> "address " + ip.getHostAddress());
      if (first != null) {
        matched++;
      }
    }
    // The probes must exercise matches, not only misses.
    assertTrue(matched > PROBES / 2, "only " + matched + " probes matched");
    // Path compression keeps the trie linear: at most one glue node per prefix.
    int nodes =
        list.root().trie(IpPrefix.IPV4).nodeCount() + list.root().trie(IpPrefix.IPV6).nodeCount();
    assertTrue(nodes <= 2 * PREFIXES + 2, nodes + " nodes");
  }

  private static Element randomElement(Random rnd, boolean v6, long[][] regions) {
    int max = v6 ? 128 : 32;
    long hi;
    long lo;
    if (rnd.nextInt(4) == 0) {
      hi = rnd.nextLong();
      lo = rnd.nextLong();
    } else {
      // Inside a hot region: shared leading bits, random tail.
      long[] r = regions[rnd.nextInt(regions.length)];
      int shared = v6 ? 20 + rnd.nextInt(40) : 4 + rnd.nextInt(16);
      hi = (r[0] & mask(shared)) | (rnd.nextLong() & ~mask(shared));
      lo = rnd.nextLong();
    }
    int length = v6 ? 4 + rnd.nextInt(125) : 4 + rnd.nextInt(29);
    if (!v6) {
      hi &= 0xffffffff00000000L;
      lo = 0;
    }
    // Clear host bits.
    if (length < 64) {
      hi &= mask(length);
      lo = 0;
    } else {
      lo &= mask(length - 64);
    }
    boolean negated = rnd.nextInt(3) == 0;
    String text =
        (negated ? "!" : "")
            + format(v6, hi, lo)
            + (length == max && rnd.nextBoolean() ? "" : "/" + length);
    return new Element(v6, hi, lo, length, negated, text);
  }

  private static long[] randomAddress(
      Random rnd, boolean v6, long[][] regions, List<Element> elements) {
    long hi = rnd.nextLong();
    long lo = rnd.nextLong();
    int pick = rnd.nextInt(3);
    if (pick == 0) {
      // Inside some element of the family: copy its prefix bits.
      Element e;
      do {
        e = elements.get(rnd.nextInt(elements.size()));
      } while (e.v6() != v6);
      if (e.length() < 64) {
        hi = e.hi() | (hi & ~mask(e.length()));
      } else {
        hi = e.hi();
        lo = e.lo() | (lo & ~mask(e.length() - 64));
      }
    } else if (pick == 1) {
      long[] r = regions[rnd.nextInt(regions.length)];
      hi = (r[0] & mask(24)) | (hi & ~mask(24));
    }
    if (!v6) {
      hi &= 0xffffffff00000000L;
      lo = 0;
    }
    return new long[] {hi, lo};
  }

  private static long mask(int n) {
    return n == 0 ? 0 : -1L << (64 - n);
  }

  private static String format(boolean v6, long hi, long lo) throws RuntimeException {
    // The JDK's formatting, not ours.
    return toInetAddress(v6, hi, lo).getHostAddress();
  }

  private static InetAddress toInetAddress(boolean v6, long hi, long lo) {
    try {
      if (!v6) {
        return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt((int) (hi >>> 32)).array());
      }
      byte[] b = ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
      // Keep IPv6 (the JDK would turn a mapped address into IPv4); random bits are almost never
      // mapped anyway.
      return java.net.Inet6Address.getByAddress(null, b, -1);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
