package dev.vxdns.endtoend;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A primary of any zone (SOA at {@link #serial} with {@link #refresh} and RETRY, an NS and its
 * address) on one loopback port, for watching what a secondary asks: SOA queries over UDP answered
 * at once and counted by zone; each transfer over TCP (AXFR, or IXFR answered with the whole zone,
 * as RFC 1995 allows) after {@code holdMillis}, counting how many it serves at once and noting each
 * transfer's zone and type.
 */
final class StandInPrimary implements AutoCloseable {
  final AtomicLong serial = new AtomicLong(1);
  final AtomicLong refresh = new AtomicLong(3600);

  /** The address of a {@code www} A record in every zone, or null for none. */
  final AtomicReference<String> wwwAddress = new AtomicReference<>();

  /** The RCODE SOA queries over UDP get: NOERROR with the SOA, or this error without it. */
  final AtomicInteger soaRcode = new AtomicInteger(Rcode.NOERROR);

  final Map<String, AtomicInteger> soaQueries = new ConcurrentHashMap<>();
  private final List<Long> soaQueryTimes = new ArrayList<>();
  final AtomicInteger mostAtOnce = new AtomicInteger();
  final AtomicInteger served = new AtomicInteger();

  /** What came from where: "udp SOA 127.0.0.1", "tcp AXFR 127.0.0.2" (transport, query, source). */
  final Set<String> sources = ConcurrentHashMap.newKeySet();

  final int port;
  private final long holdMillis;
  private final AtomicInteger atOnce = new AtomicInteger();
  private final List<String> transfers = new ArrayList<>();
  private final ServerSocket tcp;
  private final DatagramSocket udp;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  StandInPrimary(long holdMillis) throws Exception {
    this.holdMillis = holdMillis;
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

  /** named.conf's statement for a secondary {@code zone} of this primary, with {@code more}. */
  String namedSecondary(String zone, String more) {
    return "zone \""
        + zone
        + "\" { type secondary; primaries { 127.0.0.1 port "
        + port
        + "; };"
        + more
        + " };\n";
  }

  /** {@link #namedSecondary} for each of {@code zones}. */
  String namedSecondaries(List<String> zones) {
    StringBuilder statements = new StringBuilder();
    zones.forEach(zone -> statements.append(namedSecondary(zone, "")));
    return statements.toString();
  }

  /** A node config's {@code zone} object: each of {@code zones} a secondary of this primary. */
  JsonObject nodeSecondaries(List<String> zones) {
    JsonObject entries = new JsonObject();
    zones.forEach(zone -> entries.put(zone, TransferPeers.secondaryOf(port)));
    return entries;
  }

  /** When each SOA query since the last call came (System.nanoTime), in order; forgets them. */
  synchronized List<Long> takeSoaQueryTimes() {
    List<Long> times = List.copyOf(soaQueryTimes);
    soaQueryTimes.clear();
    return times;
  }

  /** Each transfer served so far, as "zone TYPE", in order. */
  synchronized List<String> transfers() {
    return List.copyOf(transfers);
  }

  private void answerUdp() {
    byte[] buffer = new byte[512];
    while (!udp.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        udp.receive(packet);
        Message query = new Message(Arrays.copyOf(buffer, packet.getLength()));
        sources.add(source("udp", query, packet.getAddress()));
        Message answer = answer(query);
        if (soaRcode.get() != Rcode.NOERROR) {
          answer.getHeader().setRcode(soaRcode.get());
          answer.getHeader().unsetFlag(Flags.AA);
        } else if (query.getQuestion().getType() == Type.SOA) {
          Name zone = query.getQuestion().getName();
          soaQueries.computeIfAbsent(zone.toString(), z -> new AtomicInteger()).incrementAndGet();
          synchronized (this) {
            soaQueryTimes.add(System.nanoTime());
          }
          answer.addRecord(soa(zone), Section.ANSWER);
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
        threads.execute(() -> serve(connection));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket connection) {
    try (connection) {
      DataInputStream in = new DataInputStream(connection.getInputStream());
      byte[] wire = new byte[in.readUnsignedShort()];
      in.readFully(wire);
      Message query = new Message(wire);
      sources.add(source("tcp", query, connection.getInetAddress()));
      Name zone = query.getQuestion().getName();
      Message answer = answer(query);
      int type = query.getQuestion().getType();
      if (type == Type.AXFR || type == Type.IXFR) {
        mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
        try {
          Thread.sleep(holdMillis);
        } finally {
          atOnce.decrementAndGet();
        }
        for (Record record : zoneRecords(zone)) {
          answer.addRecord(record, Section.ANSWER);
        }
        synchronized (this) {
          transfers.add(zone + " " + Type.string(type));
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

  private static String source(String transport, Message query, InetAddress from) {
    int opcode = query.getHeader().getOpcode();
    String what =
        opcode == Opcode.QUERY ? Type.string(query.getQuestion().getType()) : Opcode.string(opcode);
    return transport + " " + what + " " + from.getHostAddress();
  }

  private static Message answer(Message query) {
    Message answer = new Message(query.getHeader().getID());
    answer.getHeader().setOpcode(query.getHeader().getOpcode());
    answer.getHeader().setFlag(Flags.QR);
    answer.getHeader().setFlag(Flags.AA);
    answer.getHeader().setRcode(Rcode.NOERROR);
    answer.addRecord(query.getQuestion(), Section.QUESTION);
    return answer;
  }

  private SOARecord soa(Name zone) {
    Name ns = Name.fromConstantString("ns." + zone);
    long every = refresh.get();
    return new SOARecord(zone, DClass.IN, 300, ns, ns, serial.get(), every, every, 86400, 300);
  }

  private List<Record> zoneRecords(Name zone) throws IOException {
    Name ns = Name.fromConstantString("ns." + zone);
    SOARecord soa = soa(zone);
    List<Record> records = new ArrayList<>();
    records.add(soa);
    records.add(new NSRecord(zone, DClass.IN, 300, ns));
    records.add(new ARecord(ns, DClass.IN, 300, InetAddress.getByName("192.0.2.53")));
    String www = wwwAddress.get();
    if (www != null) {
      records.add(
          new ARecord(
              Name.fromConstantString("www." + zone), DClass.IN, 300, InetAddress.getByName(www)));
    }
    records.add(soa);
    return records;
  }

  @Override
  public void close() throws IOException {
    tcp.close();
    udp.close();
    threads.shutdownNow();
  }
}
