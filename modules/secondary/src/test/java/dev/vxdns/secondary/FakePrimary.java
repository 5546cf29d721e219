package dev.vxdns.secondary;

import dev.vxdns.auth.InMemoryKeyStore;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigResult;
import dev.vxdns.auth.TsigStreamSigner;
import dev.vxdns.auth.TsigVerifier;
import dev.vxdns.auth.VerifiedRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A scripted primary on 127.0.0.1 (a Vert.x NetServer on an ephemeral port): for each connection it
 * reads one framed query, verifies its TSIG against the key it knows, and lets the test's {@link
 * Script} answer, signing each message as a stream (TsigStreamSigner) when the query was signed. It
 * counts open connections, so a test can check that the client closed its socket.
 */
final class FakePrimary implements AutoCloseable {

  /** Answers one query on one connection. */
  interface Script {
    void answer(Message query, Connection connection) throws Exception;
  }

  /** One client connection, as the script sees it. */
  static final class Connection {
    private final NetSocket socket;
    private final TsigStreamSigner signer;

    Connection(NetSocket socket, TsigStreamSigner signer) {
      this.socket = socket;
      this.signer = signer;
    }

    /** Sends a message, signed as the next one of the stream when the query was signed. */
    void send(Message message) {
      sendRaw(signer == null ? message.toWire(Message.MAXLENGTH) : signer.sign(message));
    }

    /** The wire form {@link #send} would send, to corrupt before {@link #sendRaw}. */
    byte[] render(Message message) {
      return signer == null ? message.toWire(Message.MAXLENGTH) : signer.sign(message);
    }

    void sendRaw(byte[] message) {
      socket.write(Buffer.buffer().appendUnsignedShort(message.length).appendBytes(message));
    }

    void sendBytes(byte[] bytes) {
      socket.write(Buffer.buffer(bytes));
    }

    void close() {
      socket.close();
    }
  }

  private final NetServer server;
  private final AtomicInteger open = new AtomicInteger();
  private final List<Message> queries = new CopyOnWriteArrayList<>();
  private final List<String> peers = new CopyOnWriteArrayList<>();
  private final TsigKey key;

  FakePrimary(Vertx vertx, TsigKey key, Script script) throws Exception {
    this.key = key;
    this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
    server.connectHandler(socket -> serve(socket, script));
    server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  int openConnections() {
    return open.get();
  }

  List<Message> queries() {
    return queries;
  }

  /** The source address of each connection accepted, in order. */
  List<String> peers() {
    return peers;
  }

  /** Waits (bounded) until every connection is closed; false if some stayed open. */
  boolean awaitAllClosed() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (open.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return open.get() == 0;
  }

  private void serve(NetSocket socket, Script script) {
    open.incrementAndGet();
    peers.add(socket.remoteAddress().hostAddress());
    socket.closeHandler(v -> open.decrementAndGet());
    Buffer[] pending = {Buffer.buffer()};
    boolean[] answered = {false};
    socket.handler(
        data -> {
          pending[0].appendBuffer(data);
          if (answered[0] || pending[0].length() < 2) {
            return;
          }
          int length = pending[0].getUnsignedShort(0);
          if (pending[0].length() < 2 + length) {
            return;
          }
          answered[0] = true;
          byte[] wire = pending[0].getBytes(2, 2 + length);
          try {
            Message query = new Message(wire);
            queries.add(query);
            TsigStreamSigner signer = null;
            if (query.getTSIG() != null) {
              TsigResult result =
                  TsigVerifier.verify(
                      wire, new InMemoryKeyStore(Clock.systemUTC(), List.of(key)), Instant.now());
              VerifiedRequest verified = result.verifiedRequest().orElseThrow();
              signer = new TsigStreamSigner(verified, Clock.systemUTC());
            }
            script.answer(query, new Connection(socket, signer));
          } catch (Exception e) {
            socket.close();
          }
        });
  }

  /** A response to {@code query}: same ID and question, QR and AA, these answer records. */
  static Message response(Message query, List<Record> answers) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    answers.forEach(r -> m.addRecord(r, Section.ANSWER));
    return m;
  }

  /** A response without a question, as later messages of a stream may be. */
  static Message continuation(Message query, List<Record> answers) {
    Message m = response(query, answers);
    m.removeAllRecords(Section.QUESTION);
    return m;
  }

  static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
