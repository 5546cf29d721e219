package dev.vxdns.update;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import org.xbill.DNS.Serial;

/**
 * BIND's {@code serial-update-method}: how the SOA serial moves after an update that changed the
 * zone without setting a higher serial itself (dns_update_soaserial).
 */
public enum SerialUpdateMethod {
  /** The serial plus one, RFC 1982 arithmetic; 0 is skipped. */
  INCREMENT,
  /**
   * The current Unix time in seconds, unless that is not greater than the serial: then plus one.
   */
  UNIXTIME,
  /** Today as YYYYMMDD00, unless that is not greater than the serial: then plus one. */
  DATE;

  /**
   * @param configValue "increment", "unixtime" or "date" (any case, as BIND's enum)
   * @throws IllegalArgumentException for anything else
   */
  public static SerialUpdateMethod parse(String configValue) {
    if (configValue != null) {
      switch (configValue.toLowerCase(Locale.ROOT)) {
        case "increment":
          return INCREMENT;
        case "unixtime":
          return UNIXTIME;
        case "date":
          return DATE;
        default:
          break;
      }
    }
    throw new IllegalArgumentException(
        "serial-update-method '"
            + configValue
            + "' is not one of \"increment\", \"unixtime\" or \"date\"");
  }

  /** The next serial; DATE reads the date in this host's time zone, as named does (localtime). */
  public long next(long current, Instant now) {
    return next(current, now, ZoneId.systemDefault());
  }

  /** The next serial, with DATE reading the date in the given time zone. */
  public long next(long current, Instant now, ZoneId zone) {
    long serial = current & 0xFFFFFFFFL;
    long candidate;
    switch (this) {
      case UNIXTIME:
        // isc_stdtime_now() is a 32-bit count of seconds.
        candidate = now.getEpochSecond() & 0xFFFFFFFFL;
        break;
      case DATE:
        LocalDate day = LocalDate.ofInstant(now, zone);
        candidate =
            ((day.getYear() * 10000L + day.getMonthValue() * 100L + day.getDayOfMonth()) * 100L)
                & 0xFFFFFFFFL;
        break;
      case INCREMENT:
      default:
        return increment(serial);
    }
    if (candidate != 0 && Serial.compare(candidate, serial) > 0) {
      return candidate;
    }
    return increment(serial);
  }

  private static long increment(long serial) {
    long next = (serial + 1) & 0xFFFFFFFFL;
    return next == 0 ? 1 : next;
  }
}
