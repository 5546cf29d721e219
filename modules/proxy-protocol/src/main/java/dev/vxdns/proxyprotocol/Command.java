package dev.vxdns.proxyprotocol;

/** The command: low nibble of the 13th header byte. */
public enum Command {
  /** The proxy opened the connection itself (e.g. a health check): use the real endpoints. */
  LOCAL(0x0),
  /** The connection is relayed on behalf of a client: the header carries its endpoints. */
  PROXY(0x1);

  private final int code;

  Command(int code) {
    this.code = code;
  }

  /** The 4-bit wire value. */
  public int code() {
    return code;
  }

  /** The command for a 4-bit wire value, or {@code null} if unassigned. */
  static Command fromCode(int code) {
    switch (code) {
      case 0x0:
        return LOCAL;
      case 0x1:
        return PROXY;
      default:
        return null;
    }
  }
}
