package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * NOTIFY from a primary zone to its {@code also-notify} targets (real UDP sockets on 127.0.0.1): at
 * start, as named does, and after a change; a target that never answers, which vxdns keeps retrying
 * for a while, does not hold back the NOTIFY of the next change to a target that answers.
 */
class NotifyEndToEndTest {
  private static final String ZONE = "notify.test";
  private static final String QUIET_ZONE = "quiet.test";

  /**
   * named 9.20 NOTIFYs each zone's targets once it has loaded it at start ("sending notifies"), so
   * that a secondary learns of a change made while the primary was down; a node does the same, and
   * its NOTIFY carries what named's does for the same file. A zone with {@code notify no} tells
   * nobody, even with an {@code also-notify} (it comes first, so its turn has passed once the other
   * zone's NOTIFY is in).
   */
  @Test
  void eachZoneNotifiesItsTargetsOfWhatItLoadedAtStartAsNamedDoes(@TempDir Path dir)
      throws Exception {
    Peer.requireNamed920();
    int port = TestNode.freePort();
    try (DatagramSocket toNode = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket toQuiet = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket toNamed = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.put(
          "zone",
          new JsonObject()
              .put(
                  QUIET_ZONE,
                  new JsonObject()
                      .put("file", TransferPeers.writeZone(dir, QUIET_ZONE).toString())
                      .put("notify", "no")
                      .put("also-notify", new JsonArray().add(target(toQuiet.getLocalPort()))))
              .put(ZONE, explicitZone(dir, ZONE, toNode)));
      BlockingQueue<Message> fromNode = new LinkedBlockingQueue<>();
      BlockingQueue<Message> quiet = new LinkedBlockingQueue<>();
      BlockingQueue<Message> fromNamed = new LinkedBlockingQueue<>();
      Thread[] readers = {
        reader(toNode, answering(toNode, fromNode)),
        reader(toQuiet, (packet, message) -> quiet.add(message)),
        reader(toNamed, answering(toNamed, fromNamed))
      };
      Peer named = null;
      try (TestNode node = TestNode.start(config)) {
        Message notify = fromNode.poll(10, TimeUnit.SECONDS);
        assertNotNull(notify, "no NOTIFY from the node within 10 s of its start");
        Thread.sleep(500);
        assertEquals(List.of(), List.copyOf(quiet), "NOTIFY for the zone with notify no");

        int namedPort = TestNode.freePort();
        named =
            TransferPeers.startNamed(
                dir,
                TransferPeers.namedOptions(
                        dir,
                        namedPort,
                        "  notify explicit;",
                        "  also-notify { 127.0.0.1 port " + toNamed.getLocalPort() + "; };")
                    + "zone \""
                    + ZONE
                    + "\" { type primary; file \""
                    + dir.resolve(ZONE + ".zone")
                    + "\"; };\n");
        Message fromBind = fromNamed.poll(10, TimeUnit.SECONDS);
        assertNotNull(fromBind, "no NOTIFY from named within 10 s of its start:\n" + named.log());
        assertEquals(fromBind.getQuestion(), notify.getQuestion());
        assertEquals(
            fromBind.getSection(Section.ANSWER), notify.getSection(Section.ANSWER), "the SOA");
        assertEquals(1L, serial(notify));
        assertEquals(fromBind.getHeader().getFlag(Flags.AA), notify.getHeader().getFlag(Flags.AA));
      } finally {
        TransferPeers.closeAll(named);
        for (Thread reader : readers) {
          reader.interrupt();
        }
      }
    }
  }

  /**
   * A zone a reconfiguration adds is announced once it has loaded, as named does for a zone it
   * loads for the first time; the zone that was served before, unchanged, is not announced again.
   */
  @Test
  void aZoneAddedByAReconfigurationNotifiesItsTargetsTheOthersDoNot(@TempDir Path dir)
      throws Exception {
    int port = TestNode.freePort();
    try (DatagramSocket toFirst = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket toAdded = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.put("zone", new JsonObject().put(ZONE, explicitZone(dir, ZONE, toFirst)));
      BlockingQueue<Message> first = new LinkedBlockingQueue<>();
      BlockingQueue<Message> added = new LinkedBlockingQueue<>();
      Thread[] readers = {
        reader(toFirst, answering(toFirst, first)), reader(toAdded, answering(toAdded, added))
      };
      try (TestNode node = TestNode.start(config)) {
        assertEquals(1L, serial(first.poll(10, TimeUnit.SECONDS)), "the start's NOTIFY");
        JsonObject next = config.copy();
        next.getJsonObject("zone").put(QUIET_ZONE, explicitZone(dir, QUIET_ZONE, toAdded));
        node.node
            .reconfigure(dev.vxdns.verticles.node.NodeConfig.parse(next, dir))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        Message notify = added.poll(10, TimeUnit.SECONDS);
        assertEquals(1L, serial(notify), "the added zone's NOTIFY");
        assertEquals(QUIET_ZONE + ".", notify.getQuestion().getName().toString());
        Thread.sleep(500);
        assertEquals(List.of(), List.copyOf(first), "NOTIFY for the zone served before");
      } finally {
        for (Thread reader : readers) {
          reader.interrupt();
        }
      }
    }
  }

  /**
   * BIND's {@code notify-source}: a zone's NOTIFYs come from it, as named's do with the same
   * option; a zone without it (the control) notifies from the system's choice, 127.0.0.1.
   */
  @Test
  void notifiesComeFromTheNotifySourceAsNamedsDo(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int port = TestNode.freePort();
    try (DatagramSocket toSourced = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket toPlain = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket toNamed = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.put(
          "zone",
          new JsonObject()
              .put(ZONE, explicitZone(dir, ZONE, toSourced).put("notify-source", "127.0.0.2"))
              .put(QUIET_ZONE, explicitZone(dir, QUIET_ZONE, toPlain)));
      BlockingQueue<String> sourced = new LinkedBlockingQueue<>();
      BlockingQueue<String> plain = new LinkedBlockingQueue<>();
      BlockingQueue<String> fromNamed = new LinkedBlockingQueue<>();
      Thread[] readers = {
        reader(toSourced, senders(toSourced, sourced)),
        reader(toPlain, senders(toPlain, plain)),
        reader(toNamed, senders(toNamed, fromNamed))
      };
      Peer named = null;
      try (TestNode node = TestNode.start(config)) {
        String ours = sourced.poll(10, TimeUnit.SECONDS);
        String control = plain.poll(10, TimeUnit.SECONDS);
        int namedPort = TestNode.freePort();
        named =
            TransferPeers.startNamed(
                dir,
                TransferPeers.namedOptions(
                        dir,
                        namedPort,
                        "  notify explicit;",
                        "  notify-source 127.0.0.2;",
                        "  also-notify { 127.0.0.1 port " + toNamed.getLocalPort() + "; };")
                    + TransferPeers.namedPrimary(ZONE, ""));
        String theirs = fromNamed.poll(10, TimeUnit.SECONDS);
        assertEquals("127.0.0.2", theirs, "named's NOTIFY came from:\n" + named.log());
        assertEquals(theirs, ours, "the zone with notify-source 127.0.0.2");
        assertEquals("127.0.0.1", control, "the zone without notify-source");
      } finally {
        TransferPeers.closeAll(named);
        for (Thread reader : readers) {
          reader.interrupt();
        }
      }
    }
  }

  /** Adds the source address of each NOTIFY to {@code received} and acknowledges it. */
  private static Handler senders(DatagramSocket socket, BlockingQueue<String> received) {
    return (packet, message) -> {
      received.add(packet.getAddress().getHostAddress());
      byte[] reply = acknowledgement(message).toWire();
      socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
    };
  }

  /** A primary zone of {@code dir} that NOTIFYs {@code target} only. */
  private static JsonObject explicitZone(Path dir, String zone, DatagramSocket target)
      throws Exception {
    return new JsonObject()
        .put("file", TransferPeers.writeZone(dir, zone).toString())
        .put("notify", "explicit")
        .put("also-notify", new JsonArray().add(target(target.getLocalPort())));
  }

  @Test
  void aSilentTargetDoesNotHoldBackTheNextNotifyToAnAnsweringOne(@TempDir Path dir)
      throws Exception {
    int port = TestNode.freePort();
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket answering = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      config.put("key", TransferPeers.keyConfig());
      config.put(
          "zone",
          new JsonObject()
              .put(
                  ZONE,
                  new JsonObject()
                      .put("file", TransferPeers.writeZone(dir, ZONE).toString())
                      .put("update-policy", new JsonArray().add("grant xfr-key. zonesub ANY"))
                      .put("notify", "explicit")
                      // The update's NOTIFY at once (NotifyDelayBindDifferentialTest).
                      .put("notify-delay", 0)
                      .put(
                          "also-notify",
                          new JsonArray()
                              .add(target(silent.getLocalPort()))
                              .add(target(answering.getLocalPort())))));
      AtomicInteger silentReceived = new AtomicInteger();
      Thread silentReader = reader(silent, (packet, message) -> silentReceived.incrementAndGet());
      BlockingQueue<Message> notified = new LinkedBlockingQueue<>();
      Thread answeringReader = reader(answering, answering(answering, notified));
      try (TestNode node = TestNode.start(config)) {
        // The start's NOTIFY of serial 1 to both: the silent target is then retried for a while.
        assertEquals(1L, serial(notified.poll(30, TimeUnit.SECONDS)));
        TransferPeers.waitFor(
            "the NOTIFY to the silent target", () -> silentReceived.get() >= 1, () -> "");
        TransferPeers.update(
            port,
            ZONE,
            u -> u.add(TransferPeers.name("a." + ZONE + "."), Type.A, 300, "192.0.2.1"));
        Long next = serial(notified.poll(60, TimeUnit.SECONDS));
        // The silent target gets the serial 1 NOTIFY 3 times, 5 s apart, before vxdns gives up.
        int triesMeanwhile = silentReceived.get();
        assertEquals(2L, next);
        assertTrue(
            triesMeanwhile < 3,
            "the NOTIFY of serial 2 waited for the silent target's retries: "
                + triesMeanwhile
                + " datagrams to it first");
      } finally {
        silentReader.interrupt();
        answeringReader.interrupt();
      }
    }
  }

  /** The serial of a NOTIFY's SOA; null for none. */
  private static Long serial(Message notify) {
    return notify == null
        ? null
        : ((SOARecord) notify.getSection(Section.ANSWER).get(0)).getSerial();
  }

  /** Adds each NOTIFY to {@code received} and acknowledges it from {@code socket}. */
  private static Handler answering(DatagramSocket socket, BlockingQueue<Message> received) {
    return (packet, message) -> {
      received.add(message);
      byte[] reply = acknowledgement(message).toWire();
      socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
    };
  }

  private static JsonObject target(int port) {
    return new JsonObject().put("address", "127.0.0.1").put("port", port);
  }

  private static Message acknowledgement(Message notify) {
    Message reply = new Message(notify.getHeader().getID());
    reply.getHeader().setOpcode(Opcode.NOTIFY);
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    reply.addRecord(notify.getQuestion(), Section.QUESTION);
    return reply;
  }

  interface Handler {
    void handle(DatagramPacket packet, Message message) throws Exception;
  }

  /** Reads NOTIFY datagrams on {@code socket} until interrupted or closed. */
  private static Thread reader(DatagramSocket socket, Handler handler) throws Exception {
    socket.setSoTimeout(200);
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[4096];
              while (!Thread.currentThread().isInterrupted() && !socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                  socket.receive(packet);
                  Message message =
                      new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                  if (message.getHeader().getOpcode() == Opcode.NOTIFY) {
                    handler.handle(packet, message);
                  }
                } catch (SocketTimeoutException e) {
                  // look at the interrupt flag again
                } catch (Exception e) {
                  return;
                }
              }
            });
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
