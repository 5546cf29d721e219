package dev.vxdns.proxyprotocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Jazzer fuzz target of the PROXY v2 decoders. {@code mvn verify} replays the corpus in {@code
 * ProxyFuzzTestInputs/}; {@code bench/fuzz.sh proxy MINUTES} fuzzes for real.
 *
 * <p>Every input is decoded as a datagram and as a stream, both whole and fed to a {@link
 * ProxyStreamDecoder} in chunks: nothing throws, each answer is well-formed (the invariants of
 * {@link ProxyPropertiesTest}), and the three answers agree.
 */
class ProxyFuzzTest {
  private static final ProxyDecoder ANY_SIZE =
      ProxyDecoder.withMaxHeaderSize(ProxyHeader.MAX_LENGTH);
  private static final ProxyDecoder SMALL = ProxyDecoder.withMaxHeaderSize(64);

  @FuzzTest(maxDuration = "10m")
  void datagramAndStreamDecodersAgree(byte[] input) {
    for (ProxyDecoder decoder : List.of(ProxyDecoder.defaults(), ANY_SIZE, SMALL)) {
      DecodeResult stream = ProxyPropertiesTest.checked(decoder, input, false);
      DecodeResult datagram = ProxyPropertiesTest.checked(decoder, input, true);
      if (stream instanceof DecodeResult.Complete) {
        assertEquals(stream, datagram);
      } else if (stream instanceof DecodeResult.Invalid invalid) {
        assertEquals(invalid.reason(), ((DecodeResult.Invalid) datagram).reason());
      } else {
        ProxyError e = assertInstanceOf(DecodeResult.Invalid.class, datagram).reason();
        assertTrue(e == ProxyError.TRUNCATED || e == ProxyError.LENGTH_BEYOND_DATA, e::toString);
      }
      assertChunkedFeedAgrees(decoder, input, stream);
    }
  }

  /**
   * Feeds the input in chunks whose sizes derive from the input itself (so a corpus entry always
   * replays the same way) and checks the stream decoder ends where decoding it whole does.
   */
  private static void assertChunkedFeedAgrees(
      ProxyDecoder decoder, byte[] input, DecodeResult whole) {
    Random sizes = new Random(Arrays.hashCode(input));
    ProxyStreamDecoder streamDecoder = decoder.newStreamDecoder();
    DecodeResult last = null;
    int at = 0;
    while (at < input.length && streamDecoder.state() == ProxyStreamDecoder.State.READING) {
      int size = Math.min(input.length - at, 1 + sizes.nextInt(40));
      last = streamDecoder.feed(input, at, size);
      at += size;
    }
    if (whole instanceof DecodeResult.Complete complete) {
      assertEquals(ProxyStreamDecoder.State.COMPLETE, streamDecoder.state(), String.valueOf(last));
      assertEquals(complete, streamDecoder.result());
      assertArrayEquals(Arrays.copyOf(input, complete.length()), streamDecoder.header());
      // The remainder is what followed the header in the completing chunk.
      byte[] remainder = streamDecoder.remainder();
      assertArrayEquals(
          Arrays.copyOfRange(input, at - remainder.length, at), remainder, "remainder");
      assertEquals(complete.length(), at - remainder.length);
    } else if (whole instanceof DecodeResult.Invalid invalid) {
      assertEquals(ProxyStreamDecoder.State.FAILED, streamDecoder.state(), String.valueOf(last));
      ProxyError chunked = ((DecodeResult.Invalid) streamDecoder.result()).reason();
      // A stream starting with a prefix of "PROXY" is called v1 at once, as documented; the whole
      // input may prove it is not (then BAD_SIGNATURE). Every other reason is the same.
      if (chunked == ProxyError.PROXY_V1_NOT_SUPPORTED && input[0] == 'P') {
        assertTrue(invalid.reason() == chunked || invalid.reason() == ProxyError.BAD_SIGNATURE);
      } else {
        assertEquals(invalid.reason(), chunked);
      }
    } else {
      assertEquals(ProxyStreamDecoder.State.READING, streamDecoder.state(), String.valueOf(last));
      assertEquals(input.length, streamDecoder.buffered());
    }
  }
}
