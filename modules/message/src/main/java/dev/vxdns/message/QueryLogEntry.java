package dev.vxdns.message;

import java.net.InetSocketAddress;

/**
 * One line of the query log, as the transport saw the query end; formatted by the writer thread,
 * never on the event loop.
 *
 * @param epochMillis when the response was sent (or the query dropped)
 * @param keyName the verified TSIG/SIG(0) key, or null
 * @param qname the question's name, or null for a query without a question
 * @param qtype the question's type, or -1
 * @param rcode the response's rcode, or -1 when nothing was sent
 * @param size the response's bytes, 0 when nothing was sent
 * @param latencyNanos from the query's arrival to its answer
 */
public record QueryLogEntry(
    long epochMillis,
    Transport transport,
    String listener,
    InetSocketAddress realSource,
    InetSocketAddress realDestination,
    InetSocketAddress effectiveSource,
    InetSocketAddress effectiveDestination,
    boolean proxied,
    String keyName,
    String qname,
    int qtype,
    int rcode,
    int size,
    long latencyNanos) {}
