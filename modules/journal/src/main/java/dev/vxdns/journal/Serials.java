package dev.vxdns.journal;

/** RFC 1982 serial number arithmetic for 32-bit SOA serials. */
public final class Serials {

  private static final long HALF = 1L << 31;

  private Serials() {}

  /**
   * Whether {@code a} is at or before {@code b}. Two serials exactly 2^31 apart are unordered (RFC
   * 1982 §3.2), so neither is before the other.
   */
  public static boolean atOrBefore(long a, long b) {
    if (a == b) {
      return true;
    }
    return (a < b && b - a < HALF) || (a > b && a - b > HALF);
  }
}
