package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/** UDP NOTIFY targets on 127.0.0.1 that acknowledge and note when each serial first came. */
final class NotifyListeners implements AutoCloseable {
  private final List<DatagramSocket> sockets = new ArrayList<>();
  // Each target's first NOTIFY of each serial: {serial, target, nanoTime}.
  private final List<long[]> received = new ArrayList<>();
  // Every NOTIFY that came, repeats included.
  private final java.util.concurrent.atomic.AtomicInteger count =
      new java.util.concurrent.atomic.AtomicInteger();

  NotifyListeners(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      socket.setSoTimeout(200);
      sockets.add(socket);
      int target = i;
      Thread reader = new Thread(() -> read(socket, target));
      reader.setDaemon(true);
      reader.start();
    }
  }

  String namedList() {
    StringBuilder list = new StringBuilder();
    sockets.forEach(s -> list.append("127.0.0.1 port ").append(s.getLocalPort()).append("; "));
    return list.toString();
  }

  JsonArray nodeList() {
    JsonArray list = new JsonArray();
    sockets.forEach(
        s -> list.add(new JsonObject().put("address", "127.0.0.1").put("port", s.getLocalPort())));
    return list;
  }

  private void read(DatagramSocket socket, int target) {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        Message notify = new Message(Arrays.copyOf(buffer, packet.getLength()));
        if (notify.getHeader().getOpcode() != Opcode.NOTIFY) {
          continue;
        }
        long serial = ((SOARecord) notify.getSection(Section.ANSWER).get(0)).getSerial();
        count.incrementAndGet();
        synchronized (received) {
          if (received.stream().noneMatch(r -> r[0] == serial && r[1] == target)) {
            received.add(new long[] {serial, target, System.nanoTime()});
          }
        }
        Message ack = new Message(notify.getHeader().getID());
        ack.getHeader().setOpcode(Opcode.NOTIFY);
        ack.getHeader().setFlag(Flags.QR);
        ack.getHeader().setFlag(Flags.AA);
        ack.addRecord(notify.getQuestion(), Section.QUESTION);
        byte[] wire = ack.toWire();
        socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
      } catch (SocketTimeoutException e) {
        // look at isClosed again
      } catch (Exception e) {
        return;
      }
    }
  }

  /** Waits (20 s at most) for every target's NOTIFY of {@code serial}: first to last. */
  long spreadMillis(long serial, Supplier<String> diagnostics) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      List<Long> times = new ArrayList<>();
      synchronized (received) {
        received.stream().filter(r -> r[0] == serial).forEach(r -> times.add(r[2]));
      }
      if (times.size() >= sockets.size()) {
        return TimeUnit.NANOSECONDS.toMillis(
            times.stream().max(Long::compare).get() - times.stream().min(Long::compare).get());
      }
      assertTrue(
          System.nanoTime() < deadline,
          times.size() + " NOTIFYs of serial " + serial + ":\n" + diagnostics.get());
      Thread.sleep(20);
    }
  }

  /**
   * Starts named on {@code port} in {@code dir} as an updatable primary of {@code zone} that
   * NOTIFYs these targets only ({@code notify explicit}), with these {@code options} lines.
   */
  Peer startNamedPrimary(Path dir, int port, String zone, String... options) throws Exception {
    Files.createDirectories(dir);
    TransferPeers.writeZone(dir, zone);
    List<String> lines =
        new ArrayList<>(List.of("  notify explicit;", "  also-notify { " + namedList() + " };"));
    lines.addAll(List.of(options));
    return TransferPeers.startNamed(
        dir,
        TransferPeers.namedOptions(dir, port, lines.toArray(String[]::new))
            + TransferPeers.namedPrimary(zone, TransferPeers.NAMED_ALLOW_UPDATE));
  }

  /**
   * A node's config on {@code port} with one updatable primary zone of {@code dir} that NOTIFYs
   * these targets only ({@code notify explicit}).
   */
  JsonObject primaryConfig(int port, Path dir, String zone) throws Exception {
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    JsonObject entry =
        TransferPeers.updatablePrimaryOf(TransferPeers.writeZone(dir, zone))
            .put("notify", "explicit")
            .put("also-notify", nodeList());
    config.put("zone", new JsonObject().put(zone, entry));
    return config;
  }

  /** Waits (20 s at most) for the first NOTIFY of {@code serial} to any target: its nanoTime. */
  long firstArrival(long serial, Supplier<String> diagnostics) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      synchronized (received) {
        var first = received.stream().filter(r -> r[0] == serial).mapToLong(r -> r[2]).min();
        if (first.isPresent()) {
          return first.getAsLong();
        }
      }
      assertTrue(
          System.nanoTime() < deadline,
          "no NOTIFY of serial " + serial + ":\n" + diagnostics.get());
      Thread.sleep(10);
    }
  }

  /** How many NOTIFYs came to all targets, repeats included. */
  int count() {
    return count.get();
  }

  /** Whether a NOTIFY of {@code serial} came. */
  boolean received(long serial) {
    synchronized (received) {
      return received.stream().anyMatch(r -> r[0] == serial);
    }
  }

  @Override
  public void close() {
    sockets.forEach(DatagramSocket::close);
  }
}
