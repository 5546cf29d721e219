/**
 * BIND address-match lists (BIND 9 ARM, section 7.1): {@link
 * dev.vxdns.acl.AddressMatchList#compile} turns the JSON form of a list (strings, nested arrays,
 * {@code {"!": [...]}}) into an immutable, thread-safe structure that {@link
 * dev.vxdns.acl.AddressMatchList#evaluate} checks with BIND's first-match rules. One dependency
 * (MaxMind's GeoIP2 reader, for {@code geoip} elements), no I/O at evaluation (the interface scan
 * of {@link dev.vxdns.acl.AclEnvironment#ofThisHost()} happens once, GeoIP2 databases are
 * memory-mapped by {@link dev.vxdns.acl.AclEnvironment#withGeoip}), no DNS.
 */
package dev.vxdns.acl;
