package dev.vxdns.auth;

import java.util.Objects;
import org.xbill.DNS.TSIGRecord;

/**
 * A request whose TSIG MAC verified with {@code key}: what a response must be signed with (the key,
 * and the request MAC as received, possibly truncated).
 */
public record VerifiedRequest(TsigKey key, TSIGRecord requestTsig) {
  public VerifiedRequest {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(requestTsig, "requestTsig");
  }
}
