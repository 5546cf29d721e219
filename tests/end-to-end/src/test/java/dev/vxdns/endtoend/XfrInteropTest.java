package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Zone transfers with real clients: Debian's dig (signed and unsigned), kdig over TCP and XoT
 * (DoT), BIND 9.20's dig over XoT and through PROXY listeners, where allow-transfer's port and
 * transport qualifiers decide; DoH answered NOTIMP; and AXFR/IXFR errors compared with named 9.20.
 */
class XfrInteropTest {
  private static final String PROXIED_ALLOWED = "192.0.2.7";
  private static final String PROXIED_REFUSED = "192.0.2.8";
  private static TestNode node;
  private static Path generated;
  private static int port;
  private static int dotPort;
  private static int h2cPort;
  private static int proxyPort;
  private static int dotProxyPort;
  private static int expectedRecords;

  private static JsonObject qualified(Integer port, String transport, String... match) {
    JsonObject element = new JsonObject().put("match", new JsonArray(List.of((Object[]) match)));
    if (port != null) {
      element.put("port", port);
    }
    return element.put("transport", transport);
  }

  @BeforeAll
  static void start() throws Exception {
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < 5) {
      int free = TestNode.freePort();
      if (!ports.contains(free)) {
        ports.add(free);
      }
    }
    port = ports.get(0);
    dotPort = ports.get(1);
    h2cPort = ports.get(2);
    proxyPort = ports.get(3);
    dotProxyPort = ports.get(4);
    JsonObject config = TsigEndToEndTest.config(port, Delivery.DIRECT);
    config
        .getJsonObject("options")
        .put(
            "listen-on",
            new JsonArray()
                .add(TestNode.listener(port, "udp"))
                .add(TestNode.listener(port, "tcp"))
                .add(TestNode.listener(dotPort, "dot").put("tls", "ephemeral"))
                .add(TestNode.listener(h2cPort, "h2c"))
                .add(TestNode.listener(proxyPort, "tcp").put("proxy", "plain"))
                .add(
                    TestNode.listener(dotProxyPort, "dot")
                        .put("tls", "ephemeral")
                        .put("proxy", "plain")))
        .put("allow-proxy", new JsonArray().add("127.0.0.0/8"));
    config
        .getJsonObject("zone")
        .put(
            "example.test",
            TestNode.exampleZone()
                .put(
                    "allow-transfer",
                    new JsonArray()
                        .add("key " + TsigEndToEndTest.KEY_256)
                        .add(qualified(proxyPort, "tcp", PROXIED_ALLOWED))
                        .add(qualified(dotProxyPort, "tls", PROXIED_ALLOWED))
                        .add(qualified(dotPort, "tls", "127.0.0.1"))
                        .add(qualified(null, "http-plain", "127.0.0.1"))));
    Path dir = Files.createTempDirectory("vxdns-xfr-interop");
    generated = dir.resolve("generated");
    node = TestNode.start(config, dir, generated);
    expectedRecords =
        XfrEndToEndTest.recordsOf(TestNode.EXAMPLE_ZONE, name("example.test.")).size();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static Name name(String text) {
    return Name.fromConstantString(text);
  }

  private static String ca() {
    return "+tls-ca=" + generated.resolve("ephemeral.crt");
  }

  /** The records dig/kdig report for a finished transfer (both SOAs counted), or -1. */
  private static int transferred(String output) {
    Matcher m = Pattern.compile("(?:XFR size|Received): (\\d+) records").matcher(output);
    if (m.find()) {
      return Integer.parseInt(m.group(1));
    }
    m =
        Pattern.compile(";; Received [0-9.]+ \\S+ \\((\\d+) messages, (\\d+) records\\)")
            .matcher(output);
    return m.find() ? Integer.parseInt(m.group(2)) : -1;
  }

  private static void assertWholeZone(String output) {
    assertEquals(expectedRecords + 1, transferred(output), output);
    assertFalse(output.contains("failed"), output);
  }

  private static List<String> base(int port, String... more) {
    List<String> args = new ArrayList<>(List.of("@127.0.0.1", "-p", Integer.toString(port)));
    args.addAll(Arrays.asList(more));
    return args;
  }

  @Test
  void debianDigTransfersWithTheAllowedKeyAndIsRefusedUnsigned() throws Exception {
    String signed =
        DigInteropTest.run(
            "dig",
            base(
                port,
                "+time=5",
                "+tries=1",
                "-y",
                "hmac-sha256:" + TsigEndToEndTest.KEY_256 + ":" + TsigEndToEndTest.SECRET_256,
                "example.test.",
                "AXFR"));
    assertWholeZone(signed);
    assertFalse(signed.contains("tsig"), "dig verified every message: " + signed);
    String unsigned =
        runAllowingFailure("dig", base(port, "+time=5", "+tries=1", "example.test.", "AXFR"));
    assertTrue(unsigned.contains("Transfer failed"), unsigned);
    assertEquals(-1, transferred(unsigned), unsigned);
  }

  @Test
  void kdigTransfersOverTcpWithTheKeyAndOverXotUnsigned() throws Exception {
    String tcp =
        DigInteropTest.run(
            "kdig",
            base(
                port,
                "+timeout=5",
                "+retry=0",
                "-y",
                "hmac-sha256:" + TsigEndToEndTest.KEY_256 + ":" + TsigEndToEndTest.SECRET_256,
                "example.test.",
                "AXFR"));
    assertWholeZone(tcp);
    String xot =
        DigInteropTest.run(
            "kdig",
            base(
                dotPort,
                "+timeout=5",
                "+retry=0",
                "+tls-ca=" + generated.resolve("ephemeral.crt"),
                "+tls-hostname=localhost",
                "example.test.",
                "AXFR"));
    assertWholeZone(xot);
    // The same client unsigned over plain TCP: the tls qualifier does not hold there.
    String refused =
        runAllowingFailure("kdig", base(port, "+timeout=5", "+retry=0", "example.test.", "AXFR"));
    assertTrue(refused.contains("REFUSED"), refused);
  }

  @Test
  void bind920DigTransfersOverXotAndThroughProxyListenersByTheQualifiedLists() throws Exception {
    Dig920 dig = Dig920.find();
    assertWholeZone(
        dig.run(base(dotPort, "+time=5", "+tries=1", "+tls", ca(), "example.test.", "AXFR")));
    String allowedTcp =
        dig.run(
            base(
                proxyPort,
                "+time=5",
                "+tries=1",
                "+proxy=" + PROXIED_ALLOWED + "#1234-127.0.0.1#" + proxyPort,
                "example.test.",
                "AXFR"));
    assertWholeZone(allowedTcp);
    String refusedTcp =
        dig.run(
            base(
                proxyPort,
                "+time=5",
                "+tries=1",
                "+proxy=" + PROXIED_REFUSED + "#1234-127.0.0.1#" + proxyPort,
                "example.test.",
                "AXFR"));
    // dig 9.20 says only "Transfer failed."; the rcode, read with the same header by hand:
    assertTrue(refusedTcp.contains("Transfer failed"), refusedTcp);
    assertEquals(Rcode.REFUSED, proxiedAxfrRcode(PROXIED_REFUSED));
    assertEquals(Rcode.NOERROR, proxiedAxfrRcode(PROXIED_ALLOWED));
    String allowedTls =
        dig.run(
            base(
                dotProxyPort,
                "+time=5",
                "+tries=1",
                "+tls",
                ca(),
                "+proxy-plain=" + PROXIED_ALLOWED + "#1234-127.0.0.1#" + dotProxyPort,
                "example.test.",
                "AXFR"));
    assertWholeZone(allowedTls);
    String refusedTls =
        dig.run(
            base(
                dotProxyPort,
                "+time=5",
                "+tries=1",
                "+tls",
                ca(),
                "+proxy-plain=" + PROXIED_REFUSED + "#1234-127.0.0.1#" + dotProxyPort,
                "example.test.",
                "AXFR"));
    assertTrue(refusedTls.contains("Transfer failed"), refusedTls);
    assertEquals(-1, transferred(refusedTls), refusedTls);
  }

  /**
   * The first response's rcode to an AXFR sent through the TCP PROXY listener as {@code source}.
   */
  private static int proxiedAxfrRcode(String source) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", proxyPort), 3000);
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              ProxyEndToEndTest.header(
                  dev.vxdns.proxyprotocol.TransportProtocol.STREAM, source, 1234, proxyPort));
      DnsClient.writeFramed(socket, XfrEndToEndTest.axfrQuery(name("example.test."), 5));
      return new Message(DnsClient.readFramed(socket)).getRcode();
    }
  }

  /** BIND 9.20 answers transfers over DoH NOTIMP (lib/ns/query.c): one message per exchange. */
  @Test
  void axfrOverDohIsNotimpAndOtherQueriesThereAnswer() throws Exception {
    byte[] axfr = XfrEndToEndTest.axfrQuery(name("example.test."), 0);
    HttpResponse<byte[]> response =
        DohClient.get(DohClient.http2(), "http://127.0.0.1:" + h2cPort + "/dns-query", axfr);
    assertEquals(200, response.statusCode());
    Message answer = new Message(response.body());
    assertEquals(Rcode.NOTIMP, answer.getRcode());
    assertTrue(answer.getSection(Section.ANSWER).isEmpty());
    Message soa = Message.newQuery(Record.newRecord(name("example.test."), Type.SOA, DClass.IN));
    soa.getHeader().setID(0);
    HttpResponse<byte[]> control =
        DohClient.get(
            DohClient.http2(), "http://127.0.0.1:" + h2cPort + "/dns-query", soa.toWire());
    assertEquals(Rcode.NOERROR, new Message(control.body()).getRcode());
  }

  static String runAllowingFailure(String tool, List<String> args) throws Exception {
    Peer.assumeInstalled(tool, tool.equals("dig") ? "dnsutils" : "knot-dnsutils");
    List<String> command = new ArrayList<>();
    command.add(tool);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), tool + " did not finish");
    return new String(process.getInputStream().readAllBytes());
  }

  // ---- differential: the same probes to named 9.20 and to vxdns ----

  /** One probe: rcode and answer count of the first response message. */
  record Probe(String name, int type, int dclass, boolean tcp, Long serial) {
    byte[] wire(int id) {
      Message query =
          Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, dclass));
      query.getHeader().setID(id);
      if (serial != null) {
        Name apex = Name.fromConstantString(name);
        query.addRecord(
            new SOARecord(apex, DClass.IN, 0, apex, apex, serial, 0, 0, 0, 0), Section.AUTHORITY);
      }
      return query.toWire();
    }

    String ask(int port) throws Exception {
      byte[] response;
      if (tcp) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 3000);
          socket.setSoTimeout(5000);
          DnsClient.writeFramed(socket, wire(7));
          response = DnsClient.readFramed(socket);
        }
      } else {
        try (DatagramSocket socket = new DatagramSocket()) {
          socket.setSoTimeout(5000);
          byte[] q = wire(7);
          socket.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
          byte[] buffer = new byte[65535];
          DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
          socket.receive(packet);
          response = Arrays.copyOf(buffer, packet.getLength());
        }
      }
      Message m = new Message(response);
      return Rcode.string(m.getRcode()) + " " + m.getSection(Section.ANSWER).size() + " answers";
    }

    @Override
    public String toString() {
      return name
          + " "
          + Type.string(type)
          + " "
          + DClass.string(dclass)
          + (tcp ? " tcp" : " udp")
          + (serial == null ? "" : " serial " + serial);
    }
  }

  @Test
  void transferErrorsAndSmallAnswersAreTheSameAsNamed920s(@TempDir Path dir) throws Exception {
    Peer.assumeInstalled("named", "bind9");
    long serial =
        ((SOARecord) node.query("example.test.", Type.SOA, false).getSection(Section.ANSWER).get(0))
            .getSerial();
    List<Probe> probes =
        List.of(
            new Probe("example.test.", Type.AXFR, DClass.IN, true, null),
            new Probe("example.test.", Type.AXFR, DClass.IN, false, null),
            new Probe("www.example.test.", Type.AXFR, DClass.IN, true, null),
            new Probe("nothere.test.", Type.AXFR, DClass.IN, true, null),
            new Probe("example.test.", Type.IXFR, DClass.IN, true, null),
            new Probe("example.test.", Type.IXFR, DClass.IN, true, serial),
            new Probe("example.test.", Type.IXFR, DClass.IN, true, serial + 5),
            new Probe("example.test.", Type.IXFR, DClass.IN, false, serial),
            new Probe("example.test.", Type.IXFR, DClass.IN, false, serial - 1),
            new Probe("example.test.", Type.AXFR, DClass.CH, true, null),
            new Probe("example.test.", Type.IXFR, DClass.IN, true, serial - 1));
    int namedPort = TestNode.freePort();
    int vxdnsPort;
    do {
      vxdnsPort = TestNode.freePort();
    } while (vxdnsPort == namedPort);
    String d = dir.toString();
    Path conf = dir.resolve("named.conf");
    Files.writeString(
        conf,
        "options {\n  directory \""
            + d
            + "\";\n  pid-file \""
            + d
            + "/named.pid\";\n"
            + "  session-keyfile \""
            + d
            + "/session.key\";\n"
            + "  managed-keys-directory \""
            + d
            + "\";\n"
            + "  listen-on port "
            + namedPort
            + " { 127.0.0.1; };\n  listen-on-v6 { none; };\n"
            + "  recursion no;\n  dnssec-validation no;\n  notify no;\n"
            + "  allow-transfer { 127.0.0.1; };\n};\ncontrols { };\n"
            + "zone \"example.test\" {\n  type primary;\n  file \""
            + TestNode.EXAMPLE_ZONE
            + "\";\n};\n");
    JsonObject config = TestNode.config(vxdnsPort, Delivery.DIRECT);
    config.getJsonObject("options").put("allow-transfer", new JsonArray().add("127.0.0.1"));
    try (Peer named = Peer.named(dir, conf);
        TestNode vxdns = TestNode.start(config)) {
      named.awaitNamed(List.of("example.test"));
      List<String> differences = new ArrayList<>();
      StringBuilder table = new StringBuilder();
      for (Probe probe : probes) {
        String fromNamed = probe.ask(namedPort);
        String fromVxdns = probe.ask(vxdnsPort);
        table.append(
            String.format("  %-45s named: %-22s vxdns: %s%n", probe, fromNamed, fromVxdns));
        if (!fromNamed.equals(fromVxdns)) {
          differences.add(probe.toString());
        }
      }
      assertTrue(differences.isEmpty(), "differences " + differences + ":\n" + table);
      // Positive control: the table holds real transfers, not only errors.
      assertTrue(table.toString().contains("named: NOERROR"), table.toString());
    }
  }
}
