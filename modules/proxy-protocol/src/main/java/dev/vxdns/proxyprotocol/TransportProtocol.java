package dev.vxdns.proxyprotocol;

/** The transport protocol: low nibble of the 14th header byte. */
public enum TransportProtocol {
  /** Unknown or unspecified (only valid together with {@link AddressFamily#UNSPEC}). */
  UNSPEC(0x0),
  /** SOCK_STREAM: TCP, or a Unix stream socket. */
  STREAM(0x1),
  /** SOCK_DGRAM: UDP, or a Unix datagram socket. */
  DGRAM(0x2);

  private final int code;

  TransportProtocol(int code) {
    this.code = code;
  }

  /** The 4-bit wire value. */
  public int code() {
    return code;
  }

  /** The protocol for a 4-bit wire value, or {@code null} if unassigned. */
  static TransportProtocol fromCode(int code) {
    switch (code) {
      case 0x0:
        return UNSPEC;
      case 0x1:
        return STREAM;
      case 0x2:
        return DGRAM;
      default:
        return null;
    }
  }
}
