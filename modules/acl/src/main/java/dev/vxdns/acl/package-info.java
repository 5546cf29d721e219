/**
 * BIND address-match lists (BIND 9 ARM, section 7.1): {@link dev.vxdns.acl.AddressMatchList#compile}
 * turns the JSON form of a list (strings, nested arrays, {@code {"!": [...]}}) into an immutable,
 * thread-safe structure that {@link dev.vxdns.acl.AddressMatchList#evaluate} checks with BIND's
 * first-match rules. No dependencies, no I/O (except the one-time interface scan of
 * {@link dev.vxdns.acl.AclEnvironment#ofThisHost()}), no DNS.
 */
package dev.vxdns.acl;
