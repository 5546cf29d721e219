package dev.vxdns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** BIND's minimal-responses values and the extras each gives a query (query.c's rules). */
class MinimalResponsesTest {

  @Test
  void valuesParseAsBindWritesThem() {
    assertEquals(MinimalResponses.YES, MinimalResponses.parse("yes"));
    assertEquals(MinimalResponses.YES, MinimalResponses.parse("true"));
    assertEquals(MinimalResponses.NO, MinimalResponses.parse("no"));
    assertEquals(MinimalResponses.NO, MinimalResponses.parse("false"));
    assertEquals(MinimalResponses.NO_AUTH, MinimalResponses.parse("no-auth"));
    assertEquals(MinimalResponses.NO_AUTH_RECURSIVE, MinimalResponses.parse("No-Auth-Recursive"));
    assertEquals("no-auth-recursive", MinimalResponses.NO_AUTH_RECURSIVE.toString());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> MinimalResponses.parse("auth"));
    assertTrue(bad.getMessage().contains("no-auth-recursive"), bad.getMessage());
  }

  @Test
  void eachPolicyGivesItsExtrasByRecursionDesired() {
    for (boolean rd : new boolean[] {false, true}) {
      assertEquals(AnswerExtras.AUTHORITY, MinimalResponses.NO.extras(rd, Type.A, true, 1232));
      assertEquals(AnswerExtras.NONE, MinimalResponses.YES.extras(rd, Type.A, true, 1232));
      assertEquals(
          AnswerExtras.ADDITIONAL, MinimalResponses.NO_AUTH.extras(rd, Type.A, true, 1232));
    }
    assertEquals(
        AnswerExtras.AUTHORITY,
        MinimalResponses.NO_AUTH_RECURSIVE.extras(false, Type.A, true, 1232));
    assertEquals(
        AnswerExtras.ADDITIONAL,
        MinimalResponses.NO_AUTH_RECURSIVE.extras(true, Type.A, true, 1232));
  }

  @Test
  void keyMaterialIsMinimalAndNsNeverIs() {
    for (int type : new int[] {Type.DS, Type.DNSKEY, Type.CDNSKEY, Type.CDS}) {
      assertEquals(AnswerExtras.NONE, MinimalResponses.NO.extras(false, type, true, 1232));
    }
    assertEquals(AnswerExtras.AUTHORITY, MinimalResponses.YES.extras(true, Type.NS, true, 1232));
  }

  @Test
  void smallEdnsSizesOverUdpAreMinimal() {
    assertEquals(AnswerExtras.NONE, MinimalResponses.NO.extras(false, Type.NS, true, 512));
    assertEquals(AnswerExtras.NONE, MinimalResponses.NO.extras(false, Type.A, true, 0));
    // Not over TCP, not at 513, not without EDNS.
    assertEquals(AnswerExtras.AUTHORITY, MinimalResponses.NO.extras(false, Type.A, false, 512));
    assertEquals(AnswerExtras.AUTHORITY, MinimalResponses.NO.extras(false, Type.A, true, 513));
    assertEquals(AnswerExtras.AUTHORITY, MinimalResponses.NO.extras(false, Type.A, true, -1));
  }
}
