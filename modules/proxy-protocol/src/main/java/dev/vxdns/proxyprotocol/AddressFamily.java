package dev.vxdns.proxyprotocol;

/** The address family: high nibble of the 14th header byte. */
public enum AddressFamily {
  /** Unknown or unspecified: no address block (the receiver uses the real endpoints). */
  UNSPEC(0x0, 0),
  /** IPv4: 4-byte source and destination addresses, then 2-byte ports. */
  INET(0x1, 12),
  /** IPv6: 16-byte source and destination addresses, then 2-byte ports. */
  INET6(0x2, 36),
  /** Unix sockets: two 108-byte, NUL-padded paths. */
  UNIX(0x3, 216);

  private final int code;
  private final int addressLength;

  AddressFamily(int code, int addressLength) {
    this.code = code;
    this.addressLength = addressLength;
  }

  /** The 4-bit wire value. */
  public int code() {
    return code;
  }

  /** The size in bytes of this family's address block (0, 12, 36 or 216). */
  public int addressLength() {
    return addressLength;
  }

  /** The family for a 4-bit wire value, or {@code null} if unassigned. */
  static AddressFamily fromCode(int code) {
    switch (code) {
      case 0x0:
        return UNSPEC;
      case 0x1:
        return INET;
      case 0x2:
        return INET6;
      case 0x3:
        return UNIX;
      default:
        return null;
    }
  }
}
