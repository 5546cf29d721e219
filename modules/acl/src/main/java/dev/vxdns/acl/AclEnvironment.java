package dev.vxdns.acl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the built-in ACLs {@code localhost} and {@code localnets} depend on: the host's own
 * addresses and the networks of its interfaces (BIND ARM, section 8.1: "localhost matches the IPv4
 * and IPv6 addresses of all network interfaces on the system"; "localnets matches any host on an
 * IPv4 or IPv6 network for which the system has an interface").
 *
 * <p>An environment is fixed when a list is compiled: the built-ins are compiled into the list's
 * prefix tries. BIND rescans interfaces periodically; here a changed environment means compiling
 * the lists again (a config reload does so). Injecting an environment with {@link #of} makes the
 * built-ins testable.
 *
 * <p>It also holds the GeoIP2 databases that {@code geoip} elements look addresses up in ({@link
 * #withGeoip}); without them a {@code geoip} element does not compile.
 *
 * <p>Immutable.
 */
public final class AclEnvironment {
  private static final AclEnvironment EMPTY = new AclEnvironment(List.of(), List.of());

  private final List<IpPrefix> localhost;
  private final List<IpPrefix> localnets;

  /** The GeoIP2 databases, or null if none were configured. */
  private final GeoipDatabases geoip;

  private AclEnvironment(List<IpPrefix> localhost, List<IpPrefix> localnets) {
    this(localhost, localnets, null);
  }

  private AclEnvironment(List<IpPrefix> localhost, List<IpPrefix> localnets, GeoipDatabases geoip) {
    this.localhost = localhost;
    this.localnets = localnets;
    this.geoip = geoip;
  }

  /**
   * This environment with the GeoIP2 databases of {@code directory} (BIND's {@code
   * geoip-directory}), opened as BIND opens them: GeoIP2-Country.mmdb or GeoLite2-Country.mmdb,
   * GeoIP2-City.mmdb or GeoLite2-City.mmdb, GeoIP2-ASN.mmdb or GeoLite2-ASN.mmdb, GeoIP2-ISP.mmdb
   * and GeoIP2-Domain.mmdb, whichever exist (none is required; a {@code geoip} element that needs a
   * missing one does not compile). The files are memory-mapped now and never read again from disk:
   * to pick up new files, call this again and compile the lists again (a config reload does so).
   * Replaces any databases this environment had.
   *
   * @throws IOException if {@code directory} is not a directory, or a file there cannot be read as
   *     a GeoIP2 database of its kind
   */
  public AclEnvironment withGeoip(Path directory) throws IOException {
    return new AclEnvironment(
        localhost, localnets, GeoipDatabases.open(Objects.requireNonNull(directory, "directory")));
  }

  /** The GeoIP2 database files in use, empty if none ({@link #withGeoip}). */
  public List<Path> geoipFiles() {
    return geoip == null ? List.of() : geoip.files();
  }

  /**
   * Closes the GeoIP2 databases of {@link #withGeoip}, if any: when the lists compiled against this
   * environment are no longer used (the node stops, or a reload replaced them).
   */
  public void closeGeoip() {
    if (geoip != null) {
      geoip.close();
    }
  }

  /** The GeoIP2 databases, or null if none were configured. */
  GeoipDatabases geoip() {
    return geoip;
  }

  /**
   * The environment of this host, from {@link NetworkInterface}: every address of every interface
   * that is up (loopback included), and each address's network. Scanned once per JVM, on first use.
   *
   * @throws UncheckedIOException if the interfaces cannot be listed (then on every call: a silent
   *     fallback would change what {@code localnets} and {@code !localnets} match)
   */
  public static AclEnvironment ofThisHost() {
    Object scanned = ThisHost.SCANNED;
    if (scanned instanceof UncheckedIOException e) {
      throw new UncheckedIOException(e.getMessage(), e.getCause());
    }
    return (AclEnvironment) scanned;
  }

  /**
   * An environment with the given host addresses and networks. Networks are written {@code
   * ADDRESS/LENGTH}; host bits are allowed and cleared, so an interface's own notation ({@code
   * 192.0.2.7/24}) works. A bare address is a host network (/32, /128).
   *
   * @throws IllegalArgumentException if a network is malformed
   */
  public static AclEnvironment of(Collection<InetAddress> localhost, Collection<String> localnets) {
    Set<IpPrefix> hosts = new LinkedHashSet<>();
    for (InetAddress a : localhost) {
      hosts.add(IpPrefix.host(Objects.requireNonNull(a, "localhost address")));
    }
    Set<IpPrefix> nets = new LinkedHashSet<>();
    for (String n : localnets) {
      nets.add(parseNetwork(Objects.requireNonNull(n, "localnets network")));
    }
    return new AclEnvironment(List.copyOf(hosts), List.copyOf(nets));
  }

  /** No local addresses: {@code localhost} and {@code localnets} match nothing. */
  public static AclEnvironment empty() {
    return EMPTY;
  }

  private static IpPrefix parseNetwork(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    try {
      byte[] address = IpPrefix.parseAddress(slash < 0 ? t : t.substring(0, slash));
      if (slash < 0) {
        return IpPrefix.fromBytes(address, -1);
      }
      int length = IpPrefix.parseLength(t.substring(slash + 1));
      int max = address.length * 8;
      if (length > max) {
        throw new InvalidSyntax("prefix length " + length + " out of range 0-" + max);
      }
      return IpPrefix.fromBytes(address, length).masked();
    } catch (InvalidSyntax e) {
      throw new IllegalArgumentException("localnets network '" + text + "': " + e.problem());
    }
  }

  /** The host addresses, as host prefixes ({@code 127.0.0.1/32}). */
  public List<String> localhost() {
    return texts(localhost);
  }

  /** The local networks ({@code 192.0.2.0/24}). */
  public List<String> localnets() {
    return texts(localnets);
  }

  /** Whether {@code address} is one of the host addresses (what {@code localhost} matches). */
  public boolean isLocalhost(InetAddress address) {
    return localhost.contains(IpPrefix.host(address));
  }

  List<IpPrefix> localhostPrefixes() {
    return localhost;
  }

  List<IpPrefix> localnetsPrefixes() {
    return localnets;
  }

  private static List<String> texts(List<IpPrefix> prefixes) {
    List<String> out = new ArrayList<>(prefixes.size());
    for (IpPrefix p : prefixes) {
      out.add(p.toString());
    }
    return Collections.unmodifiableList(out);
  }

  @Override
  public boolean equals(Object o) {
    // Databases compare by identity: two openings of a directory may see different files.
    return o instanceof AclEnvironment e
        && e.localhost.equals(localhost)
        && e.localnets.equals(localnets)
        && e.geoip == geoip;
  }

  @Override
  public int hashCode() {
    return (localhost.hashCode() * 31 + localnets.hashCode()) * 31 + System.identityHashCode(geoip);
  }

  @Override
  public String toString() {
    return "AclEnvironment[localhost="
        + localhost()
        + ", localnets="
        + localnets()
        + (geoip == null ? "" : ", geoip=" + geoip.files())
        + "]";
  }

  /** Lazy holder: the scan runs once, on first use, and its result (or failure) never changes. */
  private static final class ThisHost {
    static final Object SCANNED = scan();

    private static Object scan() {
      try {
        Set<IpPrefix> hosts = new LinkedHashSet<>();
        Set<IpPrefix> nets = new LinkedHashSet<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          if (!nif.isUp()) {
            continue;
          }
          for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
            InetAddress a = ia.getAddress();
            hosts.add(IpPrefix.host(a));
            nets.add(IpPrefix.network(a, ia.getNetworkPrefixLength()));
          }
        }
        return new AclEnvironment(List.copyOf(hosts), List.copyOf(nets));
      } catch (SocketException e) {
        return new UncheckedIOException(
            "cannot list network interfaces for localhost/localnets", e);
      }
    }
  }
}
