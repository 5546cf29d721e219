package dev.vxdns.secondary;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * One query over UDP from a fresh ephemeral socket, sent up to {@code tries} times, each time
 * waiting {@code perTry} for a reply. Only a datagram from the target that {@code answers} accepts
 * counts (anything else, such as a spoofed or stray datagram, is ignored, as BIND's dispatch does).
 * The socket is closed whatever happens. Runs on one Vert.x context and never blocks it.
 *
 * <p>The socket is the JDK's non-blocking {@link DatagramChannel}, read every {@link #POLL_MILLIS}
 * ms, not a Vert.x datagram socket: that one runs the Netty code the UDP listeners answer queries
 * with, and the first NOTIFY after a reload met that code compiled for the listeners' types only,
 * which threw the compiled code away and left the listeners interpreted until it was compiled
 * again.
 */
final class UdpExchange {
  /** How often a waiting exchange reads its socket. */
  static final long POLL_MILLIS = 5;

  /** The largest datagram a reply can be. */
  private static final int MAX_REPLY = 65_535;

  private final Vertx vertx;
  private final InetSocketAddress target;
  private final byte[] query;
  private final Duration perTry;
  private final int tries;
  private final Predicate<byte[]> answers;
  private final String where;
  private final Promise<byte[]> promise = Promise.promise();

  private DatagramChannel channel;
  private ByteBuffer received;
  private int sent;
  private long timer = -1;
  private long poller = -1;
  private boolean finished;

  private UdpExchange(
      Vertx vertx,
      InetSocketAddress target,
      byte[] query,
      Duration perTry,
      int tries,
      Predicate<byte[]> answers,
      String where) {
    this.vertx = vertx;
    this.target = target;
    this.query = query;
    this.perTry = perTry;
    this.tries = tries;
    this.answers = answers;
    this.where = where;
  }

  /** The first datagram from {@code target} that {@code answers} accepts. */
  static Future<byte[]> run(
      Vertx vertx,
      InetSocketAddress target,
      byte[] query,
      Duration perTry,
      int tries,
      Predicate<byte[]> answers,
      String where) {
    UdpExchange exchange = new UdpExchange(vertx, target, query, perTry, tries, answers, where);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> exchange.start());
    return exchange.promise.future();
  }

  /**
   * Sends one empty datagram from a fresh socket to another on loopback, then closes both: the
   * JDK's datagram channel classes load at their first use. Called while a node starts, that first
   * use is not on a loop that answers queries.
   */
  static Future<Void> prepare() {
    try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
        DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
      receiver.configureBlocking(false);
      sender.configureBlocking(false);
      receiver.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      sender.send(ByteBuffer.allocate(0), receiver.getLocalAddress());
      receiver.receive(ByteBuffer.allocate(1));
      return Future.succeededFuture();
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void start() {
    try {
      channel =
          DatagramChannel.open(
              target.getAddress() instanceof Inet6Address
                  ? StandardProtocolFamily.INET6
                  : StandardProtocolFamily.INET);
      channel.configureBlocking(false);
      channel.bind(null);
    } catch (IOException | RuntimeException e) {
      finish(null, where + ": cannot open a UDP socket: " + e.getMessage());
      return;
    }
    received = ByteBuffer.allocate(MAX_REPLY);
    poller = vertx.setPeriodic(POLL_MILLIS, t -> poll());
    send();
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
    try {
      channel.send(ByteBuffer.wrap(query), target);
    } catch (IOException | RuntimeException e) {
      finish(null, where + ": cannot send: " + e.getMessage());
      return;
    }
    timer = vertx.setTimer(perTry.toMillis(), t -> send());
  }

  /** Reads every datagram queued on the socket until the answer is among them. */
  private void poll() {
    try {
      SocketAddress sender;
      while (!finished && (sender = channel.receive(received.clear())) != null) {
        byte[] reply = Arrays.copyOf(received.array(), received.position());
        if (fromTarget(sender) && answers.test(reply)) {
          finish(reply, null);
        }
      }
    } catch (IOException | RuntimeException e) {
      finish(null, where + ": " + e.getMessage());
    }
  }

  private boolean fromTarget(SocketAddress sender) {
    return sender instanceof InetSocketAddress address
        && address.getPort() == target.getPort()
        && address.getAddress().equals(target.getAddress());
  }

  private void finish(byte[] reply, String problem) {
    if (finished) {
      return;
    }
    finished = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(poller);
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Closing a datagram channel releases its descriptor whatever this says.
      }
    }
    if (reply != null) {
      promise.complete(reply);
    } else {
      promise.fail(new TransferException(problem));
    }
  }
}
