package dev.vxdns.zone;

/**
 * Where a name lands in a zone's tree (RFC 1034 §4.3.2 step 3, with RFC 6672 and RFC 4592).
 *
 * @param kind what was found
 * @param node the node found: the name's own, the zone cut's, the DNAME owner's or the wildcard's;
 *     null for NXDOMAIN
 */
record Match(Kind kind, Node node) {

  enum Kind {
    /** The name exists (possibly as an empty non-terminal). */
    EXACT,
    /** The name does not exist; the wildcard (the node) synthesises it. */
    WILDCARD,
    /** The name is at or below a zone cut (the node). */
    DELEGATION,
    /** The name is strictly below a DNAME (the node). */
    DNAME,
    /** The name does not exist and no wildcard applies. */
    NXDOMAIN
  }
}
