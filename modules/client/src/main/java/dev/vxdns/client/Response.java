package dev.vxdns.client;

import org.xbill.DNS.Message;

/**
 * A response and what dig prints about it.
 *
 * @param wire the response's bytes
 * @param querySize the bytes of the query as sent (signed), without framing or PROXY header
 * @param micros from the first byte sent to the last received, connection set-up included
 * @param tsigStatus {@link #UNSIGNED} for an unsigned query, else the verification's rcode
 *     (NOERROR: verified; FORMERR: the response is not signed)
 */
public record Response(
    Message message,
    byte[] wire,
    int querySize,
    long micros,
    ClientOptions options,
    int tsigStatus) {
  public static final int UNSIGNED = -1;
}
