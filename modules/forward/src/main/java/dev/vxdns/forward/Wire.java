package dev.vxdns.forward;

/** Reading and patching DNS messages in wire form without parsing them. */
final class Wire {
  private Wire() {}

  static int u16(byte[] wire, int offset) {
    return ((wire[offset] & 0xff) << 8) | (wire[offset + 1] & 0xff);
  }

  static long u32(byte[] wire, int offset) {
    return ((long) u16(wire, offset) << 16) | u16(wire, offset + 2);
  }

  static void put32(byte[] wire, int offset, long value) {
    wire[offset] = (byte) (value >>> 24);
    wire[offset + 1] = (byte) (value >>> 16);
    wire[offset + 2] = (byte) (value >>> 8);
    wire[offset + 3] = (byte) value;
  }

  /** Where the TTL of each record past the question is, OPT records (no TTL) aside. */
  static int[] ttlOffsets(byte[] wire) {
    int questions = u16(wire, 4);
    int records = u16(wire, 6) + u16(wire, 8) + u16(wire, 10);
    int p = 12;
    for (int i = 0; i < questions; i++) {
      p = skipName(wire, p) + 4;
    }
    int[] offsets = new int[records];
    int n = 0;
    for (int i = 0; i < records; i++) {
      p = skipName(wire, p);
      int type = u16(wire, p);
      if (type != 41) {
        offsets[n++] = p + 4;
      }
      p += 10 + u16(wire, p + 8);
    }
    if (p > wire.length) {
      throw new IndexOutOfBoundsException("records past the end");
    }
    return java.util.Arrays.copyOf(offsets, n);
  }

  private static int skipName(byte[] wire, int p) {
    while (true) {
      int length = wire[p] & 0xff;
      if (length == 0) {
        return p + 1;
      }
      if ((length & 0xc0) == 0xc0) {
        return p + 2;
      }
      p += length + 1;
    }
  }
}
