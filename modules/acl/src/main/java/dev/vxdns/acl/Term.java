package dev.vxdns.acl;

/**
 * An element of a compiled list that is not an address prefix, so is checked on its own, in list
 * order, rather than through the list's prefix tries.
 *
 * <p>This is the extension point for element kinds: BIND's {@code key NAME} ({@link KeyTerm}),
 * {@code ecs PREFIX} ({@link EcsTerm}), {@code geoip ...} ({@link GeoipTerm}) and 9.20's
 * port/transport qualifiers ({@link QualifiedListTerm}) are subclasses whose {@link #decide} reads
 * what it needs from the {@link MatchContext} (key name, ECS option, client address, port,
 * transport), each with a case in {@link Compiler} that parses it. The list evaluation around them
 * does not change.
 */
abstract class Term {
  /** Position in the list: a term is only consulted while no earlier element has matched. */
  final int index;

  /** Whether the element was written with "!": a match then denies. */
  final boolean negated;

  /** The element as written, reported by {@link AclDecision#element()}. */
  final String text;

  /**
   * The decision when this element matches by itself ({@code key}, {@code ecs}, {@code geoip}),
   * built once so that such a match allocates nothing. Indirect elements (nested lists, named ACLs,
   * qualified lists) decide with the inner list's decision attached instead.
   */
  final AclDecision decision;

  Term(int index, boolean negated, String text) {
    this.index = index;
    this.negated = negated;
    this.text = text;
    this.decision = AclDecision.matched(!negated, text, null);
  }

  /**
   * The decision if this element matches {@code context}, or {@code null} if it does not and the
   * list goes on to its next element. Must not block and should not allocate when it does not
   * match.
   */
  abstract AclDecision decide(MatchContext context);
}
