package dev.vxdns.verticles.transport;

/**
 * DNS over QUIC's own limits. A DoQ listener shares DoT's others: {@code tcp-clients} connections
 * per listener (counted from the client's first packet, so handshakes in progress count), {@code
 * tcp-initial-timeout} for the handshake and the first query, and {@code tcp-idle-timeout} as the
 * QUIC idle timeout it advertises.
 *
 * @param streamsPerConnection queries one connection may have open at once ({@code
 *     doq-streams-per-connection}): QUIC's initial_max_streams_bidi, so the peer's QUIC stack
 *     enforces it; a finished stream gives its place back
 * @param retryThreshold handshakes in progress on one instance from which new connections must
 *     prove their address with a QUIC Retry first ({@code doq-retry-threshold}; 0: always), so a
 *     flood from spoofed addresses costs one stateless packet each instead of a TLS handshake
 * @param earlyData whether to accept 0-RTT data ({@code doq-early-data}, default off: replayable);
 *     when on, only queries are answered in 0-RTT, other messages get REFUSED with EDE 26 "Too
 *     Early" (RFC 9250 section 4.5)
 */
public record DoqOptions(int streamsPerConnection, int retryThreshold, boolean earlyData) {
  /** Handshakes in progress before Retry is required, by default. */
  static final int DEFAULT_RETRY_THRESHOLD = 64;
}
