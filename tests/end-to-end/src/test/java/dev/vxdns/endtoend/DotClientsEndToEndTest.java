package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@code tcp-clients} on DNS over TLS counts a connection from the moment it is accepted, not once
 * its TLS handshake is done: handshakes that never finish can each hold a connection for {@code
 * tcp-initial-timeout}, and must not be unlimited.
 */
class DotClientsEndToEndTest {
  private static final int TCP_CLIENTS = 4;

  @Test
  void silentConnectionsCountTowardsTcpClientsBeforeTheirHandshake(@TempDir Path dir)
      throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);
    int do53 = TestNode.freePort();
    int dot = TestNode.freePort();
    JsonObject config = TestNode.config(do53, Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config
        .getJsonObject("options")
        .put("tcp-clients", TCP_CLIENTS)
        .put("tcp-instances", 1)
        .put(
            "listen-on",
            new JsonArray()
                .add(new JsonObject().put("address", "127.0.0.1").put("port", do53))
                .add(TestCertificate.listener("dot", dot)));
    SSLContext trusting = certificate.trustingContext();
    try (TestNode node = TestNode.start(config)) {
      assertEquals(Rcode.NOERROR, query(trusting, dot).getRcode(), "DoT answers at first");
      List<Socket> silent = silentConnectionsWithinTheCap(dot);
      try {
        try (Socket beyond = connect(dot)) {
          long started = System.nanoTime();
          beyond.setSoTimeout(1000);
          try {
            assertEquals(-1, beyond.getInputStream().read(), "closed without a byte");
          } catch (SocketTimeoutException open) {
            fail("connection " + (TCP_CLIENTS + 1) + " was kept open beyond tcp-clients");
          } catch (IOException reset) {
            // closed at once, as a reset
          }
          long millis = (System.nanoTime() - started) / 1_000_000;
          assertTrue(millis < 1000, "closed at once, not at the initial timeout: " + millis);
        }
      } finally {
        for (Socket socket : silent) {
          socket.close();
        }
      }
      // The closed connections give their places back: a real DoT query is answered again.
      Message answer = null;
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (answer == null && System.nanoTime() < deadline) {
        try {
          answer = query(trusting, dot);
        } catch (IOException notYet) {
          Thread.sleep(50);
        }
      }
      assertNotNull(answer, "DoT answers once the silent connections are gone");
      assertEquals(Rcode.NOERROR, answer.getRcode());
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
    return socket;
  }

  /**
   * {@link #TCP_CLIENTS} connections that never send a ClientHello (tcp-initial-timeout is 2.5 s
   * here), each with nothing to read and not closed within 200 ms. The first query's connection
   * gives its place back when the node deregisters its channel, a moment after its close reached
   * this side: until then the last of them can be refused. So a set with a closed connection is
   * closed and tried again, for up to 2 s; a cap below tcp-clients fails every time.
   */
  private static List<Socket> silentConnectionsWithinTheCap(int port) throws Exception {
    long deadline = System.nanoTime() + 2_000_000_000L;
    while (true) {
      List<Socket> silent = new ArrayList<>();
      for (int i = 0; i < TCP_CLIENTS; i++) {
        silent.add(connect(port));
      }
      String closed = null;
      for (Socket socket : silent) {
        socket.setSoTimeout(200);
        try {
          closed = "read " + socket.getInputStream().read();
        } catch (SocketTimeoutException open) {
          continue; // as expected
        } catch (IOException reset) {
          closed = reset.toString();
        }
        break;
      }
      if (closed == null) {
        return silent;
      }
      for (Socket socket : silent) {
        socket.close();
      }
      if (System.nanoTime() > deadline) {
        fail("a connection within tcp-clients was closed (" + closed + ")");
      }
      Thread.sleep(100);
    }
  }

  private static Message query(SSLContext trusting, int port) throws IOException {
    Socket raw = connect(port);
    raw.setSoTimeout(5000);
    try (SSLSocket socket =
        (SSLSocket) trusting.getSocketFactory().createSocket(raw, "localhost", port, true)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"dot"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
      DnsClient.writeFramed(socket, query.toWire());
      byte[] response = DnsClient.readFramed(socket);
      if (response == null) {
        throw new IOException("closed without an answer");
      }
      return new Message(response);
    }
  }
}
