package dev.vxdns.proxyprotocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The parsed value of a PP2_TYPE_SSL TLV: the client bit field, the verify result and the sub-TLVs
 * (VERSION, CN, CIPHER, SIG_ALG, KEY_ALG, or any other type, kept raw). Immutable.
 */
public final class SslInfo {
  /** PP2_CLIENT_SSL: the client connected over SSL/TLS. */
  public static final int CLIENT_SSL = 0x01;

  /** PP2_CLIENT_CERT_CONN: the client presented a certificate on this connection. */
  public static final int CLIENT_CERT_CONN = 0x02;

  /** PP2_CLIENT_CERT_SESS: the client presented a certificate at least once in this TLS session. */
  public static final int CLIENT_CERT_SESS = 0x04;

  private final int client;
  private final int verify;
  private final List<Tlv> subTlvs;

  private SslInfo(int client, int verify, List<Tlv> subTlvs) {
    this.client = client;
    this.verify = verify;
    this.subTlvs = subTlvs;
  }

  /**
   * An SSL value from its parts.
   *
   * @param client the client bit field, 0..255
   * @param verify the verify field (0: the client certificate was verified), as raw 32 bits
   * @param subTlvs the sub-TLVs in wire order
   * @throws IllegalArgumentException if client is out of range or the encoded value exceeds 65535
   *     bytes
   */
  public static SslInfo of(int client, int verify, List<Tlv> subTlvs) {
    if (client < 0 || client > 0xFF) {
      throw new IllegalArgumentException("client must be 0..255: " + client);
    }
    List<Tlv> copy = List.copyOf(subTlvs);
    long length = Wire.SSL_PREFIX_LENGTH;
    for (Tlv t : copy) {
      length += t.encodedLength();
    }
    if (length > Tlv.MAX_VALUE_LENGTH) {
      throw new IllegalArgumentException("SSL TLV value longer than 65535 bytes: " + length);
    }
    return new SslInfo(client, verify, copy);
  }

  /** A builder starting from client 0, verify 0 and no sub-TLVs. */
  public static Builder builder() {
    return new Builder();
  }

  /** Parses an SSL TLV value that {@link Wire#checkTlvValue} accepted. Package use only. */
  static SslInfo parseChecked(byte[] b, int start, int length) {
    int client = b[start] & 0xFF;
    int verify = Wire.s32(b, start + 1);
    int end = start + length;
    int p = start + Wire.SSL_PREFIX_LENGTH;
    if (p == end) {
      return new SslInfo(client, verify, List.of());
    }
    List<Tlv> subs = new ArrayList<>(4);
    while (p < end) {
      int type = b[p] & 0xFF;
      int len = Wire.u16(b, p + 1);
      subs.add(Tlv.copyOf(type, b, p + 3, len));
      p += 3 + len;
    }
    return new SslInfo(client, verify, List.copyOf(subs));
  }

  /**
   * Parses the value of an SSL TLV.
   *
   * @throws IllegalArgumentException if the TLV is not of type SSL or is malformed
   */
  public static SslInfo parse(Tlv tlv) {
    if (tlv.type() != Tlv.SSL) {
      throw new IllegalArgumentException("not an SSL TLV: " + Tlv.typeName(tlv.type()));
    }
    byte[] v = tlv.rawValue();
    DecodeResult.Invalid bad = Wire.checkTlvValue(Tlv.SSL, v, 0, v.length, 0);
    if (bad != null) {
      throw new IllegalArgumentException(bad.reason() + ": " + bad.detail());
    }
    return parseChecked(v, 0, v.length);
  }

  /** Encodes this value as a PP2_TYPE_SSL TLV. */
  public Tlv toTlv() {
    byte[] v = new byte[encodedValueLength()];
    v[0] = (byte) client;
    Wire.put32(v, 1, verify);
    int p = Wire.SSL_PREFIX_LENGTH;
    for (Tlv t : subTlvs) {
      p = t.writeTo(v, p);
    }
    return Tlv.of(Tlv.SSL, v);
  }

  private int encodedValueLength() {
    int length = Wire.SSL_PREFIX_LENGTH;
    for (Tlv t : subTlvs) {
      length += t.encodedLength();
    }
    return length;
  }

  /** The client bit field (see the {@code CLIENT_*} constants). */
  public int client() {
    return client;
  }

  /** Whether {@link #CLIENT_SSL} is set. */
  public boolean isClientSsl() {
    return (client & CLIENT_SSL) != 0;
  }

  /** Whether {@link #CLIENT_CERT_CONN} is set. */
  public boolean isClientCertConn() {
    return (client & CLIENT_CERT_CONN) != 0;
  }

  /** Whether {@link #CLIENT_CERT_SESS} is set. */
  public boolean isClientCertSess() {
    return (client & CLIENT_CERT_SESS) != 0;
  }

  /** The verify field as raw 32 bits (an unsigned value on the wire). */
  public int verify() {
    return verify;
  }

  /** Whether verify is 0: the client presented a certificate and it was verified. */
  public boolean isVerified() {
    return verify == 0;
  }

  /** The sub-TLVs in wire order. */
  public List<Tlv> subTlvs() {
    return subTlvs;
  }

  /** The first sub-TLV of a type. */
  public Optional<Tlv> subTlv(int type) {
    for (Tlv t : subTlvs) {
      if (t.type() == type) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** PP2_SUBTYPE_SSL_VERSION, e.g. "TLSv1.3". */
  public Optional<String> version() {
    return subTlv(Tlv.SSL_VERSION).map(Tlv::valueAsString);
  }

  /** PP2_SUBTYPE_SSL_CN, the client certificate's Common Name. */
  public Optional<String> commonName() {
    return subTlv(Tlv.SSL_CN).map(Tlv::valueAsString);
  }

  /** PP2_SUBTYPE_SSL_CIPHER, e.g. "ECDHE-RSA-AES128-GCM-SHA256". */
  public Optional<String> cipher() {
    return subTlv(Tlv.SSL_CIPHER).map(Tlv::valueAsString);
  }

  /** PP2_SUBTYPE_SSL_SIG_ALG, e.g. "RSA-SHA256". */
  public Optional<String> signatureAlgorithm() {
    return subTlv(Tlv.SSL_SIG_ALG).map(Tlv::valueAsString);
  }

  /** PP2_SUBTYPE_SSL_KEY_ALG, e.g. "RSA2048". */
  public Optional<String> keyAlgorithm() {
    return subTlv(Tlv.SSL_KEY_ALG).map(Tlv::valueAsString);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SslInfo)) {
      return false;
    }
    SslInfo s = (SslInfo) o;
    return s.client == client && s.verify == verify && s.subTlvs.equals(subTlvs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(client, verify, subTlvs);
  }

  @Override
  public String toString() {
    return "SslInfo{client="
        + Wire.hex(client)
        + ", verify="
        + Integer.toUnsignedString(verify)
        + ", subTlvs="
        + subTlvs
        + '}';
  }

  /** Builds an {@link SslInfo}; not thread-safe. */
  public static final class Builder {
    private int client;
    private int verify;
    private final List<Tlv> subTlvs = new ArrayList<>();

    private Builder() {}

    /** Sets the client bit field (0..255). */
    public Builder client(int client) {
      this.client = client;
      return this;
    }

    /** Sets the verify field (0 = verified). */
    public Builder verify(int verify) {
      this.verify = verify;
      return this;
    }

    /** Appends an SSL_VERSION sub-TLV. */
    public Builder version(String version) {
      return ascii(Tlv.SSL_VERSION, version);
    }

    /** Appends an SSL_CN sub-TLV (UTF-8). */
    public Builder commonName(String cn) {
      return subTlv(Tlv.ofString(Tlv.SSL_CN, cn));
    }

    /** Appends an SSL_CIPHER sub-TLV. */
    public Builder cipher(String cipher) {
      return ascii(Tlv.SSL_CIPHER, cipher);
    }

    /** Appends an SSL_SIG_ALG sub-TLV. */
    public Builder signatureAlgorithm(String alg) {
      return ascii(Tlv.SSL_SIG_ALG, alg);
    }

    /** Appends an SSL_KEY_ALG sub-TLV. */
    public Builder keyAlgorithm(String alg) {
      return ascii(Tlv.SSL_KEY_ALG, alg);
    }

    /** Appends any sub-TLV. */
    public Builder subTlv(Tlv tlv) {
      subTlvs.add(Objects.requireNonNull(tlv, "tlv"));
      return this;
    }

    private Builder ascii(int type, String s) {
      return subTlv(Tlv.of(type, s.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The value; see {@link SslInfo#of}. */
    public SslInfo build() {
      return SslInfo.of(client, verify, subTlvs);
    }
  }
}
