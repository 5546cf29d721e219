package dev.vxdns.acl;

/**
 * An indirect element: a nested list ({@code [ ... ]}), a negated nested list ({@code {"!": [ ...
 * ]}}) or a reference to a named ACL ({@code "bogusnets"}, {@code "!bogusnets"}).
 *
 * <p>BIND's rule (lib/dns/acl.c, dns_aclelement_match; ARM 7.1 "a negative match of a nested ACL
 * tells the containing ACL to continue looking for matches"): the element matches only if the inner
 * list ALLOWS; the element's own "!" then decides the polarity. An inner deny, like an inner
 * no-match, lets the outer list continue. So a double negation never turns into an allow: in {@code
 * !{ !10/8; any; }} an address in 10/8 is denied inside, which makes the outer list go on, and any
 * other address is allowed inside, which the outer "!" turns into a deny.
 */
final class ListTerm extends Term {
  private final CompiledList inner;

  ListTerm(int index, boolean negated, String text, CompiledList inner) {
    super(index, negated, text);
    this.inner = inner;
  }

  @Override
  AclDecision decide(MatchContext context) {
    AclDecision d = inner.evaluate(context);
    return d.allowed() ? AclDecision.matched(!negated, text, d) : null;
  }
}
