package dev.vxdns.auth;

/**
 * SipHash-2-4 with a 128-bit key and a 64-bit tag (Aumasson and Bernstein, 2012): the keyed hash
 * RFC 9018 makes the standard for DNS server cookies. The JDK has none, and this is all of it.
 */
final class SipHash24 {
  static final int KEY_LENGTH = 16;

  private SipHash24() {}

  /** The 8-octet tag of {@code in[0..length)} under {@code key}, written to {@code out[at..]}. */
  static void hash(byte[] key, byte[] in, int length, byte[] out, int at) {
    long k0 = littleEndian(key, 0, 8);
    long k1 = littleEndian(key, 8, 8);
    long[] v = {
      0x736f6d6570736575L ^ k0,
      0x646f72616e646f6dL ^ k1,
      0x6c7967656e657261L ^ k0,
      0x7465646279746573L ^ k1
    };
    int whole = length & ~7;
    for (int i = 0; i <= whole; i += 8) {
      // The last block holds the remaining octets and the length's low octet on top.
      long m =
          i < whole
              ? littleEndian(in, i, 8)
              : littleEndian(in, i, length - whole) | (long) length << 56;
      v[3] ^= m;
      rounds(v, 2);
      v[0] ^= m;
    }
    v[2] ^= 0xff;
    rounds(v, 4);
    long tag = v[0] ^ v[1] ^ v[2] ^ v[3];
    for (int i = 0; i < 8; i++) {
      out[at + i] = (byte) (tag >>> 8 * i);
    }
  }

  private static void rounds(long[] v, int count) {
    for (int round = 0; round < count; round++) {
      v[0] += v[1];
      v[1] = Long.rotateLeft(v[1], 13) ^ v[0];
      v[0] = Long.rotateLeft(v[0], 32);
      v[2] += v[3];
      v[3] = Long.rotateLeft(v[3], 16) ^ v[2];
      v[0] += v[3];
      v[3] = Long.rotateLeft(v[3], 21) ^ v[0];
      v[2] += v[1];
      v[1] = Long.rotateLeft(v[1], 17) ^ v[2];
      v[2] = Long.rotateLeft(v[2], 32);
    }
  }

  private static long littleEndian(byte[] bytes, int from, int count) {
    long value = 0;
    for (int i = 0; i < count; i++) {
      value |= (bytes[from + i] & 0xFFL) << 8 * i;
    }
    return value;
  }
}
