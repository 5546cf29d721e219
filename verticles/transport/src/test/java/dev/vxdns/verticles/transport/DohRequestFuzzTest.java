package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Jazzer fuzz target of the DoH request path ({@link DohRequest}): any GET {@code dns} parameter or
 * POST Content-Type and body gives a query (that parses and is not a response) or a 4xx with a
 * reason, never an exception. {@code mvn verify} replays the corpus in {@code
 * DohRequestFuzzTestInputs/}; {@code bench/fuzz.sh doh MINUTES} fuzzes for real.
 *
 * <p>An input is {@code G} and the parameter's text (a GET), or anything else as its first byte,
 * the Content-Type, a newline and the body (a POST).
 */
class DohRequestFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void everyRequestIsAQueryOrA4xx(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    DohRequest request;
    byte[] sent;
    if (input[0] == 'G') {
      String dns = new String(rest, StandardCharsets.UTF_8);
      request = DohRequest.ofGet(dns);
      sent = request.isQuery() ? Base64.getUrlDecoder().decode(dns) : null;
    } else {
      int newline = indexOf(rest, (byte) '\n');
      String contentType =
          newline < 0 ? null : new String(rest, 0, newline, StandardCharsets.ISO_8859_1);
      sent = Arrays.copyOfRange(rest, newline + 1, rest.length);
      request = DohRequest.ofPost(contentType, sent);
    }
    if (request.isQuery()) {
      assertEquals(0, request.status());
      assertEquals("", request.reason());
      assertArrayEquals(sent, request.query());
      assertTrue(request.query().length >= 12 && request.query().length <= 65535);
      assertEquals(0, request.query()[2] & 0x80, "not a response");
    } else {
      assertNull(request.query());
      assertTrue(request.status() == 400 || request.status() == 415, request::toString);
      assertFalse(request.reason().isEmpty());
      if (input[0] == 'G') {
        assertEquals(400, request.status());
      }
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
