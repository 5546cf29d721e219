package dev.vxdns.acl;

import static dev.vxdns.acl.Fixtures.ACLS;
import static dev.vxdns.acl.Fixtures.compile;
import static dev.vxdns.acl.Fixtures.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * BIND 9.20's port/transport qualifiers: {@code {"port": 853, "transport": "tls", "match": [...]}}.
 */
class PortTransportElementTest {
  /** {@code port} 0 and {@code transport} "" mean "not set in the context". */
  private static String decide(String list, String client, int port, String transport) {
    MatchContext context = MatchContext.of(ip(client));
    if (port != 0) {
      context = context.withPort(port);
    }
    if (!transport.isEmpty()) {
      context = context.withTransport(transport);
    }
    return compile(list, ACLS).evaluate(context).toString();
  }

  private static Arguments t(
      String list, String client, int port, String transport, String expected) {
    return Arguments.of(list, client, port, transport, expected);
  }

  private static final String TLS_853 =
      "{\"port\": 853, \"transport\": \"tls\", \"match\": [\"any\"]}";

  static Stream<Arguments> table() {
    return Stream.of(
        // Both qualifiers must hold (ARM, allow-transfer: "both constraints must be satisfied").
        t(
            "[{'port': 853, 'transport': 'tls', 'match': ['any']}]",
            "192.0.2.1",
            853,
            "tls",
            "allowed by '" + TLS_853 + "' -> 'any'"),
        t(
            "[{'port': 853, 'transport': 'tls', 'match': ['any']}]",
            "192.0.2.1",
            853,
            "tcp",
            "no match"),
        t(
            "[{'port': 853, 'transport': 'tls', 'match': ['any']}]",
            "192.0.2.1",
            8853,
            "tls",
            "no match"),
        t("[{'port': 853, 'transport': 'tls', 'match': ['any']}]", "192.0.2.1", 0, "", "no match"),
        t(
            "[{'port': 853, 'transport': 'tls', 'match': ['any']}]",
            "192.0.2.1",
            853,
            "",
            "no match"),
        t(
            "[{'port': 853, 'transport': 'tls', 'match': ['any']}]",
            "192.0.2.1",
            853,
            "dot",
            "allowed by '" + TLS_853 + "' -> 'any'"),
        // DNS over QUIC (RFC 9250): its own name, which DoT's "tls" does not cover.
        t(
            "[{'port': 853, 'transport': 'doq', 'match': ['any']}]",
            "192.0.2.1",
            853,
            "doq",
            "allowed by '{\"port\": 853, \"transport\": \"doq\", \"match\": [\"any\"]}' -> 'any'"),
        t(
            "[{'port': 853, 'transport': 'doq', 'match': ['any']}]",
            "192.0.2.1",
            853,
            "tls",
            "no match"),
        t(
            "[{'port': 853, 'transport': 'tls', 'match': ['any']}]",
            "192.0.2.1",
            853,
            "doq",
            "no match"),
        // Either key alone.
        t(
            "[{'port': 53, 'match': ['any']}]",
            "192.0.2.1",
            53,
            "udp",
            "allowed by '{\"port\": 53, \"match\": [\"any\"]}' -> 'any'"),
        t(
            "[{'port': 53, 'match': ['any']}]",
            "192.0.2.1",
            53,
            "",
            "allowed by '{\"port\": 53, \"match\": [\"any\"]}' -> 'any'"),
        t("[{'port': 53, 'match': ['any']}]", "192.0.2.1", 5300, "udp", "no match"),
        t(
            "[{'transport': 'tcp', 'match': ['any']}]",
            "192.0.2.1",
            53,
            "tcp",
            "allowed by '{\"transport\": \"tcp\", \"match\": [\"any\"]}' -> 'any'"),
        t(
            "[{'transport': 'tcp', 'match': ['any']}]",
            "192.0.2.1",
            0,
            "tcp",
            "allowed by '{\"transport\": \"tcp\", \"match\": [\"any\"]}' -> 'any'"),
        t("[{'transport': 'tcp', 'match': ['any']}]", "192.0.2.1", 53, "udp", "no match"),
        // BIND's transports: tcp is TCP without TLS; tls is DoT; http is DoH (encrypted),
        // http-plain is not.
        t("[{'transport': 'tcp', 'match': ['any']}]", "192.0.2.1", 853, "tls", "no match"),
        t("[{'transport': 'tls', 'match': ['any']}]", "192.0.2.1", 53, "tcp", "no match"),
        t(
            "[{'transport': 'udp-tcp', 'match': ['any']}]",
            "192.0.2.1",
            53,
            "udp",
            "allowed by '{\"transport\": \"udp-tcp\", \"match\": [\"any\"]}' -> 'any'"),
        t(
            "[{'transport': 'udp-tcp', 'match': ['any']}]",
            "192.0.2.1",
            53,
            "tcp",
            "allowed by '{\"transport\": \"udp-tcp\", \"match\": [\"any\"]}' -> 'any'"),
        t("[{'transport': 'udp-tcp', 'match': ['any']}]", "192.0.2.1", 853, "tls", "no match"),
        t(
            "[{'transport': 'http', 'match': ['any']}]",
            "192.0.2.1",
            443,
            "doh",
            "allowed by '{\"transport\": \"http\", \"match\": [\"any\"]}' -> 'any'"),
        t(
            "[{'transport': 'HTTPS', 'match': ['any']}]",
            "192.0.2.1",
            443,
            "https",
            "allowed by '{\"transport\": \"HTTPS\", \"match\": [\"any\"]}' -> 'any'"),
        t("[{'transport': 'https', 'match': ['any']}]", "192.0.2.1", 80, "h2c", "no match"),
        t(
            "[{'transport': 'http-plain', 'match': ['any']}]",
            "192.0.2.1",
            80,
            "h2c",
            "allowed by '{\"transport\": \"http-plain\", \"match\": [\"any\"]}' -> 'any'"),
        t("[{'transport': 'http-plain', 'match': ['any']}]", "192.0.2.1", 443, "http", "no match"),
        // When the qualifiers hold, the element is a nested list: it matches when the list allows.
        t(
            "[{'port': 853, 'match': ['10/8']}, '192.0.2.0/24']",
            "10.1.1.1",
            853,
            "tls",
            "allowed by '{\"port\": 853, \"match\": [\"10/8\"]}' -> '10/8'"),
        t(
            "[{'port': 853, 'match': ['10/8']}, '192.0.2.0/24']",
            "192.0.2.1",
            853,
            "tls",
            "allowed by '192.0.2.0/24'"),
        t(
            "[{'port': 853, 'match': ['!10/8', 'any']}, '10.1/16']",
            "10.1.1.1",
            853,
            "tls",
            "allowed by '10.1/16'"),
        t(
            "[{'port': 853, 'match': ['!10/8', 'any']}, '10.1/16']",
            "10.2.1.1",
            853,
            "tls",
            "no match"),
        t("[{'port': 853, 'match': ['key xfr']}]", "10.2.1.1", 853, "tls", "no match"),
        t(
            "[{'port': 853, 'match': ['ten']}]",
            "10.2.1.1",
            853,
            "tls",
            "allowed by '{\"port\": 853, \"match\": [\"ten\"]}' -> 'ten' -> '10/8'"),
        // First match: an earlier address element wins, a later one loses.
        t(
            "['!10/8', {'port': 853, 'match': ['any']}]",
            "10.2.1.1",
            853,
            "tls",
            "denied by '!10/8'"),
        t(
            "[{'port': 853, 'match': ['any']}, '!10/8']",
            "10.2.1.1",
            853,
            "tls",
            "allowed by '{\"port\": 853, \"match\": [\"any\"]}' -> 'any'"),
        t("[{'port': 853, 'match': ['any']}, '!10/8']", "10.2.1.1", 53, "udp", "denied by '!10/8'"),
        // Negation (inside a negated nested list) and nesting in both directions.
        t(
            "[{'!': [{'transport': 'udp', 'match': ['any']}]}, 'any']",
            "192.0.2.1",
            53,
            "udp",
            "denied by '!{ {\"transport\": \"udp\", \"match\": [\"any\"]}; }'"
                + " -> '{\"transport\": \"udp\", \"match\": [\"any\"]}' -> 'any'"),
        t(
            "[{'!': [{'transport': 'udp', 'match': ['any']}]}, 'any']",
            "192.0.2.1",
            53,
            "tcp",
            "allowed by 'any'"),
        t(
            "[[{'port': 853, 'match': ['any']}]]",
            "192.0.2.1",
            853,
            "tls",
            "allowed by '{ {\"port\": 853, \"match\": [\"any\"]}; }' -> '{\"port\": 853, \"match\": [\"any\"]}'"
                + " -> 'any'"),
        t(
            "[{'port': 853, 'match': [{'transport': 'tls', 'match': ['any']}]}]",
            "192.0.2.1",
            853,
            "tls",
            "allowed by '{\"port\": 853, \"match\": [{\"transport\": \"tls\", \"match\": [\"any\"]}]}'"
                + " -> '{\"transport\": \"tls\", \"match\": [\"any\"]}' -> 'any'"),
        t(
            "[{'port': 853, 'match': [{'transport': 'tls', 'match': ['any']}]}]",
            "192.0.2.1",
            853,
            "tcp",
            "no match"),
        // The ARM-style pattern: allow-transfer port 853 transport tls { key xfr; } with a key.
        t(
            "[{'port': 853, 'transport': 'tls', 'match': [{'!': ['!192.0.2.0/24', 'any']}, 'any']}]",
            "192.0.2.1",
            853,
            "tls",
            "allowed by '{\"port\": 853, \"transport\": \"tls\", \"match\": [{\"!\": [\"!192.0.2.0/24\","
                + " \"any\"]}, \"any\"]}' -> 'any'"),
        t(
            "[{'port': 853, 'transport': 'tls', 'match': [{'!': ['!192.0.2.0/24', 'any']}, 'any']}]",
            "198.51.100.1",
            853,
            "tls",
            "no match"));
  }

  @ParameterizedTest(name = "{0} client {1} port {2} transport {3}: {4}")
  @MethodSource("table")
  void qualifiersGateANestedList(
      String list, String client, int port, String transport, String expected) {
    assertEquals(expected, decide(list, client, port, transport));
  }

  @Test
  void qualifiedListsInNamedAcls() throws AclException {
    AddressMatchList list =
        AddressMatchList.compile(
            List.of("dot-only"),
            Map.of("dot-only", List.of(Map.of("transport", "tls", "match", List.of("any")))),
            Fixtures.ENV);
    assertEquals(
        true, list.evaluate(MatchContext.of(ip("192.0.2.1")).withTransport("tls")).allowed());
    assertEquals(
        false, list.evaluate(MatchContext.of(ip("192.0.2.1")).withTransport("udp")).matched());
    assertEquals(false, list.allows(ip("192.0.2.1")));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "[{'port': 853}]",
            "element '{\"port\": 853}': a qualified list needs \"match\": [ ... ],"
                + " the list the qualifiers apply to"),
        Arguments.of(
            "[{'match': ['any']}]",
            "element '{\"match\": [\"any\"]}': a qualified list needs \"port\""
                + " or \"transport\" (without them, write the nested list as a JSON array)"),
        Arguments.of(
            "[{'port': 853, 'match': 'any'}]",
            "element '{\"port\": 853, \"match\": \"any\"}':"
                + " the value of \"match\" must be a JSON array, not a string"),
        Arguments.of(
            "[{'port': '853', 'match': ['any']}]",
            "element '{\"port\": \"853\", \"match\": [\"any\"]}':"
                + " \"port\" must be a port number 1-65535, not '853'"),
        Arguments.of(
            "[{'port': 0, 'match': ['any']}]",
            "element '{\"port\": 0, \"match\": [\"any\"]}':"
                + " \"port\" must be a port number 1-65535, not 0"),
        Arguments.of(
            "[{'port': 65536, 'match': ['any']}]",
            "element '{\"port\": 65536, \"match\": [\"any\"]}':"
                + " \"port\" must be a port number 1-65535, not 65536"),
        Arguments.of(
            "[{'port': 85.3, 'match': ['any']}]",
            "element '{\"port\": 85.3, \"match\": [\"any\"]}':"
                + " \"port\" must be a port number 1-65535, not 85.3"),
        Arguments.of(
            "[{'port': null, 'match': ['any']}]",
            "element '{\"port\": null, \"match\": [\"any\"]}':"
                + " \"port\" must be a port number 1-65535, not null"),
        Arguments.of(
            "[{'transport': 'quic', 'match': ['any']}]",
            "element '{\"transport\": \"quic\", \"match\":"
                + " [\"any\"]}': \"transport\" must be one of udp, tcp, udp-tcp, tls, http (or https), http-plain, doq,"
                + " not 'quic'"),
        Arguments.of(
            "[{'transport': ['tls'], 'match': ['any']}]",
            "element '{\"transport\": [\"tls\"], \"match\":"
                + " [\"any\"]}': \"transport\" must be one of udp, tcp, udp-tcp, tls, http (or https), http-plain, doq,"
                + " not an array"),
        Arguments.of(
            "[{'port': 853, 'match': ['10.1.2.3/8']}]",
            "element '10.1.2.3/8': host bits set" + " (did you mean 10.0.0.0/8?)"),
        Arguments.of(
            "[{'port': 853, 'proto': 'tls', 'match': ['any']}]",
            "element '{\"port\": 853, \"proto\":"
                + " \"tls\", \"match\": [\"any\"]}': an object element must have the single key \"!\""
                + " (a negated nested list)"),
        Arguments.of(
            "['port 853']",
            "element 'port 853': port/transport qualifiers are written as an object:"
                + " {\"port\": 853, \"transport\": \"tls\", \"match\": [ ... ]}"),
        Arguments.of(
            "['!transport tls']",
            "element '!transport tls': port/transport qualifiers are written as"
                + " an object: {\"port\": 853, \"transport\": \"tls\", \"match\": [ ... ]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedElementsAreRejectedNamingTheElement(String list, String message) {
    AclException e =
        assertThrows(
            AclException.class,
            () -> AddressMatchList.compile(Json.list(list), Map.of(), Fixtures.ENV));
    assertEquals(message, e.getMessage());
  }

  @Test
  void contextValidatesPortAndTransport() {
    MatchContext c = MatchContext.of(ip("192.0.2.1"));
    assertThrows(IllegalArgumentException.class, () -> c.withPort(0));
    assertThrows(IllegalArgumentException.class, () -> c.withPort(65536));
    assertThrows(IllegalArgumentException.class, () -> c.withTransport("quic"));
    assertThrows(IllegalArgumentException.class, () -> c.withTransport("udp-tcp"));
    assertEquals("tls", c.withTransport("DoT").transport());
    assertEquals("http", c.withTransport("doh").transport());
    assertEquals("http-plain", c.withTransport("h2c").transport());
    assertEquals("doq", c.withTransport("DoQ").transport());
    assertEquals(null, c.withTransport("udp").withTransport(null).transport());
    assertEquals(853, c.withPort(853).port());
    assertEquals(0, c.port());
    assertEquals(c.withPort(853).withTransport("tls"), c.withTransport("dot").withPort(853));
    assertEquals(
        "MatchContext[address=192.0.2.1, port=853, transport=tls]",
        c.withPort(853).withTransport("tls").toString());
  }

  @Test
  void withAddressKeepsEverythingButTheAddress() {
    for (String transport : List.of("udp", "tcp", "dot", "doh", "h2c")) {
      MatchContext source =
          MatchContext.of(ip("192.0.2.1"))
              .withKey("Host1-Host2")
              .withPort(853)
              .withTransport(transport)
              .withEcs(ip("198.51.100.99"), 24);
      for (String address : List.of("203.0.113.53", "2001:db8::53", "::ffff:192.0.2.1")) {
        MatchContext rebuilt =
            MatchContext.of(ip(address))
                .withKey(source.keyName())
                .withPort(source.port())
                .withTransport(source.transport())
                .withEcs(ip("198.51.100.99"), 24);
        MatchContext moved = source.withAddress(ip(address));
        assertEquals(rebuilt, moved);
        assertEquals(rebuilt.toString(), moved.toString());
        assertEquals(rebuilt.key(), moved.key());
        assertEquals(rebuilt.transportBit(), moved.transportBit());
      }
    }
    MatchContext bare = MatchContext.of(ip("192.0.2.1"));
    assertEquals(MatchContext.of(ip("2001:db8::1")), bare.withAddress(ip("2001:db8::1")));
    assertThrows(NullPointerException.class, () -> bare.withAddress(null));
  }
}
