package dev.vxdns.auth;

import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/** The immutable outcome of verifying a SIG(0) (RFC 2931). Error responses are never signed. */
public final class Sig0Result {
  private final SignatureStatus status;
  private final Name signer;
  private final int keysTried;
  private final String reason;

  Sig0Result(SignatureStatus status, Name signer, int keysTried, String reason) {
    this.status = Objects.requireNonNull(status);
    this.signer = signer;
    this.keysTried = keysTried;
    this.reason = reason;
  }

  public SignatureStatus status() {
    return status;
  }

  public boolean isVerified() {
    return status == SignatureStatus.VERIFIED;
  }

  public boolean isError() {
    return status.isError();
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
    return status.rcode();
  }

  /** The extended error (BADKEY 17, BADSIG 16, BADTIME 18) for logs and statistics; 0 if none. */
  public int error() {
    return status.error();
  }

  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "Sig0Result{"
        + status
        + (signer != null ? " signer=" + signer : "")
        + " "
        + reason
        + "}";
  }
}
