package dev.vxdns.update;

/** An update-policy rule that cannot be used; the message names the rule and the problem. */
public final class UpdatePolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  public UpdatePolicyException(String message) {
    super(message);
  }
}
