package dev.vxdns.zone;

import java.util.Locale;
import org.xbill.DNS.Type;

/**
 * BIND 9.20's {@code minimal-responses}: which positive answers carry the zone's NS RRset in the
 * authority section and additional addresses. BIND's default, {@code no-auth-recursive}, gives the
 * NS RRset to queries without RD (what resolvers send to authoritative servers) and leaves it out
 * for queries with RD.
 */
public enum MinimalResponses {
  /** Additional addresses and the NS RRset in every positive answer. */
  NO("no"),
  /** Neither. */
  YES("yes"),
  /** Additional addresses, never the NS RRset. */
  NO_AUTH("no-auth"),
  /** Additional addresses; the NS RRset only for queries without RD. */
  NO_AUTH_RECURSIVE("no-auth-recursive");

  private final String text;

  MinimalResponses(String text) {
    this.text = text;
  }

  /**
   * The option's value as BIND writes it: {@code yes}, {@code no}, {@code no-auth}, {@code
   * no-auth-recursive} (also {@code true} and {@code false}, as BIND's booleans).
   *
   * @throws IllegalArgumentException naming the values it takes
   */
  public static MinimalResponses parse(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "yes":
      case "true":
        return YES;
      case "no":
      case "false":
        return NO;
      case "no-auth":
        return NO_AUTH;
      case "no-auth-recursive":
        return NO_AUTH_RECURSIVE;
      default:
        throw new IllegalArgumentException(
            "minimal-responses must be yes, no, no-auth or no-auth-recursive, not " + text);
    }
  }

  /**
   * What a positive answer to this query carries, as BIND's query.c decides it (ns_query_start):
   * the policy by RD; DS and key material (DNSKEY, CDNSKEY, CDS) minimal, NS queries never; a UDP
   * query advertising an EDNS size of at most 512 octets minimal. {@link ZoneAnswers} leaves the
   * additional addresses out of an ANY answer, as named does, and gives a root priming query its
   * glue whatever this says.
   *
   * @param recursionDesired the query's RD flag
   * @param udp the query came over UDP
   * @param ednsSize the UDP size the query's OPT record advertises, or -1 without EDNS
   */
  public AnswerExtras extras(boolean recursionDesired, int qtype, boolean udp, int ednsSize) {
    if (udp && ednsSize >= 0 && ednsSize <= 512) {
      return AnswerExtras.NONE;
    }
    if (qtype == Type.DS || qtype == Type.DNSKEY || qtype == Type.CDNSKEY || qtype == Type.CDS) {
      return AnswerExtras.NONE;
    }
    if (qtype == Type.NS) {
      return AnswerExtras.AUTHORITY;
    }
    return switch (this) {
      case NO -> AnswerExtras.AUTHORITY;
      case YES -> AnswerExtras.NONE;
      case NO_AUTH -> AnswerExtras.ADDITIONAL;
      case NO_AUTH_RECURSIVE -> recursionDesired ? AnswerExtras.ADDITIONAL : AnswerExtras.AUTHORITY;
    };
  }

  @Override
  public String toString() {
    return text;
  }
}
