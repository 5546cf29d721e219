package dev.vxdns.acl;

/**
 * BIND 9.20's port/transport qualifiers, {@code {"port": 853, "transport": "tls", "match": [...]}}
 * (BIND: {@code allow-transfer port 853 transport tls { ... };}). The element applies only to a
 * request received on that LOCAL port and/or over that transport; "if both are used, both
 * constraints must be satisfied" (ARM, allow-transfer). When they hold, the element is a nested
 * list: it matches, and allows, when the list inside allows. When they do not hold, or the list
 * inside denies or does not match, the containing list continues with its next element (BIND's rule
 * for nested lists; see {@link ListTerm}). A request whose port or transport is not known fails the
 * qualifier that needs it.
 *
 * <p>At the top of a list, this gives BIND's own behaviour: {@code [{"port": 853, "match": [...]}]}
 * allows exactly what BIND's {@code port 853 { ... }} allows (BIND denies outright when the
 * qualifiers fail, vxdns reports "no match", which callers also treat as deny).
 */
final class QualifiedListTerm extends Term {
  /** The required local port, or 0 for any. */
  private final int port;

  /** The allowed {@link Transports} bits, or 0 for any. */
  private final int transports;

  private final CompiledList inner;

  QualifiedListTerm(int index, String text, int port, int transports, CompiledList inner) {
    super(index, false, text);
    this.port = port;
    this.transports = transports;
    this.inner = inner;
  }

  @Override
  AclDecision decide(MatchContext context) {
    if (port != 0 && context.port() != port) {
      return null;
    }
    if (transports != 0 && (context.transportBit() & transports) == 0) {
      return null;
    }
    AclDecision d = inner.evaluate(context);
    return d.allowed() ? AclDecision.matched(true, text, d) : null;
  }
}
