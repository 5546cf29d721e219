package dev.vxdns.proxyprotocol;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hand-building of PROXY v2 bytes for the tests, written independently of the codec (its own
 * signature constant, its own bit-by-bit CRC32C) so that the tests check the codec against the spec
 * rather than against itself.
 */
final class Bytes {
  static final byte[] SIG = hex("0D0A0D0A000D0A515549540A");

  private Bytes() {}

  static byte[] hex(String s) {
    String h = s.replaceAll("[\\s:]", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static String toHex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] u16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  static byte[] u32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  static byte[] bytes(int n, int fill) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) fill);
    return b;
  }

  /** Signature, version/command, family/protocol, length = body length, body. */
  static byte[] header(int verCmd, int famProto, byte[]... body) {
    byte[] b = cat(body);
    return headerWithLength(verCmd, famProto, b.length, b);
  }

  /** Same with an explicit (possibly lying) length field. */
  static byte[] headerWithLength(int verCmd, int famProto, int declared, byte[]... body) {
    return cat(SIG, new byte[] {(byte) verCmd, (byte) famProto}, u16(declared), cat(body));
  }

  static byte[] tlv(int type, byte[] value) {
    return tlvWithLength(type, value.length, value);
  }

  static byte[] tlvWithLength(int type, int declared, byte[] value) {
    return cat(new byte[] {(byte) type}, u16(declared), value);
  }

  static byte[] v4(String src, String dst, int sport, int dport) {
    return cat(ip(src), ip(dst), u16(sport), u16(dport));
  }

  static byte[] v6(String src, String dst, int sport, int dport) {
    return cat(ip(src), ip(dst), u16(sport), u16(dport));
  }

  static byte[] unixPaths(String src, String dst) {
    return cat(unixField(ascii(src)), unixField(ascii(dst)));
  }

  static byte[] unixField(byte[] path) {
    return Arrays.copyOf(path, 108);
  }

  static byte[] ip(String literal) {
    try {
      byte[] a = InetAddress.getByName(literal).getAddress();
      if (literal.contains(":") && a.length == 4) { // ::ffff:a.b.c.d comes back as IPv4
        byte[] m = new byte[16];
        m[10] = (byte) 0xFF;
        m[11] = (byte) 0xFF;
        System.arraycopy(a, 0, m, 12, 4);
        return m;
      }
      return a;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  static InetSocketAddress sock(String literal, int port) {
    try {
      byte[] a = ip(literal);
      InetAddress addr =
          a.length == 4
              ? InetAddress.getByAddress(a)
              : java.net.Inet6Address.getByAddress(null, a, -1);
      return new InetSocketAddress(addr, port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  /** CRC32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit. */
  static long crc32c(byte[] data) {
    int crc = 0xFFFFFFFF;
    for (byte b : data) {
      crc ^= b & 0xFF;
      for (int k = 0; k < 8; k++) {
        crc = (crc >>> 1) ^ (0x82F63B78 & -(crc & 1));
      }
    }
    return Integer.toUnsignedLong(~crc);
  }

  /**
   * Fills in the CRC32C TLV value at {@code valueOffset} of a hand-built header: zeroes the field,
   * computes the checksum over the whole header, stores it big-endian.
   */
  static byte[] fillCrc(byte[] header, int valueOffset) {
    byte[] b = header.clone();
    Arrays.fill(b, valueOffset, valueOffset + 4, (byte) 0);
    System.arraycopy(u32(crc32c(b)), 0, b, valueOffset, 4);
    return b;
  }
}
