package dev.vxdns.proxyprotocol;

import java.util.Objects;

/**
 * Encodes {@link ProxyHeader}s as PROXY protocol v2 bytes, as dnsdist sends them to backends: the
 * header, then the payload (in front of each UDP datagram, or once at the start of a TCP
 * connection). Stateless; all methods are thread-safe.
 *
 * <p>The output is deterministic: signature, version 2 with the command, the family/protocol byte,
 * the length, the address block of the family (Unix paths NUL-padded to 108 bytes), then the TLVs
 * in the header's order. If the header has a CRC32C TLV its value is replaced by the CRC32C of the
 * encoded header (computed with that value zeroed), so a decoder verifies it.
 */
public final class ProxyEncoder {
  private ProxyEncoder() {}

  /** The header's bytes ({@link ProxyHeader#length()} of them). */
  public static byte[] encode(ProxyHeader header) {
    byte[] out = new byte[header.length()];
    encode(header, out, 0);
    return out;
  }

  /**
   * Writes the header at {@code offset}.
   *
   * @return the number of bytes written ({@link ProxyHeader#length()})
   * @throws IndexOutOfBoundsException if the array has no room for the header at offset
   */
  public static int encode(ProxyHeader header, byte[] out, int offset) {
    Objects.requireNonNull(header, "header");
    int length = header.length();
    Objects.checkFromIndexSize(offset, length, out.length);
    System.arraycopy(Wire.SIGNATURE, 0, out, offset, Wire.SIGNATURE_LENGTH);
    out[offset + 12] = (byte) (0x20 | header.command().code());
    out[offset + 13] = (byte) ((header.family().code() << 4) | header.protocol().code());
    Wire.put16(out, offset + 14, length - Wire.FIXED_LENGTH);
    int p = offset + Wire.FIXED_LENGTH;
    switch (header.family()) {
      case INET:
      case INET6:
        {
          byte[] src = header.rawSource().getAddress().getAddress();
          byte[] dst = header.rawDestination().getAddress().getAddress();
          System.arraycopy(src, 0, out, p, src.length);
          System.arraycopy(dst, 0, out, p + src.length, dst.length);
          Wire.put16(out, p + 2 * src.length, header.rawSource().getPort());
          Wire.put16(out, p + 2 * src.length + 2, header.rawDestination().getPort());
          break;
        }
      case UNIX:
        {
          byte[] src = header.rawSourcePath();
          byte[] dst = header.rawDestinationPath();
          java.util.Arrays.fill(out, p, p + 2 * Wire.UNIX_PATH_LENGTH, (byte) 0);
          System.arraycopy(src, 0, out, p, src.length);
          System.arraycopy(dst, 0, out, p + Wire.UNIX_PATH_LENGTH, dst.length);
          break;
        }
      default:
        break;
    }
    p += header.family().addressLength();
    int crcValue = -1;
    for (Tlv t : header.tlvs()) {
      if (t.type() == Tlv.CRC32C && crcValue < 0) {
        crcValue = p + Wire.TLV_HEADER_LENGTH;
      }
      p = t.writeTo(out, p);
    }
    if (crcValue >= 0) {
      Wire.put32(out, crcValue, Wire.crc32c(out, offset, length, crcValue));
    }
    return length;
  }

  /** The header followed by the whole payload, e.g. a query datagram to send to a backend. */
  public static byte[] prepend(ProxyHeader header, byte[] payload) {
    return prepend(header, payload, 0, payload.length);
  }

  /** The header followed by {@code length} payload bytes from {@code offset}. */
  public static byte[] prepend(ProxyHeader header, byte[] payload, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, payload.length);
    byte[] out = new byte[header.length() + length];
    int n = encode(header, out, 0);
    System.arraycopy(payload, offset, out, n, length);
    return out;
  }
}
