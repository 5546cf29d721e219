package dev.vxdns.acl;

import java.util.Arrays;

/**
 * A path-compressed binary trie over the prefixes of one address family that answers "which is the
 * FIRST element, in list order, whose prefix contains this address" — BIND's first-match rule, not
 * longest-prefix match.
 *
 * <p>Every prefix an element contributes is stored with the element's index in its list and the
 * element's decision. Each node also stores {@code best}: of the entries on the path from the root
 * to that node (inclusive), the one with the smallest element index. A lookup walks down the path
 * the address selects and returns {@code best} of the deepest node whose prefix contains the
 * address: one walk of at most 33 or 129 nodes, however many prefixes the list has.
 *
 * <p>The frozen trie keeps each node in one 32-byte record of a single {@code long[]} (key high,
 * key low, both children, length and best), so a step down the trie costs one cache miss rather
 * than one per field. Immutable once built; {@link Builder} is not thread-safe.
 */
final class PrefixTrie {
  private static final int NONE = -1;

  /**
   * Longs per node: KEY_HI, KEY_LO, CHILDREN (child0 low 32 bits, child1 high), META (length low
   * 32, best high).
   */
  private static final int STRIDE = 4;

  private static final int KEY_HI = 0;
  private static final int KEY_LO = 1;
  private static final int CHILDREN = 2;
  private static final int META = 3;

  private final long[] nodes;
  // Entry arrays, indexed by entry.
  private final int[] entryIndex;
  private final AclDecision[] entryDecision;

  private PrefixTrie(Builder b) {
    this.entryIndex = Arrays.copyOf(b.entryIndex, b.entries);
    this.entryDecision = Arrays.copyOf(b.entryDecision, b.entries);
    int[] best = computeBest(b);
    this.nodes = new long[b.nodes * STRIDE];
    for (int n = 0; n < b.nodes; n++) {
      int base = n * STRIDE;
      nodes[base + KEY_HI] = b.keyHi[n];
      nodes[base + KEY_LO] = b.keyLo[n];
      nodes[base + CHILDREN] = pack(b.child0[n], b.child1[n]);
      nodes[base + META] = pack(b.length[n], best[n]);
    }
  }

  private static long pack(int low, int high) {
    return ((long) high << 32) | (low & 0xffffffffL);
  }

  /** Computes {@code best} top-down; parents always precede children in a pre-order walk. */
  private int[] computeBest(Builder b) {
    int[] best = new int[b.nodes];
    // Lengths strictly increase downwards, so depth <= 129 and at most one pending sibling per
    // level.
    int[] stack = new int[2 * 130];
    int sp = 0;
    best[0] = b.entry[0];
    stack[sp++] = 0;
    while (sp > 0) {
      int node = stack[--sp];
      int c0 = b.child0[node];
      int c1 = b.child1[node];
      if (c0 != NONE) {
        best[c0] = first(best[node], b.entry[c0]);
        stack[sp++] = c0;
      }
      if (c1 != NONE) {
        best[c1] = first(best[node], b.entry[c1]);
        stack[sp++] = c1;
      }
    }
    return best;
  }

  private int first(int a, int b) {
    if (a == NONE) {
      return b;
    }
    if (b == NONE) {
      return a;
    }
    return entryIndex[b] < entryIndex[a] ? b : a;
  }

  /**
   * The entry of the first element containing the context's address, or -1 if none does. A trie of
   * at most a /0 (an empty list, {@code any}, {@code none}) answers without the address.
   */
  int lookup(MatchContext context) {
    if (nodes[CHILDREN] == pack(NONE, NONE)) {
      return (int) (nodes[META] >>> 32);
    }
    IpPrefix key = context.key();
    return lookup(key.hi, key.lo);
  }

  /** The entry of the first element containing {@code hi:lo}, or -1 if none does. */
  int lookup(long hi, long lo) {
    long[] t = nodes;
    int base = 0;
    int result = (int) (t[META] >>> 32);
    while (true) {
      int l = (int) t[base + META];
      // A full-length node (/32 in the IPv4 trie, /128) has no children, so the bit read
      // past the end there only ever selects NONE.
      long bit = l < 64 ? hi >>> (63 - l) : lo >>> (127 - l);
      long children = t[base + CHILDREN];
      int c = (bit & 1) == 0 ? (int) children : (int) (children >>> 32);
      if (c == NONE) {
        return result;
      }
      int cb = c * STRIDE;
      long meta = t[cb + META];
      int cl = (int) meta;
      long khi = t[cb + KEY_HI];
      boolean inside =
          cl <= 64
              ? ((hi ^ khi) & IpPrefix.mask(cl)) == 0
              : hi == khi && ((lo ^ t[cb + KEY_LO]) & IpPrefix.mask(cl - 64)) == 0;
      if (!inside) {
        return result;
      }
      base = cb;
      result = (int) (meta >>> 32);
    }
  }

  /** The list index of an entry's element. */
  int elementIndex(int entry) {
    return entryIndex[entry];
  }

  /** The decision of an entry's element (prebuilt: a lookup allocates nothing). */
  AclDecision decision(int entry) {
    return entryDecision[entry];
  }

  /** Number of nodes, for tests that check the trie stays linear in the number of prefixes. */
  int nodeCount() {
    return nodes.length / STRIDE;
  }

  /** Collects prefixes; entries must be added in ascending element index (list order). */
  static final class Builder {
    private long[] keyHi = new long[16];
    private long[] keyLo = new long[16];
    private int[] length = new int[16];
    private int[] child0 = new int[16];
    private int[] child1 = new int[16];
    private int[] entry = new int[16];
    private int nodes;
    private int[] entryIndex = new int[8];
    private AclDecision[] entryDecision = new AclDecision[8];
    private int entries;

    Builder() {
      newNode(0, 0, 0);
    }

    /**
     * Adds {@code prefix} (host bits clear) for the element at {@code index}. If the prefix is
     * already present, the earlier element keeps it: a later duplicate can never match first.
     */
    void add(IpPrefix prefix, int index, AclDecision decision) {
      long hi = prefix.hi;
      long lo = prefix.lo;
      int len = prefix.length;
      int node = 0;
      while (true) {
        int nodeLen = length[node];
        if (nodeLen == len) {
          setEntry(node, index, decision);
          return;
        }
        int bit = bit(hi, lo, nodeLen);
        int c = childOf(node, bit);
        if (c == NONE) {
          int leaf = newNode(hi, lo, len);
          setEntry(leaf, index, decision);
          setChild(node, bit, leaf);
          return;
        }
        int common = commonLength(hi, lo, keyHi[c], keyLo[c], Math.min(len, length[c]));
        if (common == length[c]) {
          node = c;
          continue;
        }
        if (common == len) {
          // The new prefix is a proper prefix of the child's: it goes between them.
          int mid = newNode(hi, lo, len);
          setEntry(mid, index, decision);
          setChild(mid, bit(keyHi[c], keyLo[c], len), c);
          setChild(node, bit, mid);
          return;
        }
        // They diverge at bit 'common': a glue node without entry holds both.
        int glue = newNode(maskHi(hi, common), maskLo(lo, common), common);
        int leaf = newNode(hi, lo, len);
        setEntry(leaf, index, decision);
        setChild(glue, bit(hi, lo, common), leaf);
        setChild(glue, bit(keyHi[c], keyLo[c], common), c);
        setChild(node, bit, glue);
        return;
      }
    }

    PrefixTrie build() {
      return new PrefixTrie(this);
    }

    private static int bit(long hi, long lo, int position) {
      return (int) ((position < 64 ? hi >>> (63 - position) : lo >>> (127 - position)) & 1);
    }

    private static int commonLength(long ahi, long alo, long bhi, long blo, int limit) {
      long x = ahi ^ bhi;
      int common =
          x != 0 ? Long.numberOfLeadingZeros(x) : 64 + Long.numberOfLeadingZeros(alo ^ blo);
      return Math.min(common, limit);
    }

    private static long maskHi(long hi, int len) {
      return len >= 64 ? hi : hi & IpPrefix.mask(len);
    }

    private static long maskLo(long lo, int len) {
      return len <= 64 ? 0 : lo & IpPrefix.mask(len - 64);
    }

    private int childOf(int node, int bit) {
      return bit == 0 ? child0[node] : child1[node];
    }

    private void setChild(int node, int bit, int child) {
      if (bit == 0) {
        child0[node] = child;
      } else {
        child1[node] = child;
      }
    }

    private void setEntry(int node, int index, AclDecision decision) {
      if (entry[node] != NONE && entryIndex[entry[node]] <= index) {
        return;
      }
      if (entries == entryIndex.length) {
        entryIndex = Arrays.copyOf(entryIndex, entries * 2);
        entryDecision = Arrays.copyOf(entryDecision, entries * 2);
      }
      entryIndex[entries] = index;
      entryDecision[entries] = decision;
      entry[node] = entries++;
    }

    private int newNode(long hi, long lo, int len) {
      if (nodes == length.length) {
        int cap = nodes * 2;
        keyHi = Arrays.copyOf(keyHi, cap);
        keyLo = Arrays.copyOf(keyLo, cap);
        length = Arrays.copyOf(length, cap);
        child0 = Arrays.copyOf(child0, cap);
        child1 = Arrays.copyOf(child1, cap);
        entry = Arrays.copyOf(entry, cap);
      }
      keyHi[nodes] = hi;
      keyLo[nodes] = lo;
      length[nodes] = len;
      child0[nodes] = NONE;
      child1[nodes] = NONE;
      entry[nodes] = NONE;
      return nodes++;
    }
  }
}
