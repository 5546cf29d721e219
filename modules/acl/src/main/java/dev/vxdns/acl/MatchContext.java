package dev.vxdns.acl;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What one evaluation of an address-match list looks at: the client address, the verified
 * TSIG/SIG(0) key name ({@code key} elements), the EDNS Client-Subnet option ({@code ecs}
 * elements), and the local port and transport the request arrived on (BIND 9.20's port/transport
 * qualifiers). Everything but the address is optional and added with a {@code with...} method; an
 * absent value never matches an element that needs it.
 *
 * <p>The address is converted to the matching key at most once, on the first list that has an
 * address element to compare (lists of only {@code any}, {@code none}, keys or ECS never need it),
 * so that evaluating several lists (allow-query, allow-transfer, ...) for one request does not
 * repeat the work. An IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1}) is an IPv6 client, as in
 * BIND 9.20 by default ({@code match-mapped-addresses no}): it matches IPv6 elements, not IPv4
 * ones.
 *
 * <p>Immutable.
 */
public final class MatchContext {
  private final InetAddress address;
  // Made on first use (key()); immutable, so a thread that sees it null makes an equal one.
  private IpPrefix key;
  private final String keyName;

  /** The ECS option's address and source prefix length, host bits cleared; null if none. */
  private final IpPrefix ecs;

  /** The local port, or 0 if not known. */
  private final int port;

  /** One of the {@link Transports} bits, or 0 if not known. */
  private final int transport;

  private MatchContext(
      InetAddress address, IpPrefix key, String keyName, IpPrefix ecs, int port, int transport) {
    this.address = address;
    this.key = key;
    this.keyName = keyName;
    this.ecs = ecs;
    this.port = port;
    this.transport = transport;
  }

  /** A context for a request from {@code address} (the effective client address). */
  public static MatchContext of(InetAddress address) {
    return new MatchContext(Objects.requireNonNull(address, "address"), null, null, null, 0, 0);
  }

  /**
   * A context for a request from {@code address}, received on the local {@code port} over {@code
   * transport}: {@code of(address).withPort(port).withTransport(transport)} in one object, as the
   * blackhole and the access lists make one per query.
   *
   * @throws IllegalArgumentException as {@link #withPort} and {@link #withTransport}
   */
  public static MatchContext of(InetAddress address, int port, String transport) {
    return new MatchContext(
        Objects.requireNonNull(address, "address"),
        null,
        null,
        null,
        checkedPort(port),
        transportBit(transport));
  }

  /**
   * The same request (key, ECS option, port and transport), matched on {@code address} instead:
   * e.g. the destination address for {@code allow-query-on}, without working the rest out again.
   */
  public MatchContext withAddress(InetAddress address) {
    return new MatchContext(
        Objects.requireNonNull(address, "address"), null, keyName, ecs, port, transport);
  }

  /** The same request, signed and verified with the TSIG key (or SIG(0) signer) {@code name}. */
  public MatchContext withKey(String name) {
    if (name == null && keyName == null) {
      return this;
    }
    return new MatchContext(
        address, key, name == null ? null : canonicalKey(name), ecs, port, transport);
  }

  /**
   * The same request, carrying an EDNS Client-Subnet option (RFC 7871) with this address and SOURCE
   * PREFIX-LENGTH. Address bits beyond the source prefix length are ignored (cleared). An
   * IPv4-mapped address stays IPv6, as elements do. A null {@code address} means "no ECS option".
   *
   * @throws IllegalArgumentException if the length is outside 0-32 (IPv4) or 0-128 (IPv6)
   */
  public MatchContext withEcs(InetAddress address, int sourcePrefixLength) {
    if (address == null) {
      return ecs == null
          ? this
          : new MatchContext(this.address, key, keyName, null, port, transport);
    }
    int max = address.getAddress().length * 8;
    if (sourcePrefixLength < 0 || sourcePrefixLength > max) {
      throw new IllegalArgumentException(
          "ECS source prefix length " + sourcePrefixLength + " out of range 0-" + max);
    }
    IpPrefix option = IpPrefix.fromBytes(address.getAddress(), sourcePrefixLength).masked();
    return new MatchContext(this.address, key, keyName, option, port, transport);
  }

  /**
   * The same request, received on this LOCAL port (the server's port, e.g. 53 or 853).
   *
   * @throws IllegalArgumentException if the port is outside 1-65535
   */
  public MatchContext withPort(int port) {
    return new MatchContext(address, key, keyName, ecs, checkedPort(port), transport);
  }

  private static int checkedPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " out of range 1-65535");
    }
    return port;
  }

  /**
   * The same request, received over this transport: {@code udp}, {@code tcp} (plain DNS over TCP),
   * {@code tls} (DNS over TLS; alias {@code dot}), {@code http} (DNS over HTTPS, as BIND names it;
   * aliases {@code https}, {@code doh}) or {@code http-plain} (DNS over HTTP without TLS; alias
   * {@code h2c}). Case-insensitive; null means unknown.
   *
   * @throws IllegalArgumentException for any other name
   */
  public MatchContext withTransport(String transport) {
    return new MatchContext(address, key, keyName, ecs, port, transportBit(transport));
  }

  private static int transportBit(String transport) {
    if (transport == null) {
      return 0;
    }
    int bit = Transports.ofRequest(transport);
    if (bit == 0) {
      throw new IllegalArgumentException(
          "unknown transport '"
              + transport
              + "' (expected one of "
              + Transports.REQUEST_NAMES
              + ")");
    }
    return bit;
  }

  /** The verified key's name, lower case with its trailing dot, or null for an unsigned request. */
  public String keyName() {
    return keyName;
  }

  static String canonicalKey(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    return lower.endsWith(".") ? lower : lower + ".";
  }

  /** The client address as given. */
  public InetAddress address() {
    return address;
  }

  /**
   * The ECS option as {@code ADDRESS/SOURCE-PREFIX-LENGTH} (host bits cleared), or null if none.
   */
  public String ecs() {
    return ecs == null ? null : ecs.toString();
  }

  /** The local port, or 0 if not set. */
  public int port() {
    return port;
  }

  /**
   * The transport's canonical (BIND) name, {@code udp}, {@code tcp}, {@code tls}, {@code http} or
   * {@code http-plain}; null if not set.
   */
  public String transport() {
    return transport == 0 ? null : Transports.name(transport);
  }

  /** The client address as a host prefix of its family. */
  IpPrefix key() {
    IpPrefix made = key;
    if (made == null) {
      made = IpPrefix.host(address);
      key = made;
    }
    return made;
  }

  /** Whether the address is IPv4 (as {@link #key()}'s family, without making the key). */
  boolean isIpv4() {
    return address instanceof java.net.Inet4Address;
  }

  IpPrefix ecsPrefix() {
    return ecs;
  }

  int transportBit() {
    return transport;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MatchContext c
        && c.address.equals(address)
        && Objects.equals(c.keyName, keyName)
        && Objects.equals(c.ecs, ecs)
        && c.port == port
        && c.transport == transport;
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, keyName, ecs, port, transport);
  }

  @Override
  public String toString() {
    return "MatchContext[address="
        + address.getHostAddress()
        + (keyName == null ? "" : ", key=" + keyName)
        + (ecs == null ? "" : ", ecs=" + ecs)
        + (port == 0 ? "" : ", port=" + port)
        + (transport == 0 ? "" : ", transport=" + Transports.name(transport))
        + "]";
  }
}
