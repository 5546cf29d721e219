package dev.vxdns.verticles.transport;

import java.io.IOException;
import java.util.Base64;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;

/**
 * What a DoH request (RFC 8484) asks for: the DNS query it carries, or the 4xx status and reason it
 * is refused with instead. Pure, so that it can be tested and fuzzed without a server.
 *
 * @param query the query's wire bytes, or null when refused
 * @param status 0 for a query, else 400 (a bad {@code dns} parameter or bytes that are not a DNS
 *     query) or 415 (a POST of another content type)
 * @param reason the response body of a refusal, empty for a query
 */
record DohRequest(byte[] query, int status, String reason) {
  static final int BAD_REQUEST = 400;
  static final int UNSUPPORTED_MEDIA_TYPE = 415;

  /** The request of a GET whose {@code dns} parameter (base64url, no padding) is {@code dns}. */
  static DohRequest ofGet(String dns) {
    byte[] query;
    try {
      query = dns == null ? null : Base64.getUrlDecoder().decode(dns);
    } catch (IllegalArgumentException notBase64url) {
      query = null;
    }
    return ofBytes(query);
  }

  /** The request of a POST with this {@code Content-Type} header (null if none) and body. */
  static DohRequest ofPost(String contentType, byte[] body) {
    if (contentType == null
        || !mediaType(contentType).equalsIgnoreCase(DohTransportVerticle.MEDIA_TYPE)) {
      return new DohRequest(
          null,
          UNSUPPORTED_MEDIA_TYPE,
          "Content-Type must be " + DohTransportVerticle.MEDIA_TYPE + "\n");
    }
    return ofBytes(body);
  }

  /**
   * The media type of a Content-Type, its parameters aside. (Not {@code split(";")[0]}: that throws
   * for a value of only semicolons, such as {@code ";"}.)
   */
  private static String mediaType(String contentType) {
    int parameters = contentType.indexOf(';');
    return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
  }

  boolean isQuery() {
    return query != null;
  }

  private static DohRequest ofBytes(byte[] bytes) {
    return isQuery(bytes)
        ? new DohRequest(bytes, 0, "")
        : new DohRequest(null, BAD_REQUEST, "not a DNS query\n");
  }

  /** At least a header and a parseable message that is not a response. */
  private static boolean isQuery(byte[] bytes) {
    if (bytes == null
        || bytes.length < Header.LENGTH
        || bytes.length > DohTransportVerticle.MAX_MESSAGE
        || (bytes[2] & 0x80) != 0) {
      return false;
    }
    try {
      new Message(bytes);
      return true;
    } catch (IOException | RuntimeException malformed) {
      return false;
    }
  }
}
