package dev.vxdns.auth;

import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * The result of processing a TKEY query: the (unsigned) response to send, signed by the caller with
 * the request's TSIG key, and what changed in the key store.
 */
public final class TkeyOutcome {
  private final Message response;
  private final int rcode;
  private final int tkeyError;
  private final TsigKey created;
  private final Name deleted;
  private final String reason;

  TkeyOutcome(
      Message response, int rcode, int tkeyError, TsigKey created, Name deleted, String reason) {
    this.response = Objects.requireNonNull(response);
    this.rcode = rcode;
    this.tkeyError = tkeyError;
    this.created = created;
    this.deleted = deleted;
    this.reason = reason;
  }

  /** The response; sign it with {@link TsigSigner} using the request's verification result. */
  public Message response() {
    return response;
  }

  /** The response RCODE (NOERROR even when the TKEY record carries an error, as BIND). */
  public int rcode() {
    return rcode;
  }

  /** The error field of the response's TKEY record (0, BADKEY, BADMODE, BADNAME, BADALG...). */
  public int tkeyError() {
    return tkeyError;
  }

  /** The key negotiated and added to the store, for mode 2. */
  public Optional<TsigKey> createdKey() {
    return Optional.ofNullable(created);
  }

  /** The key removed from the store, for mode 5. */
  public Optional<Name> deletedKey() {
    return Optional.ofNullable(deleted);
  }

  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "TkeyOutcome{rcode=" + rcode + " error=" + tkeyError + " " + reason + "}";
  }
}
