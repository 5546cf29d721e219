package dev.vxdns.auth;

import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.TSIGRecord;

/** The immutable outcome of verifying the TSIG of a request (RFC 8945 section 5.2). */
public final class TsigResult {
  private final SignatureStatus status;
  private final TsigKey key;
  private final TSIGRecord requestTsig;
  private final String reason;

  private TsigResult(SignatureStatus status, TsigKey key, TSIGRecord requestTsig, String reason) {
    this.status = Objects.requireNonNull(status);
    this.key = key;
    this.requestTsig = requestTsig;
    this.reason = reason;
  }

  static TsigResult unsigned() {
    return new TsigResult(SignatureStatus.UNSIGNED, null, null, "no TSIG");
  }

  static TsigResult verified(TsigKey key, TSIGRecord tsig) {
    return new TsigResult(SignatureStatus.VERIFIED, key, tsig, "verified");
  }

  static TsigResult formerr(TSIGRecord tsig, String reason) {
    return new TsigResult(SignatureStatus.FORMERR, null, tsig, reason);
  }

  /**
   * A TSIG no key could be looked up for (BADKEY): as BIND answers a signed request no view serves,
   * after verifying it against no keys.
   */
  public static TsigResult withoutKeys(TSIGRecord tsig, String reason) {
    return new TsigResult(SignatureStatus.BADKEY, null, tsig, reason);
  }

  static TsigResult error(SignatureStatus status, TsigKey key, TSIGRecord tsig, String reason) {
    return new TsigResult(status, key, tsig, reason);
  }

  public SignatureStatus status() {
    return status;
  }

  public boolean isVerified() {
    return status == SignatureStatus.VERIFIED;
  }

  public boolean isUnsigned() {
    return status == SignatureStatus.UNSIGNED;
  }

  /** True for every failure (the request must not be processed). */
  public boolean isError() {
    return status.isError();
  }

  /** The RCODE of the response: NOERROR (to be decided by later stages), FORMERR or NOTAUTH. */
  public int rcode() {
    return status.rcode();
  }

  /** The TSIG error field of the response's TSIG record (0 when none). */
  public int tsigError() {
    return status.error();
  }

  /** Whether the response carries a MAC (VERIFIED, BADTIME, BADTRUNC). */
  public boolean responseSigned() {
    return status == SignatureStatus.VERIFIED
        || status == SignatureStatus.BADTIME
        || status == SignatureStatus.BADTRUNC;
  }

  /** The key that verified the MAC (VERIFIED, BADTIME, BADTRUNC) or was found (BADSIG). */
  public Optional<TsigKey> key() {
    return Optional.ofNullable(key);
  }

  /** The request's TSIG record, when there was one. */
  public Optional<TSIGRecord> requestTsig() {
    return Optional.ofNullable(requestTsig);
  }

  /** Only for VERIFIED. */
  public Optional<VerifiedRequest> verifiedRequest() {
    return isVerified() ? Optional.of(new VerifiedRequest(key, requestTsig)) : Optional.empty();
  }

  /** A human-readable reason, for logs. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "TsigResult{"
        + status
        + (requestTsig != null ? " key=" + requestTsig.getName() : "")
        + " "
        + reason
        + "}";
  }
}
