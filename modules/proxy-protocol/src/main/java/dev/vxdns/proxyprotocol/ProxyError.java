package dev.vxdns.proxyprotocol;

/**
 * Every way a PROXY protocol v2 header can be malformed. Each malformation has exactly one error;
 * when a header has several, the decoder reports the first one in wire order, except {@link
 * #BAD_CRC32C}, which is checked after the whole header has been parsed.
 */
public enum ProxyError {
  /**
   * The input does not start with the 12-byte v2 signature {@code 0D 0A 0D 0A 00 0D 0A 51 55 49 54
   * 0A}.
   */
  BAD_SIGNATURE("bad PROXY v2 signature"),
  /** The input starts with "PROXY": a v1 text header. Only v2 is accepted (as BIND 9). */
  PROXY_V1_NOT_SUPPORTED("PROXY protocol v1 (text) header; only v2 is supported"),
  /** The version nibble (high nibble of byte 13) is not 2. */
  BAD_VERSION("bad PROXY protocol version"),
  /** The command nibble (low nibble of byte 13) is neither LOCAL (0) nor PROXY (1). */
  BAD_COMMAND("bad PROXY command"),
  /** The address family nibble (high nibble of byte 14) is above 3. */
  BAD_FAMILY("bad address family"),
  /**
   * The transport protocol nibble (low nibble of byte 14) is above 2, or the family/protocol byte
   * is not one of the seven valid combinations (00, 11, 12, 21, 22, 31, 32).
   */
  BAD_PROTOCOL("bad or unsupported family/protocol byte"),
  /** The header (16 bytes + declared length) is larger than the decoder's maximum. */
  HEADER_TOO_LARGE("header larger than the configured maximum"),
  /** The declared length is smaller than the address block of the declared family. */
  ADDRESS_BLOCK_TOO_SHORT("address block shorter than the family requires"),
  /** Datagram only: the datagram ends inside the 16-byte fixed header. */
  TRUNCATED("datagram shorter than the 16-byte fixed header"),
  /** Datagram only: 16 + the declared length exceeds the datagram. */
  LENGTH_BEYOND_DATA("declared header length exceeds the datagram"),
  /**
   * A TLV header or value runs past the end of the header (including 1 or 2 stray trailing bytes).
   */
  TLV_OVERRUN("TLV runs past the end of the header"),
  /** A PP2_TYPE_CRC32C TLV whose value is not exactly 4 bytes. */
  BAD_CRC32C_LENGTH("CRC32C TLV value is not 4 bytes"),
  /** More than one PP2_TYPE_CRC32C TLV. */
  DUPLICATE_CRC32C("more than one CRC32C TLV"),
  /** The CRC32C checksum does not match the header. */
  BAD_CRC32C("CRC32C checksum mismatch"),
  /** A PP2_TYPE_UNIQUE_ID TLV longer than 128 bytes. */
  UNIQUE_ID_TOO_LONG("UNIQUE_ID TLV longer than 128 bytes"),
  /** A PP2_TYPE_SSL TLV shorter than its 5-byte client + verify prefix. */
  SSL_TLV_TOO_SHORT("SSL TLV shorter than 5 bytes"),
  /** A sub-TLV inside a PP2_TYPE_SSL TLV runs past the end of the SSL TLV. */
  SSL_SUB_TLV_OVERRUN("SSL sub-TLV runs past the end of the SSL TLV");

  private final String description;

  ProxyError(String description) {
    this.description = description;
  }

  /** A short human-readable description. */
  public String description() {
    return description;
  }
}
