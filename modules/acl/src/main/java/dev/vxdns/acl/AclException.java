package dev.vxdns.acl;

import java.util.Optional;

/**
 * An address-match list or named ACL cannot be compiled. The message names the named ACL the
 * problem is in (if any) and the element as written, e.g. {@code acl 'updaters': undefined acl
 * 'bogus'} or {@code element '10.1.2.3/8': host bits set}. The parts are also available separately
 * so a config validator can build its own message.
 */
public final class AclException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String acl;
  private final String element;
  private final String problem;

  private AclException(String acl, String element, String problem, String message) {
    // No stack trace: this reports a configuration error, not a bug.
    super(message, null, false, false);
    this.acl = acl;
    this.element = element;
    this.problem = problem;
  }

  /** "[acl 'A': ]element 'E': problem". */
  static AclException inElement(String acl, String element, String problem) {
    return new AclException(
        acl, element, problem, prefix(acl) + "element '" + element + "': " + problem);
  }

  /**
   * "[acl 'A': ]problem", for problems that already name what is wrong (undefined or cyclic acl).
   */
  static AclException inAcl(String acl, String element, String problem) {
    return new AclException(acl, element, problem, prefix(acl) + problem);
  }

  private static String prefix(String acl) {
    return acl == null ? "" : "acl '" + acl + "': ";
  }

  /** The named ACL whose definition holds the problem; empty for the list being compiled itself. */
  public Optional<String> acl() {
    return Optional.ofNullable(acl);
  }

  /** The offending element as written; empty when the problem is the ACL definition as a whole. */
  public Optional<String> element() {
    return Optional.ofNullable(element);
  }

  /** The problem alone, without the ACL and element names. */
  public String problem() {
    return problem;
  }
}
