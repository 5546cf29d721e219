package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.ResponseStream;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageRegistration;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The transports on real sockets with a stand-in zone stage that answers every query with its own
 * id, after a delay for names starting with "slow", drops names starting with "drop" and never
 * answers names starting with "hold": what the transports themselves promise.
 */
class TransportTest {
  private static final long SLOW_MILLIS = 300;
  private Vertx vertx;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private final AtomicInteger streamed = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean streamCancelled =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** An endless stream of 4 KB messages that counts what the transport pulled. */
  private ResponseStream endless(Message request) {
    return new ResponseStream() {
      @Override
      public Future<Part> next() {
        streamed.incrementAndGet();
        Message message = DnsResponses.responseTo(request, 1232);
        message.addRecord(
            Record.newRecord(
                Name.fromConstantString("stream.test."), Type.NULL, DClass.IN, 0, new byte[4000]),
            Section.ANSWER);
        return Future.succeededFuture(new Part(message, null));
      }

      @Override
      public void cancel() {
        streamCancelled.set(true);
      }
    };
  }

  /**
   * Answers NOERROR with no records; "slow..." names complete later on a timer, "drop..." names are
   * dropped, "hold..." names never complete (only the event bus's timeout ends them), "big..."
   * names get a 4 KB record, "stream..." names an endless stream of them.
   */
  private Stage stage() {
    return exchange -> {
      DnsExchange parsed = DnsRequests.parse(exchange, 1232);
      if (parsed.isFinished()) {
        return Future.succeededFuture(parsed);
      }
      String name = parsed.request().getQuestion().getName().toString();
      if (name.startsWith("drop")) {
        return Future.succeededFuture(parsed.drop());
      }
      if (name.startsWith("stream")) {
        return Future.succeededFuture(
            parsed.respond(
                DnsResponses.responseTo(parsed.request(), 1232), endless(parsed.request())));
      }
      if (name.startsWith("big")) {
        Message big = DnsResponses.responseTo(parsed.request(), 1232);
        big.addRecord(
            Record.newRecord(
                parsed.request().getQuestion().getName(), Type.NULL, DClass.IN, 0, new byte[4000]),
            Section.ANSWER);
        return Future.succeededFuture(parsed.respond(big));
      }
      if (name.startsWith("hold")) {
        held.incrementAndGet();
        return Promise.<DnsExchange>promise().future();
      }
      DnsExchange answered = parsed.respond(DnsResponses.responseTo(parsed.request(), 1232));
      if (!name.startsWith("slow")) {
        return Future.succeededFuture(answered);
      }
      mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      Promise<DnsExchange> later = Promise.promise();
      vertx.setTimer(
          SLOW_MILLIS,
          id -> {
            running.decrementAndGet();
            later.complete(answered);
          });
      return later.future();
    };
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(2));
    StageRegistration.register(vertx, Addresses.ZONE_QUERY, stage())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Listener listener(String transport, int pipelined) throws Exception {
    return listener(transport, new JsonObject().put("tcp-pipelined-queries", pipelined));
  }

  /** One listener on 127.0.0.1 and port 0 with {@code extra} in its options. */
  private static Listener listener(String transport, JsonObject extra) throws Exception {
    return listener(ConfigSource.of(listenerConfig(transport, extra), Path.of(".")));
  }

  private static Listener listener(ConfigSource source) throws Exception {
    TransportSettings settings = source.parse(TransportSettings.PART);
    return new Listener(
        settings.listeners().get(0),
        settings,
        1,
        512,
        new RequestBodyBudget(settings.httpMaxBufferedBytes()));
  }

  /** The config of one listener on 127.0.0.1 and port 0 with {@code extra} in its options. */
  private static JsonObject listenerConfig(String transport, JsonObject extra) {
    JsonObject json =
        new JsonObject()
            .put(
                "options",
                new JsonObject()
                    .put(
                        "listen-on",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("address", "127.0.0.1")
                                    .put("port", 0)
                                    .put("transport", transport)
                                    // only the stand-in stage: the transports are under test, not
                                    // the default pipeline
                                    .put("pipeline", new JsonArray().add(Addresses.ZONE_QUERY)))));
    json.getJsonObject("options").mergeIn(extra);
    return json;
  }

  private static byte[] query(String name, int id) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.getHeader().setID(id);
    return query.toWire();
  }

  private static byte[] framed(byte[]... messages) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] message : messages) {
      out.write(message.length >> 8);
      out.write(message.length);
      out.write(message);
    }
    return out.toByteArray();
  }

  private static int readId(DataInputStream in) throws Exception {
    byte[] message = new byte[in.readUnsignedShort()];
    in.readFully(message);
    return new Message(message).getHeader().getID();
  }

  @Test
  void tcpAnswersPipelinedQueriesAsTheyFinishNotInOrder() throws Exception {
    TcpTransportVerticle tcp = new TcpTransportVerticle(listener("tcp", 32));
    vertx
        .deployVerticle(tcp, new DeploymentOptions())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcp.boundPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(framed(query("slow.test.", 1), query("fast.test.", 2)));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      assertEquals(
          2, readId(in), "the fast answer does not wait behind the slow one (RFC 7766 section 7)");
      assertEquals(1, readId(in));
    }
  }

  /**
   * Back-pressure: a client that stops reading stops the stream (the transport pulls only while the
   * socket takes more), reading again resumes it, and closing the connection cancels it.
   */
  @Test
  void tcpPullsAStreamedResponseOnlyAsFastAsTheClientReads() throws Exception {
    TcpTransportVerticle tcp = new TcpTransportVerticle(listener("tcp", 32));
    vertx
        .deployVerticle(tcp, new DeploymentOptions())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(8192);
      socket.connect(
          new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.boundPort()));
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(framed(query("stream.test.", 7)));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      assertEquals(7, readId(in));
      assertEquals(7, readId(in));
      // Not reading: the kernel buffers and the write queue fill, then pulling stops.
      Thread.sleep(1500);
      int paused = streamed.get();
      Thread.sleep(1000);
      assertEquals(paused, streamed.get(), "no message pulled while the client does not read");
      assertTrue(paused < 10_000, paused + " messages pulled: bounded by the socket's buffers");
      // Reading resumes the stream (positive control).
      for (int i = 0; i < paused + 200; i++) {
        assertEquals(7, readId(in));
      }
      assertTrue(streamed.get() > paused + 100, streamed.get() + " after reading on");
      assertFalse(streamCancelled.get());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!streamCancelled.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(streamCancelled.get(), "closing the connection cancels the stream");
    int atClose = streamed.get();
    Thread.sleep(300);
    assertEquals(atClose, streamed.get(), "and nothing is pulled afterwards");
  }

  /**
   * {@code tcp} with BIND's {@code max-transfer-time-out} and {@code max-transfer-idle-out} in
   * milliseconds (the JSON takes minutes).
   */
  private static Listener withTransferLimits(long timeMillis, long idleMillis) throws Exception {
    return withTransferLimits(listener("tcp", 32), timeMillis, idleMillis);
  }

  /** A DoQ listener (the ephemeral certificate, made in {@code dir}) with those limits. */
  private static Listener doqWithTransferLimits(Path dir, long timeMillis, long idleMillis)
      throws Exception {
    JsonObject json = listenerConfig("doq", new JsonObject());
    json.getJsonObject("options")
        .getJsonArray("listen-on")
        .getJsonObject(0)
        .put("tls", TlsConfig.EPHEMERAL);
    Listener doq = listener(ConfigSource.of(json, dir));
    EphemeralCertificate.ensure(doq.config().tls());
    return withTransferLimits(doq, timeMillis, idleMillis);
  }

  private static Listener withTransferLimits(Listener listener, long timeMillis, long idleMillis) {
    TransportSettings s = listener.settings();
    TcpOptions t = s.tcp();
    TcpOptions limited =
        new TcpOptions(
            t.clients(),
            t.initialTimeoutMillis(),
            t.idleTimeoutMillis(),
            t.keepaliveTimeoutMillis(),
            t.advertisedTimeoutMillis(),
            t.pipelinedQueries(),
            t.httpListenerClients(),
            t.httpStreamsPerConnection(),
            timeMillis,
            idleMillis);
    TransportSettings settings =
        new TransportSettings(
            s.listeners(),
            s.delivery(),
            s.pipelineTimeoutMillis(),
            s.eventLoops(),
            s.udpInstances(),
            s.tcpInstances(),
            s.udpMaxInflight(),
            s.httpMaxBufferedBytes(),
            limited,
            s.doq(),
            s.dns());
    return new Listener(
        listener.config(),
        settings,
        1,
        listener.proxyMaxHeaderSize(),
        new RequestBodyBudget(settings.httpMaxBufferedBytes()));
  }

  /**
   * {@code max-transfer-idle-out}: a client that stops reading a transfer has its connection closed
   * and the transfer cancelled once the transfer has waited that long; reading on the whole time
   * (the positive control, on a second connection) keeps it going.
   */
  @Test
  void aTransferWhoseClientStopsReadingIsCutAfterTheIdleLimit() throws Exception {
    TcpTransportVerticle tcp = new TcpTransportVerticle(withTransferLimits(60_000, 700));
    deploy(tcp);
    try (Socket reader = new Socket(InetAddress.getLoopbackAddress(), tcp.boundPort())) {
      reader.setSoTimeout(5000);
      reader.getOutputStream().write(framed(query("stream.test.", 8)));
      DataInputStream in = new DataInputStream(reader.getInputStream());
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2000);
      while (System.nanoTime() < until) {
        assertEquals(8, readId(in), "a client that reads keeps its transfer past the idle limit");
      }
      assertFalse(streamCancelled.get());
    }
    awaitCancelled(); // by the close
    streamCancelled.set(false);
    try (Socket stalled = new Socket()) {
      stalled.setReceiveBufferSize(8192);
      stalled.connect(
          new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.boundPort()));
      stalled.setSoTimeout(5000);
      long start = System.nanoTime();
      stalled.getOutputStream().write(framed(query("stream.test.", 9)));
      DataInputStream in = new DataInputStream(stalled.getInputStream());
      assertEquals(9, readId(in));
      // Reads no more until the server has given up on it.
      awaitCancelled();
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(streamCancelled.get(), "the stalled transfer is cancelled");
      assertTrue(waited >= 700, "not before the idle limit: " + waited + " ms");
      assertTrue(readsToTheEnd(in), "and its connection closed");
    }
  }

  /**
   * {@code max-transfer-time-out}: a transfer still running after that long has its connection
   * closed, even while its client reads.
   */
  @Test
  void aTransferIsCutAfterTheTimeLimitWhileItsClientReads() throws Exception {
    TcpTransportVerticle tcp = new TcpTransportVerticle(withTransferLimits(1500, 60_000));
    deploy(tcp);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcp.boundPort())) {
      socket.setSoTimeout(5000);
      long start = System.nanoTime();
      socket.getOutputStream().write(framed(query("stream.test.", 10)));
      assertTrue(readsToTheEnd(new DataInputStream(socket.getInputStream())), "closed");
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(took >= 1500 && took < 4500, "cut after about 1.5 s: " + took + " ms");
      awaitCancelled();
      assertTrue(streamCancelled.get(), "the transfer is cancelled");
    }
  }

  /**
   * {@code max-transfer-idle-out} over DoQ (XoQ): a client that reads on keeps its transfer past
   * the idle limit; one that reads nothing (its stream's window full) has the transfer cancelled
   * and the stream reset once it has waited that long, though the QUIC connection stays alive.
   */
  @Test
  void aDoqTransferWhoseClientStopsReadingIsCutAfterTheIdleLimit(@TempDir Path dir)
      throws Exception {
    DoqTransportVerticle doq = new DoqTransportVerticle(doqWithTransferLimits(dir, 60_000, 700));
    deploy(doq);
    try (DoqClient reader = DoqClient.connect(doq.boundPort())) {
      java.util.concurrent.CompletableFuture<byte[]> endless =
          reader.sendAndDiscard(DoqClient.framed(query("stream.test.", 0)));
      Thread.sleep(2000);
      assertFalse(endless.isDone(), "a client that reads keeps its transfer past the idle limit");
      assertFalse(streamCancelled.get());
      assertTrue(streamed.get() > 10, "it read on: " + streamed.get() + " messages");
    }
    awaitCancelled(); // by the close
    streamCancelled.set(false);
    try (DoqClient stalled = DoqClient.connect(doq.boundPort(), "doq", 30_000, 32 << 10)) {
      long start = System.nanoTime();
      stalled.sendAndReadNothing(DoqClient.framed(query("stream.test.", 0)));
      awaitCancelled();
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(streamCancelled.get(), "the stalled transfer is cancelled");
      assertTrue(waited >= 700, "not before the idle limit: " + waited + " ms");
      assertTrue(stalled.connection.isActive(), "the stream is reset, the connection kept");
    }
  }

  /**
   * {@code max-transfer-time-out} over DoQ: a transfer still running after that long has its stream
   * reset (not ended with FIN: the client must not take it for a whole one), even while its client
   * reads.
   */
  @Test
  void aDoqTransferIsCutAfterTheTimeLimitWhileItsClientReads(@TempDir Path dir) throws Exception {
    DoqTransportVerticle doq = new DoqTransportVerticle(doqWithTransferLimits(dir, 1500, 60_000));
    deploy(doq);
    try (DoqClient client = DoqClient.connect(doq.boundPort())) {
      long start = System.nanoTime();
      java.util.concurrent.CompletableFuture<byte[]> transfer =
          client.sendAndDiscard(DoqClient.framed(query("stream.test.", 0)));
      java.util.concurrent.ExecutionException reset =
          assertThrows(
              java.util.concurrent.ExecutionException.class,
              () -> transfer.get(10, TimeUnit.SECONDS));
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(took >= 1500 && took < 4500, "cut after about 1.5 s: " + took + " ms, " + reset);
      awaitCancelled();
      assertTrue(streamCancelled.get(), "the transfer is cancelled");
    }
  }

  /**
   * A client that sends queries and reads none of the answers is closed once its connection is idle
   * ({@code tcp-idle-timeout}, looked at first after {@code tcp-initial-timeout}: 2.5 s here),
   * though its answers fill the buffers: a graceful close, which lets queued bytes go first, would
   * wait for it for ever and hold one of the {@code tcp-clients}.
   */
  @Test
  void aClientThatReadsNoAnswerIsStillClosedWhenIdle() throws Exception {
    TcpTransportVerticle tcp =
        new TcpTransportVerticle(
            listener(
                "tcp", new JsonObject().put("tcp-initial-timeout", 25).put("tcp-idle-timeout", 1)));
    deploy(tcp);
    try (Socket socket = new Socket()) {
      socket.setReceiveBufferSize(8192);
      socket.connect(
          new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), tcp.boundPort()));
      // 1,500 answers of 4 KB: more than the kernel's buffers between the two hold.
      byte[][] queries = new byte[1500][];
      for (int i = 0; i < queries.length; i++) {
        queries[i] = query("big.test.", i);
      }
      socket.getOutputStream().write(framed(queries));
      Thread.sleep(1000);
      assertEquals(1, tcp.openConnections(), "open while its answers wait");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (tcp.openConnections() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, tcp.openConnections(), "closed though it never read");
    }
  }

  /** Waits up to 5 s for the stream to be cancelled. */
  private void awaitCancelled() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!streamCancelled.get() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /**
   * Reads messages until the server closes the connection: true, or false when it is still open
   * after 10 s (a read timeout, or messages still coming).
   */
  private static boolean readsToTheEnd(DataInputStream in) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    try {
      while (System.nanoTime() < deadline) {
        readId(in);
      }
      return false;
    } catch (java.io.EOFException | java.net.SocketException closed) {
      return true;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    }
  }

  @Test
  void tcpHoldsAtMostTheConfiguredQueriesInFlightAndStillAnswersAll() throws Exception {
    TcpTransportVerticle tcp = new TcpTransportVerticle(listener("tcp", 2));
    vertx
        .deployVerticle(tcp, new DeploymentOptions())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    List<byte[]> queries = new ArrayList<>();
    for (int id = 1; id <= 6; id++) {
      queries.add(query("slow.test.", id));
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcp.boundPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(framed(queries.toArray(new byte[0][])));
      DataInputStream in = new DataInputStream(socket.getInputStream());
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ids.add(readId(in));
      }
      assertEquals(6, ids.stream().distinct().count());
    }
    assertEquals(
        2, mostRunning.get(), "tcp-pipelined-queries 2: reading pauses at two queries in flight");
  }

  @Test
  void udpAnswersFromItsOwnEventLoopAndDropsShortPackets() throws Exception {
    UdpTransportVerticle udp = new UdpTransportVerticle(listener("udp", 32));
    vertx
        .deployVerticle(udp, new DeploymentOptions())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(300);
      InetAddress loopback = InetAddress.getLoopbackAddress();
      socket.send(new DatagramPacket(new byte[4], 4, loopback, udp.boundPort()));
      for (int id = 10; id < 20; id++) {
        byte[] query = query("fast.test.", id);
        socket.send(new DatagramPacket(query, query.length, loopback, udp.boundPort()));
      }
      List<Integer> ids = new ArrayList<>();
      byte[] buffer = new byte[2048];
      for (int i = 0; i < 10; i++) {
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        socket.receive(reply);
        ids.add(
            new Message(java.util.Arrays.copyOf(buffer, reply.getLength())).getHeader().getID());
      }
      assertEquals(10, ids.stream().distinct().count());
      assertTrue(
          ids.stream().allMatch(id -> id >= 10 && id < 20),
          "the 4-byte packet got no answer: " + ids);
    }
  }

  /** A datagram carries one message: UDP sends the first and cancels the rest of a stream. */
  @Test
  void udpSendsOnlyTheFirstMessageOfAStreamAndCancelsTheRest() throws Exception {
    UdpTransportVerticle udp = new UdpTransportVerticle(listener("udp", 32));
    vertx
        .deployVerticle(udp, new DeploymentOptions())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(1000);
      InetAddress loopback = InetAddress.getLoopbackAddress();
      byte[] query = query("stream.test.", 21);
      socket.send(new DatagramPacket(query, query.length, loopback, udp.boundPort()));
      byte[] buffer = new byte[65535];
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      Message first = new Message(java.util.Arrays.copyOf(buffer, reply.getLength()));
      assertEquals(21, first.getHeader().getID());
      assertTrue(
          first.getSection(Section.ANSWER).isEmpty(), "the first message, not a streamed one");
      assertTrue(streamCancelled.get(), "the rest of the stream was cancelled");
      assertEquals(0, streamed.get(), "and never pulled");
      socket.setSoTimeout(300);
      org.junit.jupiter.api.Assertions.assertThrows(
          java.net.SocketTimeoutException.class,
          () -> socket.receive(new DatagramPacket(buffer, buffer.length)),
          "no second datagram");
    }
  }

  @Test
  void udpCapsQueriesInFlightAndCountsTheDatagramsBeyond() throws Exception {
    int cap = 8;
    UdpTransportVerticle udp =
        new UdpTransportVerticle(
            listener(
                "udp",
                new JsonObject()
                    .put("udp-max-inflight", cap)
                    .put(
                        "pipeline",
                        new JsonObject().put("delivery", "eventbus").put("timeout-ms", 1500))));
    deploy(udp);
    try (DatagramSocket socket = new DatagramSocket()) {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      for (int id = 1; id <= 50; id++) {
        byte[] query = query("hold.test.", id);
        socket.send(new DatagramPacket(query, query.length, loopback, udp.boundPort()));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (udp.overCapDrops() + held.get() < 50 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(cap, held.get(), "at most udp-max-inflight queries reach the stage");
      assertEquals(50 - cap, udp.overCapDrops(), "the datagrams beyond the cap are counted");
      // The held queries time out (SERVFAIL) and give their places back: a new query is answered.
      socket.setSoTimeout(5000);
      byte[] buffer = new byte[2048];
      for (int i = 0; i < cap; i++) {
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        socket.receive(reply);
        assertEquals(
            Rcode.SERVFAIL,
            new Message(java.util.Arrays.copyOf(buffer, reply.getLength())).getRcode());
      }
      byte[] query = query("fast.test.", 200);
      socket.send(new DatagramPacket(query, query.length, loopback, udp.boundPort()));
      DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      Message answer = new Message(java.util.Arrays.copyOf(buffer, reply.getLength()));
      assertEquals(200, answer.getHeader().getID());
      assertEquals(Rcode.NOERROR, answer.getRcode());
      assertEquals(50 - cap, udp.overCapDrops(), "nothing dropped once the slots are free");
    }
  }

  @Test
  void aDroppedQueryResetsOnlyItsHttp2StreamAndTheConnectionGoesOn() throws Exception {
    DohTransportVerticle doh = new DohTransportVerticle(listener("h2c", new JsonObject()));
    deploy(doh);
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    try {
      HttpClientConnection connection =
          await(
              client.connect(
                  new HttpConnectOptions().setHost("127.0.0.1").setPort(doh.boundPort())));
      AtomicInteger closed = new AtomicInteger();
      connection.closeHandler(v -> closed.incrementAndGet());
      // The slow query is still in the pipeline when the other stream's query is dropped.
      Future<Answer> slow = post(connection, query("slow.test.", 1));
      Future<Answer> dropped = post(connection, query("drop.test.", 2));
      Throwable reset =
          assertThrows(Exception.class, () -> await(dropped), "the dropped query gets no answer");
      StreamResetException refused =
          assertInstanceOf(StreamResetException.class, reset.getCause(), "its stream is reset");
      assertEquals(7L, refused.getCode(), "RST_STREAM REFUSED_STREAM");
      assertEquals(1, dnsResponse(slow).getHeader().getID(), "the other stream is answered");
      assertEquals(
          3,
          dnsResponse(post(connection, query("fast.test.", 3))).getHeader().getID(),
          "a later stream on the same connection is answered");
      assertEquals(0, closed.get(), "the connection stays open");
    } finally {
      await(client.close());
    }
  }

  @Test
  void dohBodiesBeyondTheBudgetAreRefusedAndTheBudgetComesBack() throws Exception {
    int budget = 100_000;
    int declared = 30_000;
    Listener listener = listener("h2c", new JsonObject().put("http-max-buffered-bytes", budget));
    DohTransportVerticle doh = new DohTransportVerticle(listener);
    deploy(doh);
    RequestBodyBudget bodies = listener.bodyBudget();
    List<Socket> holding = new ArrayList<>();
    try {
      // Three bodies of 30000 bytes each, of which only the first 1000 come: 90000 held.
      for (int i = 0; i < 3; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), doh.boundPort());
        holding.add(socket);
        socket.getOutputStream().write(postHead(doh.boundPort(), declared));
        socket.getOutputStream().write(new byte[1000]);
        socket.getOutputStream().flush();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (bodies.heldBytes() < 3L * declared && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(3L * declared, bodies.heldBytes(), "the three bodies are reserved");
      // A fourth does not fit: 503 before its body is read, and counted.
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), doh.boundPort())) {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(postHead(doh.boundPort(), declared));
        socket.getOutputStream().flush();
        assertEquals(503, http11(socket).status());
      }
      assertEquals(1, bodies.refusals());
      // A small query still fits and is answered.
      assertEquals(7, postOverHttp11(doh.boundPort(), query("fast.test.", 7)).getHeader().getID());
      for (Socket socket : holding) {
        socket.close();
      }
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (bodies.heldBytes() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, bodies.heldBytes(), "requests that ended gave their bytes back");
      // Now a body of the size that was refused is answered.
      byte[] big = paddedQuery("fast.test.", 8, declared);
      assertEquals(declared, big.length);
      assertEquals(8, postOverHttp11(doh.boundPort(), big).getHeader().getID());
      assertEquals(1, bodies.refusals());
    } finally {
      for (Socket socket : holding) {
        socket.close();
      }
    }
  }

  private void deploy(io.vertx.core.Verticle verticle) throws Exception {
    await(vertx.deployVerticle(verticle, new DeploymentOptions()));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** An HTTP response's status and body. */
  private record Answer(int status, Buffer body) {}

  /**
   * POSTs a query on one HTTP/2 connection. The body is asked for as soon as the response head
   * arrives, on the event loop: asked for later, from the test's thread, it may already be gone.
   */
  private static Future<Answer> post(HttpClientConnection connection, byte[] query) {
    return connection
        .request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/dns-query"))
        .compose(
            request ->
                request
                    .putHeader("Content-Type", DohTransportVerticle.MEDIA_TYPE)
                    .send(Buffer.buffer(query)))
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body)));
  }

  private static Message dnsResponse(Future<Answer> response) throws Exception {
    Answer answered = await(response);
    assertEquals(200, answered.status());
    return new Message(answered.body().getBytes());
  }

  private static byte[] postHead(int port, int length) {
    return ("POST /dns-query HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nContent-Type: application/dns-message\r\nContent-Length: "
            + length
            + "\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** One POST on a new HTTP/1.1 connection; the DNS message of its 200 response. */
  private static Message postOverHttp11(int port, byte[] query) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(postHead(port, query.length));
      socket.getOutputStream().write(query);
      socket.getOutputStream().flush();
      Http11Response response = http11(socket);
      assertEquals(200, response.status());
      return new Message(response.body());
    }
  }

  record Http11Response(int status, byte[] body) {}

  /** Reads one HTTP/1.1 response with a Content-Length body. */
  private static Http11Response http11(Socket socket) throws Exception {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    String status = line(in);
    int length = 0;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring(15).trim());
      }
    }
    byte[] body = new byte[length];
    in.readFully(body);
    return new Http11Response(Integer.parseInt(status.split(" ")[1]), body);
  }

  private static String line(DataInputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new java.io.EOFException("closed after: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  /** A query of exactly {@code size} bytes, made up with an EDNS padding option (RFC 7830). */
  private static byte[] paddedQuery(String name, int id, int size) throws Exception {
    int unpadded = query(name, id).length + 11 + 4;
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    query.getHeader().setID(id);
    query.addRecord(
        new OPTRecord(
            1232,
            0,
            0,
            0,
            List.of(new GenericEDNSOption(EDNSOption.Code.PADDING, new byte[size - unpadded]))),
        Section.ADDITIONAL);
    return query.toWire();
  }
}
