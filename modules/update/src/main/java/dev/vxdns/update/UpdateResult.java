package dev.vxdns.update;

import dev.vxdns.zone.ZoneDiff;

/**
 * The outcome of one UPDATE.
 *
 * @param rcode the DNS rcode to answer with ({@link org.xbill.DNS.Rcode})
 * @param diff the change to apply with {@code zone.apply(diff)}; null when the update changed
 *     nothing or failed
 * @param reason what happened, in the words BIND logs (for the log, not the wire)
 */
public record UpdateResult(int rcode, ZoneDiff diff, String reason) {}
