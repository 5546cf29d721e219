package dev.vxdns.secondary;

/** Why a transfer, SOA query or NOTIFY failed; the message names the primary and the zone. */
public final class TransferException extends Exception {

  public TransferException(String message) {
    super(message);
  }

  public TransferException(String message, Throwable cause) {
    super(message, cause);
  }
}
