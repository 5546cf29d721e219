package dev.vxdns.proxyprotocol;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.*;

import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our decoder against Netty's {@code HAProxyMessageDecoder} (in an EmbeddedChannel), on the same
 * bytes. Where both apply they must agree: both accept with the same command, family/protocol,
 * addresses, ports and TLVs (see {@link NettyView#expected} for what Netty leaves out of a message
 * by design), or both reject. Every vector where they do not agree is listed in {@link #KNOWN} with
 * Netty's outcome and the reason; a new disagreement fails the test.
 */
class NettyDifferentialTest {

  record Known(NettyView.Kind netty, String why) {}

  private static final String V1 =
      "Netty also decodes PROXY v1 text headers; we accept v2 only, as BIND 9 does";
  private static final String NOT_V2 =
      "Netty takes anything that does not start with the v2 signature for a v1 "
          + "line and waits for its CRLF (up to 108 bytes); we reject at the first byte that contradicts the signature";
  private static final String LOCAL =
      "For LOCAL, Netty returns a fixed message without reading the family byte, "
          + "the address block or the TLVs; we check them (the header must still be well-formed, CRC included)";
  private static final String UNSPEC =
      "For PROXY with the UNSPEC family Netty skips the TLVs; we parse them";
  private static final String CRC =
      "Netty does not check PP2_TYPE_CRC32C at all (value, length, duplicates); we "
          + "verify it as the spec requires of receivers that support it";
  private static final String UNIQUE_ID = "Netty does not limit PP2_TYPE_UNIQUE_ID to 128 bytes";
  private static final String UNDER_4 =
      "Netty reads a TLV only while at least 4 bytes remain, so 1-3 trailing bytes "
          + "(a bare or zero-length TLV, or stray bytes) are silently ignored, in the header and in an SSL TLV; "
          + "we require the TLVs to fill the header exactly";
  private static final String LATE_LIMIT =
      "Netty rejects an oversized header only once the whole header (or more "
          + "than its maximum) has arrived; we reject it from the 16-byte fixed part";
  private static final String MIN_LIMIT =
      "Netty's maximum cannot be set below 232 bytes (16 + a Unix address " + "block); ours can";
  private static final String NO_DATAGRAM =
      "Netty only decodes streams: a truncated header waits for more bytes; "
          + "our datagram decoding knows nothing more will come";
  private static final String UNIX_ASCII =
      "Netty decodes Unix paths as US-ASCII; we keep the bytes and decode UTF-8";
  private static final String NESTED_SSL =
      "Netty parses a sub-TLV of type 0x20 inside an SSL TLV as another SSL TLV "
          + "(and fails on this 1-byte one); the spec defines no nesting, we keep sub-TLVs raw";

  /** Vector name to Netty's outcome, for every vector where Netty and we differ. */
  static final Map<String, Known> KNOWN =
      Map.ofEntries(
          entry("v1 TCP4 line", new Known(NettyView.Kind.ACCEPT, V1)),
          entry("v1 TCP6 line", new Known(NettyView.Kind.ACCEPT, V1)),
          entry("v1 UNKNOWN line", new Known(NettyView.Kind.ACCEPT, V1)),
          entry("v1 prefix PRO", new Known(NettyView.Kind.PENDING, V1)),
          entry(
              "3-byte prefix contradicting the signature",
              new Known(NettyView.Kind.PENDING, NOT_V2)),
          entry("plain DNS query over TCP", new Known(NettyView.Kind.PENDING, NOT_V2)),
          entry("LOCAL with family 4", new Known(NettyView.Kind.ACCEPT, LOCAL)),
          entry("UNSPEC with DGRAM (0x02)", new Known(NettyView.Kind.ACCEPT, LOCAL)),
          entry("UNSPEC: TLV overruns", new Known(NettyView.Kind.ACCEPT, UNSPEC)),
          entry("CRC32C of 3 bytes", new Known(NettyView.Kind.ACCEPT, CRC)),
          entry("CRC32C of 0 bytes", new Known(NettyView.Kind.ACCEPT, CRC)),
          entry("CRC32C of 5 bytes", new Known(NettyView.Kind.ACCEPT, CRC)),
          entry("two CRC32C TLVs", new Known(NettyView.Kind.ACCEPT, CRC)),
          entry("CRC32C zero", new Known(NettyView.Kind.ACCEPT, CRC)),
          entry("CRC32C, then source port changed", new Known(NettyView.Kind.ACCEPT, CRC)),
          entry("CRC32C value bit flipped", new Known(NettyView.Kind.ACCEPT, CRC)),
          entry("CRC32C stored little-endian", new Known(NettyView.Kind.ACCEPT, CRC)),
          entry("UNIQUE_ID of 129 bytes", new Known(NettyView.Kind.ACCEPT, UNIQUE_ID)),
          entry(
              "TLV header declares 1 byte, nothing follows",
              new Known(NettyView.Kind.ACCEPT, UNDER_4)),
          entry("1 stray byte after the addresses", new Known(NettyView.Kind.ACCEPT, UNDER_4)),
          entry("2 stray bytes after a TLV", new Known(NettyView.Kind.ACCEPT, UNDER_4)),
          entry("SSL of 0 bytes", new Known(NettyView.Kind.ACCEPT, UNDER_4)),
          entry("SSL with 1 stray byte", new Known(NettyView.Kind.ACCEPT, UNDER_4)),
          entry("SSL with 2 stray bytes", new Known(NettyView.Kind.ACCEPT, UNDER_4)),
          entry(
              "declared 65535, only fixed part present",
              new Known(NettyView.Kind.PENDING, LATE_LIMIT)),
          entry("120-byte header, max 100", new Known(NettyView.Kind.ACCEPT, MIN_LIMIT)),
          entry("datagram of 15 bytes", new Known(NettyView.Kind.PENDING, NO_DATAGRAM)),
          entry("empty datagram", new Known(NettyView.Kind.PENDING, NO_DATAGRAM)),
          entry(
              "datagram 1 byte shorter than declared",
              new Known(NettyView.Kind.PENDING, NO_DATAGRAM)),
          entry(
              "datagram declaring 100 TLV bytes it lacks",
              new Known(NettyView.Kind.PENDING, NO_DATAGRAM)),
          // Valid for us:
          entry("UNIX path in UTF-8", new Known(NettyView.Kind.ACCEPT, UNIX_ASCII)),
          entry(
              "SSL sub-TLV of type 0x20, kept raw", new Known(NettyView.Kind.REJECT, NESTED_SSL)));

  static Stream<Vectors.Valid> valid() {
    return Vectors.valid().stream();
  }

  static Stream<Vectors.Malformed> malformed() {
    return Vectors.malformed().stream();
  }

  /** Netty's decoder with the same maximum header size as ours (it adds 232 to its TLV limit). */
  private static HAProxyMessageDecoder nettyWithMax(int maxHeaderSize) {
    return new HAProxyMessageDecoder(maxHeaderSize - 232);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validVectors(Vectors.Valid v) {
    NettyView.Outcome netty = NettyView.decode(v.bytes(), () -> nettyWithMax(512));
    Known known = KNOWN.get(v.name());
    if (known == null) {
      assertEquals(NettyView.Kind.ACCEPT, netty.kind(), netty::toString);
      assertEquals(NettyView.expected(v.expected()), netty.view());
    } else {
      assertEquals(known.netty(), netty.kind(), known.why());
      if (netty.kind() == NettyView.Kind.ACCEPT) {
        assertNotEquals(
            NettyView.expected(v.expected()),
            netty.view(),
            "listed as a difference: " + known.why());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedVectors(Vectors.Malformed m) {
    NettyView.Outcome netty = NettyView.decode(m.bytes(), () -> nettyWithMax(m.maxHeaderSize()));
    Known known = KNOWN.get(m.name());
    assertEquals(
        known == null ? NettyView.Kind.REJECT : known.netty(),
        netty.kind(),
        () -> (known == null ? "both should reject" : known.why()) + "; Netty: " + netty);
  }

  @Test
  void everyKnownDisagreementNamesAVector() {
    Set<String> names = new HashSet<>();
    Vectors.valid().forEach(v -> names.add(v.name()));
    Vectors.malformed().forEach(m -> names.add(m.name()));
    for (String k : KNOWN.keySet()) {
      assertTrue(names.contains(k), "stale entry: " + k);
    }
  }

  @Test
  void defaultMaximumSizes() {
    byte[] b600 = ProxyEncoder.encode(Vectors.v4Builder().noop(600 - 31).build());
    // Ours defaults to dnsdist's 512 bytes; Netty's default decoder takes up to 16 + 65535.
    assertEquals(
        ProxyError.HEADER_TOO_LARGE,
        ((DecodeResult.Invalid) ProxyDecoder.defaults().decode(b600)).reason());
    NettyView.Outcome nettyDefault = NettyView.decode(b600, HAProxyMessageDecoder::new);
    assertEquals(NettyView.Kind.ACCEPT, nettyDefault.kind());
    // With the same maximum, both agree.
    assertEquals(NettyView.Kind.REJECT, NettyView.decode(b600, () -> nettyWithMax(512)).kind());
    ProxyHeader h =
        ((DecodeResult.Complete)
                ProxyDecoder.withMaxHeaderSize(ProxyHeader.MAX_LENGTH).decode(b600))
            .header();
    assertEquals(NettyView.expected(h), nettyDefault.view());
  }

  @Provide
  Arbitrary<ProxyHeader> headers() {
    return Generators.headers();
  }

  @Property(tries = 500)
  void randomValidHeadersAgree(@ForAll("headers") ProxyHeader h) {
    byte[] wire = ProxyEncoder.encode(h);
    ProxyHeader ours =
        ((DecodeResult.Complete)
                ProxyDecoder.withMaxHeaderSize(ProxyHeader.MAX_LENGTH).decode(wire))
            .header();
    NettyView.Outcome netty = NettyView.decode(wire, HAProxyMessageDecoder::new);
    assertEquals(NettyView.Kind.ACCEPT, netty.kind(), netty::toString);
    assertEquals(NettyView.expected(ours), netty.view());
  }
}
