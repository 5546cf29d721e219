package dev.vxdns.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of the built-in stages, stated once: blackhole (before any parsing, so a blackholed
 * source gets no FORMERR, NOTAUTH or TKEY answer and holds no SIG(0) slot), response rate limiting
 * when configured, auth (parse, TSIG/SIG(0)/TKEY), access lists, the zone; with the proxy stage
 * first on listeners that take PROXY headers, so the blackhole and the rate limiter see the
 * effective source; the forward stage after the access lists when a zone forwards. A listener's
 * {@code pipeline} key may name another list.
 *
 * <p>The rate limiter goes before auth because it judges the response on the way back, and the way
 * back runs in reverse: it sees every response last, after the zone, the access lists and auth
 * (FORMERR, NOTAUTH and REFUSED are errors it limits too), and after auth signed it. It leaves
 * signed responses alone (a verified key is not a spoofed source), so it never has to re-sign.
 */
public final class Pipeline {
  private Pipeline() {}

  /** The built-in pipeline of a listener with or without PROXY headers and rate limiting. */
  public static List<String> standard(boolean proxied, boolean rateLimited) {
    return standard(proxied, rateLimited, false);
  }

  /**
   * The built-in pipeline; {@code forwarding}: a zone of {@code type: forward} is configured, so
   * the forward stage goes between the access lists (which gate it with {@code allow-recursion})
   * and the zone, which answers what stays local.
   */
  public static List<String> standard(boolean proxied, boolean rateLimited, boolean forwarding) {
    List<String> stages = new ArrayList<>();
    if (proxied) {
      stages.add(Addresses.PROXY);
    }
    stages.add(Addresses.BLACKHOLE);
    if (rateLimited) {
      stages.add(Addresses.RRL);
    }
    stages.add(Addresses.AUTH);
    stages.add(Addresses.ACL);
    if (forwarding) {
      stages.add(Addresses.FORWARD);
    }
    stages.add(Addresses.ZONE_QUERY);
    return List.copyOf(stages);
  }
}
