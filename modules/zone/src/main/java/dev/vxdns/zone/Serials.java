package dev.vxdns.zone;

/** RFC 1982 serial number arithmetic for 32-bit SOA serials, as BIND's {@code isc_serial_*}. */
public final class Serials {
  private Serials() {}

  /**
   * Whether {@code candidate} is greater than {@code current}: the difference is in 1 .. 2^31-1.
   * Serials exactly 2^31 apart are not comparable and count as not newer, as BIND's {@code
   * isc_serial_gt}.
   */
  public static boolean isNewer(long candidate, long current) {
    long difference = (candidate - current) & 0xFFFFFFFFL;
    return difference != 0 && difference < 0x80000000L;
  }

  /** Whether {@code a} is the same serial as {@code b} or newer ({@code isc_serial_ge}). */
  public static boolean atLeast(long a, long b) {
    return a == b || isNewer(a, b);
  }
}
