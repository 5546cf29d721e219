package dev.vxdns.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How address elements are read: element text to the canonical prefix it denotes. */
class AddressSyntaxTest {

  static Stream<Arguments> forms() {
    return Stream.of(
        // BIND's IPv4 short forms need a length; missing octets are zero.
        p("10/8", "10.0.0.0/8"),
        p("172.16/12", "172.16.0.0/12"),
        p("192.168/16", "192.168.0.0/16"),
        p("10.1/16", "10.1.0.0/16"),
        p("10.1.2/24", "10.1.2.0/24"),
        p("10/16", "10.0.0.0/16"),
        p("10/32", "10.0.0.0/32"),
        p("0/0", "0.0.0.0/0"),
        // Full addresses; a bare address is a host prefix.
        p("192.0.2.1", "192.0.2.1/32"),
        p("192.0.2.1/32", "192.0.2.1/32"),
        p("0.0.0.0/0", "0.0.0.0/0"),
        p("255.255.255.255", "255.255.255.255/32"),
        p("224.0.0.0/3", "224.0.0.0/3"),
        p("10.0.0.0/008", "10.0.0.0/8"),
        // IPv6, printed per RFC 5952.
        p("2001:db8::1", "2001:db8::1/128"),
        p("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1/128"),
        p("2001:db8::/32", "2001:db8::/32"),
        p("::", "::/128"),
        p("::/0", "::/0"),
        p("::1", "::1/128"),
        p("1::", "1::/128"),
        p("1:0:0:1:0:0:0:1", "1:0:0:1::1/128"),
        p("1:0:0:2:0:0:3:4", "1::2:0:0:3:4/128"),
        p("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8/128"),
        p("1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7/128"),
        p("fe80::/10", "fe80::/10"),
        p("::192.0.2.1", "::c000:201/128"),
        p("64:ff9b::192.0.2.0/120", "64:ff9b::c000:200/120"),
        // IPv4-mapped elements stay IPv6 prefixes, as BIND writes and matches them.
        p("::ffff:192.0.2.1", "::ffff:c000:201/128"),
        p("::FFFF:c000:0201", "::ffff:c000:201/128"),
        p("::ffff:192.0.2.0/120", "::ffff:c000:200/120"),
        p("::ffff:0:0/96", "::ffff:0:0/96"),
        p("::fffe:0:0/95", "::fffe:0:0/95"),
        p("::/80", "::/80"));
  }

  private static Arguments p(String text, String canonical) {
    return Arguments.of(text, canonical);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("forms")
  void parses(String text, String canonical) throws InvalidSyntax {
    assertEquals(canonical, IpPrefix.parse(text).toString());
    // The canonical form reads back to itself.
    assertEquals(canonical, IpPrefix.parse(canonical).toString());
  }
}
