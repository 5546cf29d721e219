package dev.vxdns.zone.text;

/** IPv4 and IPv6 addresses in the forms inet_pton accepts, or null. */
final class Addresses {

  private Addresses() {}

  static byte[] ipv4(String s) {
    return ipv4(s, 0, s.length());
  }

  /** The address written in {@code s[from, to)}, or null. */
  private static byte[] ipv4(String s, int from, int to) {
    byte[] address = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = from; i <= to; i++) {
      char c = i < to ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // no leading zeros, as inet_pton
        }
        value = (value < 0 ? 0 : value) * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        address[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? address : null;
  }

  /**
   * Read in one pass over the text, with no substring or split: a zone of a million records has a
   * hundred thousand of these, and split's code was a tenth of the compiler's time at load.
   */
  static byte[] ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] address = new byte[16];
    if (gap < 0) {
      return groups(s, 0, s.length(), address, 0, true) == 16 ? address : null;
    }
    int head = gap == 0 ? 0 : groups(s, 0, gap, address, 0, false);
    if (head < 0) {
      return null;
    }
    int end = gap + 2 == s.length() ? head : groups(s, gap + 2, s.length(), address, head, true);
    int tail = end - head;
    if (end < 0 || head + tail > 14) {
      return null;
    }
    // the tail was read just after the head: it belongs at the end, zeros between
    System.arraycopy(address, head, address, 16 - tail, tail);
    java.util.Arrays.fill(address, head, 16 - tail, (byte) 0);
    return address;
  }

  /**
   * The colon-separated groups of {@code s[from, to)} into {@code out} from {@code at} (the last
   * may be an IPv4 address when {@code ipv4Last}); where they end in {@code out}, or -1.
   */
  private static int groups(String s, int from, int to, byte[] out, int at, boolean ipv4Last) {
    int start = from;
    while (true) {
      int colon = s.indexOf(':', start);
      int end = colon < 0 || colon > to ? to : colon;
      if (ipv4Last && end == to && s.lastIndexOf('.', to - 1) >= start) {
        byte[] v4 = ipv4(s, start, to);
        if (v4 == null || at + 4 > 16) {
          return -1;
        }
        System.arraycopy(v4, 0, out, at, 4);
        return at + 4;
      }
      if (end == start || end - start > 4 || at + 2 > 16) {
        return -1;
      }
      int value = 0;
      for (int j = start; j < end; j++) {
        int d = Character.digit(s.charAt(j), 16);
        if (d < 0) {
          return -1;
        }
        value = value << 4 | d;
      }
      out[at++] = (byte) (value >> 8);
      out[at++] = (byte) value;
      if (end == to) {
        return at;
      }
      start = end + 1;
    }
  }
}
