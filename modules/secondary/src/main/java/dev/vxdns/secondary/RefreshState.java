package dev.vxdns.secondary;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.xbill.DNS.SOARecord;

/**
 * When a secondary zone checks its primary next, and whether its data has expired (RFC 1034 section
 * 4.3.5, RFC 1996 section 4), as an immutable value: each event gives the next state, so the logic
 * is tested without time passing.
 *
 * <p>It mirrors BIND's lib/dns/zone.c: the SOA's REFRESH and RETRY are clamped to the zone's {@link
 * RefreshLimits} (BIND's defaults: {@code min-refresh-time} 300 s, {@code max-refresh-time} 4
 * weeks, {@code min-retry-time} 300 s, {@code max-retry-time} 2 weeks), and EXPIRE to at least
 * REFRESH + RETRY and at most 24 weeks; after a successful check the next is REFRESH later and the
 * data expires EXPIRE later (an up-to-date answer counts as success); after a failed check the next
 * is RETRY later and the expiry stays; a zone that never had an SOA retries after 60 s, doubling up
 * to 6 hours; a NOTIFY makes the check due at once. BIND subtracts a random jitter of up to a
 * quarter from each interval ({@code DNS_ZONE_JITTER_ADD}); the {@code jitter} arguments (0 to 1, a
 * fraction of that quarter) let the caller do the same, and the plain methods use none.
 *
 * @param refresh the clamped REFRESH, seconds
 * @param retry the clamped RETRY (or the backoff interval without an SOA), seconds
 * @param expire the clamped EXPIRE, seconds
 * @param hasData whether the zone has data (was transferred or loaded once)
 * @param nextCheck when to query the primary next
 * @param expiresAt when the data expires unless a check succeeds first (meaningless without data)
 * @param limits the bounds of REFRESH and RETRY
 */
public record RefreshState(
    long refresh,
    long retry,
    long expire,
    boolean hasData,
    Instant nextCheck,
    Instant expiresAt,
    RefreshLimits limits) {

  /** BIND's DNS_MAX_EXPIRE: 24 weeks. */
  public static final long MAX_EXPIRE = 14_515_200;

  /** BIND's DNS_ZONE_DEFAULTREFRESH and DNS_ZONE_DEFAULTRETRY, used before any SOA is known. */
  public static final long DEFAULT_REFRESH = 3600;

  public static final long DEFAULT_RETRY = 60;

  /** The cap of the retry backoff without SOA timers: 6 hours. */
  public static final long MAX_BACKOFF = 6 * 3600;

  public RefreshState {
    Objects.requireNonNull(nextCheck, "nextCheck");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(limits, "limits");
  }

  /** A zone with no data yet: check at once; it counts as expired until a transfer succeeds. */
  public static RefreshState initial(Instant now) {
    return initial(now, RefreshLimits.BIND);
  }

  /** {@link #initial(Instant)} for a zone with its own {@code limits}. */
  public static RefreshState initial(Instant now, RefreshLimits limits) {
    return new RefreshState(DEFAULT_REFRESH, DEFAULT_RETRY, 0, false, now, now, limits);
  }

  /**
   * A zone whose data was kept (a saved copy) and last refreshed at {@code lastRefreshed}: it
   * expires EXPIRE after that, and is checked at once (named waits up to RETRY, less a random three
   * quarters, unless the copy is about to expire; a node that was down may have missed changes, and
   * the caller paces its SOA queries).
   */
  public static RefreshState loaded(SOARecord soa, Instant lastRefreshed, Instant now) {
    return loaded(soa, lastRefreshed, now, RefreshLimits.BIND);
  }

  /** {@link #loaded(SOARecord, Instant, Instant)} for a zone with its own {@code limits}. */
  public static RefreshState loaded(
      SOARecord soa, Instant lastRefreshed, Instant now, RefreshLimits limits) {
    RefreshState timers = withTimers(soa, true, now, now, limits);
    return new RefreshState(
        timers.refresh,
        timers.retry,
        timers.expire,
        true,
        now,
        lastRefreshed.plusSeconds(timers.expire),
        limits);
  }

  /** A check succeeded (transferred, or the primary's serial is not newer): see the class. */
  public RefreshState onSuccess(SOARecord soa, Instant now) {
    return onSuccess(soa, now, 0);
  }

  /** {@link #onSuccess(SOARecord, Instant)} with BIND's jitter on the next check. */
  public RefreshState onSuccess(SOARecord soa, Instant now, double jitter) {
    RefreshState timers = withTimers(soa, true, now, now, limits);
    Instant expiry = now.plusSeconds(timers.expire);
    // BIND keeps the later expiry ("has the expire time improved?").
    if (hasData && expiresAt.isAfter(expiry)) {
      expiry = expiresAt;
    }
    return new RefreshState(
        timers.refresh,
        timers.retry,
        timers.expire,
        true,
        now.plusSeconds(jittered(timers.refresh, jitter)),
        expiry,
        limits);
  }

  /** A check failed: the next one is RETRY later; the expiry does not move. */
  public RefreshState onFailure(Instant now) {
    return onFailure(now, 0);
  }

  /** {@link #onFailure(Instant)} with BIND's jitter on the next check. */
  public RefreshState onFailure(Instant now, double jitter) {
    Instant next = now.plusSeconds(jittered(retry, jitter));
    // Without SOA timers BIND backs off: retry doubles, up to 6 hours.
    long nextRetry = hasData ? retry : Math.min(retry * 2, MAX_BACKOFF);
    return new RefreshState(refresh, nextRetry, expire, hasData, next, expiresAt, limits);
  }

  /** A NOTIFY arrived (RFC 1996 section 4.7): the check is due now. */
  public RefreshState onNotify(Instant now) {
    Instant next = nextCheck.isAfter(now) ? now : nextCheck;
    return new RefreshState(refresh, retry, expire, hasData, next, expiresAt, limits);
  }

  /** Whether the zone must not be answered from (RFC 1034: no data, or EXPIRE passed). */
  public boolean isExpired(Instant now) {
    return !hasData || !now.isBefore(expiresAt);
  }

  /** Whether the primary should be checked now. */
  public boolean isDue(Instant now) {
    return !now.isBefore(nextCheck);
  }

  /** How long until the next check (zero when due). */
  public Duration untilNextCheck(Instant now) {
    return isDue(now) ? Duration.ZERO : Duration.between(now, nextCheck);
  }

  private static RefreshState withTimers(
      SOARecord soa, boolean hasData, Instant next, Instant expires, RefreshLimits limits) {
    long refresh = limits.refresh(soa.getRefresh());
    long retry = limits.retry(soa.getRetry());
    long expire = clamp(soa.getExpire(), refresh + retry, MAX_EXPIRE);
    return new RefreshState(refresh, retry, expire, hasData, next, expires, limits);
  }

  static long clamp(long value, long min, long max) {
    return Math.max(min, Math.min(max, value));
  }

  private static long jittered(long interval, double jitter) {
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
    }
    return interval - (long) (jitter * (interval / 4));
  }
}
