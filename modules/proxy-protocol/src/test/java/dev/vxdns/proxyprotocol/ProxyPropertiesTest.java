package dev.vxdns.proxyprotocol;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random headers round-trip; random damage never throws and always gives one of the three answers.
 */
class ProxyPropertiesTest {
  private static final ProxyDecoder ANY_SIZE =
      ProxyDecoder.withMaxHeaderSize(ProxyHeader.MAX_LENGTH);
  private static final ProxyDecoder SMALL = ProxyDecoder.withMaxHeaderSize(64);
  private static final byte[] PAYLOAD = Bytes.hex("abcd 0100 0001 0000 0000 0000 00 0001 0001");

  @Provide
  Arbitrary<ProxyHeader> headers() {
    return Generators.headers();
  }

  @Provide
  Arbitrary<List<Generators.Mutation>> mutations() {
    return Generators.mutations();
  }

  @Property(tries = 1500)
  void validHeadersRoundTrip(@ForAll("headers") ProxyHeader h) {
    byte[] wire = ProxyEncoder.encode(h);
    assertEquals(h.length(), wire.length);
    DecodeResult r = ANY_SIZE.decode(Bytes.cat(wire, PAYLOAD));
    DecodeResult.Complete c = assertInstanceOf(DecodeResult.Complete.class, r, r::toString);
    assertEquals(RoundTripTest.withZeroCrc(h), RoundTripTest.withZeroCrc(c.header()));
    assertEquals(wire.length, c.length());
    assertArrayEquals(wire, ProxyEncoder.encode(c.header()));
    DecodeResult d = ProxyDecoder.defaults().decodeDatagram(ProxyEncoder.prepend(h, PAYLOAD));
    if (wire.length <= 512) {
      assertEquals(c.header(), assertInstanceOf(DecodeResult.Complete.class, d).header());
    } else {
      assertEquals(
          ProxyError.HEADER_TOO_LARGE, assertInstanceOf(DecodeResult.Invalid.class, d).reason());
    }
  }

  @Property(tries = 2000)
  void mutatedHeadersNeverThrow(
      @ForAll("headers") ProxyHeader h,
      @ForAll("mutations") List<Generators.Mutation> ms,
      @ForAll boolean withPayload) {
    byte[] b = withPayload ? ProxyEncoder.prepend(h, PAYLOAD) : ProxyEncoder.encode(h);
    for (Generators.Mutation m : ms) {
      b = m.apply(b);
    }
    for (ProxyDecoder decoder : List.of(ProxyDecoder.defaults(), ANY_SIZE, SMALL)) {
      DecodeResult stream = checked(decoder, b, false);
      DecodeResult datagram = checked(decoder, b, true);
      Statistics.label("outcome").collect(stream.getClass().getSimpleName());
      // A stream answer and a datagram answer for the same bytes are consistent.
      if (stream instanceof DecodeResult.Complete) {
        assertEquals(stream, datagram);
      } else if (stream instanceof DecodeResult.Invalid) {
        assertEquals(
            ((DecodeResult.Invalid) stream).reason(), ((DecodeResult.Invalid) datagram).reason());
      } else {
        ProxyError e = assertInstanceOf(DecodeResult.Invalid.class, datagram).reason();
        assertTrue(e == ProxyError.TRUNCATED || e == ProxyError.LENGTH_BEYOND_DATA, e::toString);
      }
    }
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("Complete").count(n -> n > 0);
              c.check("NeedMore").count(n -> n > 0);
              c.check("Invalid").count(n -> n > 0);
            });
  }

  @Property(tries = 1000)
  void arbitraryBytesNeverThrow(
      @ForAll @Size(max = 600) byte[] tail,
      @ForAll boolean withSignature,
      @ForAll byte verCmd,
      @ForAll byte famProto) {
    byte[] b = withSignature ? Bytes.cat(Bytes.SIG, new byte[] {verCmd, famProto}, tail) : tail;
    checked(ProxyDecoder.defaults(), b, false);
    checked(ProxyDecoder.defaults(), b, true);
    checked(ANY_SIZE, b, false);
  }

  /** Decodes (any exception fails the property) and checks the invariants of each answer. */
  static DecodeResult checked(ProxyDecoder decoder, byte[] b, boolean datagram) {
    DecodeResult r = datagram ? decoder.decodeDatagram(b) : decoder.decode(b);
    assertNotNull(r);
    if (r instanceof DecodeResult.Complete) {
      ProxyHeader h = ((DecodeResult.Complete) r).header();
      int n = ((DecodeResult.Complete) r).length();
      assertTrue(n >= 16 && n <= b.length && n <= decoder.maxHeaderSize());
      byte[] again = ProxyEncoder.encode(h);
      // Decoding is exact: what was accepted re-encodes to the same bytes (Unix paths aside,
      // whose bytes after the NUL are padding) and decodes to the same header; except a LOCAL
      // whose block was not valid, which is taken with its block discarded (spec 2.2).
      boolean exact = Arrays.equals(Arrays.copyOf(b, n), again);
      if (h.isLocal() && !exact && h.family() != AddressFamily.UNIX) {
        assertEquals(ProxyHeader.local(), h);
        assertArrayEquals(Arrays.copyOf(b, 13), Arrays.copyOf(again, 13));
      } else if (h.family() != AddressFamily.UNIX) {
        assertArrayEquals(Arrays.copyOf(b, n), again);
      }
      assertEquals(h, ((DecodeResult.Complete) ANY_SIZE.decode(again)).header());
    } else if (r instanceof DecodeResult.NeedMore) {
      DecodeResult.NeedMore m = (DecodeResult.NeedMore) r;
      assertFalse(datagram, "a datagram never needs more");
      assertEquals(b.length, m.available());
      assertTrue(m.minimumLength() > m.available());
      assertTrue(m.minimumLength() <= Math.max(16, decoder.maxHeaderSize()));
    } else {
      DecodeResult.Invalid i = (DecodeResult.Invalid) r;
      assertNotNull(i.reason());
      assertFalse(i.detail().isEmpty());
      if (!datagram) {
        assertNotEquals(ProxyError.TRUNCATED, i.reason());
        assertNotEquals(ProxyError.LENGTH_BEYOND_DATA, i.reason());
      }
    }
    return r;
  }
}
