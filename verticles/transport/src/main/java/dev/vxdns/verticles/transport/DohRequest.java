package dev.vxdns.verticles.transport;

import java.util.Base64;
import org.xbill.DNS.Header;

/**
 * What a DoH request (RFC 8484) asks for: the DNS message it carries, or the 4xx status and reason
 * it is refused with instead, as BIND 9.20 decides (lib/isc/netmgr/http.c). Pure, so that it can be
 * tested and fuzzed without a server.
 *
 * @param query the message's wire bytes, or null when refused
 * @param status 0 for a message, else 400 (a bad {@code dns} parameter, or bytes that are not a
 *     query: shorter than a header, or a response) or 415 (a POST of another content type)
 * @param reason the response body of a refusal, empty for a message
 */
record DohRequest(byte[] query, int status, String reason) {
  static final int BAD_REQUEST = 400;
  static final int UNSUPPORTED_MEDIA_TYPE = 415;

  /**
   * The request of a GET whose {@code dns} parameter is {@code dns}: base64url without padding, as
   * RFC 8484 §4.1 has clients send it (BIND refuses padding too).
   */
  static DohRequest ofGet(String dns) {
    byte[] query;
    try {
      query = dns == null || dns.indexOf('=') >= 0 ? null : Base64.getUrlDecoder().decode(dns);
    } catch (IllegalArgumentException notBase64url) {
      query = null;
    }
    return ofBytes(query);
  }

  /**
   * The request of a POST with this {@code Content-Type} header (null if none: BIND takes the body
   * as a message) and body. The type is application/dns-message exactly, in any case, as BIND
   * compares it: with parameters it is refused.
   */
  static DohRequest ofPost(String contentType, byte[] body) {
    if (contentType != null && !contentType.equalsIgnoreCase(DohTransportVerticle.MEDIA_TYPE)) {
      return new DohRequest(
          null,
          UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be " + DohTransportVerticle.MEDIA_TYPE + "\n");
    }
    return ofBytes(body);
  }

  boolean isQuery() {
    return query != null;
  }

  /**
   * At least a header, not a response: the pipeline answers any such bytes, FORMERR for a message
   * that does not parse, as over UDP and as BIND does over DoH.
   */
  private static DohRequest ofBytes(byte[] bytes) {
    boolean query =
        bytes != null
            && bytes.length >= Header.LENGTH
            && bytes.length <= DohTransportVerticle.MAX_MESSAGE
            && (bytes[2] & 0x80) == 0;
    return query
        ? new DohRequest(bytes, 0, "")
        : new DohRequest(null, BAD_REQUEST, "not a DNS query\n");
  }
}
