package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The guard on embedded channels with their own clock: timeouts counted from requests, not bytes.
 * (The cap on connections is {@link ConnectionCapTest}'s.)
 */
class HttpConnectionGuardTest {
  private static final HttpConnectionGuard.Limits LIMITS =
      new HttpConnectionGuard.Limits(1000, 3000);

  /** The embedded loops' own clock, so that only the test moves time. */
  private final MockTicker ticker = Ticker.newMockTicker();

  private EmbeddedChannel channel() {
    return EmbeddedChannel.builder()
        .handlers(new HttpConnectionGuard(LIMITS))
        .ticker(ticker)
        .build();
  }

  private void advance(EmbeddedChannel channel, long millis) {
    ticker.advance(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void aConnectionWithoutARequestIsClosedAtTheInitialTimeoutWhateverBytesItSends() {
    EmbeddedChannel channel = channel();
    for (int i = 0; i < 9; i++) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
      advance(channel, 100);
    }
    assertTrue(channel.isOpen(), "within the initial timeout");
    advance(channel, 101);
    assertFalse(channel.isOpen(), "bytes are not requests");
  }

  @Test
  void answeredRequestsKeepTheConnectionForTheIdleTimeout() {
    EmbeddedChannel channel = channel();
    advance(channel, 900);
    HttpConnectionGuard.requestStarted(channel);
    HttpConnectionGuard.requestFinished(channel);
    advance(channel, 2999);
    assertTrue(channel.isOpen(), "idle for less than the idle timeout");
    advance(channel, 2);
    assertFalse(channel.isOpen());
  }

  @Test
  void aRequestInFlightIsNeverCutOff() {
    EmbeddedChannel channel = channel();
    HttpConnectionGuard.requestStarted(channel);
    advance(channel, 10_000);
    assertTrue(channel.isOpen());
    HttpConnectionGuard.requestFinished(channel);
    advance(channel, 3001);
    assertFalse(channel.isOpen());
  }
}
