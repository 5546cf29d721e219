package dev.vxdns.verticles.node;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A load like dnsperf's, bounded in count and time: UDP queries sent at a fixed rate from one
 * socket without waiting for answers (each sent once, with its own ID), and TCP queries one after
 * another on one connection kept open for the whole run (a busy connection, never quiet). A query
 * counts as answered only by a NOERROR answer to it; a UDP query unanswered 2 s after the last one
 * was sent is lost, and so is a TCP query whose connection broke (the client opens a new one and
 * goes on, but does not send the query again).
 */
final class StreamLoad {
  /** IDs are unique within a run, so that a late answer is never taken for another query's. */
  private static final int MAX_UDP_QUERIES = 65_536;

  private final InetSocketAddress server;
  private final long durationNanos;
  private final int udpPerSecond;
  private final int tcpPerSecond;
  private final AtomicIntegerArray udpAnswered = new AtomicIntegerArray(MAX_UDP_QUERIES);
  private volatile int udpSent;
  private volatile int tcpSent;
  private volatile int tcpAnswered;
  final List<String> failures = Collections.synchronizedList(new ArrayList<>());

  StreamLoad(int port, long durationMillis, int udpPerSecond, int tcpPerSecond) {
    if ((long) udpPerSecond * durationMillis / 1000 >= MAX_UDP_QUERIES) {
      throw new IllegalArgumentException("more UDP queries than IDs");
    }
    this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    this.durationNanos = durationMillis * 1_000_000;
    this.udpPerSecond = udpPerSecond;
    this.tcpPerSecond = tcpPerSecond;
  }

  /** Starts both; the returned threads end within the duration plus 3 s. */
  List<Thread> start() throws IOException {
    DatagramSocket udp = new DatagramSocket();
    udp.setSoTimeout(200);
    udp.setReceiveBufferSize(4 << 20);
    long start = System.nanoTime();
    List<Thread> threads =
        List.of(
            new Thread(() -> sendUdp(udp, start), "udp-send"),
            new Thread(() -> receiveUdp(udp, start), "udp-receive"),
            new Thread(() -> runTcp(start), "tcp-stream"));
    threads.forEach(Thread::start);
    return threads;
  }

  int udpSent() {
    return udpSent;
  }

  int udpAnswered() {
    int answered = 0;
    for (int id = 0; id < udpSent; id++) {
      answered += udpAnswered.get(id);
    }
    return answered;
  }

  /** The unanswered UDP queries as ranges of their send times ("1.234-1.240 s"), for a report. */
  String udpLost() {
    StringBuilder lost = new StringBuilder();
    int first = -1;
    for (int id = 0; id <= udpSent; id++) {
      boolean missing = id < udpSent && udpAnswered.get(id) == 0;
      if (missing && first < 0) {
        first = id;
      } else if (!missing && first >= 0) {
        lost.append(String.format(" %d at %.3f s", id - first, (double) first / udpPerSecond));
        first = -1;
      }
    }
    return lost.toString();
  }

  int tcpSent() {
    return tcpSent;
  }

  int tcpAnswered() {
    return tcpAnswered;
  }

  private static byte[] query(int id) {
    try {
      Message query =
          Message.newQuery(
              Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN));
      query.getHeader().setID(id & 0xFFFF);
      return query.toWire();
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Paces a loop at {@code perSecond}: sleeps until query {@code count} is due. */
  private static void pace(long start, int count, int perSecond) {
    long due = start + count * 1_000_000_000L / perSecond;
    long wait = due - System.nanoTime();
    if (wait > 0) {
      java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }
  }

  private void sendUdp(DatagramSocket socket, long start) {
    int sent = 0;
    while (System.nanoTime() - start < durationNanos && sent < MAX_UDP_QUERIES) {
      pace(start, sent, udpPerSecond);
      byte[] wire = query(sent);
      try {
        socket.send(new DatagramPacket(wire, wire.length, server));
      } catch (IOException e) {
        failures.add("udp send " + sent + ": " + e);
      }
      sent++;
      udpSent = sent;
    }
  }

  private void receiveUdp(DatagramSocket socket, long start) {
    byte[] buffer = new byte[4096];
    long end = start + durationNanos + 2_000_000_000L;
    try (socket) {
      while (System.nanoTime() < end) {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException quiet) {
          continue;
        }
        Message answer = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
        int id = answer.getHeader().getID();
        if (answer.getRcode() == Rcode.NOERROR && id < MAX_UDP_QUERIES) {
          udpAnswered.set(id, 1);
        } else {
          failures.add("udp answer " + id + ": " + Rcode.string(answer.getRcode()));
        }
      }
    } catch (IOException e) {
      failures.add("udp receive: " + e);
    }
  }

  private void runTcp(long start) {
    Socket socket = null;
    int sent = 0;
    try {
      while (System.nanoTime() - start < durationNanos) {
        pace(start, sent, tcpPerSecond);
        try {
          if (socket == null) {
            socket = new Socket();
            socket.connect(server, 2000);
            socket.setSoTimeout(2000);
            socket.setTcpNoDelay(true);
          }
          byte[] wire = query(sent);
          sent++;
          tcpSent = sent;
          DataOutputStream out = new DataOutputStream(socket.getOutputStream());
          out.writeShort(wire.length);
          out.write(wire);
          out.flush();
          DataInputStream in = new DataInputStream(socket.getInputStream());
          byte[] answer = new byte[in.readUnsignedShort()];
          in.readFully(answer);
          Message response = new Message(answer);
          if (response.getHeader().getID() == ((sent - 1) & 0xFFFF)
              && response.getRcode() == Rcode.NOERROR) {
            tcpAnswered++;
          } else {
            failures.add("tcp answer " + (sent - 1) + ": " + response.getHeader());
          }
        } catch (IOException e) {
          failures.add("tcp query " + (sent - 1) + ": " + e);
          closeQuietly(socket);
          socket = null;
        }
      }
    } finally {
      closeQuietly(socket);
    }
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
