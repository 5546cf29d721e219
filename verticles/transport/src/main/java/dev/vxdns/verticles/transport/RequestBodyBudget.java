package dev.vxdns.verticles.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's budget for DoH request bodies ({@code http-max-buffered-bytes}): 300 connections of
 * 100 streams with 64 KiB bodies each could otherwise hold about 1.9 GB. A POST reserves its
 * declared length (or the largest message when it declares none) before its body is read and gives
 * it back when its exchange ends; a POST that does not fit is refused, not buffered. One instance
 * per node, shared by the DoH and h2c verticles of every listener on their own event loops, hence
 * the atomics.
 */
public final class RequestBodyBudget {
  private final long maxBytes;
  private final AtomicLong held = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  public RequestBodyBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Takes {@code bytes} from the budget; false (and counted) when they do not fit. */
  boolean reserve(long bytes) {
    long now = held.addAndGet(bytes);
    if (now > maxBytes) {
      held.addAndGet(-bytes);
      refused.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back what {@link #reserve} took. */
  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  /** Bytes reserved now. */
  public long heldBytes() {
    return held.get();
  }

  /** Requests refused so far because the budget was spent. */
  public long refusals() {
    return refused.get();
  }
}
