package dev.vxdns.verticles.transport;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.ListenAddresses;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.RateLimitedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.unix.UnixChannel;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * Do53 over UDP. Works on Netty directly, on this verticle's own event loop, because Vert.x's
 * DatagramSocket resolves the host string of every send and reads one datagram per system call.
 *
 * <p>With the native epoll transport each instance binds the same port with SO_REUSEPORT (the
 * kernel spreads clients over the instances) and reads up to {@link #DATAGRAMS_PER_READ} datagrams
 * per recvmmsg; responses written during one read batch are flushed together (sendmmsg). Every
 * query is answered on the event loop it arrived on.
 *
 * <p>At most {@code udp-max-inflight} queries of one instance are in the pipeline at once: with
 * {@code delivery eventbus} each may wait up to {@code timeout-ms} for a stage, and a flood would
 * otherwise pile up exchanges without bound. Datagrams beyond the cap are dropped (the client
 * retries, as after any lost datagram) and counted ({@link #overCapDrops}).
 */
public final class UdpTransportVerticle extends AbstractVerticle {
  private static final System.Logger LOG = System.getLogger(UdpTransportVerticle.class.getName());

  /** Lines remote parties can trigger (a failing pipeline): a few per minute, the rest counted. */
  private final RateLimitedLog rateLimited = RateLimitedLog.perMinute(LOG);

  /**
   * Largest query accepted; longer datagrams are truncated by the kernel read and fail to parse.
   */
  static final int MAX_QUERY_SIZE = 4096;

  static final int DATAGRAMS_PER_READ = 16;

  static final int RECEIVE_BUFFER_BYTES = 4 << 20;

  /** The listener this verticle serves, as the node handed it. */
  private final Listener served;

  private ListenerSetup setup;

  public UdpTransportVerticle(Listener listener) {
    this.served = listener;
  }

  private DatagramChannel channel;
  // The listener's address and port once bound: in the node's ListenAddresses until closed.
  private InetSocketAddress bound;
  private int inFlight;

  /** When the last batch of datagrams was read (System.nanoTime). */
  private long lastRead = System.nanoTime();

  /** Datagrams read since {@link #stop} began, for the debug log. */
  private long readWhileStopping;

  /** Written on this verticle's event loop only; read by tests and operators from anywhere. */
  private final java.util.concurrent.atomic.AtomicLong overCapDrops =
      new java.util.concurrent.atomic.AtomicLong();

  private long dropped;
  private long failed;
  private long formErrors;

  @Override
  public void start(Promise<Void> started) {
    try {
      setup = ListenerSetup.of(vertx, served);
    } catch (Exception e) {
      started.fail(e);
      return;
    }
    ListenerConfig listener = setup.listener();
    ContextInternal ctx = (ContextInternal) context;
    InternetProtocolFamily family =
        listener.address() instanceof Inet6Address
            ? InternetProtocolFamily.IPv6
            : InternetProtocolFamily.IPv4;
    channel = ((VertxInternal) vertx).transport().datagramChannel(family);
    boolean epoll = channel.config().getOptions().containsKey(EpollChannelOption.SO_REUSEPORT);
    if (epoll) {
      channel.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
      channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY_SIZE);
      channel
          .config()
          .setRecvByteBufAllocator(
              new FixedRecvByteBufAllocator(MAX_QUERY_SIZE * DATAGRAMS_PER_READ));
    } else {
      channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_QUERY_SIZE));
    }
    // Room for a burst while the event loop is held up (a collection, a redeploy loading classes, a
    // busy machine): the kernel drops what overflows the default (about 200 KB, some 170 queries).
    // The kernel caps it at net.core.rmem_max.
    channel.config().setOption(io.netty.channel.ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
    channel.pipeline().addLast(new Handler(ctx));
    DatagramBinding.bind(ctx, channel, listener, "udp")
        .onSuccess(
            v -> {
              bound = new InetSocketAddress(listener.address(), boundPort());
              ListenAddresses.of(vertx).add(bound);
              LOG.log(
                  System.Logger.Level.INFO,
                  "udp {0}: listening ({1})",
                  listener.name(),
                  epoll ? "epoll, SO_REUSEPORT, recvmmsg" : "no native transport: one instance");
            })
        .onComplete(started);
  }

  /** A stopping instance closes once no datagram came for this long (its queue is empty). */
  private static final long QUIET_NANOS = 50_000_000L;

  /** And after this long at most, even if datagrams keep coming (no successor took them over). */
  private static final long DRAIN_LIMIT_NANOS = 2_000_000_000L;

  private static final long DRAIN_POLL_MILLIS = 10;

  /**
   * Leaves the SO_REUSEPORT group, then answers what is queued, then closes. The kernel drops what
   * is queued in a socket when it closes, and it keeps choosing this socket for new datagrams until
   * then, so closing a busy socket always loses some. A <em>connected</em> UDP socket is not chosen
   * for other peers' datagrams (Linux {@code reuseport_select_sock_by_hash} skips sockets in the
   * established state) while what it has queued stays readable: connected to a peer that never
   * sends (its own address), this socket gets nothing new, the other instances get every new
   * datagram, and it reads and answers its queue as usual. The connect goes to the file descriptor
   * only: Netty still sees an unconnected channel and reads with the senders' addresses (recvmmsg)
   * and replies to explicit addresses (Linux UDP takes a destination on a connected socket).
   */
  @Override
  public void stop(Promise<Void> stopped) {
    if (channel == null) {
      stopped.complete();
      return;
    }
    readWhileStopping = 0;
    leaveReusePortGroup();
    drain(System.nanoTime(), stopped);
  }

  private void leaveReusePortGroup() {
    if (!(channel instanceof UnixChannel unix)
        || !(unix.fd() instanceof io.netty.channel.unix.Socket socket)) {
      // NIO: a single instance without SO_REUSEPORT, no successor on this port to hand over to.
      return;
    }
    InetSocketAddress local = channel.localAddress();
    try {
      java.net.InetAddress own = local.getAddress();
      if (own.isAnyLocalAddress()) {
        // Bound to every address: its loopback address of the same family is one of its own.
        own = java.net.InetAddress.getByName(own instanceof Inet6Address ? "::1" : "127.0.0.1");
      }
      socket.connect(new InetSocketAddress(own, local.getPort()));
    } catch (java.io.IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "udp {0}: cannot leave the SO_REUSEPORT group ({1}); datagrams queued at the close may"
              + " be lost",
          setup.listener().name(),
          e.toString());
    }
  }

  /** Polls until the queue is read and every query read is answered, then closes. */
  private void drain(long since, Promise<Void> stopped) {
    long now = System.nanoTime();
    // Quiet since the connect too: while this event loop was busy (deploying the successor, say)
    // datagrams may have queued up unread since the last read.
    boolean done = inFlight == 0 && now - Math.max(lastRead, since) >= QUIET_NANOS;
    if (done || now - since >= DRAIN_LIMIT_NANOS) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "udp {0}: drained in {1} ms, {2} datagrams read after leaving the group",
          setup.listener().name(),
          (now - since) / 1_000_000,
          readWhileStopping);
      if (bound != null) {
        ListenAddresses.of(vertx).remove(bound);
      }
      channel.close().addListener(closed -> stopped.complete());
      return;
    }
    vertx.setTimer(DRAIN_POLL_MILLIS, timer -> drain(since, stopped));
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int boundPort() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Datagrams dropped so far because {@code udp-max-inflight} queries were in the pipeline. */
  public long overCapDrops() {
    return overCapDrops.get();
  }

  private final class Handler extends ChannelInboundHandlerAdapter {
    private final ContextInternal context;

    /**
     * True between the first read of a batch and channelReadComplete: writes wait for the batch
     * flush.
     */
    private boolean inReadBatch;

    private Handler(ContextInternal context) {
      this.context = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof DatagramPacket)) {
        io.netty.util.ReferenceCountUtil.release(msg);
        return;
      }
      DatagramPacket packet = (DatagramPacket) msg;
      inReadBatch = true;
      readWhileStopping++;
      if (inFlight >= setup.options().udpMaxInflight()) {
        long drops = overCapDrops.incrementAndGet();
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
          LOG.log(
              System.Logger.Level.DEBUG,
              "udp {0}: {1} queries in flight (udp-max-inflight); dropped a datagram from {2}"
                  + " ({3} so far)",
              setup.listener().name(),
              inFlight,
              packet.sender(),
              drops);
        }
        packet.release();
        return;
      }
      try {
        byte[] query = ByteBufUtil.getBytes(packet.content());
        DnsExchange exchange =
            DnsExchange.received(
                setup.listener().transport(),
                setup.listener().name(),
                packet.sender(),
                packet.recipient(),
                query);
        // Run the chain with this verticle's context current, so event-bus replies come back here.
        context.dispatch(exchange, this::runChain);
      } finally {
        packet.release();
      }
    }

    private void runChain(DnsExchange exchange) {
      long start = System.nanoTime();
      inFlight++;
      setup
          .chain()
          .run(exchange)
          .onComplete(
              done -> {
                inFlight--;
                if (done.succeeded()) {
                  send(done.result(), start);
                } else {
                  failed++;
                  rateLimited.log(
                      "udp " + setup.listener().name() + ": pipeline failed",
                      System.Logger.Level.WARNING,
                      "udp {0}: pipeline failed for {1} ({2} failures): {3}",
                      setup.listener().name(),
                      exchange,
                      failed,
                      done.cause().toString());
                  Message failure =
                      Replies.serverFailure(exchange, setup.options().dns().ednsUdpSize());
                  DnsExchange answered = failure == null ? exchange : exchange.respond(failure);
                  byte[] wire =
                      failure == null
                          ? null
                          : DnsResponses.render(
                              answered, setup.options().dns().maxUdpSize(answered));
                  setup.queries().finished(answered, wire, start);
                  if (wire != null) {
                    write(exchange, wire);
                  }
                }
              });
    }

    private void send(DnsExchange finished, long start) {
      if (finished.responseStream() != null) {
        // A datagram carries one message: a stage that streams must not answer UDP that way.
        finished.responseStream().cancel();
      }
      if (finished.reply().outcome() != Outcome.RESPOND) {
        setup.queries().finished(finished, null, start);
        dropped++;
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
          LOG.log(
              System.Logger.Level.DEBUG,
              "udp {0}: no answer to {1} ({2} dropped so far)",
              setup.listener().name(),
              finished,
              dropped);
        }
        return;
      }
      if (finished.responseRcode() == Rcode.FORMERR) {
        formErrors++;
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
          LOG.log(
              System.Logger.Level.DEBUG,
              "udp {0}: FORMERR to {1} ({2} so far)",
              setup.listener().name(),
              finished,
              formErrors);
        }
      }
      byte[] wire = DnsResponses.render(finished, setup.options().dns().maxUdpSize(finished));
      setup.queries().finished(finished, wire, start);
      write(finished, wire);
    }

    /**
     * Replies to the real source: the PROXY header's source is the client of the proxy, not our
     * peer.
     */
    private void write(DnsExchange exchange, byte[] wire) {
      // Copied once into a pooled direct buffer, which the native transport sends as it is: a
      // wrapped heap array is copied by Netty into one anyway, in a second packet.
      ByteBuf content = channel.alloc().directBuffer(wire.length).writeBytes(wire);
      DatagramPacket reply = new DatagramPacket(content, exchange.endpoints().realSource());
      if (inReadBatch) {
        channel.write(reply, channel.voidPromise());
      } else {
        channel.writeAndFlush(reply, channel.voidPromise());
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      inReadBatch = false;
      lastRead = System.nanoTime();
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.log(
          System.Logger.Level.DEBUG,
          "udp {0}: socket error: {1}",
          setup.listener().name(),
          cause.toString());
    }
  }
}
