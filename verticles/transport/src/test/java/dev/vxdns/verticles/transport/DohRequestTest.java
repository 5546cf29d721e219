package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
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

  /** Found by DohRequestFuzzTest: ";" threw ArrayIndexOutOfBoundsException (then a 500). */
  @ParameterizedTest
  @ValueSource(strings = {";", ";;", " ; charset=x", "", "text/plain; application/dns-message"})
  void anotherOrEmptyMediaTypeIs415(String contentType) {
    DohRequest request = DohRequest.ofPost(contentType, QUERY);
    assertEquals(415, request.status());
    assertEquals("Content-Type must be application/dns-message\n", request.reason());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/dns-message",
        " Application/DNS-Message ; charset=binary",
        "application/dns-message;"
      })
  void theDnsMessageMediaTypeWithAnyParametersIsAQuery(String contentType) {
    assertArrayEquals(QUERY, DohRequest.ofPost(contentType, QUERY).query());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "not base64url!", "AAAA"})
  void aBadDnsParameterIs400(String dns) {
    DohRequest request = DohRequest.ofGet(dns);
    assertEquals(400, request.status());
    assertEquals("not a DNS query\n", request.reason());
  }

  @org.junit.jupiter.api.Test
  void aGetCarriesTheQueryWithOrWithoutPadding() {
    assertArrayEquals(
        QUERY,
        DohRequest.ofGet(Base64.getUrlEncoder().withoutPadding().encodeToString(QUERY)).query());
    assertArrayEquals(
        QUERY, DohRequest.ofGet(Base64.getUrlEncoder().encodeToString(QUERY)).query());
  }
}
