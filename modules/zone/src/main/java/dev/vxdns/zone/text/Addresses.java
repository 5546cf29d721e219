package dev.vxdns.zone.text;

/** IPv4 and IPv6 addresses in the forms inet_pton accepts, or null. */
final class Addresses {

  private Addresses() {}

  static byte[] ipv4(String s) {
    byte[] address = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
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

  static byte[] ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    byte[] head = new byte[16];
    byte[] tail = new byte[16];
    int headLength;
    int tailLength = 0;
    if (gap < 0) {
      headLength = groups(s, head, true);
      return headLength == 16 ? head : null;
    }
    headLength = gap == 0 ? 0 : groups(s.substring(0, gap), head, false);
    String rest = s.substring(gap + 2);
    if (!rest.isEmpty()) {
      tailLength = groups(rest, tail, true);
    }
    if (headLength < 0 || tailLength < 0 || headLength + tailLength > 14) {
      return null;
    }
    byte[] address = new byte[16];
    System.arraycopy(head, 0, address, 0, headLength);
    System.arraycopy(tail, 0, address, 16 - tailLength, tailLength);
    return address;
  }

  /** Colon-separated groups into {@code out}; the octets written, or -1. */
  private static int groups(String s, byte[] out, boolean ipv4Last) {
    String[] parts = s.split(":", -1);
    int n = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (ipv4Last && i == parts.length - 1 && part.indexOf('.') >= 0) {
        byte[] v4 = ipv4(part);
        if (v4 == null || n + 4 > 16) {
          return -1;
        }
        System.arraycopy(v4, 0, out, n, 4);
        n += 4;
        continue;
      }
      if (part.isEmpty() || part.length() > 4 || n + 2 > 16) {
        return -1;
      }
      int value = 0;
      for (int j = 0; j < part.length(); j++) {
        int d = Character.digit(part.charAt(j), 16);
        if (d < 0) {
          return -1;
        }
        value = value << 4 | d;
      }
      out[n++] = (byte) (value >> 8);
      out[n++] = (byte) value;
    }
    return n;
  }
}
