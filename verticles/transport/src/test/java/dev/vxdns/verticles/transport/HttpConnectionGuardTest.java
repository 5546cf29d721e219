package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The guard on embedded channels with their own clock: the cap, and timeouts counted from requests, not bytes. */
class HttpConnectionGuardTest {
  private static final HttpConnectionGuard.Limits LIMITS = new HttpConnectionGuard.Limits(2, 1000, 3000);

  private static void advance(EmbeddedChannel channel, long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  @Test
  void aConnectionWithoutARequestIsClosedAtTheInitialTimeoutWhateverBytesItSends() {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpConnectionGuard(LIMITS, new AtomicInteger()));
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
    EmbeddedChannel channel = new EmbeddedChannel(new HttpConnectionGuard(LIMITS, new AtomicInteger()));
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
    EmbeddedChannel channel = new EmbeddedChannel(new HttpConnectionGuard(LIMITS, new AtomicInteger()));
    HttpConnectionGuard.requestStarted(channel);
    advance(channel, 10_000);
    assertTrue(channel.isOpen());
    HttpConnectionGuard.requestFinished(channel);
    advance(channel, 3001);
    assertFalse(channel.isOpen());
  }

  @Test
  void connectionsBeyondTheCapAreClosedAndClosedOnesFreeTheirPlace() {
    AtomicInteger open = new AtomicInteger();
    EmbeddedChannel first = new EmbeddedChannel(new HttpConnectionGuard(LIMITS, open));
    EmbeddedChannel second = new EmbeddedChannel(new HttpConnectionGuard(LIMITS, open));
    EmbeddedChannel third = new EmbeddedChannel(new HttpConnectionGuard(LIMITS, open));
    assertTrue(first.isOpen());
    assertTrue(second.isOpen());
    assertFalse(third.isOpen(), "beyond the cap of 2");
    assertEquals(2, open.get());
    first.close();
    assertEquals(1, open.get());
    EmbeddedChannel fourth = new EmbeddedChannel(new HttpConnectionGuard(LIMITS, open));
    assertTrue(fourth.isOpen());
    second.close();
    fourth.close();
    assertEquals(0, open.get(), "every close gives its place back, once");
  }
}
