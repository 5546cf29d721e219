package dev.vxdns.auth;

import org.xbill.DNS.Rcode;

/**
 * How a request's signature checked out, TSIG (RFC 8945 section 5.2) or SIG(0) (RFC 2931, which
 * reuses TSIG's error codes), and what that means for the response.
 */
public enum SignatureStatus {
  /** No signature: the request is unsigned. */
  UNSIGNED,
  /** The signature, its time and (TSIG) its truncation checked out. */
  VERIFIED,
  /** The signature record is malformed or misplaced: FORMERR, response unsigned. */
  FORMERR,
  /** Unknown key or algorithm (SIG(0): no usable KEY): NOTAUTH/BADKEY, response unsigned. */
  BADKEY,
  /** The signature does not verify: NOTAUTH/BADSIG, response unsigned. */
  BADSIG,
  /** Time outside the fudge (SIG(0): the validity period): NOTAUTH/BADTIME. */
  BADTIME,
  /** TSIG only: MAC truncated below local policy: NOTAUTH/BADTRUNC, signed response. */
  BADTRUNC;

  /**
   * The response's RCODE: NOERROR (later stages decide), FORMERR, or NOTAUTH for the BAD* errors.
   */
  public int rcode() {
    return switch (this) {
      case UNSIGNED, VERIFIED -> Rcode.NOERROR;
      case FORMERR -> Rcode.FORMERR;
      case BADKEY, BADSIG, BADTIME, BADTRUNC -> Rcode.NOTAUTH;
    };
  }

  /**
   * The extended error (BADSIG 16, BADKEY 17, BADTIME 18, BADTRUNC 22), or 0 (NOERROR) when none.
   */
  public int error() {
    return switch (this) {
      case BADKEY -> Rcode.BADKEY;
      case BADSIG -> Rcode.BADSIG;
      case BADTIME -> Rcode.BADTIME;
      case BADTRUNC -> Rcode.BADTRUNC;
      case UNSIGNED, VERIFIED, FORMERR -> Rcode.NOERROR;
    };
  }

  /** True for every failure: the request must not be processed. */
  public boolean isError() {
    return this != UNSIGNED && this != VERIFIED;
  }
}
