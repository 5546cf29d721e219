package dev.vxdns.verticles.forward;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP or DoT connection to a backend, reused for many queries in flight at once (RFC 7766
 * pipelining; answers matched by ID and question, in any order). A PROXY header goes first, once,
 * as the first bytes of the connection, inside TLS for DoT as dnsdist sends it; so a connection
 * carries the queries of one client tuple when the backend takes PROXY headers. Closed after {@code
 * idleMillis} with nothing in flight; a query sent while it connects waits in a queue.
 */
final class StreamUpstream {
  private final ContextInternal context;
  private final BackendState backend;
  private final byte[] header;
  private final long idleMillis;
  private final Runnable onClosed;
  private final Exchanges inFlight = new Exchanges();
  private final List<Buffer> queued = new ArrayList<>();
  private NetSocket socket;
  private Buffer pending = Buffer.buffer();
  private long idleTimer = -1;
  private boolean closed;

  /**
   * @param header the PROXY header to open the connection with, or null
   * @param onClosed removes this connection from its loop's table
   */
  StreamUpstream(
      ContextInternal context,
      NetClient client,
      BackendState backend,
      byte[] header,
      long idleMillis,
      Runnable onClosed) {
    this.context = context;
    this.backend = backend;
    this.header = header;
    this.idleMillis = idleMillis;
    this.onClosed = onClosed;
    Backend config = backend.backend;
    ConnectOptions options =
        new ConnectOptions()
            .setRemoteAddress(SocketAddress.inetSocketAddress(config.address()))
            .setTimeout((int) config.timeoutMillis());
    if (config.transport() == BackendTransport.DOT) {
      options.setSsl(true).setSslOptions(backend.tls);
      if (config.tlsName() != null) {
        options.setSniServerName(config.tlsName());
      }
    }
    client
        .connect(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                close("cannot connect: " + ar.cause().getMessage());
              } else {
                opened(ar.result());
              }
            });
  }

  boolean isClosed() {
    return closed;
  }

  private void opened(NetSocket connected) {
    if (closed) {
      connected.close();
      return;
    }
    socket = connected;
    socket.handler(this::onData);
    socket.exceptionHandler(e -> close("connection error: " + e.getMessage()));
    socket.closeHandler(v -> close("the backend closed the connection"));
    if (header != null) {
      socket.write(Buffer.buffer(header));
    }
    queued.forEach(socket::write);
    queued.clear();
  }

  /** Sends {@code query} (a copy the connection owns: its ID is replaced). */
  void send(byte[] query, long timeoutMillis, Answer answer) {
    if (closed) {
      answer.failed("connection closed");
      return;
    }
    int id =
        inFlight.add(
            query,
            answer,
            assigned -> context.setTimer(timeoutMillis, t -> expired(assigned, timeoutMillis)));
    if (id < 0) {
      answer.failed("too many queries in flight on one connection");
      return;
    }
    cancelIdle();
    Buffer framed = Buffer.buffer(query.length + 2).appendUnsignedShort(query.length);
    framed.appendBytes(query);
    if (socket == null) {
      queued.add(framed);
    } else {
      socket.write(framed);
    }
  }

  private void expired(int id, long timeoutMillis) {
    Answer answer = inFlight.expire(id);
    if (answer != null) {
      answer.failed(
          "no answer over " + backend.backend.transport() + " within " + timeoutMillis + " ms");
    }
    armIdle();
  }

  private void onData(Buffer data) {
    pending = pending.length() == 0 ? data.copy() : pending.appendBuffer(data);
    int offset = 0;
    while (pending.length() - offset >= 2) {
      int length = pending.getUnsignedShort(offset);
      if (pending.length() - offset - 2 < length) {
        break;
      }
      byte[] message = pending.getBytes(offset + 2, offset + 2 + length);
      offset += 2 + length;
      Answer answer = inFlight.take(message, context.owner()::cancelTimer);
      if (answer != null) {
        answer.answered(message);
      }
    }
    pending = offset == 0 ? pending : pending.getBuffer(offset, pending.length());
    armIdle();
  }

  private void armIdle() {
    if (closed || !inFlight.isEmpty()) {
      return;
    }
    cancelIdle();
    idleTimer = context.setTimer(idleMillis, t -> close("idle"));
  }

  private void cancelIdle() {
    if (idleTimer >= 0) {
      context.owner().cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  /** Closes the connection and fails what it still had in flight. */
  void close(String why) {
    if (closed) {
      return;
    }
    closed = true;
    cancelIdle();
    onClosed.run();
    if (socket != null) {
      socket.closeHandler(null);
      socket.close();
    }
    queued.clear();
    for (Answer answer : inFlight.drain(context.owner()::cancelTimer)) {
      answer.failed(why);
    }
  }
}
