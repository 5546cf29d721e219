package dev.vxdns.zone;

/**
 * What a positive answer carries beside its answer section, as BIND's {@code minimal-responses}
 * decides it per query ({@link MinimalResponses#extras}). Referrals always carry their NS RRset and
 * glue, negative answers their SOA, whatever this says.
 */
public enum AnswerExtras {
  /** The answer alone. */
  NONE,
  /** The addresses of the answer's NS, MX and SRV targets in the additional section. */
  ADDITIONAL,
  /** Also the zone's NS RRset in the authority section, and its name servers' addresses. */
  AUTHORITY
}
