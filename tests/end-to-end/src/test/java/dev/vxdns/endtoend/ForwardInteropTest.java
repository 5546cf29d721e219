package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Forwarding to real backends that read PROXY v2: PowerDNS Recursor ({@code proxy-protocol-from}),
 * BIND named 9.20 ({@code allow-proxy}) over UDP, TCP and DoT with the header inside TLS, and the
 * chain dnsdist → vxdns → named with PROXY v2 on each hop. Each backend shows its view of the
 * client through an access list that admits only the original client: a query from that client is
 * answered, one from another client is not (the positive and negative controls in the same test).
 */
class ForwardInteropTest {
  private static final String ALLOWED = "198.51.100.77";
  private static final String OTHER = "203.0.113.9";

  private static final String ZONE =
      String.join(
          "\n",
          "$ORIGIN fwd.test.",
          "$TTL 60",
          "@ IN SOA ns.fwd.test. admin.fwd.test. 1 3600 600 86400 60",
          "@ IN NS ns.fwd.test.",
          "ns IN A 192.0.2.1",
          "www IN A 192.0.2.80",
          "");

  /** The front: everything forwarded to {@code backend}; a PROXY listener for the test client. */
  private static JsonObject front(int plainPort, int proxyPort, JsonObject backend) {
    return ForwardEndToEndTest.frontConfig(
        plainPort, proxyPort, new JsonArray().add(backend), null);
  }

  /** {@code www.fwd.test. A} sent to the front's PROXY listener as if from {@code client}. */
  private static Message askAs(int proxyPort, String client) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("www.fwd.test."), Type.A, DClass.IN));
    byte[] reply =
        DnsClient.udp(proxyPort, ForwardEndToEndTest.proxied(client, false, query.toWire()), 8000);
    assertNotNull(reply, "the front always answers (SERVFAIL at worst)");
    return new Message(reply);
  }

  private static void assertAnswered(Message response, String what) {
    assertEquals(Rcode.NOERROR, response.getRcode(), what + ": " + response);
    assertEquals("192.0.2.80", response.getSection(Section.ANSWER).get(0).rdataToString(), what);
  }

  @Test
  void powerDnsRecursorSeesTheProxiedClient(@TempDir Path dir) throws Exception {
    Peer.assumeInstalled("pdns_recursor", "pdns-recursor");
    int[] p = TransferPeers.freePorts(3);
    Path zone = dir.resolve("fwd.test.zone");
    Files.writeString(zone, ZONE);
    Files.writeString(dir.resolve("recursor.conf"), "");
    // Root hints on loopback: with its built-in ones the recursor primes its cache from the root
    // servers, off this machine.
    Path hints = dir.resolve("root.hints");
    Files.writeString(
        hints, ". 3600 IN NS root.hints.test.\nroot.hints.test. 3600 IN A 127.0.0.1\n");
    List<String> command =
        List.of(
            Peer.path("pdns_recursor"),
            "--config-dir=" + dir,
            "--socket-dir=" + dir,
            "--daemon=no",
            "--write-pid=no",
            "--disable-syslog",
            "--threads=1",
            "--local-address=127.0.0.1",
            "--local-port=" + p[0],
            "--proxy-protocol-from=127.0.0.1",
            // The recursor applies allow-from to the address inside the PROXY header.
            "--allow-from=" + ALLOWED + "/32",
            "--auth-zones=fwd.test=" + zone,
            "--hint-file=" + hints,
            "--security-poll-suffix=");
    JsonObject backend =
        ForwardEndToEndTest.backend(p[0], "udp")
            .put("proxy-protocol", true)
            .put("timeout-ms", 1000)
            .put("retries", 0);
    try (Peer recursor = Peer.start(dir, command);
        TestNode node = TestNode.start(front(p[1], p[2], backend))) {
      Message allowed = null;
      for (int attempt = 0;
          attempt < 20 && (allowed == null || allowed.getRcode() != 0);
          attempt++) {
        assertTrue(recursor.alive(), recursor.log());
        allowed = askAs(p[2], ALLOWED);
        Thread.sleep(allowed.getRcode() == 0 ? 0 : 250);
      }
      assertAnswered(allowed, "the recursor admits the PROXY source " + ALLOWED);
      Message other = askAs(p[2], OTHER);
      assertEquals(
          Rcode.SERVFAIL,
          other.getRcode(),
          "the recursor drops " + OTHER + " (allow-from), so no backend answered");
    }
  }

  @Test
  void named920SeesTheProxiedClientOverUdpTcpAndDot(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    TestCertificate certificate = TestCertificate.create(dir.resolve("tls"));
    int[] p = TransferPeers.freePorts(4);
    Files.writeString(dir.resolve("fwd.test.zone"), ZONE);
    String conf =
        String.join(
            "\n",
            TransferPeers.namedOptions(
                dir,
                p[0],
                "  listen-on port " + p[1] + " proxy plain { 127.0.0.1; };",
                "  listen-on port " + p[2] + " tls local proxy encrypted { 127.0.0.1; };",
                "  allow-proxy { 127.0.0.0/8; };"),
            "tls local { cert-file \""
                + certificate.cert()
                + "\"; key-file \""
                + certificate.key()
                + "\"; };",
            "zone \"fwd.test\" { type primary; file \"fwd.test.zone\";"
                + " allow-query { "
                + ALLOWED
                + "; }; };",
            "");
    try (Peer named = TransferPeers.startNamed(dir, conf)) {
      for (String transport : List.of("udp", "tcp", "dot")) {
        int[] front = TransferPeers.freePorts(2);
        JsonObject backend =
            ForwardEndToEndTest.backend(transport.equals("dot") ? p[2] : p[1], transport)
                .put("proxy-protocol", true);
        if (transport.equals("dot")) {
          backend.put("tls-name", "localhost").put("ca-file", certificate.cert().toString());
        }
        try (TestNode node = TestNode.start(front(front[0], front[1], backend))) {
          assertAnswered(askAs(front[1], ALLOWED), transport + ": named admits " + ALLOWED);
          Message other = askAs(front[1], OTHER);
          assertEquals(
              Rcode.REFUSED,
              other.getRcode(),
              transport + ": named refuses " + OTHER + "\n" + named.log());
        }
      }
    }
  }

  @Test
  void dnsdistThenVxdnsThenNamedKeepTheOriginalClient(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Peer.assumeInstalled("dnsdist", "dnsdist");
    int[] p = TransferPeers.freePorts(5);
    Files.writeString(dir.resolve("fwd.test.zone"), ZONE);
    // The original clients are loopback aliases: 127.0.0.3 may ask, 127.0.0.4 may not.
    String conf =
        String.join(
            "\n",
            TransferPeers.namedOptions(
                dir,
                p[0],
                "  listen-on port " + p[1] + " proxy plain { 127.0.0.1; };",
                "  allow-proxy { 127.0.0.0/8; };"),
            "zone \"fwd.test\" { type primary; file \"fwd.test.zone\";"
                + " allow-query { 127.0.0.3; }; };",
            "");
    Path dnsdistConf = dir.resolve("dnsdist.conf");
    Files.writeString(
        dnsdistConf,
        String.join(
            "\n",
            "setSecurityPollSuffix('')",
            "setLocal('127.0.0.2:" + p[4] + "')",
            "newServer{address='127.0.0.1:" + p[3] + "', useProxyProtocol=true}",
            ""));
    JsonObject backend = ForwardEndToEndTest.backend(p[1], "udp").put("proxy-protocol", true);
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode node = TestNode.start(front(p[2], p[3], backend));
        Peer dnsdist =
            Peer.start(
                dir,
                List.of(
                    Peer.path("dnsdist"),
                    "--supervised",
                    "--disable-syslog",
                    "-C",
                    dnsdistConf.toString()))) {
      Message allowed = null;
      for (int attempt = 0; attempt < 20 && allowed == null; attempt++) {
        assertTrue(dnsdist.alive(), dnsdist.log());
        allowed = askFrom("127.0.0.3", p[4]);
        if (allowed == null) {
          Thread.sleep(250);
        }
      }
      assertNotNull(allowed, dnsdist.log());
      assertAnswered(allowed, "named sees dnsdist's client 127.0.0.3 through two PROXY hops");
      Message other = askFrom("127.0.0.4", p[4]);
      assertNotNull(other);
      assertEquals(Rcode.REFUSED, other.getRcode(), "named refuses 127.0.0.4\n" + named.log());
    }
  }

  /** {@code www.fwd.test. A} from a local address to dnsdist on 127.0.0.2; null on no answer. */
  private static Message askFrom(String from, int port) throws Exception {
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
      socket.setSoTimeout(3000);
      byte[] query =
          Message.newQuery(Record.newRecord(Name.fromString("www.fwd.test."), Type.A, DClass.IN))
              .toWire();
      socket.send(
          new DatagramPacket(query, query.length, InetAddress.getByName("127.0.0.2"), port));
      DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
      socket.receive(reply);
      return new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
    } catch (IOException timeout) {
      return null;
    }
  }
}
