package dev.vxdns.acl;

import java.net.InetAddress;

/**
 * An IPv4 or IPv6 prefix with its host bits cleared.
 *
 * <p>Both families use the same 128-bit key layout, most significant bit first, so one trie
 * implementation serves both: an IPv6 address is {@code hi:lo}; an IPv4 address sits in the top 32
 * bits of {@code hi} and the rest is zero. The family is kept separately, because BIND keeps the
 * families apart: {@code 0.0.0.0/0} never matches an IPv6 client and {@code ::/0} never matches an
 * IPv4 one.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) stay IPv6, in elements and in clients
 * alike, as BIND 9.20 does by default ({@code match-mapped-addresses no}; BIND never rewrites an
 * element): a mapped client matches {@code ::ffff:192.0.2.0/120} or {@code ::/0}, not {@code
 * 192.0.2.0/24}. The ACL equivalence test against named checks this.
 */
final class IpPrefix {
  static final int IPV4 = 4;
  static final int IPV6 = 6;

  /** 0.0.0.0/0 and ::/0: BIND's "any" is both. */
  static final IpPrefix ALL_V4 = new IpPrefix(IPV4, 0, 0, 0);

  static final IpPrefix ALL_V6 = new IpPrefix(IPV6, 0, 0, 0);

  final int family;
  final long hi;
  final long lo;
  final int length;

  private IpPrefix(int family, long hi, long lo, int length) {
    this.family = family;
    this.hi = hi;
    this.lo = lo;
    this.length = length;
  }

  /** A host prefix (/32 or /128) for an address. */
  static IpPrefix host(InetAddress address) {
    return fromBytes(address.getAddress(), -1);
  }

  /**
   * The network of an address, host bits cleared (interface notation, as {@code 192.0.2.7/24}).
   * Out-of-range lengths (some platforms report nonsense) are clamped to the host length.
   */
  static IpPrefix network(InetAddress address, int length) {
    return fromBytes(address.getAddress(), length).masked();
  }

  /** A prefix from address bytes (4 or 16) and a length counted in that family (-1: host). */
  static IpPrefix fromBytes(byte[] b, int length) {
    if (b.length == 4) {
      int max = 32;
      return new IpPrefix(IPV4, v4Key(b, 0), 0, length < 0 || length > max ? max : length);
    }
    long hi = bytesToLong(b, 0);
    long lo = bytesToLong(b, 8);
    int len = length < 0 || length > 128 ? 128 : length;
    return new IpPrefix(IPV6, hi, lo, len);
  }

  static long v4Key(byte[] b, int offset) {
    long v =
        ((b[offset] & 0xffL) << 24)
            | ((b[offset + 1] & 0xffL) << 16)
            | ((b[offset + 2] & 0xffL) << 8)
            | (b[offset + 3] & 0xffL);
    return v << 32;
  }

  static long bytesToLong(byte[] b, int offset) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[offset + i] & 0xffL);
    }
    return v;
  }

  /** The mask covering the first {@code n} bits of a 64-bit half (0 &lt;= n &lt;= 64). */
  static long mask(int n) {
    // Java masks shift distances to 6 bits, so -1L << 64 would be -1L, not 0.
    return n == 0 ? 0L : -1L << (64 - n);
  }

  IpPrefix masked() {
    long mhi = length >= 64 ? hi : hi & mask(length);
    long mlo = length >= 64 ? lo & mask(length - 64) : 0;
    return new IpPrefix(family, mhi, mlo, length);
  }

  private boolean hostBitsSet() {
    IpPrefix m = masked();
    return m.hi != hi || m.lo != lo;
  }

  /** Whether this prefix contains the address {@code hi:lo} of the same family. */
  boolean contains(long ahi, long alo) {
    if (length <= 64) {
      return ((ahi ^ hi) & mask(length)) == 0;
    }
    return ahi == hi && ((alo ^ lo) & mask(length - 64)) == 0;
  }

  // ---------------------------------------------------------------- parsing

  /** Whether an element's text (negation removed) is written as an address rather than a name. */
  static boolean looksLikeAddress(String s) {
    if (s.indexOf(':') >= 0 || s.indexOf('/') >= 0) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '.') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses {@code ADDRESS} or {@code ADDRESS/LENGTH}, including BIND's IPv4 short forms ({@code
   * 10/8}, {@code 172.16/12}), which need an explicit length (BIND: "incomplete IPv4 address or
   * prefix"). A bare address is a host prefix. Host bits must be clear, as in BIND.
   */
  static IpPrefix parse(String text) throws InvalidSyntax {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    if (addr.isEmpty()) {
      throw new InvalidSyntax("missing address before '/'");
    }
    Integer length = null;
    if (slash >= 0) {
      length = parseLength(text.substring(slash + 1));
    }
    IpPrefix p;
    if (addr.indexOf(':') >= 0) {
      p = parseV6(addr, length);
    } else {
      p = parseV4(addr, length);
    }
    if (p.hostBitsSet()) {
      throw new InvalidSyntax("host bits set (did you mean " + p.masked() + "?)");
    }
    return p;
  }

  /** A complete IPv4 or IPv6 address literal (no short forms, no length): 4 or 16 bytes. */
  static byte[] parseAddress(String addr) throws InvalidSyntax {
    if (addr.indexOf(':') >= 0) {
      return parseV6Bytes(addr);
    }
    String[] parts = addr.split("\\.", -1);
    if (parts.length != 4) {
      throw new InvalidSyntax("bad IPv4 address: expected four parts");
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) parseOctet(parts[i]);
    }
    return b;
  }

  static int parseLength(String s) throws InvalidSyntax {
    if (s.isEmpty()) {
      throw new InvalidSyntax("missing prefix length after '/'");
    }
    if (s.length() > 3 || !allDigits(s)) {
      throw new InvalidSyntax("bad prefix length '" + s + "'");
    }
    return Integer.parseInt(s);
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static IpPrefix parseV4(String addr, Integer length) throws InvalidSyntax {
    String[] parts = addr.split("\\.", -1);
    if (parts.length > 4) {
      throw new InvalidSyntax("bad IPv4 address: more than four parts");
    }
    long key = 0;
    for (int i = 0; i < parts.length; i++) {
      key |= (long) parseOctet(parts[i]) << (56 - 8 * i);
    }
    if (parts.length < 4 && length == null) {
      throw new InvalidSyntax(
          "incomplete IPv4 address (a short form needs a prefix length, e.g. 10/8)");
    }
    int len = length == null ? 32 : length;
    if (len > 32) {
      throw new InvalidSyntax("prefix length " + len + " out of range 0-32");
    }
    return fromV4(key, len);
  }

  private static IpPrefix fromV4(long key, int len) {
    return new IpPrefix(IPV4, key, 0, len);
  }

  private static int parseOctet(String s) throws InvalidSyntax {
    // Decimal only, no leading zeros: inet_pton's rule, and it avoids the octal ambiguity of "010".
    if (s.isEmpty() || s.length() > 3 || !allDigits(s) || (s.length() > 1 && s.charAt(0) == '0')) {
      throw new InvalidSyntax("bad IPv4 address: bad octet '" + s + "'");
    }
    int v = Integer.parseInt(s);
    if (v > 255) {
      throw new InvalidSyntax("bad IPv4 address: octet " + v + " out of range 0-255");
    }
    return v;
  }

  private static IpPrefix parseV6(String addr, Integer length) throws InvalidSyntax {
    byte[] b = parseV6Bytes(addr);
    int len = length == null ? 128 : length;
    if (len > 128) {
      throw new InvalidSyntax("prefix length " + len + " out of range 0-128");
    }
    return fromBytes(b, len);
  }

  /** RFC 4291 section 2.2 text forms: eight groups, one "::", an optional dotted IPv4 tail. */
  private static byte[] parseV6Bytes(String s) throws InvalidSyntax {
    if (s.indexOf('%') >= 0) {
      throw new InvalidSyntax("bad IPv6 address: zone indexes (%) are not allowed");
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      throw new InvalidSyntax("bad IPv6 address: more than one '::'");
    }
    int[] head = gap < 0 ? parseGroups(s, true) : parseGroups(s.substring(0, gap), false);
    int[] tail = gap < 0 ? new int[0] : parseGroups(s.substring(gap + 2), true);
    int total = head.length + tail.length;
    if (gap < 0 ? total != 8 : total > 7) {
      throw new InvalidSyntax("bad IPv6 address: wrong number of groups");
    }
    byte[] b = new byte[16];
    for (int i = 0; i < head.length; i++) {
      b[2 * i] = (byte) (head[i] >>> 8);
      b[2 * i + 1] = (byte) head[i];
    }
    for (int i = 0; i < tail.length; i++) {
      int g = 8 - tail.length + i;
      b[2 * g] = (byte) (tail[i] >>> 8);
      b[2 * g + 1] = (byte) tail[i];
    }
    return b;
  }

  /**
   * Groups separated by ':'; the last may be a dotted IPv4 address if {@code last} (two groups).
   */
  private static int[] parseGroups(String s, boolean last) throws InvalidSyntax {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int n = parts.length;
    boolean dotted = last && parts[n - 1].indexOf('.') >= 0;
    int[] groups = new int[dotted ? n + 1 : n];
    for (int i = 0; i < (dotted ? n - 1 : n); i++) {
      groups[i] = parseHexGroup(parts[i]);
    }
    if (dotted) {
      String[] octets = parts[n - 1].split("\\.", -1);
      if (octets.length != 4) {
        throw new InvalidSyntax(
            "bad IPv6 address: bad embedded IPv4 address '" + parts[n - 1] + "'");
      }
      int[] o = new int[4];
      for (int i = 0; i < 4; i++) {
        o[i] = parseOctet(octets[i]);
      }
      groups[n - 1] = (o[0] << 8) | o[1];
      groups[n] = (o[2] << 8) | o[3];
    }
    return groups;
  }

  private static int parseHexGroup(String s) throws InvalidSyntax {
    if (s.isEmpty() || s.length() > 4) {
      throw new InvalidSyntax("bad IPv6 address: bad group '" + s + "'");
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      int d = Character.digit(s.charAt(i), 16);
      // Character.digit accepts non-ASCII digits; the grammar does not.
      if (d < 0 || s.charAt(i) > 'f') {
        throw new InvalidSyntax("bad IPv6 address: bad group '" + s + "'");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  // ---------------------------------------------------------------- value

  /** Canonical text: dotted quad for IPv4, RFC 5952 for IPv6, always with the length. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (family == IPV4) {
      int v = (int) (hi >>> 32);
      sb.append((v >>> 24) & 0xff)
          .append('.')
          .append((v >>> 16) & 0xff)
          .append('.')
          .append((v >>> 8) & 0xff)
          .append('.')
          .append(v & 0xff);
    } else {
      appendV6(sb);
    }
    return sb.append('/').append(length).toString();
  }

  private void appendV6(StringBuilder sb) {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
      g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
    }
    // Longest run (at least two) of zero groups becomes "::" (RFC 5952 section 4.2).
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (i > 0 && i != bestStart + bestLen) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p
        && p.family == family
        && p.hi == hi
        && p.lo == lo
        && p.length == length;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(hi) * 31 + Long.hashCode(lo) * 7 + length * 2 + family;
  }
}
