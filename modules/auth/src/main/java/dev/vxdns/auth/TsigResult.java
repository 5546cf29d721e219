package dev.vxdns.auth;

import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/** The immutable outcome of verifying the TSIG of a request (RFC 8945 section 5.2). */
public final class TsigResult {
  /** What verification found. */
  public enum Status {
    /** No TSIG record: the request is unsigned. */
    UNSIGNED,
    /** The MAC, time and truncation checks passed. */
    VERIFIED,
    /** The TSIG record is malformed or misplaced: FORMERR, response without TSIG. */
    FORMERR,
    /** Unknown key or algorithm: NOTAUTH/BADKEY, unsigned response. */
    BADKEY,
    /** The MAC does not verify: NOTAUTH/BADSIG, unsigned response. */
    BADSIG,
    /** Time outside fudge: NOTAUTH/BADTIME, signed response carrying the server time. */
    BADTIME,
    /** MAC truncated below local policy: NOTAUTH/BADTRUNC, signed response. */
    BADTRUNC
  }

  private final Status status;
  private final TsigKey key;
  private final TSIGRecord requestTsig;
  private final String reason;

  private TsigResult(Status status, TsigKey key, TSIGRecord requestTsig, String reason) {
    this.status = Objects.requireNonNull(status);
    this.key = key;
    this.requestTsig = requestTsig;
    this.reason = reason;
  }

  static TsigResult unsigned() {
    return new TsigResult(Status.UNSIGNED, null, null, "no TSIG");
  }

  static TsigResult verified(TsigKey key, TSIGRecord tsig) {
    return new TsigResult(Status.VERIFIED, key, tsig, "verified");
  }

  static TsigResult formerr(TSIGRecord tsig, String reason) {
    return new TsigResult(Status.FORMERR, null, tsig, reason);
  }

  static TsigResult error(Status status, TsigKey key, TSIGRecord tsig, String reason) {
    return new TsigResult(status, key, tsig, reason);
  }

  public Status status() {
    return status;
  }

  public boolean isVerified() {
    return status == Status.VERIFIED;
  }

  public boolean isUnsigned() {
    return status == Status.UNSIGNED;
  }

  /** True for every failure (the request must not be processed). */
  public boolean isError() {
    return status != Status.UNSIGNED && status != Status.VERIFIED;
  }

  /** The RCODE of the response: NOERROR (to be decided by later stages), FORMERR or NOTAUTH. */
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

  /** The TSIG error field of the response's TSIG record (0 when none). */
  public int tsigError() {
    switch (status) {
      case BADKEY:
        return Rcode.BADKEY;
      case BADSIG:
        return Rcode.BADSIG;
      case BADTIME:
        return Rcode.BADTIME;
      case BADTRUNC:
        return Rcode.BADTRUNC;
      default:
        return Rcode.NOERROR;
    }
  }

  /** Whether the response carries a MAC (VERIFIED, BADTIME, BADTRUNC). */
  public boolean responseSigned() {
    return status == Status.VERIFIED || status == Status.BADTIME || status == Status.BADTRUNC;
  }

  /** Whether the response carries a TSIG record at all (signed, or unsigned BADKEY/BADSIG). */
  public boolean responseHasTsig() {
    return responseSigned() || status == Status.BADKEY || status == Status.BADSIG;
  }

  /** The key that verified the MAC (VERIFIED, BADTIME, BADTRUNC) or was found (BADSIG). */
  public Optional<TsigKey> key() {
    return Optional.ofNullable(key);
  }

  /** The request's TSIG record, when there was one. */
  public Optional<TSIGRecord> requestTsig() {
    return Optional.ofNullable(requestTsig);
  }

  /** For VERIFIED, BADTIME and BADTRUNC: the key and request MAC to sign the response with. */
  public Optional<VerifiedRequest> signingContext() {
    return responseSigned()
        ? Optional.of(new VerifiedRequest(key, requestTsig))
        : Optional.empty();
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
    return "TsigResult{" + status
        + (requestTsig != null ? " key=" + requestTsig.getName() : "")
        + " " + reason + "}";
  }
}
