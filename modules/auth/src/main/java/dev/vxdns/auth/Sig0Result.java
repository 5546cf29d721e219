package dev.vxdns.auth;

import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/** The immutable outcome of verifying a SIG(0) (RFC 2931). Error responses are never signed. */
public final class Sig0Result {
  /** What verification found. */
  public enum Status {
    /** No SIG(0) record. */
    UNSIGNED,
    /** The signature verified with a KEY of the signer. */
    VERIFIED,
    /** SIG(0) malformed or misplaced. */
    FORMERR,
    /** No usable KEY for the signer / key tag / algorithm, or algorithm not supported. */
    BADKEY,
    /** No candidate KEY verified the signature. */
    BADSIG,
    /** Now is outside [time signed, expiration]. */
    BADTIME
  }

  private final Status status;
  private final Name signer;
  private final int keysTried;
  private final String reason;

  Sig0Result(Status status, Name signer, int keysTried, String reason) {
    this.status = Objects.requireNonNull(status);
    this.signer = signer;
    this.keysTried = keysTried;
    this.reason = reason;
  }

  public Status status() {
    return status;
  }

  public boolean isVerified() {
    return status == Status.VERIFIED;
  }

  public boolean isError() {
    return status != Status.UNSIGNED && status != Status.VERIFIED;
  }

  /** The signer name from the SIG(0) (present whenever a SIG(0) was found). */
  public Optional<Name> signer() {
    return Optional.ofNullable(signer);
  }

  /** How many KEY records were tried (at most {@link Sig0Verifier#MAX_KEYS_TRIED}). */
  public int keysTried() {
    return keysTried;
  }

  /** NOERROR, FORMERR, or NOTAUTH for the BAD* errors (RFC 2931 uses the TSIG error codes). */
  public int rcode() {
    switch (status) {
      case UNSIGNED:
      case VERIFIED:
        return Rcode.NOERROR;
      case FORMERR:
        return Rcode.FORMERR;
      default:
        return Rcode.NOTAUTH;
    }
  }

  /** The extended error (BADKEY 17, BADSIG 16, BADTIME 18) for logs and statistics; 0 if none. */
  public int error() {
    switch (status) {
      case BADKEY:
        return Rcode.BADKEY;
      case BADSIG:
        return Rcode.BADSIG;
      case BADTIME:
        return Rcode.BADTIME;
      default:
        return Rcode.NOERROR;
    }
  }

  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "Sig0Result{" + status + (signer != null ? " signer=" + signer : "") + " " + reason
        + "}";
  }
}
