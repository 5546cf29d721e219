package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * NOTIFY from a primary zone to its {@code also-notify} targets (real UDP sockets on 127.0.0.1): a
 * target that never answers, which vxdns keeps retrying for a while, does not hold back the NOTIFY
 * of the next change to a target that answers.
 */
class NotifyEndToEndTest {
  private static final String ZONE = "notify.test";

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
                      .put(
                          "also-notify",
                          new JsonArray()
                              .add(target(silent.getLocalPort()))
                              .add(target(answering.getLocalPort())))));
      AtomicInteger silentReceived = new AtomicInteger();
      Thread silentReader = reader(silent, (packet, message) -> silentReceived.incrementAndGet());
      BlockingQueue<Long> notified = new LinkedBlockingQueue<>();
      Thread answeringReader =
          reader(
              answering,
              (packet, message) -> {
                notified.add(((SOARecord) message.getSection(Section.ANSWER).get(0)).getSerial());
                byte[] reply = acknowledgement(message).toWire();
                answering.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
              });
      try (TestNode node = TestNode.start(config)) {
        TransferPeers.update(
            port,
            ZONE,
            u -> u.add(TransferPeers.name("a." + ZONE + "."), Type.A, 300, "192.0.2.1"));
        assertEquals(2L, notified.poll(30, TimeUnit.SECONDS));
        TransferPeers.waitFor(
            "the NOTIFY to the silent target", () -> silentReceived.get() >= 1, () -> "");
        TransferPeers.update(
            port,
            ZONE,
            u -> u.add(TransferPeers.name("b." + ZONE + "."), Type.A, 300, "192.0.2.2"));
        Long next = notified.poll(60, TimeUnit.SECONDS);
        // The silent target gets the serial 2 NOTIFY 3 times, 5 s apart, before vxdns gives up.
        int triesMeanwhile = silentReceived.get();
        assertEquals(3L, next);
        assertTrue(
            triesMeanwhile < 3,
            "the NOTIFY of serial 3 waited for the silent target's retries: "
                + triesMeanwhile
                + " datagrams to it first");
      } finally {
        silentReader.interrupt();
        answeringReader.interrupt();
      }
    }
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
