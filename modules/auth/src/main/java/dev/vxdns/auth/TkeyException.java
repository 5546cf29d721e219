package dev.vxdns.auth;

/** A TKEY response the client cannot use (error set, wrong mode, missing records...). */
public final class TkeyException extends Exception {
  private final int rcode;
  private final int tkeyError;

  public TkeyException(String message, int rcode, int tkeyError) {
    super(message);
    this.rcode = rcode;
    this.tkeyError = tkeyError;
  }

  public int rcode() {
    return rcode;
  }

  public int tkeyError() {
    return tkeyError;
  }
}
