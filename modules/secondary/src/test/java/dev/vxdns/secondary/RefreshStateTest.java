package dev.vxdns.secondary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

class RefreshStateTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static SOARecord soa(long refresh, long retry, long expire) throws Exception {
    Name origin = Name.fromString("example.test.");
    return new SOARecord(
        origin,
        DClass.IN,
        300,
        Name.fromString("ns.example.test."),
        Name.fromString("hostmaster.example.test."),
        1,
        refresh,
        retry,
        expire,
        300);
  }

  @Test
  void aNewZoneIsDueAndExpiredUntilATransferSucceeds() throws Exception {
    RefreshState state = RefreshState.initial(T0);
    assertTrue(state.isDue(T0));
    assertTrue(state.isExpired(T0));
    RefreshState ok = state.onSuccess(soa(3600, 600, 86400), T0);
    assertFalse(ok.isExpired(T0));
    assertFalse(ok.isDue(T0.plusSeconds(3599)));
    assertTrue(ok.isDue(T0.plusSeconds(3600)));
    assertEquals(Duration.ofSeconds(3600), ok.untilNextCheck(T0));
    assertFalse(ok.isExpired(T0.plusSeconds(86399)));
    assertTrue(ok.isExpired(T0.plusSeconds(86400)));
  }

  @Test
  void failuresRetryAfterRetryAndDoNotMoveTheExpiry() throws Exception {
    RefreshState ok = RefreshState.initial(T0).onSuccess(soa(3600, 600, 7200), T0);
    Instant t1 = T0.plusSeconds(3600);
    RefreshState failed = ok.onFailure(t1);
    assertEquals(t1.plusSeconds(600), failed.nextCheck());
    assertEquals(ok.expiresAt(), failed.expiresAt());
    RefreshState failedAgain = failed.onFailure(t1.plusSeconds(600));
    assertEquals(t1.plusSeconds(1200), failedAgain.nextCheck());
    assertTrue(failedAgain.isExpired(T0.plusSeconds(7200)));
    // A later success revives the zone for EXPIRE from then.
    RefreshState revived = failedAgain.onSuccess(soa(3600, 600, 7200), T0.plusSeconds(8000));
    assertFalse(revived.isExpired(T0.plusSeconds(8000)));
    assertEquals(T0.plusSeconds(8000 + 7200), revived.expiresAt());
  }

  @Test
  void withoutAnSoaRetriesBackOffFromOneMinuteToSixHours() {
    RefreshState state = RefreshState.initial(T0);
    Instant now = T0;
    long[] expected = {60, 120, 240, 480};
    for (long delay : expected) {
      state = state.onFailure(now);
      assertEquals(now.plusSeconds(delay), state.nextCheck());
      now = state.nextCheck();
    }
    for (int i = 0; i < 20; i++) {
      state = state.onFailure(now);
      now = state.nextCheck();
    }
    assertEquals(RefreshState.MAX_BACKOFF, state.retry());
    assertTrue(state.isExpired(now));
  }

  @Test
  void timersAreClampedAsBindDoes() throws Exception {
    RefreshState tiny = RefreshState.initial(T0).onSuccess(soa(1, 1, 1), T0);
    assertEquals(300, tiny.refresh());
    assertEquals(300, tiny.retry());
    assertEquals(600, tiny.expire(), "expire is at least refresh + retry");
    RefreshState huge =
        RefreshState.initial(T0).onSuccess(soa(99_999_999, 99_999_999, 99_999_999), T0);
    assertEquals(RefreshLimits.BIND.maxRefresh(), huge.refresh());
    assertEquals(RefreshLimits.BIND.maxRetry(), huge.retry());
    assertEquals(RefreshState.MAX_EXPIRE, huge.expire());
  }

  /** A zone's own min/max-refresh-time and min/max-retry-time replace BIND's defaults. */
  @Test
  void timersAreClampedToTheZonesOwnLimits() throws Exception {
    RefreshLimits limits = new RefreshLimits(2, 60, 1, 30);
    RefreshState tiny = RefreshState.initial(T0, limits).onSuccess(soa(1, 1, 1), T0);
    assertEquals(2, tiny.refresh());
    assertEquals(1, tiny.retry());
    assertEquals(T0.plusSeconds(2), tiny.nextCheck());
    assertEquals(T0.plusSeconds(3), tiny.onFailure(T0.plusSeconds(2)).nextCheck());
    RefreshState loaded = RefreshState.loaded(soa(3600, 600, 86400), T0, T0, limits);
    assertEquals(60, loaded.refresh());
    assertEquals(30, loaded.retry());
    assertEquals(T0.plusSeconds(60), loaded.onSuccess(soa(3600, 600, 86400), T0).nextCheck());
    assertThrows(IllegalArgumentException.class, () -> new RefreshLimits(60, 59, 1, 30));
    assertThrows(IllegalArgumentException.class, () -> new RefreshLimits(0, 60, 1, 30));
  }

  @Test
  void notifyMakesTheCheckDueNowButNeverLater() throws Exception {
    RefreshState ok = RefreshState.initial(T0).onSuccess(soa(3600, 600, 86400), T0);
    Instant t = T0.plusSeconds(10);
    assertFalse(ok.isDue(t));
    RefreshState notified = ok.onNotify(t);
    assertTrue(notified.isDue(t));
    assertEquals(ok.expiresAt(), notified.expiresAt());
    RefreshState overdue = ok.onFailure(T0); // due at T0 + 600
    assertEquals(overdue.nextCheck(), overdue.onNotify(T0.plusSeconds(900)).nextCheck());
  }

  @Test
  void anUpToDateAnswerNeverShortensTheExpiry() throws Exception {
    RefreshState longExpiry = RefreshState.initial(T0).onSuccess(soa(3600, 600, 1_000_000), T0);
    RefreshState shorter = longExpiry.onSuccess(soa(3600, 600, 7200), T0.plusSeconds(3600));
    assertEquals(longExpiry.expiresAt(), shorter.expiresAt());
  }

  @Test
  void jitterTakesUpToAQuarterOff() throws Exception {
    RefreshState ok = RefreshState.initial(T0).onSuccess(soa(4000, 800, 86400), T0, 0.999);
    assertEquals(T0.plusSeconds(4000 - 999), ok.nextCheck());
    assertEquals(T0.plusSeconds(800 - 199), ok.onFailure(T0, 0.999).nextCheck());
    assertThrows(IllegalArgumentException.class, () -> ok.onFailure(T0, 1.0));
  }

  @Test
  void aLoadedCopyExpiresFromItsLastRefreshAndIsCheckedAtOnce() throws Exception {
    RefreshState state = RefreshState.loaded(soa(3600, 600, 86400), T0, T0.plusSeconds(80_000));
    assertTrue(state.isDue(T0.plusSeconds(80_000)));
    assertFalse(state.isExpired(T0.plusSeconds(80_000)));
    assertTrue(state.isExpired(T0.plusSeconds(86_400)));
  }
}
