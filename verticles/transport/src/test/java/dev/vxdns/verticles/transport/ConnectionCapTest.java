package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cap on embedded channels: counted when a channel is accepted, given back when it closes. */
class ConnectionCapTest {
  private static EmbeddedChannel channel(AtomicInteger open) {
    return new EmbeddedChannel(new ConnectionCap(2, open));
  }

  @Test
  void connectionsBeyondTheCapAreClosedAndClosedOnesFreeTheirPlace() {
    AtomicInteger open = new AtomicInteger();
    EmbeddedChannel first = channel(open);
    EmbeddedChannel second = channel(open);
    EmbeddedChannel third = channel(open);
    assertTrue(first.isOpen());
    assertTrue(second.isOpen());
    assertFalse(third.isOpen(), "beyond the cap of 2");
    assertEquals(2, open.get());
    first.close();
    assertEquals(1, open.get());
    EmbeddedChannel fourth = channel(open);
    assertTrue(fourth.isOpen());
    second.close();
    fourth.close();
    assertEquals(0, open.get(), "every close gives its place back, once");
  }
}
