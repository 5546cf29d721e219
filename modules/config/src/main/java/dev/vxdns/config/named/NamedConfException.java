package dev.vxdns.config.named;

/** named.conf text that cannot be read: the message starts with {@code file:line:}. */
public final class NamedConfException extends Exception {
  private static final long serialVersionUID = 1L;

  public NamedConfException(String message) {
    super(message);
  }
}
