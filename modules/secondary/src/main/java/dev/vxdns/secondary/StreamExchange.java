package dev.vxdns.secondary;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.TrustManager;

/**
 * One query over a new TCP or TLS connection and the framed messages that answer it (RFC 1035
 * section 4.2.2), handed in order to a {@link Sink} until it says the answer is complete. Runs on
 * one Vert.x context and never blocks it. The connection (and its client) is closed whatever
 * happens: complete, refused by the sink, cut, idle, slow or too long for the limits, or over them.
 */
final class StreamExchange {

  /** Receives each message of the answer; returns true once the answer is complete. */
  interface Sink {
    boolean accept(byte[] message) throws TransferException;
  }

  private final Vertx vertx;
  private final Primary primary;
  private final byte[] query;
  private final Duration connectTimeout;
  private final TransferLimits limits;
  private final SourceAddresses source;
  private final Sink sink;
  private final String where;
  private final Promise<Void> promise = Promise.promise();

  private NetClient client;
  private NetSocket socket;
  private Buffer pending = Buffer.buffer();
  private long received;
  private long idleTimer = -1;
  private long totalTimer = -1;
  private long rateTimer = -1;
  private long receivedAtLastRateCheck;
  private boolean finished;

  private StreamExchange(
      Vertx vertx,
      Primary primary,
      byte[] query,
      Duration connectTimeout,
      TransferLimits limits,
      SourceAddresses source,
      Sink sink,
      String where) {
    this.vertx = vertx;
    this.primary = primary;
    this.query = query;
    this.connectTimeout = connectTimeout;
    this.limits = limits;
    this.source = source;
    this.sink = sink;
    this.where = where;
  }

  /**
   * Connects to the primary (TLS when its transport says so), sends {@code query} and feeds the
   * answer to {@code sink}: the connection within {@code connectTimeout} (and within the idle
   * limit), each message within the limits' idle time, all within their transfer time, from the
   * {@code source} address for its family. Fails with a {@link TransferException} naming {@code
   * where}.
   */
  static Future<Void> run(
      Vertx vertx,
      Primary primary,
      byte[] query,
      Duration connectTimeout,
      TransferLimits limits,
      SourceAddresses source,
      Sink sink,
      String where) {
    StreamExchange exchange =
        new StreamExchange(vertx, primary, query, connectTimeout, limits, source, sink, where);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> exchange.start());
    return exchange.promise.future();
  }

  private void start() {
    totalTimer =
        vertx.setTimer(
            limits.maxTransferTime().toMillis(),
            t -> fail("no complete answer within " + limits.maxTransferTime()));
    rateTimer = vertx.setPeriodic(limits.minRate().interval().toMillis(), t -> checkRate());
    armIdleTimer();
    if (primary.transport() == PrimaryTransport.TLS && primary.tls().authenticated()) {
      // Reading the CA file is blocking I/O: on a worker.
      vertx
          .executeBlocking(() -> PinnedTrust.load(primary.tls()), false)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  fail("cannot read the CA file: " + ar.cause().getMessage(), ar.cause());
                } else if (!finished) {
                  connect(ar.result());
                }
              });
    } else {
      connect(null);
    }
  }

  private void connect(TrustManager pinned) {
    long connectMillis = Math.min(connectTimeout.toMillis(), limits.maxIdleTime().toMillis());
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectMillis);
    NetClientOptions clientOptions = new NetClientOptions().setConnectTimeout(timeoutMillis);
    InetAddress local = source.forServer(primary.address());
    if (local != null) {
      clientOptions.setLocalAddress(local.getHostAddress());
    }
    client = vertx.createNetClient(clientOptions);
    ConnectOptions options =
        new ConnectOptions()
            .setRemoteAddress(SocketAddress.inetSocketAddress(primary.address()))
            .setTimeout(timeoutMillis);
    if (primary.transport() == PrimaryTransport.TLS) {
      options.setSsl(true).setSslOptions(sslOptions(pinned, timeoutMillis));
      if (primary.tls().serverName() != null) {
        options.setSniServerName(primary.tls().serverName());
      }
    }
    client
        .connect(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                String from = local == null ? "" : " from " + local.getHostAddress();
                fail("cannot connect" + from + ": " + ar.cause().getMessage(), ar.cause());
                return;
              }
              socket = ar.result();
              if (finished) {
                socket.close();
                return;
              }
              socket.handler(this::onData);
              socket.exceptionHandler(e -> fail("connection error: " + e.getMessage(), e));
              socket.closeHandler(v -> fail("the primary closed the connection before the end"));
              Buffer framed = Buffer.buffer(query.length + 2);
              framed.appendUnsignedShort(query.length).appendBytes(query);
              socket.write(framed);
            });
  }

  /** TLS for XoT: ALPN "dot"; the pinned CA (and name) check, or any certificate when null. */
  static ClientSSLOptions sslOptions(TrustManager pinned, int handshakeTimeoutMillis) {
    ClientSSLOptions ssl =
        new ClientSSLOptions()
            .setUseAlpn(true)
            // RFC 9103 section 7.1: XoT uses the DoT ALPN token.
            .setApplicationLayerProtocols(List.of("dot"))
            .setSslHandshakeTimeout(handshakeTimeoutMillis)
            .setSslHandshakeTimeoutUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
            // PinnedTrust checks the name itself (see there); the JDK's check would not.
            .setHostnameVerificationAlgorithm("");
    if (pinned != null) {
      ssl.setTrustOptions(TrustOptions.wrap(pinned));
    } else {
      ssl.setTrustAll(true);
    }
    return ssl;
  }

  private void onData(Buffer data) {
    if (finished) {
      return;
    }
    received += data.length();
    if (received > limits.maxBytes()) {
      fail("more than " + limits.maxBytes() + " bytes");
      return;
    }
    armIdleTimer();
    pending = pending.length() == 0 ? data.copy() : pending.appendBuffer(data);
    int offset = 0;
    try {
      while (pending.length() - offset >= 2) {
        int length = pending.getUnsignedShort(offset);
        if (length < 12) {
          throw new TransferException(where + ": a message of " + length + " bytes");
        }
        if (pending.length() - offset - 2 < length) {
          break;
        }
        byte[] message = pending.getBytes(offset + 2, offset + 2 + length);
        offset += 2 + length;
        if (sink.accept(message)) {
          if (pending.length() > offset) {
            throw new TransferException(where + ": data after the end of the answer");
          }
          succeed();
          return;
        }
      }
    } catch (TransferException e) {
      finish(e);
      return;
    } catch (RuntimeException e) {
      finish(new TransferException(where + ": " + e, e));
      return;
    }
    pending = offset == 0 ? pending : pending.getBuffer(offset, pending.length());
  }

  private void armIdleTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    idleTimer =
        vertx.setTimer(
            limits.maxIdleTime().toMillis(),
            t -> fail("nothing received for " + limits.maxIdleTime()));
  }

  /** named's xfrin_minratecheck: the bytes received since the last check, at least the minimum. */
  private void checkRate() {
    TransferLimits.MinRate rate = limits.minRate();
    if (received - receivedAtLastRateCheck < rate.bytes()) {
      fail(
          "minimum transfer rate reached: "
              + (received - receivedAtLastRateCheck)
              + " bytes in "
              + rate.interval()
              + ", less than "
              + rate.bytes());
    } else {
      receivedAtLastRateCheck = received;
    }
  }

  private void fail(String problem) {
    finish(new TransferException(where + ": " + problem));
  }

  private void fail(String problem, Throwable cause) {
    finish(new TransferException(where + ": " + problem, cause));
  }

  private void succeed() {
    finish(null);
  }

  private void finish(TransferException failure) {
    if (finished) {
      return;
    }
    finished = true;
    vertx.cancelTimer(idleTimer);
    vertx.cancelTimer(totalTimer);
    vertx.cancelTimer(rateTimer);
    pending = Buffer.buffer();
    if (socket != null) {
      socket.handler(null);
      socket.closeHandler(null);
      socket.close();
    }
    if (client != null) {
      client.close();
    }
    if (failure == null) {
      promise.complete();
    } else {
      promise.fail(failure);
    }
  }
}
