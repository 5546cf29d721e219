package dev.vxdns.acl;

/**
 * An element's text is malformed. Internal: the parser does not know how the element was written
 * (negated, inside which ACL), so the compiler turns this into an {@link AclException} that does.
 */
final class InvalidSyntax extends Exception {
  private static final long serialVersionUID = 1L;

  InvalidSyntax(String problem) {
    // No stack trace: this is a user error reported by message, thrown once per bad element.
    super(problem, null, false, false);
  }

  String problem() {
    return getMessage();
  }
}
