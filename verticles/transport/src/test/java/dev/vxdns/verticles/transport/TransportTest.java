package dev.vxdns.verticles.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Stage;
import dev.vxdns.message.StageRegistration;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The transports on real sockets with a stand-in zone stage that answers every query with its own
 * id, after a delay for names starting with "slow": what the transports themselves promise.
 */
class TransportTest {
  private static final long SLOW_MILLIS = 300;
  private Vertx vertx;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();

  /** Answers NOERROR with no records; "slow..." names complete later on a timer. */
  private Stage stage() {
    return exchange -> {
      DnsExchange parsed = DnsRequests.parse(exchange, 1232);
      if (parsed.isFinished()) {
        return Future.succeededFuture(parsed);
      }
      DnsExchange answered = parsed.respond(DnsResponses.responseTo(parsed.request(), 1232));
      if (!parsed.request().getQuestion().getName().toString().startsWith("slow")) {
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
                                    .put("pipeline", new JsonArray().add(Addresses.ZONE_QUERY))))
                    .put("tcp-pipelined-queries", pipelined));
    TransportSettings settings = ConfigSource.of(json, Path.of(".")).parse(TransportSettings.PART);
    return new Listener(settings.listeners().get(0), settings, 1, 512);
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
}
