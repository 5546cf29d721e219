package dev.vxdns.secondary;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * One query over UDP from a fresh ephemeral socket, sent up to {@code tries} times, each time
 * waiting {@code perTry} for a reply. Only a datagram from the target that {@code answers} accepts
 * counts (anything else, such as a spoofed or stray datagram, is ignored, as BIND's dispatch does).
 *
 * <p>The socket is connected to the target, as BIND's requests are: an ICMP port unreachable (no
 * server listening there) fails the exchange at once instead of after every try's wait, so a NOTIFY
 * goes on to TCP and a refresh to the next primary as in named. A Netty datagram channel of the
 * node's transport on the caller's event loop (Vert.x's DatagramSocket cannot connect). The socket
 * is closed whatever happens. Runs on one Vert.x context and never blocks it.
 */
final class UdpExchange {
  /** The largest answer read: a UDP datagram's. */
  private static final int MAX_ANSWER = 65535;

  private final ContextInternal context;
  private final InetSocketAddress target;
  private final byte[] query;
  private final Duration perTry;
  private final int tries;
  private final Predicate<byte[]> answers;
  private final SourceAddresses source;
  private final String where;
  private final Promise<byte[]> promise = Promise.promise();

  private DatagramChannel channel;
  private int sent;
  private long timer = -1;
  private boolean finished;

  private UdpExchange(
      ContextInternal context,
      InetSocketAddress target,
      byte[] query,
      Duration perTry,
      int tries,
      Predicate<byte[]> answers,
      SourceAddresses source,
      String where) {
    this.context = context;
    this.target = target;
    this.query = query;
    this.perTry = perTry;
    this.tries = tries;
    this.answers = answers;
    this.source = source;
    this.where = where;
  }

  /**
   * The first datagram from {@code target} that {@code answers} accepts, asked from the {@code
   * source} address for its family.
   */
  static Future<byte[]> run(
      Vertx vertx,
      InetSocketAddress target,
      byte[] query,
      Duration perTry,
      int tries,
      Predicate<byte[]> answers,
      SourceAddresses source,
      String where) {
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    UdpExchange exchange =
        new UdpExchange(context, target, query, perTry, tries, answers, source, where);
    context.runOnContext(v -> exchange.start());
    return exchange.promise.future();
  }

  private void start() {
    boolean ipv6 = target.getAddress() instanceof Inet6Address;
    String local = source.bindHost(target);
    try {
      channel =
          ((VertxInternal) context.owner())
              .transport()
              .datagramChannel(ipv6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    } catch (RuntimeException e) {
      finish(null, where + ": cannot open a UDP socket: " + e.getMessage());
      return;
    }
    channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_ANSWER));
    channel.pipeline().addLast(new Reader());
    context
        .nettyEventLoop()
        .register(channel)
        .channel()
        .connect(target, new InetSocketAddress(local, 0))
        .addListener(
            connected ->
                context.runOnContext(
                    v -> {
                      if (connected.isSuccess()) {
                        send();
                      } else {
                        finish(
                            null,
                            where
                                + ": cannot open a UDP socket on "
                                + local
                                + ": "
                                + connected.cause().getMessage());
                      }
                    }));
  }

  private void send() {
    if (finished) {
      return;
    }
    if (sent == tries) {
      finish(
          null, where + ": no answer after " + tries + " tries " + perTry.toMillis() + " ms apart");
      return;
    }
    sent++;
    channel
        .writeAndFlush(Unpooled.wrappedBuffer(query))
        .addListener(
            written -> {
              if (!written.isSuccess()) {
                context.runOnContext(v -> failed(written.cause()));
              }
            });
    timer = context.setTimer(perTry.toMillis(), t -> send());
  }

  /** A failed send or read: port unreachable (nobody listens there) or another socket error. */
  private void failed(Throwable cause) {
    finish(
        null,
        where
            + (cause instanceof PortUnreachableException
                ? ": port unreachable (nothing listens there)"
                : ": " + cause));
  }

  private final class Reader extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof DatagramPacket packet)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      try {
        if (target.equals(packet.sender())) {
          byte[] reply = ByteBufUtil.getBytes(packet.content());
          context.runOnContext(v -> onReply(reply));
        }
      } finally {
        packet.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      context.runOnContext(v -> failed(cause));
    }
  }

  private void onReply(byte[] reply) {
    if (!finished && answers.test(reply)) {
      finish(reply, null);
    }
  }

  private void finish(byte[] reply, String problem) {
    if (finished) {
      return;
    }
    finished = true;
    context.owner().cancelTimer(timer);
    if (channel != null) {
      channel.close();
    }
    if (reply != null) {
      promise.complete(reply);
    } else {
      promise.fail(new TransferException(problem));
    }
  }
}
