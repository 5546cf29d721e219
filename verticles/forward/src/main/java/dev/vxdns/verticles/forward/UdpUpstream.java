package dev.vxdns.verticles.forward;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * One event loop's UDP socket towards one backend (a Netty datagram channel of the node's
 * transport, epoll where available, registered on the caller's event loop and bound to an ephemeral
 * port), with the queries it has in flight. A PROXY header, when the backend takes them, goes in
 * front of each datagram; the answer comes without one. Datagrams from any other address are
 * ignored.
 */
final class UdpUpstream {
  private static final int MAX_ANSWER = 65535;

  private final ContextInternal context;
  private final InetSocketAddress target;
  private final Exchanges inFlight = new Exchanges();
  private final DatagramChannel channel;
  private final ChannelFuture bound;

  UdpUpstream(ContextInternal context, InetSocketAddress target) {
    this.context = context;
    this.target = target;
    boolean v6 = target.getAddress() instanceof Inet6Address;
    this.channel =
        ((VertxInternal) context.owner())
            .transport()
            .datagramChannel(v6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_ANSWER));
    channel.pipeline().addLast(new Reader());
    this.bound =
        context
            .nettyEventLoop()
            .register(channel)
            .channel()
            .bind(new InetSocketAddress(v6 ? "::" : "0.0.0.0", 0));
  }

  /**
   * Sends {@code query} (a copy the upstream owns: its ID is replaced) behind {@code header} (null:
   * none) and calls {@code answer} with the response or the failure.
   */
  void send(byte[] query, byte[] header, long timeoutMillis, Answer answer) {
    int id =
        inFlight.add(
            query,
            answer,
            assigned -> context.setTimer(timeoutMillis, t -> expired(assigned, timeoutMillis)));
    if (id < 0) {
      answer.failed("65536 queries in flight");
      return;
    }
    DatagramPacket datagram =
        new DatagramPacket(
            header == null ? Unpooled.wrappedBuffer(query) : Unpooled.wrappedBuffer(header, query),
            target);
    if (bound.isDone()) {
      write(id, datagram);
    } else {
      bound.addListener(done -> write(id, datagram));
    }
  }

  private void write(int id, DatagramPacket datagram) {
    if (!bound.isSuccess()) {
      datagram.release();
      fail(id, "cannot bind a UDP socket: " + bound.cause());
      return;
    }
    channel
        .writeAndFlush(datagram)
        .addListener(
            sent -> {
              if (!sent.isSuccess()) {
                fail(id, "cannot send: " + sent.cause().getMessage());
              }
            });
  }

  private void fail(int id, String why) {
    context.runOnContext(
        v -> {
          Answer answer = inFlight.expire(id);
          if (answer != null) {
            answer.failed(why);
          }
        });
  }

  private void expired(int id, long timeoutMillis) {
    Answer answer = inFlight.expire(id);
    if (answer != null) {
      answer.failed("no answer over UDP within " + timeoutMillis + " ms");
    }
  }

  private final class Reader extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof DatagramPacket packet)) {
        io.netty.util.ReferenceCountUtil.release(msg);
        return;
      }
      try {
        if (!target.equals(packet.sender())) {
          return;
        }
        byte[] response = ByteBufUtil.getBytes(packet.content());
        // With the context current, as the stages that run next expect.
        context.dispatch(response, UdpUpstream.this::onAnswer);
      } finally {
        packet.release();
      }
    }
  }

  private void onAnswer(byte[] response) {
    Answer answer = inFlight.take(response, context.owner()::cancelTimer);
    if (answer != null) {
      answer.answered(response);
    }
  }

  void close() {
    for (Answer answer : inFlight.drain(context.owner()::cancelTimer)) {
      answer.failed("the forwarder stopped");
    }
    channel.close();
  }
}
