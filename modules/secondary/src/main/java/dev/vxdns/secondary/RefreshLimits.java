package dev.vxdns.secondary;

/**
 * BIND's {@code min-refresh-time}, {@code max-refresh-time}, {@code min-retry-time} and {@code
 * max-retry-time}: the bounds a secondary holds its primary's SOA REFRESH and RETRY to, in seconds.
 */
public record RefreshLimits(long minRefresh, long maxRefresh, long minRetry, long maxRetry) {
  /** BIND's DNS_ZONE_MINREFRESH, DNS_ZONE_MAXREFRESH, DNS_ZONE_MINRETRY, DNS_ZONE_MAXRETRY. */
  public static final RefreshLimits BIND = new RefreshLimits(300, 2_419_200, 300, 1_209_600);

  public RefreshLimits {
    if (minRefresh < 1 || minRetry < 1 || maxRefresh < minRefresh || maxRetry < minRetry) {
      throw new IllegalArgumentException(
          "each bound at least 1 s and each maximum at least its minimum: " + this);
    }
  }

  long refresh(long soaRefresh) {
    return RefreshState.clamp(soaRefresh, minRefresh, maxRefresh);
  }

  long retry(long soaRetry) {
    return RefreshState.clamp(soaRetry, minRetry, maxRetry);
  }
}
