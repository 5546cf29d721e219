package dev.vxdns.proxyprotocol;

import java.util.zip.CRC32C;

/** Wire constants and checks shared by the decoder, the encoder and the value builders. */
final class Wire {
  /** The 12-byte v2 signature. */
  static final byte[] SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  /** "PROXY", the start of a v1 text header. */
  static final byte[] V1_PREFIX = {'P', 'R', 'O', 'X', 'Y'};

  static final int SIGNATURE_LENGTH = 12;
  static final int FIXED_LENGTH = 16;
  static final int MAX_LENGTH = FIXED_LENGTH + 0xFFFF;
  static final int TLV_HEADER_LENGTH = 3;
  static final int UNIX_PATH_LENGTH = 108;
  static final int MAX_UNIQUE_ID_LENGTH = 128;
  static final int SSL_PREFIX_LENGTH = 5;

  private Wire() {}

  static int u16(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }

  static int s32(byte[] b, int i) {
    return ((b[i] & 0xFF) << 24)
        | ((b[i + 1] & 0xFF) << 16)
        | ((b[i + 2] & 0xFF) << 8)
        | (b[i + 3] & 0xFF);
  }

  static void put16(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }

  static void put32(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }

  static String hex(int v) {
    return String.format("0x%02X", v);
  }

  /**
   * CRC32C (RFC 4960 appendix B, as {@link CRC32C}) of {@code length} bytes at {@code start},
   * computed as if the 4 bytes at {@code crcValue} were zero.
   */
  static int crc32c(byte[] b, int start, int length, int crcValue) {
    CRC32C crc = new CRC32C();
    crc.update(b, start, crcValue - start);
    crc.update(ZEROS, 0, 4);
    int after = crcValue + 4;
    crc.update(b, after, start + length - after);
    return (int) crc.getValue();
  }

  private static final byte[] ZEROS = new byte[4];

  /**
   * Checks the rules for the value of one top-level TLV, the ones that do not depend on the other
   * TLVs. Returns {@code null} if the value is acceptable, or the error.
   */
  static DecodeResult.Invalid checkTlvValue(
      int type, byte[] b, int valueStart, int valueLength, int headerOffset) {
    switch (type) {
      case Tlv.CRC32C:
        if (valueLength != 4) {
          return new DecodeResult.Invalid(
              ProxyError.BAD_CRC32C_LENGTH,
              "CRC32C TLV at offset "
                  + headerOffset
                  + " has a "
                  + valueLength
                  + "-byte value, expected 4");
        }
        return null;
      case Tlv.UNIQUE_ID:
        if (valueLength > MAX_UNIQUE_ID_LENGTH) {
          return new DecodeResult.Invalid(
              ProxyError.UNIQUE_ID_TOO_LONG,
              "UNIQUE_ID TLV at offset "
                  + headerOffset
                  + " has "
                  + valueLength
                  + " bytes, at most "
                  + MAX_UNIQUE_ID_LENGTH
                  + " allowed");
        }
        return null;
      case Tlv.SSL:
        return checkSsl(b, valueStart, valueLength, headerOffset);
      default:
        return null;
    }
  }

  private static DecodeResult.Invalid checkSsl(byte[] b, int start, int length, int headerOffset) {
    if (length < SSL_PREFIX_LENGTH) {
      return new DecodeResult.Invalid(
          ProxyError.SSL_TLV_TOO_SHORT,
          "SSL TLV at offset "
              + headerOffset
              + " has "
              + length
              + " bytes, needs at least 5 (client + verify)");
    }
    int end = start + length;
    int p = start + SSL_PREFIX_LENGTH;
    while (p < end) {
      int left = end - p;
      if (left < TLV_HEADER_LENGTH) {
        return new DecodeResult.Invalid(
            ProxyError.SSL_SUB_TLV_OVERRUN,
            "SSL TLV at offset "
                + headerOffset
                + " ends with "
                + left
                + " stray byte(s), too few for a sub-TLV header");
      }
      int subLength = u16(b, p + 1);
      if (subLength > left - TLV_HEADER_LENGTH) {
        return new DecodeResult.Invalid(
            ProxyError.SSL_SUB_TLV_OVERRUN,
            "SSL sub-TLV "
                + hex(b[p] & 0xFF)
                + " in the SSL TLV at offset "
                + headerOffset
                + " declares "
                + subLength
                + " bytes, only "
                + (left - TLV_HEADER_LENGTH)
                + " remain");
      }
      p += TLV_HEADER_LENGTH + subLength;
    }
    return null;
  }
}
