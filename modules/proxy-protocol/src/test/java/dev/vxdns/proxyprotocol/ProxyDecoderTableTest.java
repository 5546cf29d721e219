package dev.vxdns.proxyprotocol;

import static dev.vxdns.proxyprotocol.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven: every malformation gives its exact error; every valid vector its exact value. */
class ProxyDecoderTableTest {

  static Stream<Vectors.Malformed> malformed() {
    return Vectors.malformed().stream();
  }

  static Stream<Vectors.Valid> valid() {
    return Vectors.valid().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedGivesExactError(Vectors.Malformed m) {
    ProxyDecoder decoder = ProxyDecoder.withMaxHeaderSize(m.maxHeaderSize());
    DecodeResult r = m.datagram() ? decoder.decodeDatagram(m.bytes()) : decoder.decode(m.bytes());
    DecodeResult.Invalid bad =
        assertInstanceOf(DecodeResult.Invalid.class, r, () -> m.name() + ": " + r);
    assertEquals(m.error(), bad.reason(), bad::detail);
    assertFalse(bad.detail().isBlank());
    if (!m.datagram()) {
      // Whatever is wrong with a stream is also wrong with the same bytes as a datagram.
      DecodeResult d = decoder.decodeDatagram(m.bytes());
      assertEquals(m.error(), assertInstanceOf(DecodeResult.Invalid.class, d).reason());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validDecodesToExactValue(Vectors.Valid v) {
    for (DecodeResult r :
        List.of(
            ProxyDecoder.defaults().decode(v.bytes()),
            ProxyDecoder.defaults().decodeDatagram(v.bytes()))) {
      DecodeResult.Complete c = assertInstanceOf(DecodeResult.Complete.class, r, r::toString);
      assertEquals(v.expected(), c.header());
      assertEquals(v.bytes().length, c.length());
      assertEquals(v.bytes().length, c.header().length());
    }
  }

  static Stream<Vectors.Valid> localWithDiscardedBlock() {
    return Vectors.localWithDiscardedBlock().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("localWithDiscardedBlock")
  void localIsAcceptedWithItsBlockDiscarded(Vectors.Valid v) {
    byte[] payload = {1, 2, 3};
    byte[] datagram = Bytes.cat(v.bytes(), payload);
    for (DecodeResult r :
        List.of(
            ProxyDecoder.defaults().decode(v.bytes()),
            ProxyDecoder.defaults().decodeDatagram(datagram))) {
      DecodeResult.Complete c = assertInstanceOf(DecodeResult.Complete.class, r, r::toString);
      assertEquals(v.expected(), c.header());
      // The whole block is skipped: what follows it is the payload.
      assertEquals(v.bytes().length, c.length());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void encoderReproducesHandBuiltBytes(Vectors.Valid v) {
    // The CRC vectors were filled in by the test's own bitwise CRC32C: the encoder must agree.
    assertEquals(toHex(v.bytes()), toHex(ProxyEncoder.encode(v.expected())));
  }

  @Test
  void typedAccessorsOfTcp4() {
    ProxyHeader h =
        complete(hex("0D0A0D0A000D0A515549540A 21 11 000C C0000201 C6336401 D431 0035"));
    assertEquals(Command.PROXY, h.command());
    assertFalse(h.isLocal());
    assertEquals(AddressFamily.INET, h.family());
    assertEquals(TransportProtocol.STREAM, h.protocol());
    assertEquals(new InetSocketAddress(ip4("192.0.2.1"), 54321), h.sourceAddress().orElseThrow());
    assertEquals(
        new InetSocketAddress(ip4("198.51.100.1"), 53), h.destinationAddress().orElseThrow());
    assertTrue(h.sourceUnixPath().isEmpty());
    assertTrue(h.tlvs().isEmpty());
    assertTrue(h.alpn().isEmpty());
    assertTrue(h.ssl().isEmpty());
    assertTrue(h.crc32c().isEmpty());
    assertEquals(28, h.length());
  }

  @Test
  void typedAccessorsOfIpv6() {
    ProxyHeader h = complete(header(0x21, 0x22, Vectors.V6_BLOCK));
    assertEquals(AddressFamily.INET6, h.family());
    assertEquals(TransportProtocol.DGRAM, h.protocol());
    assertEquals(
        "2001:db8:0:0:0:0:0:1", h.sourceAddress().orElseThrow().getAddress().getHostAddress());
    assertEquals(40000, h.sourceAddress().orElseThrow().getPort());
    assertEquals(853, h.destinationAddress().orElseThrow().getPort());
    ProxyHeader mapped = complete(header(0x21, 0x22, v6("::ffff:192.0.2.1", "::1", 1, 2)));
    assertInstanceOf(
        java.net.Inet6Address.class,
        mapped.sourceAddress().orElseThrow().getAddress(),
        "an IPv4-mapped address in an INET6 header stays IPv6");
    assertFalse(mapped.sourceAddress().orElseThrow().isUnresolved());
  }

  @Test
  void typedAccessorsOfUnix() {
    ProxyHeader h = complete(header(0x21, 0x32, Vectors.UNIX_BLOCK));
    assertEquals(AddressFamily.UNIX, h.family());
    assertEquals("/run/client.sock", h.sourceUnixPath().orElseThrow());
    assertEquals("/run/vxdns.sock", h.destinationUnixPath().orElseThrow());
    assertArrayEquals(ascii("/run/client.sock"), h.sourceUnixPathBytes().orElseThrow());
    assertTrue(h.sourceAddress().isEmpty());
    // Bytes after the NUL are padding and ignored.
    byte[] field = Bytes.unixField(ascii("/a"));
    field[50] = 'z';
    assertEquals("/a", complete(header(0x21, 0x31, field, field)).sourceUnixPath().orElseThrow());
    // Non-UTF-8 bytes never throw: the raw bytes are kept, the string has U+FFFD.
    byte[] odd = Bytes.unixField(hex("2F FF FE"));
    ProxyHeader o = complete(header(0x21, 0x31, odd, odd));
    assertArrayEquals(hex("2FFFFE"), o.sourceUnixPathBytes().orElseThrow());
    assertTrue(o.sourceUnixPath().orElseThrow().contains("\uFFFD"));
    assertArrayEquals(header(0x21, 0x31, odd, odd), ProxyEncoder.encode(o));
  }

  @Test
  void typedAccessorsOfEveryTlvKind() {
    byte[] ssl =
        cat(
            hex("05"),
            hex("00000002"),
            tlv(Tlv.SSL_VERSION, ascii("TLSv1.2")),
            tlv(Tlv.SSL_CN, "Zoë".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            tlv(Tlv.SSL_CIPHER, ascii("ECDHE-RSA-AES128-GCM-SHA256")),
            tlv(Tlv.SSL_SIG_ALG, ascii("RSA-SHA256")),
            tlv(Tlv.SSL_KEY_ALG, ascii("RSA2048")));
    byte[] bytes =
        fillCrc(
            header(
                0x21,
                0x11,
                Vectors.V4_BLOCK,
                tlv(Tlv.ALPN, ascii("dot")),
                tlv(Tlv.AUTHORITY, ascii("ns1.example.net")),
                tlv(Tlv.CRC32C, bytes(4, 0)),
                tlv(Tlv.NOOP, bytes(3, 0)),
                tlv(Tlv.UNIQUE_ID, hex("C0FFEE")),
                tlv(Tlv.SSL, ssl),
                tlv(Tlv.NETNS, ascii("ns-blue")),
                tlv(0xE0, hex("01")),
                tlv(0xE5, hex("0203")),
                tlv(0x99, hex("AA"))),
            16 + 12 + 6 + 18 + 3);
    ProxyHeader h = complete(bytes);
    assertEquals("dot", h.alpn().orElseThrow());
    assertArrayEquals(ascii("dot"), h.tlv(Tlv.ALPN).orElseThrow().value());
    assertEquals("ns1.example.net", h.authority().orElseThrow());
    assertEquals(Bytes.crc32c(zeroed(bytes, 16 + 12 + 6 + 18 + 3)), h.crc32c().orElseThrow());
    assertEquals(3, h.tlv(Tlv.NOOP).orElseThrow().length());
    assertArrayEquals(hex("C0FFEE"), h.uniqueId().orElseThrow());
    SslInfo s = h.ssl().orElseThrow();
    assertEquals(5, s.client());
    assertTrue(s.isClientSsl());
    assertFalse(s.isClientCertConn());
    assertTrue(s.isClientCertSess());
    assertEquals(2, s.verify());
    assertFalse(s.isVerified());
    assertEquals("TLSv1.2", s.version().orElseThrow());
    assertEquals("Zoë", s.commonName().orElseThrow());
    assertEquals("ECDHE-RSA-AES128-GCM-SHA256", s.cipher().orElseThrow());
    assertEquals("RSA-SHA256", s.signatureAlgorithm().orElseThrow());
    assertEquals("RSA2048", s.keyAlgorithm().orElseThrow());
    assertEquals(5, s.subTlvs().size());
    assertEquals(s, SslInfo.parse(h.tlv(Tlv.SSL).orElseThrow()));
    assertEquals("ns-blue", h.netns().orElseThrow());
    assertEquals(List.of(Tlv.of(0xE0, hex("01")), Tlv.of(0xE5, hex("0203"))), h.customTlvs());
    assertArrayEquals(hex("AA"), h.tlv(0x99).orElseThrow().value());
    assertEquals(10, h.tlvs().size());
    assertEquals(bytes.length, h.length());
  }

  @Test
  void tlvValuesAreCopiesAndListsAreUnmodifiable() {
    ProxyHeader h = complete(header(0x21, 0x11, Vectors.V4_BLOCK, tlv(Tlv.UNIQUE_ID, hex("0102"))));
    h.uniqueId().orElseThrow()[0] = 9;
    h.tlvs().get(0).value()[0] = 9;
    assertArrayEquals(hex("0102"), h.uniqueId().orElseThrow());
    assertThrows(UnsupportedOperationException.class, () -> h.tlvs().add(Tlv.of(1, new byte[0])));
    assertTrue(h.tlvs().get(0).valueBuffer().isReadOnly());
  }

  @Test
  void decodesAtAnOffsetAndIgnoresWhatFollows() {
    byte[] header = header(0x21, 0x12, Vectors.V4_BLOCK, tlv(Tlv.ALPN, ascii("x")));
    byte[] data = cat(bytes(7, 0x55), header, hex("1234 0100 0001"));
    DecodeResult r = ProxyDecoder.defaults().decode(data, 7, data.length - 7);
    assertEquals(header.length, assertInstanceOf(DecodeResult.Complete.class, r).length());
    assertEquals(
        header.length,
        ((DecodeResult.Complete) ProxyDecoder.defaults().decodeDatagram(data, 7, data.length - 7))
            .length());
  }

  @Test
  void maximumHeaderSizeIsConfigurable() {
    byte[] b600 = header(0x21, 0x11, Vectors.V4_BLOCK, tlv(Tlv.NOOP, new byte[600 - 31]));
    assertEquals(ProxyError.HEADER_TOO_LARGE, reason(ProxyDecoder.defaults().decode(b600)));
    assertInstanceOf(DecodeResult.Complete.class, ProxyDecoder.withMaxHeaderSize(600).decode(b600));
    assertEquals(
        ProxyError.HEADER_TOO_LARGE, reason(ProxyDecoder.withMaxHeaderSize(599).decode(b600)));
    assertInstanceOf(
        DecodeResult.Complete.class,
        ProxyDecoder.withMaxHeaderSize(ProxyHeader.MAX_LENGTH).decode(b600));
    assertEquals(512, ProxyDecoder.defaults().maxHeaderSize());
    assertSame(ProxyDecoder.defaults(), ProxyDecoder.withMaxHeaderSize(512));
    // A 16-byte maximum still takes LOCAL.
    assertInstanceOf(
        DecodeResult.Complete.class, ProxyDecoder.withMaxHeaderSize(16).decode(header(0x20, 0x00)));
    assertThrows(IllegalArgumentException.class, () -> ProxyDecoder.withMaxHeaderSize(15));
    assertThrows(IllegalArgumentException.class, () -> ProxyDecoder.withMaxHeaderSize(65552));
  }

  @Test
  void tooLargeIsReportedFromTheFixedHeaderAlone() {
    byte[] fixed = headerWithLength(0x21, 0x11, 1000);
    assertEquals(ProxyError.HEADER_TOO_LARGE, reason(ProxyDecoder.defaults().decode(fixed)));
    byte[] shortBlock = headerWithLength(0x21, 0x21, 20);
    assertEquals(
        ProxyError.ADDRESS_BLOCK_TOO_SHORT, reason(ProxyDecoder.defaults().decode(shortBlock)));
  }

  @Test
  void checksAreInWireOrder() {
    // Bad version and bad family: the version comes first.
    assertEquals(
        ProxyError.BAD_VERSION, reason(ProxyDecoder.defaults().decode(header(0x31, 0xF1))));
    // A TLV overrun after a wrong CRC: structure is checked before the checksum.
    byte[] b = header(0x21, 0x11, Vectors.V4_BLOCK, tlv(Tlv.CRC32C, bytes(4, 0)), hex("01"));
    assertEquals(ProxyError.TLV_OVERRUN, reason(ProxyDecoder.defaults().decode(b)));
    // Too large is checked before the address block.
    assertEquals(
        ProxyError.HEADER_TOO_LARGE,
        reason(
            ProxyDecoder.withMaxHeaderSize(20)
                .decode(headerWithLength(0x21, 0x11, 11, bytes(11, 0)))));
  }

  @Test
  void everyErrorIsCovered() {
    var covered = java.util.EnumSet.noneOf(ProxyError.class);
    Vectors.malformed().forEach(m -> covered.add(m.error()));
    assertEquals(java.util.EnumSet.allOf(ProxyError.class), covered);
  }

  @Test
  void invalidOffsetsAreProgrammingErrors() {
    assertThrows(
        IndexOutOfBoundsException.class, () -> ProxyDecoder.defaults().decode(new byte[4], 2, 3));
    assertThrows(
        IndexOutOfBoundsException.class,
        () -> ProxyDecoder.defaults().decodeDatagram(new byte[4], -1, 2));
  }

  static ProxyHeader complete(byte[] b) {
    DecodeResult r = ProxyDecoder.defaults().decode(b);
    return assertInstanceOf(DecodeResult.Complete.class, r, r::toString).header();
  }

  static ProxyError reason(DecodeResult r) {
    return assertInstanceOf(DecodeResult.Invalid.class, r, r::toString).reason();
  }

  private static byte[] zeroed(byte[] b, int at) {
    byte[] c = b.clone();
    Arrays.fill(c, at, at + 4, (byte) 0);
    return c;
  }

  private static java.net.InetAddress ip4(String s) {
    try {
      return java.net.InetAddress.getByAddress(ip(s));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
