package dev.vxdns.verticles.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds one DoH or h2c connection as {@link TcpConnection} bounds a DNS-over-TCP one: closed when
 * no request has been answered within the initial timeout (before the first) or the idle timeout
 * (after), unless a request is in flight. Vert.x's own idle timeout restarts on every byte, so a
 * client trickling a header or sending HTTP/2 PINGs would otherwise hold the connection forever.
 * (The cap on the listener's connections is {@link ConnectionCap}'s.)
 *
 * <p>Sits at the head of the channel's pipeline and lets every event through. The DoH verticle
 * reports requests with {@link #requestStarted} and {@link #requestFinished}; all methods run on
 * the channel's event loop, which is also the verticle's.
 */
final class HttpConnectionGuard extends ChannelInboundHandlerAdapter {
  static final String NAME = "vxdns-http-guard";
  private static final AttributeKey<HttpConnectionGuard> GUARD =
      AttributeKey.valueOf("vxdns.http-guard");
  private static final System.Logger LOG = System.getLogger(HttpConnectionGuard.class.getName());

  /** A listener's limits: BIND's {@code tcp-initial-timeout} and {@code tcp-idle-timeout}. */
  record Limits(long initialTimeoutMillis, long idleTimeoutMillis) {}

  private final Limits limits;
  private ChannelHandlerContext context;
  private boolean active;
  private boolean sawRequest;
  private int inFlight;
  private long lastActivity;
  private ScheduledFuture<?> timer;

  HttpConnectionGuard(Limits limits) {
    this.limits = limits;
  }

  /** A request on {@code channel} reached the DNS pipeline. */
  static void requestStarted(Channel channel) {
    HttpConnectionGuard guard = channel.attr(GUARD).get();
    if (guard != null) {
      guard.sawRequest = true;
      guard.inFlight++;
      guard.lastActivity = guard.now();
    }
  }

  /** The request's response is written. */
  static void requestFinished(Channel channel) {
    HttpConnectionGuard guard = channel.attr(GUARD).get();
    if (guard != null) {
      guard.inFlight--;
      guard.lastActivity = guard.now();
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    this.context = context;
    active = true;
    context.channel().attr(GUARD).set(this);
    lastActivity = now();
    arm(limits.initialTimeoutMillis());
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext context) {
    active = false;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The event loop's clock (a test's embedded loop has a clock of its own). */
  private long now() {
    return context.executor().ticker().nanoTime();
  }

  private void arm(long delayMillis) {
    timer =
        context.executor().schedule(this::onTimer, Math.max(1, delayMillis), TimeUnit.MILLISECONDS);
  }

  /**
   * One timer per connection, re-armed for the remaining time instead of being reset on every
   * request.
   */
  private void onTimer() {
    timer = null;
    if (!active) {
      return;
    }
    long timeout = sawRequest ? limits.idleTimeoutMillis() : limits.initialTimeoutMillis();
    long idleMillis = (now() - lastActivity) / 1_000_000;
    if (inFlight <= 0 && idleMillis >= timeout) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "{0}: {1} timeout, no request answered for {2} ms; closing",
          context.channel().remoteAddress(),
          sawRequest ? "idle" : "initial",
          idleMillis);
      context.close();
      return;
    }
    arm(inFlight > 0 ? timeout : timeout - idleMillis);
  }
}
