package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class DohRequestTest {
  private static final byte[] QUERY =
      Message.newQuery(
              Record.newRecord(Name.fromConstantString("www.example.test."), Type.A, DClass.IN))
          .toWire();

  /**
   * Found by DohRequestFuzzTest: ";" threw ArrayIndexOutOfBoundsException (then a 500). As BIND
   * 9.20 compares it (DohShapesBindDifferentialTest), the type is application/dns-message exactly:
   * with parameters, or with spaces, it is another.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        ";",
        ";;",
        " ; charset=x",
        "",
        "text/plain; application/dns-message",
        "application/dns-message; charset=utf-8",
        " application/dns-message"
      })
  void anotherOrEmptyMediaTypeIs415(String contentType) {
    DohRequest request = DohRequest.ofPost(contentType, QUERY);
    assertEquals(415, request.status());
    assertEquals("Content-Type must be application/dns-message\n", request.reason());
  }

  /** In any case; and without a Content-Type the body is taken as the message, as BIND takes it. */
  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"application/dns-message", "Application/DNS-Message"})
  void theDnsMessageMediaTypeOrNoneIsAQuery(String contentType) {
    assertArrayEquals(QUERY, DohRequest.ofPost(contentType, QUERY).query());
  }

  /**
   * Not base64url, padded (RFC 8484 §4.1: clients send none; BIND refuses it), shorter than a
   * header, or a response.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "not base64url!", "AAAA", "AAAAAAAAAAAAAAAAAA==", "AACAAAAAAAAAAAAA"})
  void aBadDnsParameterIs400(String dns) {
    DohRequest request = DohRequest.ofGet(dns);
    assertEquals(400, request.status());
    assertEquals("not a DNS query\n", request.reason());
  }

  @org.junit.jupiter.api.Test
  void aGetCarriesTheQueryWithoutPaddingAndAnyHeaderSizedBytes() {
    assertArrayEquals(
        QUERY,
        DohRequest.ofGet(Base64.getUrlEncoder().withoutPadding().encodeToString(QUERY)).query());
    // Bytes that do not parse go on: the pipeline answers them FORMERR, as BIND does.
    byte[] cut = java.util.Arrays.copyOf(QUERY, QUERY.length - 2);
    assertArrayEquals(
        cut, DohRequest.ofGet(Base64.getUrlEncoder().withoutPadding().encodeToString(cut)).query());
  }
}
