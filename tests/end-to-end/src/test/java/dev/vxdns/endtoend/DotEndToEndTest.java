package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNS over TLS (RFC 7858) through a whole node, with a certificate the test makes in the JVM:
 * answers, pipelining, ALPN "dot", PROXY v2 encrypted (inside TLS, as dnsdist sends it), kdig.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DotEndToEndTest {
  private TestNode node;
  private int dotPort;
  private int proxiedPort;
  private SSLContext trusting;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    TestCertificate certificate = TestCertificate.create(dir);

    int plain = TestNode.freePort();
    dotPort = TestNode.freePort();
    proxiedPort = TestNode.freePort();
    JsonObject config = TestNode.config(plain, Delivery.DIRECT);
    config.put("tls", certificate.tlsConfig());
    config
        .getJsonObject("options")
        .put(
            "listen-on",
            new JsonArray()
                .add(new JsonObject().put("address", "127.0.0.1").put("port", plain))
                .add(TestCertificate.listener("dot", dotPort))
                .add(TestCertificate.listener("dot", proxiedPort).put("proxy", "encrypted")))
        .put("allow-proxy", new JsonArray().add("127.0.0.0/8"))
        .put("whoami", "whoami.vxdns.");
    node = TestNode.start(config);

    trusting = certificate.trustingContext();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private SSLSocket connect(int port) throws Exception {
    return DotClient.connect(trusting, port, 3000, "dot");
  }

  private static byte[] query(String name, int type, int dclass, int id) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
    query.getHeader().setID(id);
    return query.toWire();
  }

  @Test
  void answersOverTlsWithAlpnDot() throws Exception {
    try (SSLSocket socket = connect(dotPort)) {
      assertEquals("dot", socket.getApplicationProtocol());
      assertTrue(
          socket.getSession().getProtocol().startsWith("TLSv1."),
          socket.getSession().getProtocol());
      DnsClient.writeFramed(socket, query("example.test.", Type.SOA, DClass.IN, 7));
      Message response = new Message(DnsClient.readFramed(socket));
      assertEquals(Rcode.NOERROR, response.getRcode());
      assertTrue(response.getHeader().getFlag(Flags.AA));
      assertEquals(7, response.getHeader().getID());
    }
  }

  @Test
  void pipelinedQueriesOnOneTlsConnection() throws Exception {
    try (SSLSocket socket = connect(dotPort)) {
      for (int id = 1; id <= 3; id++) {
        DnsClient.writeFramed(socket, query("www.example.test.", Type.A, DClass.IN, id));
      }
      Set<Integer> ids = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        ids.add(new Message(DnsClient.readFramed(socket)).getHeader().getID());
      }
      assertEquals(Set.of(1, 2, 3), ids);
    }
  }

  @Test
  void anEncryptedProxyHeaderInsideTlsSetsTheSource() throws Exception {
    try (SSLSocket socket = connect(proxiedPort)) {
      socket
          .getOutputStream()
          .write(
              ProxyEncoder.encode(
                  ProxyHeader.proxy(
                      TransportProtocol.STREAM,
                      new InetSocketAddress("192.0.2.44", 4444),
                      new InetSocketAddress("198.51.100.53", 853))));
      DnsClient.writeFramed(socket, query("whoami.vxdns.", Type.TXT, DClass.CH, 9));
      List<String> lines = ProxyEndToEndTest.txt(DnsClient.readFramed(socket));
      assertEquals("source 192.0.2.44#4444", lines.get(0));
      assertEquals("transport dot", lines.get(2));
    }
  }

  @Test
  void anEncryptedListenerWithoutAHeaderClosesTheConnection() throws Exception {
    try (SSLSocket socket = connect(proxiedPort)) {
      DnsClient.writeFramed(socket, query("example.test.", Type.SOA, DClass.IN, 1));
      assertNull(DnsClient.readFramed(socket), "closed unanswered");
    }
  }

  @Test
  void plainTcpToTheTlsPortIsDroppedAndOthersAreServed() throws Exception {
    try (Socket socket = DnsClient.tcp(dotPort, 5000)) {
      DnsClient.writeFramed(socket, query("example.test.", Type.SOA, DClass.IN, 1));
      byte[] reply = socket.getInputStream().readAllBytes();
      assertTrue(
          reply.length == 0 || reply[0] == 0x15, "at most a TLS alert, then the connection closes");
    } catch (java.net.SocketException reset) {
      // a reset is as good as a close
    }
    try (SSLSocket socket = connect(dotPort)) {
      DnsClient.writeFramed(socket, query("example.test.", Type.SOA, DClass.IN, 2));
      assertEquals(Rcode.NOERROR, new Message(DnsClient.readFramed(socket)).getRcode());
    }
  }

  /** dnsdist with a DoT backend and useProxyProtocol sends its PROXY header inside TLS. */
  @Test
  void dnsdistWithADotBackendSendsItsHeaderEncrypted(@TempDir Path dir) throws Exception {
    Peer.assumeInstalled("dnsdist", "dnsdist");
    int dnsdistPort = TestNode.freePort();
    Path config = dir.resolve("dnsdist.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "setSecurityPollSuffix('')",
            "setLocal('" + ProxyInteropTest.PEER_ADDRESS + ":" + dnsdistPort + "')",
            "newServer{address='127.0.0.1:"
                + proxiedPort
                + "', tls='openssl', subjectName='localhost',"
                + " validateCertificates=false, useProxyProtocol=true, checkInterval=1,"
                + " checkName='whoami.vxdns.', checkClass=DNSClass.CH, checkType='TXT'}",
            ""));
    try (Peer dnsdist =
        Peer.start(
            dir,
            List.of(
                Peer.path("dnsdist"),
                "--supervised",
                "--disable-syslog",
                "-C",
                config.toString()))) {
      List<String> lines =
          ProxyInteropTest.eventually(
              dnsdist, () -> ProxyInteropTest.udpWhoami("127.0.0.6", dnsdistPort));
      assertTrue(lines.get(0).startsWith("source 127.0.0.6#"), lines.toString());
      assertEquals("transport dot", lines.get(2));
      assertTrue(lines.get(3).startsWith("proxy yes"), lines.toString());
    }
  }

  /** RFC 7858 section 3.4 asks for resumption; openssl says "Reused" when the server resumed. */
  @ParameterizedTest
  @ValueSource(strings = {"-tls1_2", "-tls1_3"})
  void tlsSessionsAreResumed(String version, @TempDir Path dir) throws Exception {
    Path session = dir.resolve("session.pem");
    String first = opensslClient(List.of(version, "-sess_out", session.toString()));
    assertTrue(first.contains("\nNew, TLSv1."), first);
    String second = opensslClient(List.of(version, "-sess_in", session.toString()));
    assertTrue(second.contains("\nReused, TLSv1."), second);
  }

  private String opensslClient(List<String> options) throws Exception {
    Peer.assumeInstalled("openssl", "openssl");
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "openssl",
                "s_client",
                "-connect",
                "127.0.0.1:" + dotPort,
                "-alpn",
                "dot",
                "-ign_eof"));
    command.addAll(options);
    Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
    // End of input makes s_client close once the handshake and the session ticket are through.
    openssl.getOutputStream().close();
    assertTrue(
        openssl.waitFor(20, java.util.concurrent.TimeUnit.SECONDS),
        "openssl s_client did not finish");
    return new String(
        openssl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void kdigOverTls() throws Exception {
    Peer.assumeInstalled("kdig", "knot-dnsutils");
    String output =
        DigInteropTest.run(
            "kdig",
            List.of(
                "@127.0.0.1",
                "-p",
                Integer.toString(dotPort),
                "+tls",
                "+timeout=3",
                "+retry=0",
                "example.test.",
                "SOA"));
    assertTrue(output.contains("status: NOERROR"), output);
    assertTrue(output.contains("TLS session (TLS1."), output);
  }
}
