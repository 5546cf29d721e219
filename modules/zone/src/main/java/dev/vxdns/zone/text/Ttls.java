package dev.vxdns.zone.text;

/** TTLs and SOA timers as BIND's {@code bind_ttl}: seconds, or numbers with w, d, h, m, s. */
final class Ttls {

  private Ttls() {}

  /** The value, or -1 when the text is not a TTL (or above 2^32-1). */
  static long parse(String s) {
    if (s.isEmpty() || s.length() > 63) {
      return -1;
    }
    long total = 0;
    int i = 0;
    do {
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start || i - start > 10) {
        return -1;
      }
      long n = Long.parseLong(s.substring(start, i));
      if (n > 0xffffffffL) {
        return -1;
      }
      if (i == s.length()) {
        if (total != 0) {
          return -1;
        }
        total = n;
        break;
      }
      long unit =
          switch (Character.toLowerCase(s.charAt(i))) {
            case 'w' -> 7 * 24 * 3600;
            case 'd' -> 24 * 3600;
            case 'h' -> 3600;
            case 'm' -> 60;
            case 's' -> 1;
            default -> -1;
          };
      if (unit < 0) {
        return -1;
      }
      total += n * unit;
      i++;
    } while (i < s.length());
    return total > 0xffffffffL ? -1 : total;
  }
}
