import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A small load client for bench/doq.sh: DNS over QUIC or DNS over TLS from one event-loop thread,
 * on Netty (the QUIC codec vxdns itself uses; kdig is one query at a time, and dnsperf 2.10 has no
 * DoQ). Runs from vxdns.jar's classpath as a single-file program:
 *
 * <pre>
 * java -cp vxdns.jar DnsLoad.java doq|dot keep|single PORT CONNECTIONS INFLIGHT SECONDS WARMUP PID
 * </pre>
 *
 * keep: CONNECTIONS connections for the whole run, INFLIGHT queries outstanding on each (a new
 * stream per query on DoQ, pipelined on DoT). single: INFLIGHT workers, each a new connection per
 * query (handshake, one query, close): the handshake rate. Prints answered queries, failures and
 * queries per second over SECONDS after WARMUP unrecorded seconds (this JVM's JIT too), and the
 * CPU seconds process PID (the server) used in that same window, from /proc/PID/stat. Trusts any
 * certificate (a benchmark, on 127.0.0.1).
 */
public final class DnsLoad {
  private static final AtomicLong answered = new AtomicLong();
  private static final AtomicLong failed = new AtomicLong();
  private static volatile boolean running = true;
  private static byte[] query;
  private static InetSocketAddress server;

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println(
          "DnsLoad doq|dot keep|single PORT CONNECTIONS INFLIGHT SECONDS WARMUP SERVER_PID");
      System.exit(2);
    }
    String proto = args[0];
    boolean keep = args[1].equals("keep");
    server = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2]));
    int connections = Integer.parseInt(args[3]);
    int inflight = Integer.parseInt(args[4]);
    int seconds = Integer.parseInt(args[5]);
    int warmup = Integer.parseInt(args[6]);
    java.nio.file.Path serverStat = java.nio.file.Path.of("/proc", args[7], "stat");
    Message message =
        Message.newQuery(Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
    message.getHeader().setID(0);
    query = message.toWire();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Load load = proto.equals("doq") ? new Doq(group) : new Dot(group);
    if (keep) {
      for (int c = 0; c < connections; c++) {
        load.keep(inflight);
      }
    } else {
      for (int w = 0; w < inflight; w++) {
        load.single();
      }
    }
    Thread.sleep(warmup * 1000L);
    long failedBefore = failed.get();
    long cpuBefore = cpuTicks(serverStat);
    long start = System.nanoTime();
    long before = answered.get();
    Thread.sleep(seconds * 1000L);
    long count = answered.get() - before;
    double elapsed = (System.nanoTime() - start) / 1e9;
    double serverSeconds = (cpuTicks(serverStat) - cpuBefore) / 100.0;
    running = false;
    System.out.printf(
        "%s %s answered %d failed %d qps %.0f server_cpu_s %.2f%n",
        proto,
        keep ? "keep" : "single",
        count,
        failed.get() - failedBefore,
        count / elapsed,
        serverSeconds);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
    System.exit(0);
  }

  /** utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux). */
  private static long cpuTicks(java.nio.file.Path stat) throws java.io.IOException {
    String line = java.nio.file.Files.readString(stat);
    String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  private interface Load {
    void keep(int inflight) throws Exception;

    void single();
  }

  private static ByteBuf framed() {
    ByteBuf out = Unpooled.directBuffer(query.length + 2);
    out.writeShort(query.length);
    out.writeBytes(query);
    return out;
  }

  /** DNS over QUIC: one UDP socket, many QUIC connections on it, one stream per query. */
  private static final class Doq implements Load {
    private final Channel datagrams;

    Doq(EventLoopGroup group) throws Exception {
      QuicSslContext ssl =
          QuicSslContextBuilder.forClient()
              .trustManager(InsecureTrustManagerFactory.INSTANCE)
              .applicationProtocols("doq")
              .build();
      datagrams =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(
                  new QuicClientCodecBuilder()
                      .sslContext(ssl)
                      .maxIdleTimeout(30, TimeUnit.SECONDS)
                      .initialMaxData(64 << 20)
                      .initialMaxStreamDataBidirectionalLocal(1 << 20)
                      .build())
              .bind(0)
              .sync()
              .channel();
    }

    private io.netty.util.concurrent.Future<QuicChannel> connect() {
      return QuicChannel.newBootstrap(datagrams)
          .streamHandler(new ChannelInboundHandlerAdapter())
          .remoteAddress(server)
          .connect();
    }

    @Override
    public void keep(int inflight) throws Exception {
      QuicChannel connection = connect().get(10, TimeUnit.SECONDS);
      for (int i = 0; i < inflight; i++) {
        ask(connection, () -> ask(connection, null));
      }
    }

    /** One query on a new stream; {@code next} runs when it is answered (null: ask again). */
    private void ask(QuicChannel connection, Runnable next) {
      if (!running || !connection.isActive()) {
        return;
      }
      connection
          .newStreamBootstrap()
          .type(QuicStreamType.BIDIRECTIONAL)
          .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .handler(
              new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                  ((ByteBuf) msg).release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                  if (event instanceof ChannelInputShutdownEvent) {
                    answered.incrementAndGet();
                    ctx.close();
                    if (next != null) {
                      next.run();
                    } else {
                      ask(connection, null);
                    }
                  }
                }

                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                  failed.incrementAndGet();
                  ctx.close();
                }
              })
          .create()
          .addListener(
              created -> {
                if (created.isSuccess()) {
                  ((Channel) created.getNow())
                      .writeAndFlush(new DefaultQuicStreamFrame(framed(), true));
                } else {
                  failed.incrementAndGet();
                }
              });
    }

    @Override
    public void single() {
      if (!running) {
        return;
      }
      connect()
          .addListener(
              connected -> {
                if (!connected.isSuccess()) {
                  failed.incrementAndGet();
                  single();
                  return;
                }
                QuicChannel connection = (QuicChannel) connected.getNow();
                ask(
                    connection,
                    () -> {
                      connection.close();
                      single();
                    });
              });
    }
  }

  /** DNS over TLS (ALPN dot), pipelined on each connection. */
  private static final class Dot implements Load {
    private final Bootstrap bootstrap;
    private final SslContext ssl;

    Dot(EventLoopGroup group) throws Exception {
      ssl =
          SslContextBuilder.forClient()
              .trustManager(InsecureTrustManagerFactory.INSTANCE)
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      ApplicationProtocolConfig.Protocol.ALPN,
                      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                      "dot"))
              .build();
      bootstrap =
          new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
    }

    /** A connection whose every answer runs {@code onAnswer}. */
    private void open(java.util.function.BiConsumer<Channel, Integer> onAnswer, int first) {
      bootstrap
          .clone()
          .handler(
              new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                  channel.pipeline().addLast(ssl.newHandler(channel.alloc(), "localhost", server.getPort()));
                  channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(65537, 0, 2, 0, 2));
                  channel
                      .pipeline()
                      .addLast(
                          new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                              ((ByteBuf) msg).release();
                              answered.incrementAndGet();
                              onAnswer.accept(ctx.channel(), 0);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
                              failed.incrementAndGet();
                              ctx.close();
                            }
                          });
                }
              })
          .connect(server)
          .addListener(
              connected -> {
                if (!connected.isSuccess()) {
                  failed.incrementAndGet();
                  onAnswer.accept(null, -1);
                  return;
                }
                Channel channel = ((io.netty.channel.ChannelFuture) connected).channel();
                for (int i = 0; i < first; i++) {
                  channel.write(framed());
                }
                channel.flush();
              });
    }

    @Override
    public void keep(int inflight) {
      open(
          (channel, unused) -> {
            if (running && channel != null) {
              channel.writeAndFlush(framed());
            }
          },
          inflight);
    }

    @Override
    public void single() {
      if (!running) {
        return;
      }
      open(
          (channel, unused) -> {
            if (channel != null) {
              channel.close();
            }
            single();
          },
          1);
    }
  }
}
