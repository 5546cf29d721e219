package dev.vxdns.zone;

import org.xbill.DNS.Name;

/**
 * Where a name lands in a zone's tree (RFC 1034 §4.3.2 step 3, with RFC 6672 and RFC 4592).
 *
 * @param kind what was found
 * @param owner the node's name: the name itself, the zone cut, the DNAME owner or the wildcard
 * @param node the node at owner, or null for NXDOMAIN
 */
record Match(Kind kind, Name owner, Node node) {

  enum Kind {
    /** The name exists (possibly as an empty non-terminal). */
    EXACT,
    /** The name does not exist; the wildcard at owner synthesises it. */
    WILDCARD,
    /** The name is at or below the zone cut at owner. */
    DELEGATION,
    /** The name is strictly below the DNAME at owner. */
    DNAME,
    /** The name does not exist and no wildcard applies. */
    NXDOMAIN
  }
}
