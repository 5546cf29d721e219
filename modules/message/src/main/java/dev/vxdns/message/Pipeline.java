package dev.vxdns.message;

import java.util.List;

/**
 * The order of the built-in stages, stated once: blackhole (before any parsing, so a blackholed
 * source gets no FORMERR, NOTAUTH or TKEY answer and holds no SIG(0) slot), auth (parse,
 * TSIG/SIG(0)/TKEY), access lists, the zone; with the proxy stage first on listeners that take
 * PROXY headers, so the blackhole sees the effective source. A listener's {@code pipeline} key may
 * name another list.
 */
public final class Pipeline {
  private static final List<String> STANDARD =
      List.of(Addresses.BLACKHOLE, Addresses.AUTH, Addresses.ACL, Addresses.ZONE_QUERY);
  private static final List<String> PROXIED =
      List.of(
          Addresses.PROXY,
          Addresses.BLACKHOLE,
          Addresses.AUTH,
          Addresses.ACL,
          Addresses.ZONE_QUERY);

  private Pipeline() {}

  /** The built-in pipeline of a listener with or without PROXY headers. */
  public static List<String> standard(boolean proxied) {
    return proxied ? PROXIED : STANDARD;
  }
}
