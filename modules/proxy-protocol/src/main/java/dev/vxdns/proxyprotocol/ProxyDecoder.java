package dev.vxdns.proxyprotocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Decodes PROXY protocol v2 headers (HAProxy proxy-protocol.txt, section 2.2).
 *
 * <p>Immutable and stateless: configure one instance and share it between threads. Each call looks
 * at the bytes it is given and answers {@link DecodeResult.Complete}, {@link DecodeResult.NeedMore}
 * or {@link DecodeResult.Invalid}; it never throws because of the bytes (only for an offset/length
 * outside the array). It checks, in wire order:
 *
 * <ol>
 *   <li>the 12-byte signature (a v1 "PROXY" text line gets its own error) — checked on every byte
 *       as soon as it arrives, so a wrong prefix is invalid at once;
 *   <li>version 2, command LOCAL/PROXY, and the family/protocol byte (one of 00 11 12 21 22 31 32);
 *   <li>the total length against {@link #maxHeaderSize()} and against the family's address block
 *       (known from the first 16 bytes, before the rest arrives);
 *   <li>then, with the whole header: the addresses, every TLV (structure, CRC32C length and
 *       uniqueness, UNIQUE_ID size, SSL structure), and last the CRC32C checksum if present.
 * </ol>
 *
 * Address semantics (unspecified addresses, port 0, who may send a header) are not checked here:
 * that is policy for the caller.
 */
public final class ProxyDecoder {
  /** Default maximum header size, as dnsdist's {@code setProxyProtocolMaximumPayloadSize}. */
  public static final int DEFAULT_MAX_HEADER_SIZE = 512;

  private static final ProxyDecoder DEFAULT = new ProxyDecoder(DEFAULT_MAX_HEADER_SIZE);

  private final int maxHeaderSize;

  private ProxyDecoder(int maxHeaderSize) {
    this.maxHeaderSize = maxHeaderSize;
  }

  /** The shared decoder with the default maximum header size (512 bytes). */
  public static ProxyDecoder defaults() {
    return DEFAULT;
  }

  /**
   * A decoder rejecting headers larger than {@code maxHeaderSize} bytes (16-byte fixed part
   * included) with {@link ProxyError#HEADER_TOO_LARGE}.
   *
   * @param maxHeaderSize 16 ({@code LOCAL} without TLVs only) to 65551 (no limit)
   */
  public static ProxyDecoder withMaxHeaderSize(int maxHeaderSize) {
    if (maxHeaderSize < Wire.FIXED_LENGTH || maxHeaderSize > Wire.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "maxHeaderSize must be "
              + Wire.FIXED_LENGTH
              + ".."
              + Wire.MAX_LENGTH
              + ": "
              + maxHeaderSize);
    }
    return maxHeaderSize == DEFAULT_MAX_HEADER_SIZE ? DEFAULT : new ProxyDecoder(maxHeaderSize);
  }

  /** The largest header, in bytes, this decoder accepts. */
  public int maxHeaderSize() {
    return maxHeaderSize;
  }

  /** A new single-connection stream decoder using this decoder's settings. */
  public ProxyStreamDecoder newStreamDecoder() {
    return new ProxyStreamDecoder(this);
  }

  /** Decodes the start of a stream (see {@link #decode(byte[], int, int)}). */
  public DecodeResult decode(byte[] data) {
    return decode(data, 0, data.length);
  }

  /**
   * Decodes a header at the start of {@code length} bytes of a stream (TCP, TLS): the bytes may end
   * anywhere, and a valid prefix of a header is {@link DecodeResult.NeedMore}. Bytes after the
   * header are not looked at.
   *
   * @throws IndexOutOfBoundsException if offset/length do not fit the array
   */
  public DecodeResult decode(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    return decode0(data, offset, length, false);
  }

  /**
   * Decodes a stream prefix held between the buffer's position and limit; the buffer is not
   * modified.
   */
  public DecodeResult decode(ByteBuffer buffer) {
    return decodeBuffer(buffer, false);
  }

  /**
   * Decodes the header at the start of a whole datagram (see {@link #decodeDatagram(byte[], int,
   * int)}).
   */
  public DecodeResult decodeDatagram(byte[] datagram) {
    return decodeDatagram(datagram, 0, datagram.length);
  }

  /**
   * Decodes the header in front of a whole UDP datagram: nothing more will arrive, so this never
   * returns {@link DecodeResult.NeedMore}; a datagram ending inside the fixed header is {@link
   * ProxyError#TRUNCATED}, one shorter than its declared length {@link
   * ProxyError#LENGTH_BEYOND_DATA}.
   *
   * @throws IndexOutOfBoundsException if offset/length do not fit the array
   */
  public DecodeResult decodeDatagram(byte[] datagram, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, datagram.length);
    return decode0(datagram, offset, length, true);
  }

  /**
   * Decodes a whole datagram held between the buffer's position and limit; the buffer is not
   * modified.
   */
  public DecodeResult decodeDatagram(ByteBuffer datagram) {
    return decodeBuffer(datagram, true);
  }

  private DecodeResult decodeBuffer(ByteBuffer buffer, boolean datagram) {
    int remaining = buffer.remaining();
    if (buffer.hasArray()) {
      return decode0(buffer.array(), buffer.arrayOffset() + buffer.position(), remaining, datagram);
    }
    // A valid header is never longer than maxHeaderSize, so that many bytes decide the answer.
    byte[] copy = new byte[Math.min(remaining, maxHeaderSize)];
    buffer.duplicate().get(copy);
    return decode0(copy, 0, copy.length, datagram);
  }

  private DecodeResult decode0(byte[] d, int off, int len, boolean datagram) {
    // 1. Signature, byte by byte, so that a wrong prefix fails at once.
    if (len > 0 && d[off] == 'P') {
      int n = Math.min(len, Wire.V1_PREFIX.length);
      if (Arrays.equals(d, off, off + n, Wire.V1_PREFIX, 0, n)) {
        return invalid(
            ProxyError.PROXY_V1_NOT_SUPPORTED,
            "input starts with \""
                + new String(d, off, n, java.nio.charset.StandardCharsets.US_ASCII)
                + "\": a PROXY v1 text header, only v2 is accepted");
      }
    }
    int sigBytes = Math.min(len, Wire.SIGNATURE_LENGTH);
    for (int i = 0; i < sigBytes; i++) {
      if (d[off + i] != Wire.SIGNATURE[i]) {
        return invalid(
            ProxyError.BAD_SIGNATURE,
            "signature byte "
                + i
                + " is "
                + Wire.hex(d[off + i] & 0xFF)
                + ", expected "
                + Wire.hex(Wire.SIGNATURE[i]));
      }
    }
    // 2. Version and command.
    if (len <= 12) {
      return needMore(Wire.FIXED_LENGTH, len, datagram);
    }
    int verCmd = d[off + 12] & 0xFF;
    if ((verCmd >>> 4) != 2) {
      return invalid(ProxyError.BAD_VERSION, "version is " + (verCmd >>> 4) + ", expected 2");
    }
    Command command = Command.fromCode(verCmd & 0x0F);
    if (command == null) {
      return invalid(
          ProxyError.BAD_COMMAND,
          "command is " + Wire.hex(verCmd & 0x0F) + ", expected 0x00 (LOCAL) or 0x01 (PROXY)");
    }
    // 3. Family and protocol.
    if (len <= 13) {
      return needMore(Wire.FIXED_LENGTH, len, datagram);
    }
    int famProto = d[off + 13] & 0xFF;
    AddressFamily family = AddressFamily.fromCode(famProto >>> 4);
    if (family == null) {
      return invalid(
          ProxyError.BAD_FAMILY,
          "address family is "
              + Wire.hex(famProto >>> 4)
              + " (byte "
              + Wire.hex(famProto)
              + "), expected 0x0..0x3");
    }
    TransportProtocol protocol = TransportProtocol.fromCode(famProto & 0x0F);
    if (protocol == null) {
      return invalid(
          ProxyError.BAD_PROTOCOL,
          "transport protocol is "
              + Wire.hex(famProto & 0x0F)
              + " (byte "
              + Wire.hex(famProto)
              + "), expected 0x0..0x2");
    }
    if ((family == AddressFamily.UNSPEC) != (protocol == TransportProtocol.UNSPEC)) {
      return invalid(
          ProxyError.BAD_PROTOCOL,
          "family/protocol byte "
              + Wire.hex(famProto)
              + " is not a valid combination (00, 11, 12, 21, 22, 31, 32)");
    }
    // 4. Length.
    if (len < Wire.FIXED_LENGTH) {
      return needMore(Wire.FIXED_LENGTH, len, datagram);
    }
    int declared = Wire.u16(d, off + 14);
    int total = Wire.FIXED_LENGTH + declared;
    if (total > maxHeaderSize) {
      return invalid(
          ProxyError.HEADER_TOO_LARGE,
          "header is " + total + " bytes (16 + " + declared + "), the maximum is " + maxHeaderSize);
    }
    // A PROXY command's address block that cannot fit is wrong from the fixed header alone.
    DecodeResult.Invalid tooShort =
        command == Command.PROXY ? addressBlockTooShort(declared, family) : null;
    if (tooShort != null) {
      return tooShort;
    }
    if (len < total) {
      if (datagram) {
        return invalid(
            ProxyError.LENGTH_BEYOND_DATA,
            "header declares " + total + " bytes (16 + " + declared + "), the datagram has " + len);
      }
      return new DecodeResult.NeedMore(total, len);
    }
    DecodeResult block = decodeBlock(d, off, total, declared, command, family, protocol);
    // The spec (2.2): a receiver must accept LOCAL, use the real endpoints and discard the
    // protocol block, so a LOCAL whose block is not a valid address block and TLV list is taken
    // with its block discarded. (BIND 9.20 drops it; a PROXY command's block must be valid.)
    if (command == Command.LOCAL && block instanceof DecodeResult.Invalid) {
      return new DecodeResult.Complete(ProxyHeader.local(), total);
    }
    return block;
  }

  /** The address block and TLVs of a header whose fixed part and length are valid. */
  private static DecodeResult decodeBlock(
      byte[] d,
      int off,
      int total,
      int declared,
      Command command,
      AddressFamily family,
      TransportProtocol protocol) {
    DecodeResult.Invalid tooShort = addressBlockTooShort(declared, family);
    if (tooShort != null) {
      return tooShort;
    }
    // 5. Addresses.
    int p = off + Wire.FIXED_LENGTH;
    InetSocketAddress source = null;
    InetSocketAddress destination = null;
    byte[] sourcePath = null;
    byte[] destinationPath = null;
    switch (family) {
      case INET:
        source = inet(d, p, 4, Wire.u16(d, p + 8));
        destination = inet(d, p + 4, 4, Wire.u16(d, p + 10));
        break;
      case INET6:
        source = inet(d, p, 16, Wire.u16(d, p + 32));
        destination = inet(d, p + 16, 16, Wire.u16(d, p + 34));
        break;
      case UNIX:
        sourcePath = path(d, p);
        destinationPath = path(d, p + Wire.UNIX_PATH_LENGTH);
        break;
      default:
        break;
    }
    // 6. TLVs.
    int end = off + total;
    p += family.addressLength();
    List<Tlv> tlvs = List.of();
    int crcValue = -1;
    while (p < end) {
      int at = p - off;
      int left = end - p;
      if (left < Wire.TLV_HEADER_LENGTH) {
        return invalid(
            ProxyError.TLV_OVERRUN,
            "header ends with "
                + left
                + " stray byte(s) at offset "
                + at
                + ", too few for a TLV header");
      }
      int type = d[p] & 0xFF;
      int valueLength = Wire.u16(d, p + 1);
      if (valueLength > left - Wire.TLV_HEADER_LENGTH) {
        return invalid(
            ProxyError.TLV_OVERRUN,
            Tlv.typeName(type)
                + " TLV at offset "
                + at
                + " declares "
                + valueLength
                + " bytes, only "
                + (left - Wire.TLV_HEADER_LENGTH)
                + " remain in the header");
      }
      int value = p + Wire.TLV_HEADER_LENGTH;
      DecodeResult.Invalid bad = Wire.checkTlvValue(type, d, value, valueLength, at);
      if (bad != null) {
        return bad;
      }
      if (type == Tlv.CRC32C) {
        if (crcValue >= 0) {
          return invalid(
              ProxyError.DUPLICATE_CRC32C,
              "second CRC32C TLV at offset "
                  + at
                  + " (first at "
                  + (crcValue - Wire.TLV_HEADER_LENGTH - off)
                  + ")");
        }
        crcValue = value;
      }
      if (tlvs.isEmpty()) {
        tlvs = new ArrayList<>(4);
      }
      tlvs.add(Tlv.copyOf(type, d, value, valueLength));
      p = value + valueLength;
    }
    // 7. Checksum, over the whole header with the checksum field zeroed.
    if (crcValue >= 0) {
      int expected = Wire.crc32c(d, off, total, crcValue);
      int found = Wire.s32(d, crcValue);
      if (expected != found) {
        return invalid(
            ProxyError.BAD_CRC32C,
            String.format(
                "CRC32C TLV holds 0x%08x, the header's checksum is " + "0x%08x", found, expected));
      }
    }
    return new DecodeResult.Complete(
        new ProxyHeader(
            command,
            family,
            protocol,
            source,
            destination,
            sourcePath,
            destinationPath,
            tlvs.isEmpty() ? List.of() : List.copyOf(tlvs)));
  }

  /** The error of a declared length too short for the family's address block, or null. */
  private static DecodeResult.Invalid addressBlockTooShort(int declared, AddressFamily family) {
    if (declared >= family.addressLength()) {
      return null;
    }
    return invalid(
        ProxyError.ADDRESS_BLOCK_TOO_SHORT,
        "declared length "
            + declared
            + " is shorter than the "
            + family.addressLength()
            + "-byte "
            + family
            + " address block");
  }

  private static DecodeResult needMore(int minimum, int available, boolean datagram) {
    if (datagram) {
      return invalid(
          ProxyError.TRUNCATED, "datagram has " + available + " bytes, the fixed header needs 16");
    }
    return new DecodeResult.NeedMore(minimum, available);
  }

  private static DecodeResult.Invalid invalid(ProxyError reason, String detail) {
    return new DecodeResult.Invalid(reason, detail);
  }

  private static InetSocketAddress inet(byte[] d, int at, int size, int port) {
    byte[] addr = Arrays.copyOfRange(d, at, at + size);
    try {
      // Inet6Address.getByAddress keeps IPv4-mapped addresses as IPv6 (InetAddress.getByAddress
      // would turn them into Inet4Address); neither does a name lookup.
      InetAddress a =
          size == 4 ? InetAddress.getByAddress(addr) : Inet6Address.getByAddress(null, addr, -1);
      return new InetSocketAddress(a, port);
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4- or 16-byte address is always valid", e);
    }
  }

  private static byte[] path(byte[] d, int at) {
    int n = 0;
    while (n < Wire.UNIX_PATH_LENGTH && d[at + n] != 0) {
      n++;
    }
    return Arrays.copyOfRange(d, at, at + n);
  }

  @Override
  public String toString() {
    return "ProxyDecoder{maxHeaderSize=" + maxHeaderSize + '}';
  }
}
