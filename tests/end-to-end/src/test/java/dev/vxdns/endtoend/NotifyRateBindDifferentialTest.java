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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * BIND's {@code startup-notify-rate} and {@code notify-rate}: NOTIFY messages a second, after a
 * zone's first load and after a change. A named and a vxdns primary of one zone with six {@code
 * also-notify} targets and both rates at 10 spread the six NOTIFYs of the start, then the six of an
 * update, over about 0.5 s each; with both rates at 1000 (the control) vxdns sends each six within
 * a fraction of that.
 */
class NotifyRateBindDifferentialTest {
  private static final String ZONE = "rate.test";
  private static final int TARGETS = 6;

  @Test
  void notifiesAreSpreadOutAsNamedSpreadsThem(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    long[] theirs;
    try (Targets targets = new Targets()) {
      int namedPort = TransferPeers.freePorts(1)[0];
      Path namedDir = Files.createDirectories(dir.resolve("named"));
      TransferPeers.writeZone(namedDir, ZONE);
      String conf =
          TransferPeers.namedOptions(
                  namedDir,
                  namedPort,
                  "  notify explicit;",
                  "  notify-delay 0;",
                  "  startup-notify-rate 10;",
                  "  notify-rate 10;",
                  "  also-notify { " + targets.namedList() + " };")
              + TransferPeers.namedPrimary(ZONE, TransferPeers.NAMED_ALLOW_UPDATE);
      try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
        theirs = spreads(targets, namedPort, named::log);
      }
    }
    long[] ours = vxdnsSpreads(dir.resolve("paced"), 10);
    long[] unpaced = vxdnsSpreads(dir.resolve("unpaced"), 1000);
    System.out.printf(
        "NotifyRateBindDifferentialTest: %d NOTIFYs at start, then after an update, over %s ms"
            + " from named, %s ms from vxdns, %s ms unpaced%n",
        TARGETS, Arrays.toString(theirs), Arrays.toString(ours), Arrays.toString(unpaced));
    for (int i = 0; i < 2; i++) {
      String what = i == 0 ? "at start" : "after the update";
      // 5 gaps of 100 ms: about 0.5 s (2026-12-06: named 415-498 ms, its rate limiter letting two
      // go at once now and then; vxdns 483-500 ms).
      assertTrue(theirs[i] >= 250 && theirs[i] < 2500, "named " + what + ": " + theirs[i] + " ms");
      assertTrue(ours[i] >= 350 && ours[i] < 2500, "vxdns " + what + ": " + ours[i] + " ms");
      assertTrue(unpaced[i] < 250, "vxdns unpaced " + what + ": " + unpaced[i] + " ms");
    }
  }

  private static long[] vxdnsSpreads(Path dir, int rate) throws Exception {
    Files.createDirectories(dir);
    try (Targets targets = new Targets()) {
      int port = TestNode.freePort();
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.put("key", TransferPeers.keyConfig());
      config.getJsonObject("options").put("startup-notify-rate", rate).put("notify-rate", rate);
      JsonObject zone =
          TransferPeers.updatablePrimaryOf(TransferPeers.writeZone(dir, ZONE))
              .put("notify", "explicit")
              .put("also-notify", targets.nodeList());
      config.put("zone", new JsonObject().put(ZONE, zone));
      try (TestNode node = TestNode.start(config)) {
        return spreads(targets, port, () -> "vxdns");
      }
    }
  }

  /**
   * The time from the first to the last NOTIFY of the zone's first load (serial 1), then of an
   * update (serial 2).
   */
  private static long[] spreads(Targets targets, int port, Supplier<String> diagnostics)
      throws Exception {
    long start = targets.spreadMillis(1, diagnostics);
    TransferPeers.update(
        port,
        ZONE,
        update -> update.add(TransferPeers.name("new." + ZONE + "."), Type.A, 300, "192.0.2.8"));
    return new long[] {start, targets.spreadMillis(2, diagnostics)};
  }

  /** Six UDP NOTIFY targets on 127.0.0.1 that acknowledge and note when each serial came. */
  private static final class Targets implements AutoCloseable {
    private final List<DatagramSocket> sockets = new ArrayList<>();
    // Each target's first NOTIFY of each serial: {serial, target, nanoTime}.
    private final List<long[]> received = new ArrayList<>();

    Targets() throws Exception {
      for (int i = 0; i < TARGETS; i++) {
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
          s ->
              list.add(new JsonObject().put("address", "127.0.0.1").put("port", s.getLocalPort())));
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
        if (times.size() >= TARGETS) {
          return TimeUnit.NANOSECONDS.toMillis(
              times.stream().max(Long::compare).get() - times.stream().min(Long::compare).get());
        }
        assertTrue(
            System.nanoTime() < deadline,
            times.size() + " NOTIFYs of serial " + serial + ":\n" + diagnostics.get());
        Thread.sleep(20);
      }
    }

    @Override
    public void close() {
      sockets.forEach(DatagramSocket::close);
    }
  }
}
