package dev.vxdns.auth;

import org.xbill.DNS.WireParseException;

/**
 * Walks the record boundaries of a DNS message in wire form, without decoding it. dnsjava keeps the
 * offset of the TSIG record package-private, and the MAC covers the exact received bytes.
 */
final class WireRecords {
  private static final int HEADER = 12;

  private WireRecords() {}

  /** Offset and end of the last resource record of the message. */
  static final class Span {
    final int start;
    final int end;

    Span(int start, int end) {
      this.start = start;
      this.end = end;
    }
  }

  /**
   * Finds the last record of the message (which must exist).
   *
   * @throws WireParseException if the message is truncated or a name is malformed
   */
  static Span lastRecord(byte[] wire) throws WireParseException {
    if (wire.length < HEADER) {
      throw new WireParseException("message shorter than a header");
    }
    int qd = u16(wire, 4);
    int rr = u16(wire, 6) + u16(wire, 8) + u16(wire, 10);
    if (rr == 0) {
      throw new WireParseException("no resource records");
    }
    int pos = HEADER;
    for (int i = 0; i < qd; i++) {
      pos = skipName(wire, pos);
      pos = need(wire, pos, 4);
    }
    int start = pos;
    for (int i = 0; i < rr; i++) {
      start = pos;
      pos = skipName(wire, pos);
      int fixed = need(wire, pos, 10);
      int rdlength = u16(wire, pos + 8);
      pos = need(wire, fixed, rdlength);
    }
    return new Span(start, pos);
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  private static int need(byte[] wire, int pos, int n) throws WireParseException {
    if (pos + n > wire.length) {
      throw new WireParseException("truncated record");
    }
    return pos + n;
  }

  private static int skipName(byte[] wire, int pos) throws WireParseException {
    while (true) {
      if (pos >= wire.length) {
        throw new WireParseException("truncated name");
      }
      int len = wire[pos] & 0xFF;
      if ((len & 0xC0) == 0xC0) {
        return need(wire, pos, 2);
      }
      if ((len & 0xC0) != 0) {
        throw new WireParseException("bad label type");
      }
      if (len == 0) {
        return pos + 1;
      }
      pos = need(wire, pos, 1 + len);
    }
  }
}
