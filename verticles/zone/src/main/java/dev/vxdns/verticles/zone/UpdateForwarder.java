package dev.vxdns.verticles.zone;

import dev.vxdns.secondary.SourceAddresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Message;
import org.xbill.DNS.TSIGRecord;

/**
 * Forwards an update sent to a secondary zone to its primary over TCP, as BIND's {@code
 * allow-update-forwarding}: the message goes on byte for byte, so the primary verifies the client's
 * own signature and applies its own policy. The answer comes back parsed without the primary's
 * TSIG, which the auth stage replaces with ours (same key, our request MAC) on the way back, and as
 * the primary sent it, for a request signed with a key only the primary has.
 */
final class UpdateForwarder {
  /**
   * The primary's answer.
   *
   * @param response the answer without its TSIG
   * @param wire the answer as the primary sent it, TSIG and all
   */
  record Answer(Message response, byte[] wire) {}

  private final Vertx vertx;
  private final long timeoutMillis;
  // One client per local address updates are forwarded from (a zone's transfer-source; "" for
  // the system's choice): the address is a client's option, not a connection's.
  private final Map<String, NetClient> clients = new ConcurrentHashMap<>();

  UpdateForwarder(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
  }

  /** Sends the update to {@code primary} from the {@code source} address for its family. */
  Future<Answer> forward(
      Message request, byte[] wire, InetSocketAddress primary, SourceAddresses source) {
    Promise<Answer> answer = Promise.promise();
    InetAddress local = source.forServer(primary);
    clients
        .computeIfAbsent(local == null ? "" : local.getHostAddress(), this::client)
        .connect(primary.getPort(), primary.getAddress().getHostAddress())
        .onFailure(
            error ->
                answer.tryFail(
                    local == null
                        ? error.getMessage()
                        : "cannot connect from "
                            + local.getHostAddress()
                            + ": "
                            + error.getMessage()))
        .onSuccess(socket -> exchange(socket, wire, request.getHeader().getID(), answer));
    long timer =
        vertx.setTimer(
            timeoutMillis,
            id -> answer.tryFail("no answer from " + primary + " in " + timeoutMillis + " ms"));
    return answer.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  private static void exchange(NetSocket socket, byte[] wire, int id, Promise<Answer> answer) {
    RecordParser parser = RecordParser.newFixed(2);
    parser.handler(
        new io.vertx.core.Handler<>() {
          private boolean length = true;

          @Override
          public void handle(Buffer record) {
            if (length) {
              length = false;
              parser.fixedSizeMode(record.getUnsignedShort(0));
              return;
            }
            socket.close();
            try {
              byte[] received = record.getBytes();
              Message response = new Message(received);
              if (response.getHeader().getID() != id) {
                answer.tryFail("the primary answered with another message id");
                return;
              }
              TSIGRecord tsig = response.getTSIG();
              if (tsig != null) {
                response.removeRecord(tsig, org.xbill.DNS.Section.ADDITIONAL);
              }
              answer.tryComplete(new Answer(response, received));
            } catch (IOException e) {
              answer.tryFail("the primary's answer is malformed: " + e.getMessage());
            }
          }
        });
    socket.handler(parser);
    socket.exceptionHandler(error -> answer.tryFail(error));
    socket.closeHandler(v -> answer.tryFail("the primary closed the connection"));
    socket.write(Buffer.buffer().appendUnsignedShort(wire.length).appendBytes(wire));
    answer.future().onComplete(done -> socket.close());
  }

  private NetClient client(String localAddress) {
    NetClientOptions options = new NetClientOptions().setConnectTimeout((int) timeoutMillis);
    if (!localAddress.isEmpty()) {
      options.setLocalAddress(localAddress);
    }
    return vertx.createNetClient(options);
  }

  void close() {
    clients.values().forEach(NetClient::close);
    clients.clear();
  }
}
