package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class Http2AuthorityFixTest {
  @Test
  void bracketsAnIpv6LiteralWithAPortAsDigSendsIt() {
    assertEquals("[::1]:443", Http2AuthorityFix.bracketed("::1:443"));
    assertEquals("[2001:db8::53]:8443", Http2AuthorityFix.bracketed("2001:db8::53:8443"));
    assertEquals("[::ffff:192.0.2.1]:443", Http2AuthorityFix.bracketed("::ffff:192.0.2.1:443"));
  }

  @Test
  void leavesEverythingElseAlone() {
    assertNull(Http2AuthorityFix.bracketed("[::1]:443"));
    assertNull(Http2AuthorityFix.bracketed("127.0.0.1:443"));
    assertNull(Http2AuthorityFix.bracketed("localhost:443"));
    assertNull(Http2AuthorityFix.bracketed("localhost"));
    assertNull(Http2AuthorityFix.bracketed(""));
    assertNull(Http2AuthorityFix.bracketed("dns.example:bad:443"));
  }
}
