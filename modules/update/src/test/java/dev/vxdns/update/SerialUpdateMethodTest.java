package dev.vxdns.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vxdns.zone.ZoneRules;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/** BIND's dns_update_soaserial for each serial-update-method. */
class SerialUpdateMethodTest {

  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final long NOW_SECONDS = NOW.getEpochSecond();

  @Test
  void parsesBindsThreeNames() {
    assertEquals(SerialUpdateMethod.INCREMENT, SerialUpdateMethod.parse("increment"));
    assertEquals(SerialUpdateMethod.UNIXTIME, SerialUpdateMethod.parse("unixtime"));
    assertEquals(SerialUpdateMethod.DATE, SerialUpdateMethod.parse("DATE"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SerialUpdateMethod.parse("weekly"));
    assertEquals(
        "serial-update-method 'weekly' is not one of \"increment\", \"unixtime\" or \"date\"",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SerialUpdateMethod.parse(null));
  }

  @Test
  void incrementAddsOneWrappingPastZero() {
    assertEquals(11, SerialUpdateMethod.INCREMENT.next(10, NOW));
    assertEquals(4294967295L, SerialUpdateMethod.INCREMENT.next(4294967294L, NOW));
    assertEquals(1, SerialUpdateMethod.INCREMENT.next(4294967295L, NOW), "0 is skipped");
  }

  @Test
  void unixtimeUsesTheClockUnlessTheSerialIsAlreadyAhead() {
    assertEquals(NOW_SECONDS, SerialUpdateMethod.UNIXTIME.next(10, NOW));
    assertEquals(NOW_SECONDS + 1, SerialUpdateMethod.UNIXTIME.next(NOW_SECONDS, NOW));
    assertEquals(NOW_SECONDS + 6, SerialUpdateMethod.UNIXTIME.next(NOW_SECONDS + 5, NOW));
    // RFC 1982 arithmetic: up to 2^31 - 1 above the clock (wrapping) is ahead, so it moves by one;
    // 2^31 + 1 above is really behind, so the clock wins.
    long ahead = (NOW_SECONDS + 0x7FFFFFFFL) & 0xFFFFFFFFL;
    assertEquals((ahead + 1) & 0xFFFFFFFFL, SerialUpdateMethod.UNIXTIME.next(ahead, NOW));
    long behind = (NOW_SECONDS + 0x80000001L) & 0xFFFFFFFFL;
    assertEquals(NOW_SECONDS, SerialUpdateMethod.UNIXTIME.next(behind, NOW));
  }

  @Test
  void dateIsTodayWithTwoDigitsUnlessTheSerialIsAlreadyAhead() {
    assertEquals(2026120300L, SerialUpdateMethod.DATE.next(10, NOW, ZoneOffset.UTC));
    assertEquals(2026120301L, SerialUpdateMethod.DATE.next(2026120300L, NOW, ZoneOffset.UTC));
    assertEquals(2026120400L, SerialUpdateMethod.DATE.next(2026120399L, NOW, ZoneOffset.UTC));
    assertEquals(2026120300L, SerialUpdateMethod.DATE.next(2026120299L, NOW, ZoneOffset.UTC));
    // The date is read in the given zone: 12:00 UTC is already the 4th in Auckland.
    assertEquals(
        2026120400L,
        SerialUpdateMethod.DATE.next(10, NOW, java.time.ZoneId.of("Pacific/Auckland")));
  }

  @Test
  void theUpdateUsesTheConfiguredMethod() {
    org.xbill.DNS.Update update = Updates.update();
    update.add(Updates.rr("new 300 A 192.0.2.99"));
    Message message = Updates.wire(update);
    UpdateResult result =
        DynamicUpdate.apply(
            Updates.base(),
            message,
            Updates.UNSIGNED_UDP,
            null,
            SerialUpdateMethod.UNIXTIME,
            ZoneRules.BIND_PRIMARY,
            NOW);
    assertEquals(Rcode.NOERROR, result.rcode());
    assertEquals(NOW_SECONDS, result.diff().toSerial());
  }
}
