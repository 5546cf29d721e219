package dev.vxdns.acl;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What one evaluation of an address-match list looks at: the client address and the verified
 * TSIG/SIG(0) key name ({@code key} elements). The EDNS Client-Subnet option, the local port and
 * the transport are added here (as optional fields with {@code with...} methods) when the element
 * kinds that need them ({@code ecs}, {@code geoip}, port/transport qualifiers) are added.
 *
 * <p>The address is converted to the matching key once, here, so that evaluating several lists
 * (allow-query, allow-transfer, ...) for one request does not repeat the work. An IPv4-mapped IPv6
 * address ({@code ::ffff:192.0.2.1}) is matched as the IPv4 address it carries, as BIND does: it is
 * an IPv4 client seen through a dual-stack socket. It therefore matches IPv4 elements and not
 * IPv6 ones such as {@code ::/0}. {@link #address()} still returns the address as given.
 *
 * <p>Immutable.
 */
public final class MatchContext {
    private final InetAddress address;
    private final IpPrefix key;
    private final String keyName;

    private MatchContext(InetAddress address, IpPrefix key, String keyName) {
        this.address = address;
        this.key = key;
        this.keyName = keyName;
    }

    /** A context for a request from {@code address} (the effective client address). */
    public static MatchContext of(InetAddress address) {
        return new MatchContext(Objects.requireNonNull(address, "address"), IpPrefix.host(address), null);
    }

    /** The same request, signed and verified with the TSIG key (or SIG(0) signer) {@code name}. */
    public MatchContext withKey(String name) {
        return new MatchContext(address, key, name == null ? null : canonicalKey(name));
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

    /** The client address as a host prefix of the family it is matched in (mapped = IPv4). */
    IpPrefix key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MatchContext c && c.address.equals(address) && Objects.equals(c.keyName, keyName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, keyName);
    }

    @Override
    public String toString() {
        return "MatchContext[address=" + address.getHostAddress() + (keyName == null ? "" : ", key=" + keyName) + "]";
    }
}
