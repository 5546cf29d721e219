package dev.vxdns.acl;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
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
 * <p>Immutable.
 */
public final class AclEnvironment {
    private static final AclEnvironment EMPTY = new AclEnvironment(List.of(), List.of());

    private final List<IpPrefix> localhost;
    private final List<IpPrefix> localnets;

    private AclEnvironment(List<IpPrefix> localhost, List<IpPrefix> localnets) {
        this.localhost = localhost;
        this.localnets = localnets;
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
     * An environment with the given host addresses and networks. Networks are written
     * {@code ADDRESS/LENGTH}; host bits are allowed and cleared, so an interface's own notation
     * ({@code 192.0.2.7/24}) works. A bare address is a host network (/32, /128).
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
        return o instanceof AclEnvironment e && e.localhost.equals(localhost) && e.localnets.equals(localnets);
    }

    @Override
    public int hashCode() {
        return localhost.hashCode() * 31 + localnets.hashCode();
    }

    @Override
    public String toString() {
        return "AclEnvironment[localhost=" + localhost() + ", localnets=" + localnets() + "]";
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
                return new UncheckedIOException("cannot list network interfaces for localhost/localnets", e);
            }
        }
    }
}
