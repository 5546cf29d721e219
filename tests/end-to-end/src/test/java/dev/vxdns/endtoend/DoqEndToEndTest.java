package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import dev.vxdns.verticles.transport.DoqClient;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TcpKeepaliveOption;
import org.xbill.DNS.Type;

/**
 * DNS over QUIC (RFC 9250) through a whole node: kdig {@code +quic} as the real peer, and a client
 * on Netty's QUIC codec ({@link DoqClient}) for what kdig never sends: bad stream contents, another
 * ALPN, streams left open, a handshake flood. dnspython's DoQ client is not used: it needs aioquic,
 * which Debian does not package.
 */
class DoqEndToEndTest {
  private static final int DOQ_PROTOCOL_ERROR = 0x2;

  /** A node with UDP/TCP on one free port and DoQ ("tls": "ephemeral") on another. */
  private record Node(TestNode node, int doqPort) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      node.close();
    }
  }

  private static Node start(JsonObject options) throws Exception {
    return start(options, new JsonObject());
  }

  /** With {@code options} merged into the config's options and {@code zones} added to its zones. */
  private static Node start(JsonObject options, JsonObject zones) throws Exception {
    int doqPort = TestNode.freePort();
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    TestNode.listen(config, TestNode.listener(doqPort, "doq").put("tls", "ephemeral"));
    JsonObject base = config.getJsonObject("options");
    base.put("whoami", "whoami.vxdns.");
    base.mergeIn(options);
    config.getJsonObject("zone").mergeIn(zones);
    return new Node(TestNode.start(config), doqPort);
  }

  private static byte[] query(String name, int type, int id) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    query.getHeader().setID(id);
    return query.toWire();
  }

  private static List<String> kdig(int port, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of("@127.0.0.1", "-p", Integer.toString(port), "+quic", "+timeout=3", "+retry=0"));
    command.addAll(List.of(args));
    return command;
  }

  /** kdig with its output in a file: a whole transfer is more than a pipe holds. */
  private static String kdigToFile(List<String> args) throws Exception {
    Peer.assumeInstalled("kdig", "knot-dnsutils");
    java.nio.file.Path output = java.nio.file.Files.createTempFile("kdig", ".out");
    try {
      List<String> command = new ArrayList<>(List.of("kdig"));
      command.addAll(args);
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kdig did not finish");
      return java.nio.file.Files.readString(output);
    } finally {
      java.nio.file.Files.delete(output);
    }
  }

  private static void assertAuthoritative(Message response, String name, int type) {
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    assertTrue(response.getHeader().getFlag(Flags.AA), response.toString());
    assertEquals(0, response.getHeader().getID(), "RFC 9250: the response's Message ID is 0");
    assertFalse(response.getSection(Section.ANSWER).isEmpty(), response.toString());
    assertEquals(type, response.getSection(Section.ANSWER).get(0).getType());
    assertEquals(name, response.getQuestion().getName().toString());
  }

  @Test
  void kdigQueriesOverQuicAndGetsPaddedAuthoritativeAnswers() throws Exception {
    try (Node node = start(new JsonObject())) {
      String output = DigInteropTest.run("kdig", kdig(node.doqPort(), "example.test.", "SOA"));
      assertTrue(output.contains("QUIC session (QUICv1)"), output);
      assertTrue(output.contains("status: NOERROR"), output);
      assertTrue(output.contains("Flags: qr aa"), output);
      assertTrue(output.contains("hostmaster.example.test."), output);
      // kdig pads its queries over QUIC: the response is padded to RFC 8467's 468-byte block.
      assertTrue(output.contains(";; PADDING:"), output);
      assertTrue(output.contains("Received 468 B"), output);

      String missing = DigInteropTest.run("kdig", kdig(node.doqPort(), "nope.example.test.", "A"));
      assertTrue(missing.contains("status: NXDOMAIN"), missing);
    }
  }

  /**
   * The NSID and the DNS cookie the auth stage adds on the way back take their room out of the
   * padding the transport added before it, so the answer stays one padded block and the padding
   * last (appended after it, they made it 508 octets).
   */
  @Test
  void aPaddedAnswerKeepsItsBlockWithTheNsidAndTheCookie() throws Exception {
    try (Node node = start(new JsonObject().put("server-id", "doq-node"))) {
      String output =
          DigInteropTest.run(
              "kdig", kdig(node.doqPort(), "+nsid", "+cookie", "example.test.", "SOA"));
      assertTrue(output.contains("status: NOERROR"), output);
      assertTrue(output.contains("doq-node"), output);
      assertTrue(output.contains(";; COOKIE:"), output);
      assertTrue(output.contains(";; PADDING:"), output);
      assertTrue(output.contains("Received 468 B"), output);
    }
  }

  /**
   * kdig {@code +keepopen} sends its queries on one connection (one stream each): the node sees the
   * same source for all of them, where separate kdig runs come from separate sockets.
   */
  @Test
  void kdigSendsSeveralQueriesOnOneConnectionAndWhoamiSaysDoq() throws Exception {
    try (Node node = start(new JsonObject())) {
      String kept =
          DigInteropTest.run(
              "kdig",
              kdig(
                  node.doqPort(),
                  "+keepopen",
                  "+short",
                  "whoami.vxdns",
                  "CH",
                  "TXT",
                  "www.example.test.",
                  "A",
                  "whoami.vxdns",
                  "CH",
                  "TXT"));
      List<String> sources = sources(kept);
      assertEquals(2, sources.size(), kept);
      assertEquals(sources.get(0), sources.get(1), "one connection:\n" + kept);
      assertTrue(kept.contains("192.0.2.10"), kept);
      assertTrue(kept.contains("\"transport doq\""), kept);
      assertTrue(kept.contains("\"proxy no\""), kept);

      List<String> separate = new ArrayList<>();
      for (int run = 0; run < 2; run++) {
        separate.addAll(
            sources(
                DigInteropTest.run(
                    "kdig", kdig(node.doqPort(), "+short", "whoami.vxdns", "CH", "TXT"))));
      }
      assertEquals(2, separate.size());
      assertFalse(separate.get(0).equals(separate.get(1)), "control: two kdig runs, two sockets");
    }
  }

  private static List<String> sources(String output) {
    List<String> sources = new ArrayList<>();
    Matcher matcher = Pattern.compile("\"source (127\\.0\\.0\\.1#\\d+)\"").matcher(output);
    while (matcher.find()) {
      sources.add(matcher.group(1));
    }
    return sources;
  }

  /** Many queries on one QUIC connection, one stream each, answered in order of their streams. */
  @Test
  void oneConnectionCarriesManyStreams() throws Exception {
    try (Node node = start(new JsonObject());
        DoqClient client = DoqClient.connect(node.doqPort())) {
      for (int i = 0; i < 150; i++) {
        List<byte[]> answer = client.query(query("www.example.test.", Type.A, 0));
        assertEquals(1, answer.size(), "one message per stream");
        assertAuthoritative(new Message(answer.get(0)), "www.example.test.", Type.A);
      }
      assertFalse(client.closedBy.isDone(), "the connection stays open");
    }
  }

  /**
   * RFC 9250 section 4.2.1: a non-zero Message ID closes the connection with DOQ_PROTOCOL_ERROR.
   */
  @Test
  void aNonZeroMessageIdClosesTheConnectionWithProtocolError() throws Exception {
    try (Node node = start(new JsonObject());
        DoqClient client = DoqClient.connect(node.doqPort())) {
      assertAuthoritative(
          new Message(client.query(query("example.test.", Type.SOA, 0)).get(0)),
          "example.test.",
          Type.SOA);
      CompletableFuture<byte[]> refused =
          client.send(DoqClient.framed(query("example.test.", Type.SOA, 4321)), true);
      assertProtocolError(client);
      assertThrows(ExecutionException.class, () -> refused.get(5, TimeUnit.SECONDS));
    }
  }

  /**
   * A DNS message sent without its 2-byte prefix: its Message ID (0) reads as a zero length, which
   * no DNS message has: DOQ_PROTOCOL_ERROR.
   */
  @Test
  void aStreamWithoutALengthPrefixClosesTheConnectionWithProtocolError() throws Exception {
    try (Node node = start(new JsonObject());
        DoqClient client = DoqClient.connect(node.doqPort())) {
      assertEquals(1, client.query(query("example.test.", Type.SOA, 0)).size());
      client.send(query("example.test.", Type.SOA, 0), true);
      assertProtocolError(client);
    }
  }

  /** Two messages on one stream, and FIN in the middle of a message: both protocol errors. */
  @Test
  void extraBytesOrAnEarlyFinCloseTheConnectionWithProtocolError() throws Exception {
    byte[] one = DoqClient.framed(query("example.test.", Type.SOA, 0));
    byte[] two = new byte[one.length * 2];
    System.arraycopy(one, 0, two, 0, one.length);
    System.arraycopy(one, 0, two, one.length, one.length);
    try (Node node = start(new JsonObject())) {
      try (DoqClient client = DoqClient.connect(node.doqPort())) {
        assertEquals(1, client.query(query("example.test.", Type.SOA, 0)).size());
        client.send(two, true);
        assertProtocolError(client);
      }
      try (DoqClient client = DoqClient.connect(node.doqPort())) {
        assertEquals(1, client.query(query("example.test.", Type.SOA, 0)).size());
        client.send(java.util.Arrays.copyOf(one, one.length - 5), true);
        assertProtocolError(client);
      }
    }
  }

  /**
   * RFC 9250 section 5.5.2: edns-tcp-keepalive MUST NOT be sent over DoQ; receiving it is fatal.
   */
  @Test
  void theTcpKeepaliveOptionClosesTheConnectionWithProtocolError() throws Exception {
    Message keepalive =
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
    keepalive.getHeader().setID(0);
    keepalive.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(new TcpKeepaliveOption())),
        Section.ADDITIONAL);
    try (Node node = start(new JsonObject());
        DoqClient client = DoqClient.connect(node.doqPort())) {
      Message plain = new Message(client.query(query("example.test.", Type.SOA, 0)).get(0));
      assertTrue(
          plain.getOPT() == null
              || plain.getOPT().getOptions(EDNSOption.Code.TCP_KEEPALIVE).isEmpty(),
          "no keepalive option is ever sent over DoQ");
      client.send(DoqClient.framed(keepalive.toWire()), true);
      assertProtocolError(client);
    }
  }

  private static void assertProtocolError(DoqClient client) throws Exception {
    QuicConnectionCloseEvent closed = client.closedBy.get(10, TimeUnit.SECONDS);
    assertTrue(closed.isApplicationClose(), closed.toString());
    assertEquals(DOQ_PROTOCOL_ERROR, closed.error(), closed.toString());
  }

  /**
   * A stream left open (half a query, no FIN) does not hold the connection: it ends with QUIC's
   * idle timeout, tcp-idle-timeout (here 1 s), while a client that keeps asking stays connected.
   */
  @Test
  void aStreamLeftOpenEndsWithTheIdleTimeout() throws Exception {
    try (Node node = start(new JsonObject().put("tcp-idle-timeout", 10));
        DoqClient idle = DoqClient.connect(node.doqPort());
        DoqClient busy = DoqClient.connect(node.doqPort())) {
      byte[] framed = DoqClient.framed(query("example.test.", Type.SOA, 0));
      CompletableFuture<byte[]> open =
          idle.send(java.util.Arrays.copyOf(framed, framed.length / 2), false);
      long started = System.nanoTime();
      long deadline = started + TimeUnit.SECONDS.toNanos(3);
      while (System.nanoTime() < deadline) {
        assertEquals(1, busy.query(query("example.test.", Type.SOA, 0)).size());
        Thread.sleep(200);
      }
      assertFalse(idle.connection.isActive(), "the idle connection is gone");
      assertThrows(ExecutionException.class, () -> open.get(1, TimeUnit.SECONDS));
      assertTrue(busy.connection.isActive(), "control: the busy one stays");
    }
  }

  /**
   * ALPN "doq" (RFC 9250 section 4.1.1) is required: a client offering "dot" fails its handshake.
   */
  @Test
  void anotherAlpnIsRefused() throws Exception {
    try (Node node = start(new JsonObject())) {
      Exception refused =
          assertThrows(Exception.class, () -> DoqClient.connect(node.doqPort(), "dot", 5000));
      try (DoqClient control = DoqClient.connect(node.doqPort(), "doq", 5000)) {
        assertEquals(1, control.query(query("example.test.", Type.SOA, 0)).size());
      }
      assertTrue(refused.toString().length() > 0);
    }
  }

  /**
   * The blackhole refuses a DoQ client at its first packet, before any handshake: here only over
   * DoQ (a {@code transport doq} qualifier), so the same address is still answered over UDP.
   */
  @Test
  void aBlackholedClientIsRefusedAtItsFirstPacket() throws Exception {
    JsonObject blackhole =
        new JsonObject()
            .put(
                "blackhole",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("transport", "doq")
                            .put("match", new JsonArray().add("127.0.0.1"))));
    try (Node node = start(blackhole)) {
      assertThrows(Exception.class, () -> DoqClient.connect(node.doqPort(), "doq", 3000));
      Message overUdp = node.node().query("example.test.", Type.SOA, false);
      assertEquals(Rcode.NOERROR, overUdp.getRcode(), "control: UDP is not blackholed");
    }
  }

  /**
   * 0-RTT (RFC 9250 section 4.5): by default the server's session tickets allow no early data, so a
   * resumed client never gets to send any and asks after the handshake; with doq-early-data its
   * QUIC stack is offered early data and its query is answered. (Which of its streams the server
   * actually read before the handshake completed is not visible here: the REFUSED / EDE 26 answer
   * for transfers in early data is covered by DoqRulesTest.)
   */
  @Test
  void zeroRttIsOffByDefaultAndOfferedWhenConfigured() throws Exception {
    JsonObject transfers = new JsonObject().put("allow-transfer", new JsonArray().add("any"));
    try (Node node = start(transfers.copy().put("doq-early-data", true))) {
      EarlyData early = resumeAndAskEarly(node.doqPort());
      assertTrue(early.offered, "the resumed client was allowed early data");
      Message query = new Message(DoqClient.messages(early.query.get(10, TimeUnit.SECONDS)).get(0));
      assertAuthoritative(query, "example.test.", Type.SOA);
    }
    try (Node node = start(transfers)) {
      EarlyData late = resumeAndAskEarly(node.doqPort());
      assertFalse(late.offered, "no early data without doq-early-data");
      List<byte[]> axfr = DoqClient.messages(late.transfer.get(10, TimeUnit.SECONDS));
      assertEquals(Rcode.NOERROR, new Message(axfr.get(0)).getRcode(), "asked after the handshake");
    }
  }

  private record EarlyData(
      boolean offered, CompletableFuture<byte[]> query, CompletableFuture<byte[]> transfer) {}

  /**
   * Connects once for a session ticket, then resumes: the queries go out on new streams as soon as
   * the QUIC stack offers early data, or after the handshake when it does not.
   */
  private static EarlyData resumeAndAskEarly(int port) throws Exception {
    io.netty.channel.EventLoopGroup group =
        new io.netty.channel.MultiThreadIoEventLoopGroup(
            1, io.netty.channel.nio.NioIoHandler.newFactory());
    try {
      io.netty.handler.codec.quic.QuicSslContext ssl =
          io.netty.handler.codec.quic.QuicSslContextBuilder.forClient()
              .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE)
              .applicationProtocols("doq")
              .earlyData(true)
              .build();
      io.netty.channel.Channel datagrams =
          new io.netty.bootstrap.Bootstrap()
              .group(group)
              .channel(io.netty.channel.socket.nio.NioDatagramChannel.class)
              .handler(
                  new io.netty.handler.codec.quic.QuicClientCodecBuilder()
                      // a peer name and port, so the session cache can find the ticket again
                      .sslEngineProvider(q -> ssl.newEngine(q.alloc(), "localhost", port))
                      .maxIdleTimeout(10, TimeUnit.SECONDS)
                      .initialMaxData(16 << 20)
                      .initialMaxStreamDataBidirectionalLocal(16 << 20)
                      .build())
              .bind(0)
              .sync()
              .channel();
      java.net.InetSocketAddress server = new java.net.InetSocketAddress("127.0.0.1", port);
      io.netty.handler.codec.quic.QuicChannel first =
          io.netty.handler.codec.quic.QuicChannel.newBootstrap(datagrams)
              .streamHandler(new io.netty.channel.ChannelInboundHandlerAdapter())
              .remoteAddress(server)
              .connect()
              .get(10, TimeUnit.SECONDS);
      CompletableFuture<byte[]> warm = new CompletableFuture<>();
      DoqClient.open(first, DoqClient.framed(query("example.test.", Type.SOA, 0)), true, warm);
      warm.get(10, TimeUnit.SECONDS);
      first.close().sync();
      java.util.concurrent.atomic.AtomicBoolean offered =
          new java.util.concurrent.atomic.AtomicBoolean();
      CompletableFuture<byte[]> query = new CompletableFuture<>();
      CompletableFuture<byte[]> transfer = new CompletableFuture<>();
      byte[] soa = DoqClient.framed(query("example.test.", Type.SOA, 0));
      byte[] axfr = DoqClient.framed(query("example.test.", Type.AXFR, 0));
      java.util.concurrent.atomic.AtomicBoolean asked =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.function.Consumer<io.netty.handler.codec.quic.QuicChannel> ask =
          connection -> {
            // once: in early data when offered, or else after the handshake
            if (asked.compareAndSet(false, true)) {
              DoqClient.open(connection, soa, true, query);
              DoqClient.open(connection, axfr, true, transfer);
            }
          };
      io.netty.handler.codec.quic.QuicChannel second =
          io.netty.handler.codec.quic.QuicChannel.newBootstrap(datagrams)
              .handler(
                  new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(
                        io.netty.channel.ChannelHandlerContext ctx, Object event) {
                      if (event instanceof io.netty.handler.codec.quic.SslEarlyDataReadyEvent) {
                        offered.set(true);
                        ask.accept((io.netty.handler.codec.quic.QuicChannel) ctx.channel());
                      }
                      ctx.fireUserEventTriggered(event);
                    }
                  })
              .streamHandler(new io.netty.channel.ChannelInboundHandlerAdapter())
              .remoteAddress(server)
              .connect()
              .get(10, TimeUnit.SECONDS);
      if (!offered.get()) {
        second.eventLoop().submit(() -> ask.accept(second)).get(10, TimeUnit.SECONDS);
      }
      CompletableFuture.allOf(query, transfer).handle((v, e) -> null).get(15, TimeUnit.SECONDS);
      return new EarlyData(offered.get(), query, transfer);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * tcp-clients caps DoQ connections per listener: beyond it a new connection is refused at its
   * first packet; a closed one gives its place back.
   */
  @Test
  void connectionsBeyondTheCapAreRefused() throws Exception {
    try (Node node = start(new JsonObject().put("tcp-clients", 2).put("tcp-instances", 1))) {
      DoqClient first = DoqClient.connect(node.doqPort(), "doq", 30_000);
      try (DoqClient second = DoqClient.connect(node.doqPort(), "doq", 30_000)) {
        assertEquals(1, first.query(query("example.test.", Type.SOA, 0)).size());
        assertEquals(1, second.query(query("example.test.", Type.SOA, 0)).size());
        assertThrows(Exception.class, () -> DoqClient.connect(node.doqPort(), "doq", 3000));
        first.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        DoqClient again = null;
        while (again == null && System.nanoTime() < deadline) {
          try {
            again = DoqClient.connect(node.doqPort(), "doq", 3000);
          } catch (Exception stillFull) {
            Thread.sleep(100);
          }
        }
        assertTrue(again != null, "the closed connection's place is free again");
        try (DoqClient third = again) {
          assertEquals(1, third.query(query("example.test.", Type.SOA, 0)).size());
        }
      } finally {
        first.close();
      }
    }
  }

  /**
   * A handshake flood: twenty clients' Initial packets, each sent once from a socket of its own,
   * start one handshake each (nobody completes them) until doq-retry-threshold handshakes are in
   * progress; from then on each new source gets a stateless Retry (RFC 9000 section 8.1) and no
   * handshake. A real client, which answers the Retry, is still served during the flood.
   */
  @Test
  void aHandshakeFloodIsAnsweredWithRetry() throws Exception {
    List<byte[]> initials = capturedInitials(20);
    try (Node node =
        start(
            new JsonObject()
                .put("doq-retry-threshold", 4)
                .put("tcp-instances", 1)
                // the half-open handshakes stay for the whole flood, even on a slow machine
                .put("tcp-initial-timeout", 150))) {
      int handshakes = 0;
      int retries = 0;
      for (byte[] initial : initials) {
        try (DatagramSocket spoofed = new DatagramSocket()) {
          spoofed.setSoTimeout(1000);
          spoofed.send(
              new DatagramPacket(
                  initial, initial.length, InetAddress.getLoopbackAddress(), node.doqPort()));
          byte[] reply = new byte[2048];
          DatagramPacket received = new DatagramPacket(reply, reply.length);
          try {
            spoofed.receive(received);
          } catch (SocketTimeoutException silent) {
            continue;
          }
          int longHeaderType = (reply[0] & 0x30) >> 4;
          if ((reply[0] & 0x80) != 0 && longHeaderType == 3) {
            retries++;
          } else {
            handshakes++;
          }
        }
      }
      assertTrue(handshakes >= 1, "below the threshold handshakes start: " + handshakes);
      assertTrue(handshakes <= 4, "at most doq-retry-threshold handshakes: " + handshakes);
      assertTrue(retries >= 10, "the rest of the flood gets Retry: " + retries);
      try (DoqClient real = DoqClient.connect(node.doqPort())) {
        assertAuthoritative(
            new Message(real.query(query("example.test.", Type.SOA, 0)).get(0)),
            "example.test.",
            Type.SOA);
      }
    }
  }

  /**
   * The first datagrams of {@code count} QUIC clients: each an Initial with a ClientHello for ALPN
   * doq and its own connection ID, caught on a socket that never answers.
   */
  private static List<byte[]> capturedInitials(int count) throws Exception {
    try (DatagramSocket trap = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      trap.setSoTimeout(5000);
      List<CompletableFuture<Void>> attempts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        attempts.add(
            CompletableFuture.runAsync(
                () -> {
                  try (DoqClient never = DoqClient.connect(trap.getLocalPort(), "doq", 3000)) {
                    // unreachable: nobody answers
                  } catch (Exception expected) {
                    // the handshake times out
                  }
                },
                java.util.concurrent.Executors.newSingleThreadExecutor()));
      }
      java.util.Map<String, byte[]> byConnectionId = new java.util.LinkedHashMap<>();
      while (byConnectionId.size() < count) {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        trap.receive(packet);
        // Long header: flags, version (4), DCID length, DCID.
        int idLength = buffer[5] & 0xff;
        String id = java.util.HexFormat.of().formatHex(buffer, 6, 6 + idLength);
        byConnectionId.putIfAbsent(id, java.util.Arrays.copyOf(buffer, packet.getLength()));
      }
      attempts.forEach(attempt -> attempt.cancel(true));
      return new ArrayList<>(byConnectionId.values());
    }
  }

  /**
   * Zone transfers over QUIC (XoQ, RFC 9250 section 4.2): every message on the query's stream, then
   * FIN; kdig reads the same transfer. allow-transfer takes {@code transport doq}: here only DoQ
   * may transfer, and TCP is refused.
   */
  @Test
  void axfrOverQuicStreamsEveryMessageOnOneStream() throws Exception {
    JsonObject doqOnly =
        new JsonObject()
            .put(
                "allow-transfer",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("transport", "doq")
                            .put("match", new JsonArray().add("any"))));
    JsonObject zones =
        new JsonObject()
            .put(
                "large.test", new JsonObject().put("file", XfrEndToEndTest.largeZone().toString()));
    try (Node node = start(doqOnly, zones);
        DoqClient client = DoqClient.connect(node.doqPort())) {
      List<byte[]> messages = client.query(query("large.test.", Type.AXFR, 0));
      assertTrue(messages.size() > 1, "a multi-message transfer: " + messages.size());
      int records = 0;
      Record first = null;
      Record last = null;
      for (byte[] wire : messages) {
        Message message = new Message(wire);
        assertEquals(Rcode.NOERROR, message.getRcode(), message.toString());
        assertEquals(0, message.getHeader().getID());
        for (Record record : message.getSection(Section.ANSWER)) {
          first = first == null ? record : first;
          last = record;
          records++;
        }
      }
      assertEquals(Type.SOA, first.getType());
      assertEquals(Type.SOA, last.getType());
      assertEquals(first, last);

      assertEquals(2 * XfrEndToEndTest.LARGE_HOSTS + 4, records, "every record, SOA twice");

      // kdig 3.2.6 reads one-message transfers over DoQ whole (it loses records from the middle of
      // multi-message ones, whose stream bytes the Java client above parses exactly): example.test.
      String kdig = kdigToFile(kdig(node.doqPort(), "example.test.", "AXFR"));
      Matcher received = Pattern.compile("\\((\\d+) messages, (\\d+) records\\)").matcher(kdig);
      assertTrue(received.find(), kdig);
      int exampleRecords = 0;
      for (byte[] wire : client.query(query("example.test.", Type.AXFR, 0))) {
        exampleRecords += new Message(wire).getSection(Section.ANSWER).size();
      }
      assertTrue(exampleRecords > 10, "the example zone: " + exampleRecords);
      assertEquals(exampleRecords, Integer.parseInt(received.group(2)), kdig);
      assertTrue(kdig.contains("hostmaster.example.test."), kdig);

      Message overTcp;
      try (java.net.Socket tcp = node.node().tcpSocket(5000)) {
        DnsClient.writeFramed(tcp, query("large.test.", Type.AXFR, 7));
        overTcp = new Message(DnsClient.readFramed(tcp));
      }
      assertEquals(Rcode.REFUSED, overTcp.getRcode(), "allow-transfer transport doq: not TCP");
    }
  }
}
