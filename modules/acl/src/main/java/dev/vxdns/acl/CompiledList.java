package dev.vxdns.acl;

/**
 * One level of a compiled address-match list.
 *
 * <p>All direct address elements of the level — prefixes, {@code any}, {@code none}, {@code
 * localhost}, {@code localnets}, negated or not — live in two first-match prefix tries (one per
 * family), wherever they are in the list. The other elements ({@link Term}s) are kept in list
 * order. An evaluation looks the address up in its family's trie, which gives the first address
 * element that matches, then checks only the terms written BEFORE that element; the first term that
 * matches wins, otherwise the trie's element does. This is BIND's own scheme (one radix tree per
 * ACL plus the non-radix elements with a lower node number) and is exactly first-match: a term
 * after the trie's element could never be the first match.
 *
 * <p>Immutable and thread-safe.
 */
final class CompiledList {
  private final PrefixTrie v4;
  private final PrefixTrie v6;
  private final Term[] terms;

  CompiledList(PrefixTrie v4, PrefixTrie v6, Term[] terms) {
    this.v4 = v4;
    this.v6 = v6;
    this.terms = terms;
  }

  AclDecision evaluate(MatchContext context) {
    PrefixTrie trie = context.isIpv4() ? v4 : v6;
    int entry = trie.lookup(context);
    int limit = entry < 0 ? Integer.MAX_VALUE : trie.elementIndex(entry);
    for (Term t : terms) {
      if (t.index >= limit) {
        break;
      }
      AclDecision d = t.decide(context);
      if (d != null) {
        return d;
      }
    }
    return entry < 0 ? AclDecision.noMatch() : trie.decision(entry);
  }

  /** For tests: the trie of one family. */
  PrefixTrie trie(int family) {
    return family == IpPrefix.IPV4 ? v4 : v6;
  }
}
