package dev.vxdns.journal;

import dev.vxdns.zone.Zone;
import java.util.Locale;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** BIND's {@code max-journal-size} values (BIND 9.20 ARM, and bin/named/zoneconf.c). */
public final class JournalSizes {

  /**
   * {@code "default"}: the journal may grow to twice the size of the zone, which only the zone can
   * tell; {@link #limit} turns it into bytes.
   */
  public static final long DEFAULT = -1;

  /** The largest size BIND 9.20 accepts (INT32_MAX); {@code unlimited} also means this in BIND. */
  public static final long BIND_MAXIMUM = Integer.MAX_VALUE;

  /** BIND rounds smaller limits up to this (DNS_JOURNAL_SIZE_MIN). */
  public static final long MINIMUM = 4096;

  private JournalSizes() {}

  /**
   * Parses a {@code max-journal-size} value: {@code "unlimited"} ({@link Long#MAX_VALUE}), {@code
   * "default"} ({@link #DEFAULT}), or a number of bytes with an optional {@code k}, {@code m} or
   * {@code g} suffix (either case, powers of 1024). The keywords are case-insensitive. As in BIND,
   * a number above 2147483647 is refused and a number below 4096 becomes 4096.
   *
   * @throws IllegalArgumentException naming the value and what is accepted
   */
  public static long parse(String spec) {
    if (spec == null) {
      throw new IllegalArgumentException("max-journal-size: no value");
    }
    String text = spec.trim();
    if (text.equalsIgnoreCase("unlimited")) {
      return Long.MAX_VALUE;
    }
    if (text.equalsIgnoreCase("default")) {
      return DEFAULT;
    }
    long unit = 1;
    String digits = text;
    if (!text.isEmpty()) {
      switch (text.substring(text.length() - 1).toLowerCase(Locale.ROOT)) {
        case "k" -> unit = 1L << 10;
        case "m" -> unit = 1L << 20;
        case "g" -> unit = 1L << 30;
        default -> unit = 1;
      }
      if (unit != 1) {
        digits = text.substring(0, text.length() - 1);
      }
    }
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "max-journal-size '"
              + spec
              + "': expected \"unlimited\", \"default\" or a number of bytes with an optional"
              + " k, m or g suffix (e.g. 512k, 10m)");
    }
    long value;
    try {
      value = Math.multiplyExact(Long.parseLong(digits), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      value = Long.MAX_VALUE;
    }
    if (value > BIND_MAXIMUM) {
      throw new IllegalArgumentException(
          "max-journal-size '"
              + spec
              + "' is too large: at most "
              + BIND_MAXIMUM
              + " bytes (2g - 1), as in BIND; use \"unlimited\" for no limit");
    }
    return Math.max(value, MINIMUM);
  }

  /**
   * The byte limit for {@link ZoneJournal#open}: {@code parsed} itself, or for {@link #DEFAULT}
   * twice the zone's size (its records in uncompressed wire form, BIND measures its database), at
   * least {@link #MINIMUM} and at most {@link #BIND_MAXIMUM}.
   */
  public static long limit(long parsed, Zone zone) {
    if (parsed != DEFAULT) {
      return parsed;
    }
    long bytes = 0;
    for (Record record : zone.records()) {
      bytes += record.toWire(Section.ANSWER).length;
    }
    return Math.max(MINIMUM, Math.min(BIND_MAXIMUM, 2 * bytes));
  }
}
