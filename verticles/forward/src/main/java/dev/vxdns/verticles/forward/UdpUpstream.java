package dev.vxdns.verticles.forward;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.ContextInternal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * One event loop's UDP socket towards one backend (bound to an ephemeral port), with the queries it
 * has in flight. A PROXY header, when the backend takes them, goes in front of each datagram; the
 * answer comes without one.
 */
final class UdpUpstream {
  private final ContextInternal context;
  private final InetSocketAddress target;
  private final String host;
  private final Exchanges inFlight = new Exchanges();
  private final DatagramSocket socket;
  private final Future<DatagramSocket> bound;

  UdpUpstream(ContextInternal context, InetSocketAddress target) {
    this.context = context;
    this.target = target;
    this.host = target.getAddress().getHostAddress();
    boolean v6 = target.getAddress() instanceof Inet6Address;
    // Created on the caller's context: its packets are handled on this loop.
    this.socket = context.owner().createDatagramSocket(new DatagramSocketOptions().setIpV6(v6));
    socket.handler(this::onPacket);
    this.bound = socket.listen(0, v6 ? "::" : "0.0.0.0");
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
    Buffer datagram = Buffer.buffer((header == null ? 0 : header.length) + query.length);
    if (header != null) {
      datagram.appendBytes(header);
    }
    datagram.appendBytes(query);
    bound.onComplete(
        ar -> {
          if (ar.failed()) {
            fail(query, "cannot bind a UDP socket: " + ar.cause().getMessage());
            return;
          }
          socket
              .send(datagram, target.getPort(), host)
              .onFailure(e -> fail(query, "cannot send: " + e.getMessage()));
        });
  }

  private void fail(byte[] query, String why) {
    int id = ((query[0] & 0xff) << 8) | (query[1] & 0xff);
    Answer answer = inFlight.expire(id);
    if (answer != null) {
      answer.failed(why);
    }
  }

  private void expired(int id, long timeoutMillis) {
    Answer answer = inFlight.expire(id);
    if (answer != null) {
      answer.failed("no answer over UDP within " + timeoutMillis + " ms");
    }
  }

  private void onPacket(DatagramPacket packet) {
    if (packet.sender().port() != target.getPort() || !fromTarget(packet.sender().hostAddress())) {
      return;
    }
    byte[] response = packet.data().getBytes();
    Answer answer = inFlight.take(response, context.owner()::cancelTimer);
    if (answer != null) {
      answer.answered(response);
    }
  }

  private boolean fromTarget(String sender) {
    if (sender.equals(host)) {
      return true;
    }
    try {
      return java.net.InetAddress.getByName(sender).equals(target.getAddress()); // a literal
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  void close() {
    for (Answer answer : inFlight.drain(context.owner()::cancelTimer)) {
      answer.failed("the forwarder stopped");
    }
    socket.close();
  }
}
