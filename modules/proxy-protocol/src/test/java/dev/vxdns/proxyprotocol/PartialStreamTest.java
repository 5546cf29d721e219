package dev.vxdns.proxyprotocol;

import static dev.vxdns.proxyprotocol.Bytes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A header arriving in pieces: prefixes need more, the whole thing is complete, garbage fails
 * early.
 */
class PartialStreamTest {
  private static final byte[] DNS =
      hex("0021 abcd01000001000000000000 076578616d706c65036e657400 0001 0001");

  static Stream<Vectors.Valid> valid() {
    return Vectors.valid().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void everyPrefixNeedsMoreWithTheRightMinimum(Vectors.Valid v) {
    byte[] b = v.bytes();
    for (int k = 0; k < b.length; k++) {
      DecodeResult r = ProxyDecoder.defaults().decode(b, 0, k);
      DecodeResult.NeedMore m =
          assertInstanceOf(DecodeResult.NeedMore.class, r, "prefix " + k + ": " + r);
      assertEquals(k < 16 ? 16 : b.length, m.minimumLength(), "prefix " + k);
      assertEquals(k, m.available());
      assertTrue(m.missing() > 0);
      // The same bytes as a whole datagram are truncated.
      DecodeResult.Invalid d =
          assertInstanceOf(
              DecodeResult.Invalid.class, ProxyDecoder.defaults().decodeDatagram(b, 0, k));
      assertEquals(k < 16 ? ProxyError.TRUNCATED : ProxyError.LENGTH_BEYOND_DATA, d.reason());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void wholeHeaderPlusTrailingBytesIsComplete(Vectors.Valid v) {
    byte[] data = cat(v.bytes(), DNS);
    DecodeResult.Complete c =
        assertInstanceOf(DecodeResult.Complete.class, ProxyDecoder.defaults().decode(data));
    assertEquals(v.bytes().length, c.length());
    assertEquals(v.expected(), c.header());
    assertArrayEquals(DNS, Arrays.copyOfRange(data, c.length(), data.length));
    for (int extra = 0; extra <= DNS.length; extra++) {
      assertEquals(
          v.bytes().length,
          ((DecodeResult.Complete)
                  ProxyDecoder.defaults().decode(data, 0, v.bytes().length + extra))
              .length());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void streamDecoderInRandomChunks(Vectors.Valid v) {
    byte[] data = cat(v.bytes(), DNS);
    Random random = new Random(v.name().hashCode());
    for (int round = 0; round < 20; round++) {
      ProxyStreamDecoder s = ProxyDecoder.defaults().newStreamDecoder();
      int p = 0;
      DecodeResult r = null;
      while (s.state() == ProxyStreamDecoder.State.READING) {
        int n = round == 0 ? 1 : Math.min(data.length - p, 1 + random.nextInt(40));
        r = s.feed(data, p, n);
        p += n;
      }
      assertEquals(ProxyStreamDecoder.State.COMPLETE, s.state(), String.valueOf(r));
      assertSame(r, s.result());
      assertEquals(v.expected(), ((DecodeResult.Complete) r).header());
      assertArrayEquals(v.bytes(), s.header(), "the header's own bytes");
      // What came after the header in the completing chunk, then the rest of the stream.
      byte[] rest = cat(s.remainder(), Arrays.copyOfRange(data, p, data.length));
      assertArrayEquals(DNS, rest);
      final ProxyStreamDecoder done = s;
      assertThrows(IllegalStateException.class, () -> done.feed(new byte[1]));
    }
  }

  @Test
  void contradictingPrefixFailsAtOnce() {
    assertEquals(ProxyError.BAD_SIGNATURE, reason(ProxyDecoder.defaults().decode(hex("0D0A0E"))));
    assertEquals(ProxyError.BAD_SIGNATURE, reason(ProxyDecoder.defaults().decode(hex("00"))));
    assertEquals(
        ProxyError.PROXY_V1_NOT_SUPPORTED, reason(ProxyDecoder.defaults().decode(ascii("P"))));
    assertEquals(
        ProxyError.BAD_VERSION, reason(ProxyDecoder.defaults().decode(cat(SIG, hex("11")))));
    assertEquals(
        ProxyError.BAD_COMMAND, reason(ProxyDecoder.defaults().decode(cat(SIG, hex("23")))));
    assertEquals(
        ProxyError.BAD_FAMILY, reason(ProxyDecoder.defaults().decode(cat(SIG, hex("21 51")))));
    assertEquals(
        ProxyError.BAD_PROTOCOL, reason(ProxyDecoder.defaults().decode(cat(SIG, hex("21 10")))));
    assertEquals(
        ProxyError.HEADER_TOO_LARGE,
        reason(ProxyDecoder.defaults().decode(cat(SIG, hex("21 11 0200")))));
    assertEquals(
        ProxyError.ADDRESS_BLOCK_TOO_SHORT,
        reason(ProxyDecoder.defaults().decode(cat(SIG, hex("21 31 00D7")))));
    // Empty input and a correct signature prefix: wait for the 16-byte fixed header.
    assertEquals(new DecodeResult.NeedMore(16, 0), ProxyDecoder.defaults().decode(new byte[0]));
    assertEquals(
        new DecodeResult.NeedMore(16, 5), ProxyDecoder.defaults().decode(hex("0D0A0D0A00")));
    assertEquals(
        new DecodeResult.NeedMore(16 + 12, 16),
        ProxyDecoder.defaults().decode(cat(SIG, hex("21 11 000C"))));
  }

  @Test
  void streamDecoderFailsAndStops() {
    ProxyStreamDecoder s = ProxyDecoder.defaults().newStreamDecoder();
    assertInstanceOf(DecodeResult.NeedMore.class, s.feed(hex("0D0A0D0A")));
    assertEquals(4, s.buffered());
    DecodeResult r = s.feed(ascii("GET / HTTP/1.1\r\n"));
    assertEquals(ProxyError.BAD_SIGNATURE, reason(r));
    assertEquals(ProxyStreamDecoder.State.FAILED, s.state());
    assertEquals(0, s.remainder().length);
    assertThrows(IllegalStateException.class, () -> s.feed(new byte[1]));
    // A header larger than the maximum fails on its 16th byte, before the rest arrives.
    ProxyStreamDecoder big = ProxyDecoder.defaults().newStreamDecoder();
    assertEquals(ProxyError.HEADER_TOO_LARGE, reason(big.feed(cat(SIG, hex("21 11 FFFF")))));
  }

  @Test
  void streamDecoderBuffersAtMostTheMaximum() {
    ProxyStreamDecoder s = ProxyDecoder.withMaxHeaderSize(100).newStreamDecoder();
    byte[] h = ProxyEncoder.encode(Vectors.v4Builder().noop(100 - 31).build());
    byte[] huge = cat(h, new byte[100_000]);
    DecodeResult.Complete c = assertInstanceOf(DecodeResult.Complete.class, s.feed(huge));
    assertEquals(100, c.length());
    assertEquals(100_000, s.remainder().length);
  }

  @Test
  void byteBuffersHeapAndDirect() {
    byte[] h = Vectors.valid().get(2).bytes();
    byte[] data = cat(bytes(3, 9), h, DNS);
    ByteBuffer heap = ByteBuffer.wrap(data);
    heap.position(3);
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
    direct.put(data).flip().position(3);
    ByteBuffer sliced = ByteBuffer.wrap(data).position(3).slice();
    for (ByteBuffer b : new ByteBuffer[] {heap, direct, sliced}) {
      int pos = b.position();
      assertEquals(h.length, ((DecodeResult.Complete) ProxyDecoder.defaults().decode(b)).length());
      assertEquals(
          h.length, ((DecodeResult.Complete) ProxyDecoder.defaults().decodeDatagram(b)).length());
      assertEquals(pos, b.position(), "the buffer is not moved");
    }
    ByteBuffer partial = ByteBuffer.allocateDirect(20).put(h, 0, 20).flip();
    assertEquals(new DecodeResult.NeedMore(h.length, 20), ProxyDecoder.defaults().decode(partial));
    assertEquals(
        ProxyError.LENGTH_BEYOND_DATA, reason(ProxyDecoder.defaults().decodeDatagram(partial)));
    ByteBuffer tooBig = ByteBuffer.allocateDirect(4000);
    tooBig.put(ProxyEncoder.encode(Vectors.v4Builder().noop(1000).build())).position(0);
    assertEquals(ProxyError.HEADER_TOO_LARGE, reason(ProxyDecoder.defaults().decode(tooBig)));
  }

  private static ProxyError reason(DecodeResult r) {
    return assertInstanceOf(DecodeResult.Invalid.class, r, r::toString).reason();
  }
}
