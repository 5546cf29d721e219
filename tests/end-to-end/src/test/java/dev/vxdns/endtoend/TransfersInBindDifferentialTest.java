package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * BIND's {@code transfers-per-ns} (default 2) and {@code transfers-in}: a secondary of eight zones
 * from one primary transfers at most that many at once. The primary is a stand-in that answers SOA
 * queries at once and holds each transfer 300 ms, counting the transfers it serves at once: with
 * {@code transfers-per-ns 2} named and vxdns never have more than two running and both load every
 * zone; with {@code transfers-per-ns 8} (the control) vxdns runs more than two at once, so the
 * count does see concurrency.
 */
class TransfersInBindDifferentialTest {
  private static final int ZONES = 8;

  @Test
  void aSecondaryTransfersAtMostTransfersPerNsAtOnceAsNamedDoes(@TempDir Path dir)
      throws Exception {
    Peer.requireNamed920();
    int theirs;
    try (StandInPrimary primary = new StandInPrimary()) {
      int namedPort = TransferPeers.freePorts(1)[0];
      Path namedDir = Files.createDirectories(dir.resolve("named"));
      StringBuilder conf =
          new StringBuilder(
              TransferPeers.namedOptions(
                  namedDir, namedPort, "  notify no;", "  transfers-per-ns 2;"));
      for (String zone : zones()) {
        conf.append("zone \"")
            .append(zone)
            .append("\" { type secondary; primaries { 127.0.0.1 port ")
            .append(primary.port)
            .append("; }; };\n");
      }
      try (Peer named = TransferPeers.startNamed(namedDir, conf.toString())) {
        awaitEveryZone(namedPort, named::log);
      }
      theirs = primary.mostAtOnce.get();
    }
    int ours = mostAtOnceFromVxdns(2);
    int unlimited = mostAtOnceFromVxdns(ZONES);
    System.out.printf(
        "TransfersInBindDifferentialTest: at once, named %d, vxdns %d, vxdns unlimited %d%n",
        theirs, ours, unlimited);
    assertTrue(theirs >= 1 && theirs <= 2, "named: " + theirs + " at once");
    assertEquals(2, ours, "vxdns with transfers-per-ns 2 (named: " + theirs + ")");
    assertTrue(unlimited > 2, "the control, transfers-per-ns 8: " + unlimited + " at once");
  }

  /** The most transfers a vxdns secondary of every zone ran at once with {@code perNs}. */
  private static int mostAtOnceFromVxdns(int perNs) throws Exception {
    try (StandInPrimary primary = new StandInPrimary()) {
      int port = TestNode.freePort();
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.getJsonObject("options").put("transfers-per-ns", perNs);
      JsonObject entries = new JsonObject();
      for (String zone : zones()) {
        entries.put(zone, TransferPeers.secondaryOf(primary.port));
      }
      config.put("zone", entries);
      try (TestNode node = TestNode.start(config)) {
        awaitEveryZone(port, () -> "transfers served: " + primary.served.get());
      }
      assertEquals(ZONES, primary.served.get(), "each zone transferred once");
      return primary.mostAtOnce.get();
    }
  }

  private static List<String> zones() {
    List<String> zones = new ArrayList<>();
    for (int i = 1; i <= ZONES; i++) {
      zones.add("z" + i + ".test");
    }
    return zones;
  }

  private static void awaitEveryZone(int port, java.util.function.Supplier<String> diagnostics)
      throws Exception {
    for (String zone : zones()) {
      TransferPeers.awaitSerial(zone + " loaded", port, zone, 1, diagnostics);
    }
  }

  /**
   * A primary of any {@code zN.test} zone (SOA serial 1, an NS and an address) on one port: SOA
   * queries over UDP answered at once, each transfer over TCP (AXFR, or IXFR answered with the
   * whole zone) after 300 ms, counting how many it serves at once.
   */
  private static final class StandInPrimary implements AutoCloseable {
    final AtomicInteger mostAtOnce = new AtomicInteger();
    final AtomicInteger served = new AtomicInteger();
    final int port;
    private final AtomicInteger atOnce = new AtomicInteger();
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    StandInPrimary() throws Exception {
      InetAddress loopback = InetAddress.getLoopbackAddress();
      int candidate;
      ServerSocket bound;
      DatagramSocket datagrams;
      while (true) {
        candidate = TestNode.freePort();
        bound = new ServerSocket(candidate, 50, loopback);
        try {
          datagrams = new DatagramSocket(candidate, loopback);
          break;
        } catch (IOException taken) {
          bound.close();
        }
      }
      port = candidate;
      tcp = bound;
      udp = datagrams;
      threads.execute(this::answerUdp);
      threads.execute(this::acceptTcp);
    }

    private void answerUdp() {
      byte[] buffer = new byte[512];
      while (!udp.isClosed()) {
        try {
          DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
          udp.receive(packet);
          Message query = new Message(Arrays.copyOf(buffer, packet.getLength()));
          Message answer = answer(query, query.getQuestion().getName());
          if (query.getQuestion().getType() == Type.SOA) {
            answer.addRecord(soa(query.getQuestion().getName()), Section.ANSWER);
          }
          byte[] wire = answer.toWire();
          udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
        } catch (IOException | RuntimeException e) {
          // closed, or a datagram that is not a query
        }
      }
    }

    private void acceptTcp() {
      while (!tcp.isClosed()) {
        try {
          Socket connection = tcp.accept();
          threads.execute(() -> transfer(connection));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void transfer(Socket connection) {
      try (connection) {
        DataInputStream in = new DataInputStream(connection.getInputStream());
        byte[] wire = new byte[in.readUnsignedShort()];
        in.readFully(wire);
        Message query = new Message(wire);
        Name zone = query.getQuestion().getName();
        Message answer = answer(query, zone);
        int type = query.getQuestion().getType();
        if (type == Type.AXFR || type == Type.IXFR) {
          mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
          try {
            Thread.sleep(300);
          } finally {
            atOnce.decrementAndGet();
          }
          for (Record record : zoneRecords(zone)) {
            answer.addRecord(record, Section.ANSWER);
          }
          served.incrementAndGet();
        } else if (type == Type.SOA) {
          answer.addRecord(soa(zone), Section.ANSWER);
        }
        DnsClient.writeFramed(connection, answer.toWire());
      } catch (IOException | InterruptedException e) {
        // the secondary went away
      }
    }

    private static Message answer(Message query, Name zone) {
      Message answer = new Message(query.getHeader().getID());
      answer.getHeader().setFlag(Flags.QR);
      answer.getHeader().setFlag(Flags.AA);
      answer.getHeader().setRcode(Rcode.NOERROR);
      answer.addRecord(query.getQuestion(), Section.QUESTION);
      return answer;
    }

    private static SOARecord soa(Name zone) {
      Name ns = Name.fromConstantString("ns." + zone);
      return new SOARecord(zone, DClass.IN, 300, ns, ns, 1, 3600, 600, 86400, 300);
    }

    private static List<Record> zoneRecords(Name zone) throws IOException {
      Name ns = Name.fromConstantString("ns." + zone);
      return List.of(
          soa(zone),
          new NSRecord(zone, DClass.IN, 300, ns),
          new ARecord(ns, DClass.IN, 300, InetAddress.getByName("192.0.2.53")),
          soa(zone));
    }

    @Override
    public void close() throws IOException {
      tcp.close();
      udp.close();
      threads.shutdownNow();
    }
  }
}
