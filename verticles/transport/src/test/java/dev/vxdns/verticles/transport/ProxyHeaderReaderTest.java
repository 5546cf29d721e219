package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.proxyprotocol.ProxyDecoder;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reader on an embedded channel: it decodes the header, keeps it on the channel, hands on what
 * follows, and closes on bad input.
 */
class ProxyHeaderReaderTest {
  private static final ProxyHeader DECODED =
      ProxyHeader.proxy(
          TransportProtocol.STREAM,
          new InetSocketAddress("192.0.2.1", 1111),
          new InetSocketAddress("192.0.2.53", 853));
  private static final byte[] HEADER = ProxyEncoder.encode(DECODED);
  private static final byte[] CLIENT_HELLO_START = {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5};

  /** The embedded loop's own clock, so that only the test moves time. */
  private final MockTicker ticker = Ticker.newMockTicker();

  private EmbeddedChannel channel() {
    return channel(512);
  }

  private EmbeddedChannel channel(int maxHeaderSize) {
    return EmbeddedChannel.builder()
        .handlers(new ProxyHeaderReader(ProxyDecoder.withMaxHeaderSize(maxHeaderSize), 1000))
        .ticker(ticker)
        .build();
  }

  private void advance(EmbeddedChannel channel, long millis) {
    ticker.advance(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static byte[] readAll(EmbeddedChannel channel) {
    ByteBuf all = Unpooled.buffer();
    for (ByteBuf chunk; (chunk = channel.readInbound()) != null; ) {
      all.writeBytes(chunk);
      chunk.release();
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    return bytes;
  }

  @Test
  void aHeaderAndWhatFollowsInOneChunkAreSplit() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Unpooled.wrappedBuffer(concat(HEADER, CLIENT_HELLO_START)));
    assertEquals(DECODED, ProxyHeaderReader.header(channel), "decoded once, kept typed");
    assertArrayEquals(CLIENT_HELLO_START, readAll(channel));
    assertNull(channel.pipeline().get(ProxyHeaderReader.NAME), "the reader steps aside");
    assertTrue(channel.isOpen());
  }

  @Test
  void aHeaderArrivingByteByByteIsReassembled() {
    EmbeddedChannel channel = channel();
    byte[] stream = concat(HEADER, CLIENT_HELLO_START);
    for (byte b : stream) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertEquals(DECODED, ProxyHeaderReader.header(channel), "decoded once, kept typed");
    assertArrayEquals(CLIENT_HELLO_START, readAll(channel));
  }

  @Test
  void aClientHelloWhereAHeaderShouldBeClosesTheConnection() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Unpooled.wrappedBuffer(CLIENT_HELLO_START));
    assertFalse(channel.isOpen());
    assertNull(ProxyHeaderReader.header(channel));
    assertNull(channel.readInbound(), "nothing reaches TLS");
  }

  @Test
  void aVersionOneHeaderIsRefusedAsBindDoes() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(
        Unpooled.wrappedBuffer(
            "PROXY TCP4 192.0.2.1 192.0.2.53 1111 853\r\n".getBytes(StandardCharsets.US_ASCII)));
    assertFalse(channel.isOpen());
  }

  @Test
  void anIncompleteHeaderIsClosedAtTheTimeout() throws Exception {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Unpooled.wrappedBuffer(HEADER, 0, 10));
    assertTrue(channel.isOpen());
    advance(channel, 999);
    assertTrue(channel.isOpen(), "still within the timeout");
    advance(channel, 2);
    assertFalse(channel.isOpen());
  }

  @Test
  void aCompleteHeaderCancelsTheTimeout() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
    advance(channel, 5000);
    assertTrue(channel.isOpen());
  }

  @Test
  void aHeaderLargerThanTheLimitClosesTheConnection() {
    EmbeddedChannel channel = channel(16);
    channel.writeInbound(Unpooled.wrappedBuffer(HEADER));
    assertFalse(channel.isOpen());
  }
}
