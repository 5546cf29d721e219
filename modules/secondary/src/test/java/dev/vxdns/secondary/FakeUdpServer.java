package dev.vxdns.secondary;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;

/** A scripted UDP DNS server on 127.0.0.1 that records every datagram it got and its sender. */
final class FakeUdpServer implements AutoCloseable {

  /** The reply to the {@code count}-th datagram (1-based), or null to stay silent. */
  interface Script {
    byte[] reply(Message query, byte[] wire, int count) throws Exception;
  }

  private final DatagramSocket socket;
  private final List<Message> received = new CopyOnWriteArrayList<>();
  private final List<String> senders = new CopyOnWriteArrayList<>();

  FakeUdpServer(Vertx vertx, int port, Script script) throws Exception {
    this(vertx, "127.0.0.1", port, script);
  }

  /** On {@code host} (an IPv4 or IPv6 literal). */
  FakeUdpServer(Vertx vertx, String host, int port, Script script) throws Exception {
    socket =
        vertx.createDatagramSocket(
            new io.vertx.core.datagram.DatagramSocketOptions().setIpV6(host.contains(":")));
    socket.handler(
        packet -> {
          try {
            byte[] wire = packet.data().getBytes();
            Message query = new Message(wire);
            senders.add(packet.sender().hostAddress());
            received.add(query);
            byte[] reply = script.reply(query, wire, received.size());
            if (reply != null) {
              socket.send(Buffer.buffer(reply), packet.sender().port(), packet.sender().host());
            }
          } catch (Exception e) {
            // a test's script decides; a broken datagram gets no answer
          }
        });
    socket.listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return socket.localAddress().port();
  }

  List<Message> received() {
    return received;
  }

  /** The source address of each datagram received, in order. */
  List<String> senders() {
    return senders;
  }

  @Override
  public void close() throws Exception {
    socket.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
