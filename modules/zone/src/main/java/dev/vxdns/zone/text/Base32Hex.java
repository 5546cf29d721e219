package dev.vxdns.zone.text;

/** RFC 4648 base32hex without padding, as NSEC3's next hashed owner name. */
final class Base32Hex {

  private Base32Hex() {}

  /** The octets, or null when the text is not base32hex. */
  static byte[] decode(String s) {
    int bits = 0;
    int buffer = 0;
    byte[] out = new byte[s.length() * 5 / 8];
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      int v = Character.digit(s.charAt(i), 32);
      if (v < 0) {
        return null;
      }
      buffer = buffer << 5 | v;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (byte) (buffer >> bits);
        buffer &= (1 << bits) - 1;
      }
    }
    // leftover bits must be zero and fewer than a full character's worth
    if (buffer != 0
        || !(s.length() % 8 == 0
            || s.length() % 8 == 2
            || s.length() % 8 == 4
            || s.length() % 8 == 5
            || s.length() % 8 == 7)) {
      return null;
    }
    return out;
  }
}
