package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import dev.vxdns.verticles.transport.NodeTransport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A blackholed source (127.0.0.99, bound as the client's address) that connects over TCP, DoT or
 * h2c without PROXY and sends nothing is closed at accept, as BIND does, instead of holding a place
 * until {@code tcp-initial-timeout} (2.5 s here: the reads below wait 1 s); a client that is not
 * blackholed is served.
 */
class BlackholeAtAcceptEndToEndTest {
  private static final String BLACKHOLED = "127.0.0.99";

  @Test
  void blackholedConnectionsGetEofAtOnceOthersAreServed(@TempDir Path dir) throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);
    int port = TestNode.freePort();
    int dot = TestNode.freePort();
    int h2c = TestNode.freePort();
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config
        .getJsonObject("options")
        .put("blackhole", new JsonArray().add(BLACKHOLED))
        .put(
            "listen-on",
            new JsonArray()
                .add(TestNode.do53Listener(port))
                .add(TestCertificate.listener("dot", dot))
                .add(TestNode.listener(h2c, "h2c")));
    try (TestNode node = TestNode.start(config)) {
      NodeTransport transport = NodeTransport.of(node.vertx).orElseThrow();
      long before = transport.blackholedAtAccept();
      for (int target : new int[] {port, dot, h2c}) {
        assertEofAtOnce(target);
      }
      assertEquals(3, transport.blackholedAtAccept() - before, "counted at accept");
      // The positive control: 127.0.0.1 is served over TCP on the same listener.
      try (Socket served = DnsClient.tcp(port, 5000)) {
        DnsClient.writeFramed(
            served,
            Message.newQuery(
                    Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN))
                .toWire());
        assertEquals(Rcode.NOERROR, new Message(DnsClient.readFramed(served)).getRcode());
      }
    }
  }

  private static void assertEofAtOnce(int port) throws Exception {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(BLACKHOLED, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(1000);
      long started = System.nanoTime();
      int read;
      try {
        read = socket.getInputStream().read();
      } catch (SocketTimeoutException held) {
        throw new AssertionError("port " + port + ": a blackholed connection was held open", held);
      } catch (java.net.SocketException reset) {
        read = -1;
      }
      assertEquals(-1, read, "port " + port + ": EOF");
      assertTrue((System.nanoTime() - started) / 1_000_000 < 1000, "at once");
    }
  }
}
