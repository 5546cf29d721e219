package dev.vxdns.verticles.transport;

/**
 * The DoQ application error codes (RFC 9250 section 4.3), sent in QUIC CONNECTION_CLOSE and
 * RESET_STREAM frames.
 */
final class DoqError {
  private DoqError() {}

  /** The connection is closed with nothing wrong (a stopping server, an idle connection). */
  static final int NO_ERROR = 0x0;

  /** The server failed in a way the client did not cause. */
  static final int INTERNAL_ERROR = 0x1;

  /** The peer broke RFC 9250: non-zero Message ID, bad framing, edns-tcp-keepalive, ... */
  static final int PROTOCOL_ERROR = 0x2;

  /** A stream is abandoned: the server will not answer this query. */
  static final int REQUEST_CANCELLED = 0x3;

  /** Too many connections: the server refuses more load. */
  static final int EXCESSIVE_LOAD = 0x4;

  /** No more specific code applies (a stage closed the connection, e.g. the blackhole). */
  static final int UNSPECIFIED_ERROR = 0x5;
}
