package dev.vxdns.secondary;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * One query over UDP from a fresh ephemeral socket, sent up to {@code tries} times, each time
 * waiting {@code perTry} for a reply. Only a datagram from the target that {@code answers} accepts
 * counts (anything else, such as a spoofed or stray datagram, is ignored, as BIND's dispatch does).
 * The socket is closed whatever happens. Runs on one Vert.x context and never blocks it.
 */
final class UdpExchange {
  private final Vertx vertx;
  private final InetSocketAddress target;
  private final byte[] query;
  private final Duration perTry;
  private final int tries;
  private final Predicate<byte[]> answers;
  private final SourceAddresses source;
  private final String where;
  private final Promise<byte[]> promise = Promise.promise();

  private DatagramSocket socket;
  private int sent;
  private long timer = -1;
  private boolean finished;

  private UdpExchange(
      Vertx vertx,
      InetSocketAddress target,
      byte[] query,
      Duration perTry,
      int tries,
      Predicate<byte[]> answers,
      SourceAddresses source,
      String where) {
    this.vertx = vertx;
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
    UdpExchange exchange =
        new UdpExchange(vertx, target, query, perTry, tries, answers, source, where);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> exchange.start());
    return exchange.promise.future();
  }

  private void start() {
    boolean ipv6 = target.getAddress() instanceof Inet6Address;
    socket = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(ipv6));
    socket.handler(this::onPacket);
    socket.exceptionHandler(e -> finish(null, where + ": " + e.getMessage()));
    Future<DatagramSocket> listening;
    try {
      listening = socket.listen(0, source.bindHost(target));
    } catch (IllegalStateException closing) {
      // Vert.x is closing (the node stops): its resolver takes no more work.
      finish(null, where + ": cannot open a UDP socket: " + closing.getMessage());
      return;
    }
    listening.onComplete(
        ar -> {
          if (ar.failed()) {
            finish(
                null,
                where
                    + ": cannot open a UDP socket on "
                    + source.bindHost(target)
                    + ": "
                    + ar.cause().getMessage());
          } else {
            send();
          }
        });
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
    socket
        .send(Buffer.buffer(query), target.getPort(), target.getAddress().getHostAddress())
        .onFailure(e -> finish(null, where + ": cannot send: " + e.getMessage()));
    timer = vertx.setTimer(perTry.toMillis(), t -> send());
  }

  private void onPacket(DatagramPacket packet) {
    if (finished || !fromTarget(packet)) {
      return;
    }
    byte[] reply = packet.data().getBytes();
    if (answers.test(reply)) {
      finish(reply, null);
    }
  }

  private boolean fromTarget(DatagramPacket packet) {
    if (packet.sender().port() != target.getPort()) {
      return false;
    }
    try {
      // A literal address: no name lookup happens here.
      return InetAddress.getByName(packet.sender().hostAddress()).equals(target.getAddress());
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private void finish(byte[] reply, String problem) {
    if (finished) {
      return;
    }
    finished = true;
    vertx.cancelTimer(timer);
    if (socket != null) {
      socket.handler(null);
      socket.close();
    }
    if (reply != null) {
      promise.complete(reply);
    } else {
      promise.fail(new TransferException(problem));
    }
  }
}
