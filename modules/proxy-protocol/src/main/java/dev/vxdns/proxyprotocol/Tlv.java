package dev.vxdns.proxyprotocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One type-length-value entry of a PROXY v2 header (or of an SSL TLV): an immutable type byte and
 * value. Every type is representable; the well-known ones are constants here and have typed
 * accessors on {@link ProxyHeader} and {@link SslInfo}.
 */
public final class Tlv {
  /** PP2_TYPE_ALPN: the negotiated application protocol (e.g. "dot"). */
  public static final int ALPN = 0x01;

  /** PP2_TYPE_AUTHORITY: the host name the client asked for (TLS SNI), UTF-8. */
  public static final int AUTHORITY = 0x02;

  /** PP2_TYPE_CRC32C: big-endian CRC32C of the whole header with this value zeroed. */
  public static final int CRC32C = 0x03;

  /** PP2_TYPE_NOOP: padding, ignored. */
  public static final int NOOP = 0x04;

  /** PP2_TYPE_UNIQUE_ID: opaque connection id, at most 128 bytes. */
  public static final int UNIQUE_ID = 0x05;

  /** PP2_TYPE_SSL: client byte, verify int, sub-TLVs (see {@link SslInfo}). */
  public static final int SSL = 0x20;

  /** PP2_SUBTYPE_SSL_VERSION: TLS version, US-ASCII (e.g. "TLSv1.3"). */
  public static final int SSL_VERSION = 0x21;

  /** PP2_SUBTYPE_SSL_CN: client certificate Common Name, UTF-8. */
  public static final int SSL_CN = 0x22;

  /** PP2_SUBTYPE_SSL_CIPHER: cipher name, US-ASCII. */
  public static final int SSL_CIPHER = 0x23;

  /** PP2_SUBTYPE_SSL_SIG_ALG: certificate signature algorithm, US-ASCII. */
  public static final int SSL_SIG_ALG = 0x24;

  /** PP2_SUBTYPE_SSL_KEY_ALG: certificate key algorithm, US-ASCII. */
  public static final int SSL_KEY_ALG = 0x25;

  /** PP2_TYPE_NETNS: network namespace name, US-ASCII. */
  public static final int NETNS = 0x30;

  /** First type of the application-specific range (dnsdist's custom values live here). */
  public static final int MIN_CUSTOM = 0xE0;

  /** Last type of the application-specific range. */
  public static final int MAX_CUSTOM = 0xEF;

  /** Largest value length a TLV can declare. */
  public static final int MAX_VALUE_LENGTH = 0xFFFF;

  private final int type;
  private final byte[] value;

  private Tlv(int type, byte[] value) {
    this.type = type;
    this.value = value;
  }

  /** A TLV of the given type (0..255) with a copy of the value (at most 65535 bytes). */
  public static Tlv of(int type, byte[] value) {
    Objects.requireNonNull(value, "value");
    return ofOwned(type, value.clone());
  }

  /** A TLV whose value is the UTF-8 encoding of {@code value}. */
  public static Tlv ofString(int type, String value) {
    Objects.requireNonNull(value, "value");
    return ofOwned(type, value.getBytes(StandardCharsets.UTF_8));
  }

  /** A TLV in the custom range 0xE0..0xEF. */
  public static Tlv custom(int type, byte[] value) {
    if (type < MIN_CUSTOM || type > MAX_CUSTOM) {
      throw new IllegalArgumentException("custom TLV type must be 0xE0..0xEF: " + Wire.hex(type));
    }
    return of(type, value);
  }

  private static Tlv ofOwned(int type, byte[] value) {
    if (type < 0 || type > 0xFF) {
      throw new IllegalArgumentException("TLV type must be 0..255: " + type);
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException("TLV value longer than 65535 bytes: " + value.length);
    }
    return new Tlv(type, value);
  }

  /** Used by the decoder: copies {@code length} bytes at {@code start}, no checks. */
  static Tlv copyOf(int type, byte[] b, int start, int length) {
    return new Tlv(type, Arrays.copyOfRange(b, start, start + length));
  }

  /** The type byte, 0..255. */
  public int type() {
    return type;
  }

  /** A copy of the value. */
  public byte[] value() {
    return value.clone();
  }

  /** A read-only view of the value, without copying. */
  public ByteBuffer valueBuffer() {
    return ByteBuffer.wrap(value).asReadOnlyBuffer();
  }

  /** The value length in bytes. */
  public int length() {
    return value.length;
  }

  /** The value decoded as UTF-8 (malformed bytes become U+FFFD; never throws). */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  /** Bytes this TLV takes on the wire: 3 + value length. */
  public int encodedLength() {
    return Wire.TLV_HEADER_LENGTH + value.length;
  }

  /** Whether the type is in the custom range 0xE0..0xEF. */
  public boolean isCustom() {
    return type >= MIN_CUSTOM && type <= MAX_CUSTOM;
  }

  /** Writes type, length and value at {@code offset}; returns the offset after it. */
  int writeTo(byte[] dst, int offset) {
    dst[offset] = (byte) type;
    Wire.put16(dst, offset + 1, value.length);
    System.arraycopy(value, 0, dst, offset + 3, value.length);
    return offset + 3 + value.length;
  }

  /** The value array itself, for the package's own read-only use. */
  byte[] rawValue() {
    return value;
  }

  /** The spec's name of a type ("ALPN", "SSL_CN", "CUSTOM_E1", "0x7F"). */
  public static String typeName(int type) {
    switch (type) {
      case ALPN:
        return "ALPN";
      case AUTHORITY:
        return "AUTHORITY";
      case CRC32C:
        return "CRC32C";
      case NOOP:
        return "NOOP";
      case UNIQUE_ID:
        return "UNIQUE_ID";
      case SSL:
        return "SSL";
      case SSL_VERSION:
        return "SSL_VERSION";
      case SSL_CN:
        return "SSL_CN";
      case SSL_CIPHER:
        return "SSL_CIPHER";
      case SSL_SIG_ALG:
        return "SSL_SIG_ALG";
      case SSL_KEY_ALG:
        return "SSL_KEY_ALG";
      case NETNS:
        return "NETNS";
      default:
        return type >= MIN_CUSTOM && type <= MAX_CUSTOM
            ? String.format("CUSTOM_%02X", type)
            : Wire.hex(type);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tlv && ((Tlv) o).type == type && Arrays.equals(((Tlv) o).value, value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder(typeName(type)).append('[').append(value.length).append("]=");
    int shown = Math.min(value.length, 64);
    for (int i = 0; i < shown; i++) {
      sb.append(String.format("%02x", value[i]));
    }
    if (shown < value.length) {
      sb.append("...");
    }
    return sb.toString();
  }
}
