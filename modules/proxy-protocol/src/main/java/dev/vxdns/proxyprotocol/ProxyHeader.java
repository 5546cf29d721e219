package dev.vxdns.proxyprotocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An immutable, decoded (or to-be-encoded) PROXY protocol v2 header: command, address family,
 * transport protocol, the two endpoints, and the TLVs in wire order.
 *
 * <p>Endpoints: {@link AddressFamily#INET}/{@link AddressFamily#INET6} headers carry {@link
 * InetSocketAddress}es (never resolved, no DNS lookups), {@link AddressFamily#UNIX} headers carry
 * socket paths, {@link AddressFamily#UNSPEC} headers carry none. A LOCAL header may carry addresses
 * too; per the spec the receiver ignores them.
 *
 * <p>{@link #length()} is the exact number of bytes the header takes on the wire: for a decoded
 * header, how many bytes the caller strips in front of the payload.
 */
public final class ProxyHeader {
  /** Length of the fixed part: signature, version/command, family/protocol, length. */
  public static final int FIXED_LENGTH = Wire.FIXED_LENGTH;

  /** Largest possible header: 16 + 65535. */
  public static final int MAX_LENGTH = Wire.MAX_LENGTH;

  /** Size of each Unix path field. */
  public static final int UNIX_PATH_LENGTH = Wire.UNIX_PATH_LENGTH;

  /** Largest UNIQUE_ID value. */
  public static final int MAX_UNIQUE_ID_LENGTH = Wire.MAX_UNIQUE_ID_LENGTH;

  private static final ProxyHeader LOCAL =
      new ProxyHeader(
          Command.LOCAL,
          AddressFamily.UNSPEC,
          TransportProtocol.UNSPEC,
          null,
          null,
          null,
          null,
          List.of());

  private final Command command;
  private final AddressFamily family;
  private final TransportProtocol protocol;
  private final InetSocketAddress source;
  private final InetSocketAddress destination;
  private final byte[] sourcePath;
  private final byte[] destinationPath;
  private final List<Tlv> tlvs;
  private final int length;

  /** No checks: callers (decoder, builder) have validated everything. */
  ProxyHeader(
      Command command,
      AddressFamily family,
      TransportProtocol protocol,
      InetSocketAddress source,
      InetSocketAddress destination,
      byte[] sourcePath,
      byte[] destinationPath,
      List<Tlv> tlvs) {
    this.command = command;
    this.family = family;
    this.protocol = protocol;
    this.source = source;
    this.destination = destination;
    this.sourcePath = sourcePath;
    this.destinationPath = destinationPath;
    this.tlvs = tlvs;
    int n = FIXED_LENGTH + family.addressLength();
    for (Tlv t : tlvs) {
      n += t.encodedLength();
    }
    this.length = n;
  }

  /** LOCAL, UNSPEC family and protocol, no addresses, no TLVs: a 16-byte header (health checks). */
  public static ProxyHeader local() {
    return LOCAL;
  }

  /**
   * A PROXY header for TCP ({@link TransportProtocol#STREAM}) or UDP ({@link
   * TransportProtocol#DGRAM}) with two IPv4 or two IPv6 endpoints and no TLVs.
   */
  public static ProxyHeader proxy(
      TransportProtocol protocol, InetSocketAddress source, InetSocketAddress destination) {
    return builder().protocol(protocol).addresses(source, destination).build();
  }

  /** A builder for a PROXY command with no addresses and no TLVs yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this header's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.command = command;
    b.family = family;
    b.protocol = protocol;
    b.source = source;
    b.destination = destination;
    b.sourcePath = sourcePath;
    b.destinationPath = destinationPath;
    b.tlvs.addAll(tlvs);
    return b;
  }

  /** LOCAL or PROXY. */
  public Command command() {
    return command;
  }

  /** Whether the command is LOCAL (use the real connection endpoints). */
  public boolean isLocal() {
    return command == Command.LOCAL;
  }

  /** The address family. */
  public AddressFamily family() {
    return family;
  }

  /** The transport protocol. */
  public TransportProtocol protocol() {
    return protocol;
  }

  /** The source (client) address and port, for INET and INET6 headers. */
  public Optional<InetSocketAddress> sourceAddress() {
    return Optional.ofNullable(source);
  }

  /** The destination (the address the client connected to) and port, for INET and INET6 headers. */
  public Optional<InetSocketAddress> destinationAddress() {
    return Optional.ofNullable(destination);
  }

  /** The source socket path (UTF-8, up to the first NUL), for UNIX headers. */
  public Optional<String> sourceUnixPath() {
    return sourcePath == null
        ? Optional.empty()
        : Optional.of(new String(sourcePath, StandardCharsets.UTF_8));
  }

  /** The destination socket path (UTF-8, up to the first NUL), for UNIX headers. */
  public Optional<String> destinationUnixPath() {
    return destinationPath == null
        ? Optional.empty()
        : Optional.of(new String(destinationPath, StandardCharsets.UTF_8));
  }

  /** The raw bytes of the source socket path (up to the first NUL), for UNIX headers. */
  public Optional<byte[]> sourceUnixPathBytes() {
    return sourcePath == null ? Optional.empty() : Optional.of(sourcePath.clone());
  }

  /** The raw bytes of the destination socket path (up to the first NUL), for UNIX headers. */
  public Optional<byte[]> destinationUnixPathBytes() {
    return destinationPath == null ? Optional.empty() : Optional.of(destinationPath.clone());
  }

  /** All TLVs in wire order, including NOOP, CRC32C, custom and unknown types. */
  public List<Tlv> tlvs() {
    return tlvs;
  }

  /** The first TLV of a type. */
  public Optional<Tlv> tlv(int type) {
    for (Tlv t : tlvs) {
      if (t.type() == type) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Every TLV of a type, in wire order. */
  public List<Tlv> tlvs(int type) {
    List<Tlv> out = new ArrayList<>(1);
    for (Tlv t : tlvs) {
      if (t.type() == type) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /** The TLVs in the custom range 0xE0..0xEF (e.g. dnsdist's proxy protocol values). */
  public List<Tlv> customTlvs() {
    List<Tlv> out = new ArrayList<>(1);
    for (Tlv t : tlvs) {
      if (t.isCustom()) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /**
   * PP2_TYPE_ALPN as a string (UTF-8 decoding of the bytes; raw bytes via {@code tlv(Tlv.ALPN)}).
   */
  public Optional<String> alpn() {
    return tlv(Tlv.ALPN).map(Tlv::valueAsString);
  }

  /** PP2_TYPE_AUTHORITY: the host name (SNI) the client asked for. */
  public Optional<String> authority() {
    return tlv(Tlv.AUTHORITY).map(Tlv::valueAsString);
  }

  /** PP2_TYPE_UNIQUE_ID: the opaque connection id (a copy). */
  public Optional<byte[]> uniqueId() {
    return tlv(Tlv.UNIQUE_ID).map(Tlv::value);
  }

  /** PP2_TYPE_SSL, parsed. */
  public Optional<SslInfo> ssl() {
    return tlv(Tlv.SSL).map(t -> SslInfo.parseChecked(t.rawValue(), 0, t.length()));
  }

  /** PP2_TYPE_NETNS: the network namespace name. */
  public Optional<String> netns() {
    return tlv(Tlv.NETNS).map(Tlv::valueAsString);
  }

  /**
   * The value of the PP2_TYPE_CRC32C TLV as an unsigned 32-bit number. On a decoded header it has
   * been verified; on a built header the encoder overwrites it with the computed checksum.
   */
  public OptionalLong crc32c() {
    Optional<Tlv> t = tlv(Tlv.CRC32C);
    return t.isPresent()
        ? OptionalLong.of(Integer.toUnsignedLong(Wire.s32(t.get().rawValue(), 0)))
        : OptionalLong.empty();
  }

  /** The exact number of bytes of this header on the wire. */
  public int length() {
    return length;
  }

  InetSocketAddress rawSource() {
    return source;
  }

  InetSocketAddress rawDestination() {
    return destination;
  }

  byte[] rawSourcePath() {
    return sourcePath;
  }

  byte[] rawDestinationPath() {
    return destinationPath;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ProxyHeader)) {
      return false;
    }
    ProxyHeader h = (ProxyHeader) o;
    return command == h.command
        && family == h.family
        && protocol == h.protocol
        && Objects.equals(source, h.source)
        && Objects.equals(destination, h.destination)
        && Arrays.equals(sourcePath, h.sourcePath)
        && Arrays.equals(destinationPath, h.destinationPath)
        && tlvs.equals(h.tlvs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        command,
        family,
        protocol,
        source,
        destination,
        Arrays.hashCode(sourcePath),
        Arrays.hashCode(destinationPath),
        tlvs);
  }

  @Override
  public String toString() {
    StringBuilder sb =
        new StringBuilder("ProxyHeader{")
            .append(command)
            .append(' ')
            .append(family)
            .append(' ')
            .append(protocol);
    if (source != null) {
      sb.append(' ').append(endpoint(source)).append(" -> ").append(endpoint(destination));
    } else if (sourcePath != null) {
      sb.append(" unix:")
          .append(sourceUnixPath().orElse(""))
          .append(" -> unix:")
          .append(destinationUnixPath().orElse(""));
    }
    if (!tlvs.isEmpty()) {
      sb.append(", tlvs=").append(tlvs);
    }
    return sb.append(", length=").append(length).append('}').toString();
  }

  private static String endpoint(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ':' + a.getPort();
  }

  /**
   * Builds a {@link ProxyHeader}, checking every rule the decoder checks, so that whatever builds
   * also encodes and decodes back to an equal header. Not thread-safe.
   */
  public static final class Builder {
    private Command command = Command.PROXY;
    private AddressFamily family = AddressFamily.UNSPEC;
    private TransportProtocol protocol = TransportProtocol.UNSPEC;
    private InetSocketAddress source;
    private InetSocketAddress destination;
    private byte[] sourcePath;
    private byte[] destinationPath;
    private final List<Tlv> tlvs = new ArrayList<>();

    private Builder() {}

    /** LOCAL or PROXY (default PROXY). */
    public Builder command(Command command) {
      this.command = Objects.requireNonNull(command, "command");
      return this;
    }

    /** STREAM or DGRAM for addressed families; UNSPEC (the default) for the UNSPEC family. */
    public Builder protocol(TransportProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * Sets two resolved IPv4 (family INET) or two IPv6 (family INET6) endpoints.
     *
     * @throws IllegalArgumentException if an address is unresolved or the two families differ
     */
    public Builder addresses(InetSocketAddress source, InetSocketAddress destination) {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
      if (source.getAddress() == null || destination.getAddress() == null) {
        throw new IllegalArgumentException(
            "addresses must be resolved: " + source + ", " + destination);
      }
      boolean v4 = source.getAddress() instanceof Inet4Address;
      if (v4 != destination.getAddress() instanceof Inet4Address) {
        throw new IllegalArgumentException(
            "source and destination must both be IPv4 or both IPv6: "
                + source
                + ", "
                + destination);
      }
      this.family = v4 ? AddressFamily.INET : AddressFamily.INET6;
      this.source = source;
      this.destination = destination;
      this.sourcePath = null;
      this.destinationPath = null;
      return this;
    }

    /** Sets two Unix socket paths (family UNIX); each at most 108 UTF-8 bytes, without NUL. */
    public Builder unixPaths(String source, String destination) {
      return unixPaths(
          Objects.requireNonNull(source, "source").getBytes(StandardCharsets.UTF_8),
          Objects.requireNonNull(destination, "destination").getBytes(StandardCharsets.UTF_8));
    }

    /** Sets two raw Unix socket paths (family UNIX); each at most 108 bytes, without NUL. */
    public Builder unixPaths(byte[] source, byte[] destination) {
      this.sourcePath = checkPath(source, "source");
      this.destinationPath = checkPath(destination, "destination");
      this.family = AddressFamily.UNIX;
      this.source = null;
      this.destination = null;
      return this;
    }

    private static byte[] checkPath(byte[] path, String what) {
      Objects.requireNonNull(path, what);
      if (path.length > UNIX_PATH_LENGTH) {
        throw new IllegalArgumentException(what + " path longer than 108 bytes: " + path.length);
      }
      for (byte b : path) {
        if (b == 0) {
          throw new IllegalArgumentException(what + " path contains a NUL byte");
        }
      }
      return path.clone();
    }

    /** Removes the addresses: family UNSPEC (set the protocol to UNSPEC too). */
    public Builder noAddresses() {
      this.family = AddressFamily.UNSPEC;
      this.source = null;
      this.destination = null;
      this.sourcePath = null;
      this.destinationPath = null;
      return this;
    }

    /** Appends a TLV (any type). */
    public Builder tlv(Tlv tlv) {
      tlvs.add(Objects.requireNonNull(tlv, "tlv"));
      return this;
    }

    /** Appends TLVs in order. */
    public Builder tlvs(List<Tlv> list) {
      for (Tlv t : list) {
        tlv(t);
      }
      return this;
    }

    /** Removes all TLVs. */
    public Builder clearTlvs() {
      tlvs.clear();
      return this;
    }

    /** Appends PP2_TYPE_ALPN. */
    public Builder alpn(String alpn) {
      return tlv(Tlv.ofString(Tlv.ALPN, alpn));
    }

    /** Appends PP2_TYPE_AUTHORITY. */
    public Builder authority(String authority) {
      return tlv(Tlv.ofString(Tlv.AUTHORITY, authority));
    }

    /** Appends PP2_TYPE_UNIQUE_ID (at most 128 bytes). */
    public Builder uniqueId(byte[] id) {
      return tlv(Tlv.of(Tlv.UNIQUE_ID, id));
    }

    /** Appends PP2_TYPE_SSL. */
    public Builder ssl(SslInfo ssl) {
      return tlv(ssl.toTlv());
    }

    /** Appends PP2_TYPE_NETNS. */
    public Builder netns(String namespace) {
      return tlv(Tlv.of(Tlv.NETNS, namespace.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Appends a PP2_TYPE_NOOP of {@code padding} zero bytes (the TLV takes 3 more). */
    public Builder noop(int padding) {
      return tlv(Tlv.of(Tlv.NOOP, new byte[padding]));
    }

    /** Appends a custom TLV (type 0xE0..0xEF). */
    public Builder custom(int type, byte[] value) {
      return tlv(Tlv.custom(type, value));
    }

    /**
     * Appends a PP2_TYPE_CRC32C TLV; {@link ProxyEncoder} writes the checksum of the whole header
     * into it.
     */
    public Builder crc32c() {
      return tlv(Tlv.of(Tlv.CRC32C, new byte[4]));
    }

    /**
     * The header.
     *
     * @throws IllegalArgumentException if the family/protocol combination is not one of the seven
     *     valid ones, a TLV breaks a rule the decoder checks, or the header would exceed 65551
     *     bytes
     */
    public ProxyHeader build() {
      if ((family == AddressFamily.UNSPEC) != (protocol == TransportProtocol.UNSPEC)) {
        throw new IllegalArgumentException(
            "invalid family/protocol combination "
                + family
                + "/"
                + protocol
                + ": UNSPEC family goes with UNSPEC protocol, addresses with STREAM or DGRAM");
      }
      long length = FIXED_LENGTH + family.addressLength();
      boolean crc = false;
      for (Tlv t : tlvs) {
        length += t.encodedLength();
        DecodeResult.Invalid bad = Wire.checkTlvValue(t.type(), t.rawValue(), 0, t.length(), 0);
        if (bad != null) {
          throw new IllegalArgumentException(bad.reason() + ": " + bad.detail());
        }
        if (t.type() == Tlv.CRC32C) {
          if (crc) {
            throw new IllegalArgumentException(
                ProxyError.DUPLICATE_CRC32C + ": at most one CRC32C TLV");
          }
          crc = true;
        }
      }
      if (length > MAX_LENGTH) {
        throw new IllegalArgumentException(
            "header would be " + length + " bytes, more than " + MAX_LENGTH);
      }
      return new ProxyHeader(
          command,
          family,
          protocol,
          source,
          destination,
          sourcePath,
          destinationPath,
          List.copyOf(tlvs));
    }
  }
}
