package dev.vxdns.acl;

import java.util.Locale;

/**
 * BIND's {@code key NAME}: matches a request that was signed with that TSIG key (or SIG(0) by that
 * signer) and verified. Names compare case-insensitively, with or without the trailing dot.
 */
final class KeyTerm extends Term {
  private final String keyName;

  private KeyTerm(int index, boolean negated, String text, String keyName) {
    super(index, negated, text);
    this.keyName = keyName;
  }

  static KeyTerm parse(int index, boolean negated, String text, String name, String acl)
      throws AclException {
    if (name.isEmpty() || name.contains(" ") || name.startsWith(".") || name.contains("..")) {
      throw AclException.inElement(
          acl, text, "'key' needs one key name, e.g. \"key host1-host2.\"");
    }
    return new KeyTerm(index, negated, text, MatchContext.canonicalKey(name));
  }

  @Override
  AclDecision decide(MatchContext context) {
    return keyName.equals(context.keyName()) ? decision : null;
  }

  @Override
  public String toString() {
    return (negated ? "!" : "") + "key " + keyName.toLowerCase(Locale.ROOT);
  }
}
