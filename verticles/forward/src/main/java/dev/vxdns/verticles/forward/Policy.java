package dev.vxdns.verticles.forward;

/** How a pool picks the backend for a query, among those up (dnsdist's policy names). */
public enum Policy {
  /** In turn, each backend as often as its weight says ({@code roundrobin}, weighted). */
  ROUND_ROBIN,
  /**
   * The one with the fewest queries in flight, the first listed on a tie ({@code
   * leastOutstanding}).
   */
  LEAST_OUTSTANDING,
  /** The first listed that is up ({@code firstAvailable}). */
  FIRST_AVAILABLE
}
