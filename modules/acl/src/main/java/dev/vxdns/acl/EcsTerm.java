package dev.vxdns.acl;

/**
 * BIND's {@code ecs PREFIX}: matches a request that carries an EDNS Client-Subnet option (RFC 7871)
 * whose address block lies within PREFIX. ARM: "An ACL containing an element of the form ecs prefix
 * matches if a request arrives containing an ECS option encoding an address within that prefix. If
 * the request has no ECS option, then ecs elements are simply ignored." Like BIND (which searched
 * its radix tree with the option's address AND source prefix length), the option's block must be
 * inside PREFIX: its SOURCE PREFIX-LENGTH must be at least PREFIX's length, so {@code ecs 10/8}
 * matches an option 10.1.0.0/16 but not 10.0.0.0/7 nor 0.0.0.0/0. Families are kept apart, as for
 * addresses. The client address plays no part.
 */
final class EcsTerm extends Term {
  private final IpPrefix prefix;

  private EcsTerm(int index, boolean negated, String text, IpPrefix prefix) {
    super(index, negated, text);
    this.prefix = prefix;
  }

  /** {@code rest} is what follows the keyword {@code ecs}. */
  static EcsTerm parse(int index, boolean negated, String text, String rest, String acl)
      throws AclException {
    if (rest.isEmpty()
        || rest.chars().anyMatch(Character::isWhitespace)
        || !IpPrefix.looksLikeAddress(rest)) {
      throw AclException.inElement(
          acl, text, "'ecs' needs one address prefix, e.g. \"ecs 192.0.2.0/24\"");
    }
    try {
      return new EcsTerm(index, negated, text, IpPrefix.parse(rest));
    } catch (InvalidSyntax e) {
      throw AclException.inElement(acl, text, e.problem());
    }
  }

  @Override
  AclDecision decide(MatchContext context) {
    IpPrefix option = context.ecsPrefix();
    if (option == null
        || option.family != prefix.family
        || option.length < prefix.length
        || !prefix.contains(option.hi, option.lo)) {
      return null;
    }
    return decision;
  }

  @Override
  public String toString() {
    return (negated ? "!" : "") + "ecs " + prefix;
  }
}
