package dev.vxdns.proxyprotocol;

import static dev.vxdns.proxyprotocol.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Encoder to decoder for many shapes, and the builder's checks. */
class RoundTripTest {

  static Stream<ProxyHeader> shapes() {
    List<ProxyHeader> out = new ArrayList<>();
    List<ProxyHeader.Builder> bases = new ArrayList<>();
    bases.add(ProxyHeader.builder().command(Command.LOCAL));
    bases.add(ProxyHeader.builder());
    for (Command c : Command.values()) {
      for (TransportProtocol p : List.of(TransportProtocol.STREAM, TransportProtocol.DGRAM)) {
        bases.add(
            ProxyHeader.builder()
                .command(c)
                .protocol(p)
                .addresses(sock("203.0.113.7", 1234), sock("192.0.2.53", 53)));
        bases.add(
            ProxyHeader.builder()
                .command(c)
                .protocol(p)
                .addresses(sock("2001:db8::7", 1234), sock("2001:db8::53", 853)));
        bases.add(ProxyHeader.builder().command(c).protocol(p).unixPaths("/tmp/c", "/tmp/s"));
        bases.add(ProxyHeader.builder().command(c).protocol(p).unixPaths("", "sock-ü"));
      }
    }
    for (ProxyHeader.Builder b : bases) {
      ProxyHeader base = b.build();
      out.add(base);
      out.add(base.toBuilder().crc32c().build());
      out.add(
          base.toBuilder().alpn("dot").authority("example.net").uniqueId(bytes(128, 1)).build());
      out.add(
          base.toBuilder()
              .ssl(
                  SslInfo.builder()
                      .client(SslInfo.CLIENT_SSL | SslInfo.CLIENT_CERT_CONN)
                      .verify(0)
                      .version("TLSv1.3")
                      .commonName("c")
                      .cipher("x")
                      .signatureAlgorithm("y")
                      .keyAlgorithm("z")
                      .build())
              .crc32c()
              .netns("n")
              .build());
      out.add(
          base.toBuilder()
              .noop(0)
              .custom(0xE0, new byte[0])
              .custom(0xEF, bytes(40, 2))
              .tlv(Tlv.of(0xF8, bytes(1, 3)))
              .crc32c()
              .build());
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void roundTrips(ProxyHeader h) {
    byte[] wire = ProxyEncoder.encode(h);
    assertEquals(h.length(), wire.length);
    ProxyDecoder any = ProxyDecoder.withMaxHeaderSize(ProxyHeader.MAX_LENGTH);
    DecodeResult.Complete c = assertInstanceOf(DecodeResult.Complete.class, any.decode(wire));
    assertEquals(withZeroCrc(h), withZeroCrc(c.header()));
    assertEquals(wire.length, c.length());
    // Encoding the decoded header gives the same bytes, the CRC included.
    assertArrayEquals(wire, ProxyEncoder.encode(c.header()));
    if (h.crc32c().isPresent()) {
      assertNotEquals(0, c.header().crc32c().getAsLong(), "the encoder filled the checksum in");
    }
  }

  @Test
  void encodeIntoArrayAndPrepend() {
    ProxyHeader h =
        ProxyHeader.proxy(TransportProtocol.DGRAM, sock("192.0.2.1", 5300), sock("192.0.2.2", 53));
    byte[] out = bytes(h.length() + 10, 0x77);
    assertEquals(h.length(), ProxyEncoder.encode(h, out, 5));
    assertEquals(0x77, out[4] & 0xFF);
    assertEquals(0x77, out[5 + h.length()] & 0xFF);
    byte[] query = hex("abcd01000001000000000000 0000010001");
    byte[] datagram = ProxyEncoder.prepend(h, query);
    DecodeResult.Complete c =
        assertInstanceOf(
            DecodeResult.Complete.class, ProxyDecoder.defaults().decodeDatagram(datagram));
    assertEquals(h, c.header());
    assertArrayEquals(query, java.util.Arrays.copyOfRange(datagram, c.length(), datagram.length));
    assertThrows(
        IndexOutOfBoundsException.class, () -> ProxyEncoder.encode(h, new byte[h.length()], 1));
  }

  @Test
  void localIsSixteenBytes() {
    assertArrayEquals(
        hex("0D0A0D0A000D0A515549540A 20 00 0000"), ProxyEncoder.encode(ProxyHeader.local()));
    assertTrue(ProxyHeader.local().isLocal());
  }

  @Test
  void builderRejectsWhatTheDecoderRejects() {
    InetSocketAddress v4 = sock("192.0.2.1", 1);
    InetSocketAddress v6 = sock("2001:db8::1", 1);
    assertThrows(IllegalArgumentException.class, () -> ProxyHeader.builder().addresses(v4, v6));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ProxyHeader.builder()
                .addresses(InetSocketAddress.createUnresolved("example.net", 53), v4));
    assertThrows(
        IllegalArgumentException.class,
        () -> ProxyHeader.builder().addresses(v4, v4).build(),
        "addresses need STREAM or DGRAM");
    assertThrows(
        IllegalArgumentException.class,
        () -> ProxyHeader.builder().protocol(TransportProtocol.STREAM).build(),
        "UNSPEC family needs UNSPEC");
    assertThrows(
        IllegalArgumentException.class,
        () -> ProxyHeader.builder().unixPaths("/" + "x".repeat(108), "/"));
    assertThrows(
        IllegalArgumentException.class, () -> ProxyHeader.builder().unixPaths("/a\0b", "/"));
    assertThrows(
        IllegalArgumentException.class,
        () -> ProxyHeader.builder().uniqueId(new byte[129]).build());
    assertThrows(
        IllegalArgumentException.class, () -> ProxyHeader.builder().crc32c().crc32c().build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProxyHeader.builder().tlv(Tlv.of(Tlv.CRC32C, new byte[3])).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProxyHeader.builder().tlv(Tlv.of(Tlv.SSL, new byte[4])).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ProxyHeader.builder().tlv(Tlv.of(Tlv.SSL, hex("0000000000 21 0009 41"))).build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ProxyHeader.builder()
                .tlv(Tlv.of(0xE0, new byte[65535]))
                .tlv(Tlv.of(0xE1, new byte[0]))
                .build(),
        "over 65551 bytes");
    assertThrows(IllegalArgumentException.class, () -> Tlv.of(256, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Tlv.of(1, new byte[65536]));
    assertThrows(IllegalArgumentException.class, () -> Tlv.custom(0xDF, new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> SslInfo.of(256, 0, List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> SslInfo.parse(Tlv.of(Tlv.ALPN, new byte[5])));
    // The largest header that exists: 16 + 65535.
    ProxyHeader max = ProxyHeader.builder().tlv(Tlv.of(0xE0, new byte[65532])).build();
    assertEquals(ProxyHeader.MAX_LENGTH, max.length());
    assertInstanceOf(
        DecodeResult.Complete.class,
        ProxyDecoder.withMaxHeaderSize(ProxyHeader.MAX_LENGTH).decode(ProxyEncoder.encode(max)));
  }

  @Test
  void valuesAreImmutable() {
    byte[] v = ascii("dot");
    Tlv t = Tlv.of(Tlv.ALPN, v);
    v[0] = 'X';
    assertEquals("dot", t.valueAsString());
    ProxyHeader.Builder b = Vectors.v4Builder().alpn("a");
    ProxyHeader h1 = b.build();
    b.alpn("b");
    assertEquals(1, h1.tlvs().size());
    assertEquals(2, b.build().tlvs().size());
    assertEquals(h1, h1.toBuilder().build());
    assertEquals(h1.hashCode(), h1.toBuilder().build().hashCode());
    assertTrue(h1.toString().contains("192.0.2.1:54321 -> 198.51.100.1:53"), h1::toString);
  }

  /**
   * The header with the CRC32C value zeroed: a built header has a placeholder, a decoded one the
   * checksum.
   */
  static ProxyHeader withZeroCrc(ProxyHeader h) {
    ProxyHeader.Builder b = h.toBuilder().clearTlvs();
    for (Tlv t : h.tlvs()) {
      b.tlv(t.type() == Tlv.CRC32C ? Tlv.of(Tlv.CRC32C, new byte[4]) : t);
    }
    return b.build();
  }
}
