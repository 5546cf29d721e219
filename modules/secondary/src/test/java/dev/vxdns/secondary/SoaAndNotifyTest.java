package dev.vxdns.secondary;

import static dev.vxdns.secondary.TransferClientTest.KEY;
import static dev.vxdns.secondary.TransferClientTest.ORIGIN;
import static dev.vxdns.secondary.TransferClientTest.await;
import static dev.vxdns.secondary.TransferClientTest.soa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.InMemoryKeyStore;
import dev.vxdns.auth.TsigSigner;
import dev.vxdns.auth.TsigVerifier;
import dev.vxdns.auth.VerifiedRequest;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** SOA serial queries and NOTIFY against scripted servers on 127.0.0.1 (UDP, and TCP behind). */
class SoaAndNotifyTest {
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The answer to {@code query} with {@code rcode} and the zone's SOA (when NOERROR), AA set. */
  static Message answer(Message query, int rcode, long serial) {
    Message m =
        FakePrimary.response(query, rcode == Rcode.NOERROR ? List.of(soa(serial)) : List.of());
    m.getHeader().setOpcode(query.getHeader().getOpcode());
    m.getHeader().setRcode(rcode);
    return m;
  }

  /** Signs {@code response} to the signed request {@code wire}, as a server does. */
  static byte[] signed(byte[] wire, Message response) {
    VerifiedRequest request =
        TsigVerifier.verify(
                wire, new InMemoryKeyStore(Clock.systemUTC(), List.of(KEY)), Instant.now())
            .verifiedRequest()
            .orElseThrow();
    return TsigSigner.signResponse(response, request, Instant.now(), 512);
  }

  Primary at(int port) {
    return Primary.tcp(new InetSocketAddress("127.0.0.1", port), null);
  }

  @Test
  void soaSerialOverUdpSignedAndVerified() throws Exception {
    FakeUdpServer.Script script = (query, wire, n) -> signed(wire, answer(query, Rcode.NOERROR, 9));
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, script)) {
      Primary primary = Primary.tcp(new InetSocketAddress("127.0.0.1", udp.port()), KEY);
      TransferClient client = new TransferClient(vertx, Duration.ofSeconds(3));
      assertEquals(9L, await(client.soaSerial(primary, ORIGIN)));
      Message query = udp.received().get(0);
      assertEquals(Type.SOA, query.getQuestion().getType());
      assertTrue(query.getTSIG() != null, "the SOA query is signed");
      // The same answer, unsigned, to a signed query: refused.
      FakeUdpServer.Script unsigned =
          (q, wire, n) -> answer(q, Rcode.NOERROR, 9).toWire(Message.MAXLENGTH);
      try (FakeUdpServer plain = new FakeUdpServer(vertx, 0, unsigned)) {
        Primary p = Primary.tcp(new InetSocketAddress("127.0.0.1", plain.port()), KEY);
        TransferException e =
            assertThrows(TransferException.class, () -> await(client.soaSerial(p, ORIGIN)));
        assertTrue(e.getMessage().contains("is not signed"), e.getMessage());
      }
    }
  }

  @Test
  void soaSerialRetriesOverUdpAndIgnoresStrayDatagrams() throws Exception {
    FakeUdpServer.Script script =
        (query, wire, n) -> {
          if (n == 1) {
            return null; // lost
          }
          Message m = answer(query, Rcode.NOERROR, n == 2 ? 666 : 10);
          if (n == 2) {
            m.getHeader().setID((query.getHeader().getID() + 1) & 0xFFFF); // stray
          }
          return m.toWire(Message.MAXLENGTH);
        };
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, script)) {
      TransferClient client = new TransferClient(vertx, Duration.ofMillis(1500));
      assertEquals(10L, await(client.soaSerial(at(udp.port()), ORIGIN)));
      assertEquals(3, udp.received().size());
    }
  }

  @Test
  void soaSerialFollowsTruncationToTcp() throws Exception {
    FakePrimary.Script tcp = (query, out) -> out.send(answer(query, Rcode.NOERROR, 11));
    try (FakePrimary fake = new FakePrimary(vertx, null, tcp);
        FakeUdpServer udp =
            new FakeUdpServer(
                vertx,
                fake.port(),
                (query, wire, n) -> {
                  Message m = FakePrimary.response(query, List.of());
                  m.getHeader().setFlag(Flags.TC);
                  return m.toWire(Message.MAXLENGTH);
                })) {
      TransferClient client = new TransferClient(vertx, Duration.ofSeconds(3));
      assertEquals(11L, await(client.soaSerial(at(fake.port()), ORIGIN)));
      assertEquals(1, udp.received().size());
      assertEquals(1, fake.queries().size());
      assertTrue(fake.awaitAllClosed());
    }
  }

  /**
   * What a refresh needs told apart, as named's: no answer at all, and REFUSED, are null from
   * soaSerialForRefresh (it goes on to a transfer; soaSerial fails), while another error RCODE
   * fails both.
   */
  @Test
  void soaSerialForRefreshIsNullWithoutAnAnswerAndOnRefused() throws Exception {
    TransferClient client = new TransferClient(vertx, Duration.ofMillis(600));
    try (FakeUdpServer silent = new FakeUdpServer(vertx, 0, (query, wire, n) -> null)) {
      assertEquals(null, await(client.soaSerialForRefresh(at(silent.port()), ORIGIN)));
      assertEquals(3, silent.received().size(), "asked three times");
      assertThrows(
          TransferException.class, () -> await(client.soaSerial(at(silent.port()), ORIGIN)));
    }
    FakeUdpServer.Script refused =
        (query, wire, n) -> answer(query, Rcode.REFUSED, 0).toWire(Message.MAXLENGTH);
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, refused)) {
      assertEquals(null, await(client.soaSerialForRefresh(at(udp.port()), ORIGIN)));
    }
    FakeUdpServer.Script servfail =
        (query, wire, n) -> answer(query, Rcode.SERVFAIL, 0).toWire(Message.MAXLENGTH);
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, servfail)) {
      TransferException e =
          assertThrows(
              TransferException.class,
              () -> await(client.soaSerialForRefresh(at(udp.port()), ORIGIN)));
      assertTrue(e.getMessage().contains("SERVFAIL"), e.getMessage());
    }
    FakeUdpServer.Script good =
        (query, wire, n) -> answer(query, Rcode.NOERROR, 13).toWire(Message.MAXLENGTH);
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, good)) {
      assertEquals(13L, await(client.soaSerialForRefresh(at(udp.port()), ORIGIN)));
    }
  }

  @Test
  void soaSerialNeedsAnAuthoritativeNoerrorAnswer() throws Exception {
    FakeUdpServer.Script script =
        (query, wire, n) -> {
          Message m = answer(query, Rcode.NOERROR, 12);
          m.getHeader().unsetFlag(Flags.AA);
          return m.toWire(Message.MAXLENGTH);
        };
    TransferClient client = new TransferClient(vertx, Duration.ofSeconds(3));
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, script)) {
      TransferException e =
          assertThrows(
              TransferException.class, () -> await(client.soaSerial(at(udp.port()), ORIGIN)));
      assertTrue(e.getMessage().contains("not authoritative"), e.getMessage());
    }
    FakeUdpServer.Script refused =
        (query, wire, n) -> answer(query, Rcode.REFUSED, 0).toWire(Message.MAXLENGTH);
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, refused)) {
      TransferException e =
          assertThrows(
              TransferException.class, () -> await(client.soaSerial(at(udp.port()), ORIGIN)));
      assertTrue(e.getMessage().contains("REFUSED"), e.getMessage());
    }
  }

  NotifySender quickSender(Duration tcp) {
    return new NotifySender(vertx, Duration.ofMillis(300), 3, tcp);
  }

  @Test
  void notifyIsRetriedUntilAnsweredAndHasRfc1996Shape() throws Exception {
    FakeUdpServer.Script script =
        (query, wire, n) ->
            n < 3 ? null : answer(query, Rcode.NOERROR, 0).toWire(Message.MAXLENGTH);
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, script)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", udp.port());
      await(quickSender(Duration.ZERO).notify(target, ORIGIN, soa(5), null));
      assertEquals(3, udp.received().size());
      Message notify = udp.received().get(0);
      assertEquals(Opcode.NOTIFY, notify.getHeader().getOpcode());
      assertTrue(notify.getHeader().getFlag(Flags.AA));
      assertEquals(ORIGIN, notify.getQuestion().getName());
      assertEquals(Type.SOA, notify.getQuestion().getType());
      assertEquals(List.of(soa(5)), notify.getSection(Section.ANSWER));
    }
  }

  /**
   * The node readies the NOTIFY path while it starts (a NOTIFY answered over loopback: it completes
   * only once that answer came) so that the first NOTIFY does not set Vert.x's resolver up and link
   * its code on a loop that answers queries; it closes what it opened, and a NOTIFY works after it.
   */
  @Test
  void preparingSendsOverLoopbackClosesItsSocketsAndANotifyFollows() throws Exception {
    NotifySender sender = quickSender(Duration.ZERO);
    await(sender.prepare());
    // The first time, Vert.x keeps what its resolver set up; the sockets are closed every time.
    // Sockets are told apart by inode: other tests' sockets may close meanwhile, so only new
    // ones count. A NIO channel's descriptor is released at its loop's next select, after the
    // close has completed, so a leak is one still open a second later.
    Set<String> before = openSockets();
    await(sender.prepare());
    Set<String> left = openSockets();
    left.removeAll(before);
    for (long deadline = System.nanoTime() + 1_000_000_000L;
        !left.isEmpty() && System.nanoTime() < deadline; ) {
      Thread.sleep(10);
      left.retainAll(openSockets());
    }
    assertEquals(Set.of(), left, "the two sockets are closed");
    FakeUdpServer.Script script = (query, wire, n) -> answer(query, Rcode.NOERROR, 0).toWire();
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, script)) {
      await(sender.notify(new InetSocketAddress("127.0.0.1", udp.port()), ORIGIN, soa(5), null));
      assertEquals(1, udp.received().size());
    }
  }

  /** The process's open sockets as "socket:[inode]", which stay unique while open. */
  private static Set<String> openSockets() throws IOException {
    Set<String> sockets = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:")) {
            sockets.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // Another thread closed it between the listing and the read: not ours to count.
        }
      }
    }
    return sockets;
  }

  @Test
  void anErrorAnswerFailsAtOnce() throws Exception {
    FakeUdpServer.Script script =
        (query, wire, n) -> answer(query, Rcode.REFUSED, 0).toWire(Message.MAXLENGTH);
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, script)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", udp.port());
      TransferException e =
          assertThrows(
              TransferException.class,
              () -> await(quickSender(Duration.ZERO).notify(target, ORIGIN, soa(5), null)));
      assertTrue(e.getMessage().contains("answered REFUSED"), e.getMessage());
      assertEquals(1, udp.received().size());
    }
  }

  @Test
  void aSignedNotifyNeedsASignedAnswer() throws Exception {
    FakeUdpServer.Script good = (query, wire, n) -> signed(wire, answer(query, Rcode.NOERROR, 0));
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, good)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", udp.port());
      await(quickSender(Duration.ZERO).notify(target, ORIGIN, soa(5), KEY));
      assertTrue(udp.received().get(0).getTSIG() != null);
    }
    FakeUdpServer.Script forged =
        (query, wire, n) -> {
          byte[] reply = signed(wire, answer(query, Rcode.NOERROR, 0));
          reply[reply.length - 7] ^= 1;
          return reply;
        };
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, forged)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", udp.port());
      TransferException e =
          assertThrows(
              TransferException.class,
              () -> await(quickSender(Duration.ZERO).notify(target, ORIGIN, soa(5), KEY)));
      assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    }
  }

  @Test
  void withoutUdpAnswersNotifyTriesTcpOnceAsBindDoes() throws Exception {
    FakePrimary.Script tcp = (query, out) -> out.send(answer(query, Rcode.NOERROR, 0));
    try (FakePrimary fake = new FakePrimary(vertx, null, tcp);
        FakeUdpServer udp = new FakeUdpServer(vertx, fake.port(), (q, w, n) -> null)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", fake.port());
      await(quickSender(Duration.ofSeconds(3)).notify(target, ORIGIN, soa(5), null));
      assertEquals(3, udp.received().size());
      assertEquals(1, fake.queries().size());
      assertEquals(Opcode.NOTIFY, fake.queries().get(0).getHeader().getOpcode());
      assertTrue(fake.awaitAllClosed());
    }
  }

  /**
   * Nothing listens on the UDP port: the ICMP port unreachable fails the UDP part at once (the
   * socket is connected, as BIND's), without the tries' 30-second waits, and the NOTIFY goes on
   * over TCP as named's does ("retrying over TCP"); with nothing on TCP either it fails, saying
   * both.
   */
  @Test
  void aPortNobodyListensOnGoesOnToTcpAtOnceAsBindDoes() throws Exception {
    NotifySender patient =
        new NotifySender(vertx, Duration.ofSeconds(30), 3, Duration.ofSeconds(3));
    FakePrimary.Script tcp = (query, out) -> out.send(answer(query, Rcode.NOERROR, 0));
    try (FakePrimary fake = new FakePrimary(vertx, null, tcp)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", fake.port());
      await(patient.notify(target, ORIGIN, soa(5), null));
      assertEquals(1, fake.queries().size());
    }
    int closed;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      closed = probe.getLocalPort();
    }
    InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", closed);
    TransferException e =
        assertThrows(
            TransferException.class, () -> await(patient.notify(nobody, ORIGIN, soa(5), null)));
    assertTrue(e.getMessage().contains("port unreachable"), e.getMessage());
    assertTrue(e.getMessage().contains("over TCP"), e.getMessage());
  }

  /** The same over IPv6: answered on ::1, and an unreachable port on ::1 fails at once. */
  @Test
  void overIpv6ANotifyIsAnsweredAndAnUnreachablePortFailsAtOnce() throws Exception {
    NotifySender patient = new NotifySender(vertx, Duration.ofSeconds(30), 3, Duration.ZERO);
    FakeUdpServer.Script script = (query, wire, n) -> answer(query, Rcode.NOERROR, 0).toWire();
    try (FakeUdpServer udp = new FakeUdpServer(vertx, "::1", 0, script)) {
      await(patient.notify(new InetSocketAddress("::1", udp.port()), ORIGIN, soa(5), null));
      assertEquals(1, udp.received().size());
    }
    int closed;
    try (java.net.DatagramSocket probe =
        new java.net.DatagramSocket(new InetSocketAddress("::1", 0))) {
      closed = probe.getLocalPort();
    }
    TransferException e =
        assertThrows(
            TransferException.class,
            () ->
                await(patient.notify(new InetSocketAddress("::1", closed), ORIGIN, soa(5), null)));
    assertTrue(e.getMessage().contains("port unreachable"), e.getMessage());
  }

  @Test
  void noAnswerAtAllFailsAfterTheLastTry() throws Exception {
    try (FakeUdpServer udp = new FakeUdpServer(vertx, 0, (q, w, n) -> null)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", udp.port());
      TransferException e =
          assertThrows(
              TransferException.class,
              () -> await(quickSender(Duration.ZERO).notify(target, ORIGIN, soa(5), null)));
      assertTrue(e.getMessage().contains("no answer after 3 tries"), e.getMessage());
      assertEquals(3, udp.received().size());
    }
  }

  /** transfer-source 127.0.0.2: another loopback address, so the system's choice is 127.0.0.1. */
  static final SourceAddresses FROM_127_0_0_2 =
      new SourceAddresses((java.net.Inet4Address) address("127.0.0.2"), null);

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * BIND's transfer-source: the SOA query over UDP, its TCP follow-up after truncation and the
   * transfer's connection all come from it; without it, from the system's choice.
   */
  @Test
  void soaQueriesAndTransfersComeFromTheTransferSource() throws Exception {
    FakePrimary.Script tcp =
        (query, out) -> {
          if (query.getQuestion().getType() == Type.SOA) {
            out.send(answer(query, Rcode.NOERROR, 11));
          } else {
            TransferClientTest.axfr(11).answer(query, out);
          }
        };
    FakeUdpServer.Script truncated =
        (query, wire, n) -> {
          Message m = FakePrimary.response(query, List.of());
          m.getHeader().setFlag(Flags.TC);
          return m.toWire(Message.MAXLENGTH);
        };
    for (SourceAddresses source : List.of(FROM_127_0_0_2, SourceAddresses.ANY)) {
      String expected = source == SourceAddresses.ANY ? "127.0.0.1" : "127.0.0.2";
      try (FakePrimary fake = new FakePrimary(vertx, null, tcp);
          FakeUdpServer udp = new FakeUdpServer(vertx, fake.port(), truncated)) {
        TransferClient client = new TransferClient(vertx, Duration.ofSeconds(3)).withSource(source);
        assertEquals(11L, await(client.soaSerial(at(fake.port()), ORIGIN)));
        assertEquals(11L, await(client.transfer(at(fake.port()), ORIGIN, null)).serial());
        assertEquals(List.of(expected), udp.senders(), "the SOA query over UDP");
        assertEquals(List.of(expected, expected), fake.peers(), "the SOA over TCP, the AXFR");
        assertTrue(fake.awaitAllClosed());
      }
    }
  }

  /** BIND's notify-source: every UDP try and the TCP one come from it. */
  @Test
  void notifiesComeFromTheNotifySource() throws Exception {
    FakePrimary.Script tcp = (query, out) -> out.send(answer(query, Rcode.NOERROR, 0));
    for (SourceAddresses source : List.of(FROM_127_0_0_2, SourceAddresses.ANY)) {
      String expected = source == SourceAddresses.ANY ? "127.0.0.1" : "127.0.0.2";
      try (FakePrimary fake = new FakePrimary(vertx, null, tcp);
          FakeUdpServer udp = new FakeUdpServer(vertx, fake.port(), (q, w, n) -> null)) {
        InetSocketAddress target = new InetSocketAddress("127.0.0.1", fake.port());
        NotifySender sender = quickSender(Duration.ofSeconds(3)).withSource(source);
        await(sender.notify(target, ORIGIN, soa(5), null));
        assertEquals(List.of(expected, expected, expected), udp.senders());
        assertEquals(List.of(expected), fake.peers());
        assertTrue(fake.awaitAllClosed());
      }
    }
  }

  /**
   * A source this host does not have fails each exchange at once, with a message that names it (the
   * same NOTIFY from the system's choice is answered).
   */
  @Test
  void aSourceThisHostDoesNotHaveFailsClearly() throws Exception {
    SourceAddresses elsewhere =
        new SourceAddresses((java.net.Inet4Address) address("192.0.2.1"), null);
    FakePrimary.Script tcp = (query, out) -> out.send(answer(query, Rcode.NOERROR, 5));
    try (FakePrimary fake = new FakePrimary(vertx, null, tcp);
        FakeUdpServer udp = new FakeUdpServer(vertx, fake.port(), (q, w, n) -> null)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", fake.port());
      NotifySender sender = quickSender(Duration.ofSeconds(3));
      await(sender.notify(target, ORIGIN, soa(5), null));
      assertEquals(3, udp.received().size());
      assertEquals(1, fake.peers().size());

      TransferException notify =
          assertThrows(
              TransferException.class,
              () -> await(sender.withSource(elsewhere).notify(target, ORIGIN, soa(5), null)));
      assertTrue(
          notify.getMessage().contains("cannot open a UDP socket on 192.0.2.1"),
          notify.getMessage());
      assertTrue(
          notify.getMessage().contains("cannot connect from 192.0.2.1"), notify.getMessage());
      TransferClient client =
          new TransferClient(vertx, Duration.ofSeconds(3)).withSource(elsewhere);
      TransferException soa =
          assertThrows(
              TransferException.class, () -> await(client.soaSerial(at(fake.port()), ORIGIN)));
      assertTrue(
          soa.getMessage().contains("cannot open a UDP socket on 192.0.2.1"), soa.getMessage());
      TransferException axfr =
          assertThrows(
              TransferException.class, () -> await(client.transfer(at(fake.port()), ORIGIN, null)));
      assertTrue(axfr.getMessage().contains("cannot connect from 192.0.2.1"), axfr.getMessage());
      assertEquals(3, udp.received().size(), "nothing sent from elsewhere");
      assertEquals(1, fake.peers().size(), "nothing connected from elsewhere");
      assertTrue(fake.awaitAllClosed());
    }
  }
}
