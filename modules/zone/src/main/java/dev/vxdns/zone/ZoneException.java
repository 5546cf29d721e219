package dev.vxdns.zone;

/**
 * Thrown with a clear message (file:line where known) when a zone cannot be loaded or is invalid.
 */
public final class ZoneException extends Exception {

  public ZoneException(String message) {
    super(message);
  }

  public ZoneException(String message, Throwable cause) {
    super(message, cause);
  }
}
