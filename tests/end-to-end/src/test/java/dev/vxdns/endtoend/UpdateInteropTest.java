package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Dynamic updates from real clients through a whole node, as config/examples/dynamic.json sets it
 * up: nsupdate (Debian's 9.18 and BIND 9.20's) signed with {@code -y}, with {@code -k} and a TSIG
 * key file, and with a SIG(0) key from {@code dnssec-keygen -T KEY} whose KEY record is in the
 * zone; every change kind and prerequisite kind with the rcode nsupdate reports; unsigned updates
 * refused; updates through a PROXY listener decided on the header's source; updates over DoT. After
 * every step the node is queried for the data and the SOA serial.
 */
class UpdateInteropTest {
  static final String ZONE = "dyn.test.";
  static final String KEY = "update-key.";
  static final String SECRET = "dXBkYXRlLWtleS1leGFtcGxlLW9ubHktcmVwbGFjZSE=";
  static final String SIG0_NAME = "sig0.dyn.test.";

  /** The zone whose updates {@code allow-update} judges on the (effective) source address. */
  static final String ACL_ZONE = "acl.test.";

  /** A reverse zone with {@code grant * tcp-self . PTR(1)}: the PROXY source names itself. */
  static final String REVERSE_ZONE = "2.0.192.in-addr.arpa.";

  static final Path NSUPDATE_920 = Dig920.prefix().resolve("usr/bin/nsupdate");

  @TempDir Path dir;
  private TestNode node;
  private int port;
  private int proxyPort;
  private int dotPort;
  private TestCertificate certificate;
  private String sig0KeyFile;

  /** An nsupdate binary: Debian's (9.18) or BIND 9.20's private one. */
  record Nsupdate(String label, String binary, Map<String, String> environment) {
    @Override
    public String toString() {
      return label;
    }
  }

  static Stream<Arguments> clients() {
    return Stream.of(
        Arguments.of(new Nsupdate("nsupdate 9.18", "nsupdate", Map.of())),
        Arguments.of(
            new Nsupdate(
                "nsupdate 9.20",
                NSUPDATE_920.toString(),
                Map.of("LD_LIBRARY_PATH", Dig920.privateLibraries()))));
  }

  static void requireInstalled(Nsupdate client) {
    if (client.binary().equals("nsupdate")) {
      Peer.assumeInstalled("nsupdate", "bind9-dnsutils");
    } else {
      Requires.that(
          Files.isExecutable(NSUPDATE_920),
          "BIND 9.20's nsupdate is not installed (run .ci/install-bind.sh 9.20)");
    }
  }

  @BeforeEach
  void start() throws Exception {
    Peer.assumeInstalled("dnssec-keygen", "bind9-utils");
    String keyLine = makeSig0Key();
    String zoneText =
        Files.readString(Path.of("../../config/zones/dyn.test.zone").toAbsolutePath())
            + keyLine
            + "\n";
    Files.writeString(dir.resolve("dyn.test.zone"), zoneText);
    Files.writeString(
        dir.resolve("acl.test.zone"),
        "$TTL 300\n@ IN SOA ns hostmaster 1 3600 600 86400 60\n@ IN NS ns\nns IN A 192.0.2.1\n");
    Files.writeString(
        dir.resolve("reverse.zone"),
        "$TTL 300\n@ IN SOA ns.dyn.test. hostmaster.dyn.test. 1 3600 600 86400 60\n"
            + "@ IN NS ns.dyn.test.\n");
    certificate = TestCertificate.create(dir);

    port = TestNode.freePort();
    do {
      proxyPort = TestNode.freePort();
    } while (proxyPort == port);
    do {
      dotPort = TestNode.freePort();
    } while (dotPort == port || dotPort == proxyPort);
    JsonObject config = new JsonObject();
    config.put(
        "key",
        new JsonObject()
            .put(KEY, new JsonObject().put("algorithm", "hmac-sha256").put("secret", SECRET)));
    config.put("tls", certificate.tlsConfig());
    config.put(
        "options",
        new JsonObject()
            .put(
                "listen-on",
                new JsonArray()
                    .add(TestNode.do53Listener(port))
                    .add(TestNode.do53Listener(proxyPort).put("proxy", "plain"))
                    .add(TestCertificate.listener("dot", dotPort)))
            .put("allow-proxy", new JsonArray().add("127.0.0.0/8")));
    config.put(
        "zone",
        new JsonObject()
            .put(
                "dyn.test",
                new JsonObject()
                    .put("type", "primary")
                    .put("file", "dyn.test.zone")
                    .put(
                        "update-policy",
                        new JsonArray()
                            .add("grant " + KEY + " zonesub ANY")
                            .add("grant " + SIG0_NAME + " zonesub ANY"))
                    .put("allow-transfer", new JsonArray().add("key " + KEY).add("127.0.0.1")))
            .put(
                "acl.test",
                new JsonObject()
                    .put("file", "acl.test.zone")
                    .put("allow-update", new JsonArray().add("192.0.2.7")))
            .put(
                "2.0.192.in-addr.arpa",
                new JsonObject()
                    .put("file", "reverse.zone")
                    .put("update-policy", new JsonArray().add("grant * tcp-self . PTR(1)"))));
    node = TestNode.start(config, dir, null);
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /** dnssec-keygen -T KEY for {@value #SIG0_NAME}; returns the KEY record's line for the zone. */
  private String makeSig0Key() throws Exception {
    Process keygen =
        new ProcessBuilder(
                "dnssec-keygen",
                "-K",
                dir.toString(),
                "-T",
                "KEY",
                "-a",
                "ECDSAP256SHA256",
                "-n",
                "USER",
                SIG0_NAME)
            .redirectErrorStream(true)
            .start();
    assertTrue(keygen.waitFor(30, TimeUnit.SECONDS));
    String base = new String(keygen.getInputStream().readAllBytes()).strip();
    assertEquals(0, keygen.exitValue(), base);
    sig0KeyFile = dir.resolve(base + ".private").toString();
    return Files.readString(dir.resolve(base + ".key"))
        .lines()
        .filter(line -> !line.startsWith(";"))
        .findFirst()
        .orElseThrow();
  }

  /** What nsupdate said and its exit status (0: every send NOERROR, 2: an update failed). */
  record Run(int exit, String output) {
    /** The rcode nsupdate reported: "update failed: RCODE", else NOERROR. */
    String rcode() {
      java.util.regex.Matcher failed =
          java.util.regex.Pattern.compile("update failed: (\\S+)").matcher(output);
      return failed.find() ? failed.group(1) : exit == 0 ? "NOERROR" : "exit " + exit;
    }
  }

  private Run nsupdate(Nsupdate client, List<String> options, List<String> lines) throws Exception {
    StringBuilder script = new StringBuilder("server 127.0.0.1 " + port + "\nzone " + ZONE + "\n");
    for (String line : lines) {
      script.append(line).append('\n');
    }
    script.append("send\n");
    Path file = Files.createTempFile(dir, "script", ".txt");
    Files.writeString(file, script.toString());
    List<String> command = new ArrayList<>();
    command.add(client.binary());
    command.add("-t");
    command.add("5");
    command.addAll(options);
    command.add(file.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(client.environment());
    Process process = builder.start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "nsupdate did not finish: " + command);
    return new Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private long serial(String zone) throws Exception {
    Message response = DnsClient.query(port, zone, Type.SOA, false);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    return ((SOARecord) response.getSection(Section.ANSWER).get(0)).getSerial();
  }

  /** The rdata of name/type as the node answers it now, sorted; empty for none. */
  private TreeSet<String> data(String name, int type) throws Exception {
    Message response = DnsClient.query(port, name, type, false);
    TreeSet<String> rdata = new TreeSet<>();
    for (Record record : response.getSection(Section.ANSWER)) {
      if (record.getType() == type) {
        rdata.add(record.rdataToString());
      }
    }
    return rdata;
  }

  private int rcode(String name, int type) throws Exception {
    return DnsClient.query(port, name, type, false).getRcode();
  }

  /**
   * One nsupdate send; asserts the rcode nsupdate reports and that the serial moved by one on
   * NOERROR and not at all otherwise.
   */
  private void step(Nsupdate client, List<String> options, String expected, String... lines)
      throws Exception {
    long before = serial(ZONE);
    Run run = nsupdate(client, options, List.of(lines));
    assertEquals(expected, run.rcode(), client + " " + List.of(lines) + " said:\n" + run.output());
    assertEquals(
        expected.equals("NOERROR") ? before + 1 : before,
        serial(ZONE),
        "the serial after " + List.of(lines));
  }

  private static TreeSet<String> set(String... values) {
    return new TreeSet<>(List.of(values));
  }

  /** Every change kind and prerequisite kind, signed as {@code options} say. */
  private void changesAndPrerequisites(Nsupdate client, List<String> options) throws Exception {
    String a = "a.dyn.test.";
    step(
        client,
        options,
        "NOERROR",
        "update add " + a + " 300 A 192.0.2.1",
        "update add " + a + " 300 A 192.0.2.2");
    assertEquals(set("192.0.2.1", "192.0.2.2"), data(a, Type.A));
    // delete one RR
    step(client, options, "NOERROR", "update delete " + a + " A 192.0.2.1");
    assertEquals(set("192.0.2.2"), data(a, Type.A));
    step(client, options, "NOERROR", "update add " + a + " 300 TXT \"kept\"");
    // delete an RRset: the A records go, the TXT stays
    step(client, options, "NOERROR", "update delete " + a + " A");
    assertEquals(set(), data(a, Type.A));
    assertEquals(Rcode.NOERROR, rcode(a, Type.A));
    assertEquals(set("\"kept\""), data(a, Type.TXT));
    // delete a name
    step(client, options, "NOERROR", "update delete " + a);
    assertEquals(Rcode.NXDOMAIN, rcode(a, Type.TXT));

    // Each prerequisite kind, met and not met; the update guarded by it adds a marker.
    String[][] prerequisites = {
      {"prereq yxdomain www.dyn.test.", "NOERROR"},
      {"prereq yxdomain nothere.dyn.test.", "NXDOMAIN"},
      {"prereq nxdomain nothere.dyn.test.", "NOERROR"},
      {"prereq nxdomain www.dyn.test.", "YXDOMAIN"},
      {"prereq yxrrset www.dyn.test. A", "NOERROR"},
      {"prereq yxrrset www.dyn.test. AAAA", "NXRRSET"},
      {"prereq yxrrset www.dyn.test. A 192.0.2.10", "NOERROR"},
      {"prereq yxrrset www.dyn.test. A 192.0.2.99", "NXRRSET"},
      {"prereq nxrrset www.dyn.test. AAAA", "NOERROR"},
      {"prereq nxrrset www.dyn.test. A", "YXRRSET"},
    };
    for (int i = 0; i < prerequisites.length; i++) {
      String marker = "p" + i + ".dyn.test.";
      step(
          client,
          options,
          prerequisites[i][1],
          prerequisites[i][0],
          "update add " + marker + " 300 A 192.0.2." + (100 + i));
      assertEquals(
          prerequisites[i][1].equals("NOERROR") ? set("192.0.2." + (100 + i)) : set(),
          data(marker, Type.A),
          prerequisites[i][0]);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void nsupdateWithDashYChangesTheZone(Nsupdate client) throws Exception {
    requireInstalled(client);
    changesAndPrerequisites(client, List.of("-y", "hmac-sha256:" + KEY + ":" + SECRET));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void nsupdateWithATsigKeyFileOverTcpChangesTheZone(Nsupdate client) throws Exception {
    requireInstalled(client);
    Path keyFile = dir.resolve("update-key.conf");
    Files.writeString(
        keyFile,
        "key \"" + KEY + "\" {\n  algorithm hmac-sha256;\n  secret \"" + SECRET + "\";\n};\n");
    changesAndPrerequisites(client, List.of("-v", "-k", keyFile.toString()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void nsupdateWithASig0KeyChangesTheZone(Nsupdate client) throws Exception {
    requireInstalled(client);
    step(client, List.of("-k", sig0KeyFile), "NOERROR", "update add s.dyn.test. 300 A 192.0.2.5");
    assertEquals(set("192.0.2.5"), data("s.dyn.test.", Type.A));
    step(client, List.of("-k", sig0KeyFile), "NOERROR", "update delete s.dyn.test. A");
    assertEquals(Rcode.NXDOMAIN, rcode("s.dyn.test.", Type.A));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void anUnsignedUpdateIsRefused(Nsupdate client) throws Exception {
    requireInstalled(client);
    step(client, List.of(), "REFUSED", "update add u.dyn.test. 300 A 192.0.2.6");
    step(client, List.of("-v"), "REFUSED", "update add u.dyn.test. 300 A 192.0.2.6");
    assertEquals(Rcode.NXDOMAIN, rcode("u.dyn.test.", Type.A));
    // Positive control: the same update signed goes through.
    step(
        client,
        List.of("-y", "hmac-sha256:" + KEY + ":" + SECRET),
        "NOERROR",
        "update add u.dyn.test. 300 A 192.0.2.6");
    assertEquals(set("192.0.2.6"), data("u.dyn.test.", Type.A));
  }

  private static byte[] update(String zone, String name, int type, String rdata) throws Exception {
    Update update = new Update(Name.fromString(zone));
    update.add(Record.fromString(Name.fromString(name), type, DClass.IN, 300, rdata, Name.root));
    return update.toWire();
  }

  private static byte[] proxied(
      TransportProtocol protocol, String source, int destination, byte[] dns) {
    return ProxyEncoder.prepend(
        ProxyHeader.proxy(
            protocol,
            new InetSocketAddress(source, 5353),
            new InetSocketAddress("127.0.0.1", destination)),
        dns);
  }

  private int proxiedUdp(String source, byte[] dns) throws Exception {
    byte[] answer =
        DnsClient.udp(proxyPort, proxied(TransportProtocol.DGRAM, source, proxyPort, dns), 3000);
    assertNotNull(answer, "no answer over UDP for a PROXY source " + source);
    return new Message(answer).getRcode();
  }

  private int proxiedTcp(String source, byte[] dns) throws Exception {
    try (Socket socket = DnsClient.tcp(proxyPort, 3000)) {
      socket
          .getOutputStream()
          .write(
              ProxyEncoder.encode(
                  ProxyHeader.proxy(
                      TransportProtocol.STREAM,
                      new InetSocketAddress(source, 5353),
                      new InetSocketAddress("127.0.0.1", proxyPort))));
      DnsClient.writeFramed(socket, dns);
      byte[] answer = DnsClient.readFramed(socket);
      assertNotNull(answer, "no answer over TCP for a PROXY source " + source);
      return new Message(answer).getRcode();
    }
  }

  /**
   * allow-update { 192.0.2.7; } and update-policy tcp-self judge the PROXY header's source, not the
   * proxy's address: the same update is applied for one source and refused for another, over UDP
   * and TCP, and refused when sent without a header from 127.0.0.1.
   */
  @Test
  void throughAProxyTheHeadersSourceDecides() throws Exception {
    long before = serial(ACL_ZONE);
    assertEquals(
        Rcode.REFUSED,
        proxiedUdp("192.0.2.8", update(ACL_ZONE, "u1.acl.test.", Type.A, "192.0.2.1")));
    assertEquals(
        Rcode.REFUSED,
        proxiedTcp("192.0.2.8", update(ACL_ZONE, "u1.acl.test.", Type.A, "192.0.2.1")));
    Message direct =
        new Message(
            DnsClient.udp(port, update(ACL_ZONE, "u1.acl.test.", Type.A, "192.0.2.1"), 3000));
    assertEquals(Rcode.REFUSED, direct.getRcode());
    assertEquals(Rcode.NXDOMAIN, rcode("u1.acl.test.", Type.A));
    assertEquals(before, serial(ACL_ZONE));

    assertEquals(
        Rcode.NOERROR,
        proxiedUdp("192.0.2.7", update(ACL_ZONE, "u1.acl.test.", Type.A, "192.0.2.1")));
    assertEquals(set("192.0.2.1"), data("u1.acl.test.", Type.A));
    assertEquals(before + 1, serial(ACL_ZONE));
    assertEquals(
        Rcode.NOERROR,
        proxiedTcp("192.0.2.7", update(ACL_ZONE, "u2.acl.test.", Type.A, "192.0.2.2")));
    assertEquals(set("192.0.2.2"), data("u2.acl.test.", Type.A));
    assertEquals(before + 2, serial(ACL_ZONE));

    // tcp-self: 192.0.2.7 may set the PTR of 7.2.0.192.in-addr.arpa, over TCP only.
    long reverse = serial(REVERSE_ZONE);
    byte[] ptr7 = update(REVERSE_ZONE, "7." + REVERSE_ZONE, Type.PTR, "host7.dyn.test.");
    assertEquals(Rcode.REFUSED, proxiedTcp("192.0.2.8", ptr7));
    assertEquals(Rcode.REFUSED, proxiedUdp("192.0.2.7", ptr7));
    assertEquals(reverse, serial(REVERSE_ZONE));
    assertEquals(Rcode.NOERROR, proxiedTcp("192.0.2.7", ptr7));
    assertEquals(set("host7.dyn.test."), data("7." + REVERSE_ZONE, Type.PTR));
    assertEquals(reverse + 1, serial(REVERSE_ZONE));
  }

  /** One message over a new DoT connection (generous timeouts: the machine is shared). */
  private byte[] dot(SSLContext trusting, byte[] query) throws Exception {
    try (Socket socket = DotClient.connect(trusting, dotPort, 15_000, "dot")) {
      DnsClient.writeFramed(socket, query);
      byte[] answer = DnsClient.readFramed(socket);
      assertNotNull(answer, "the DoT connection was closed without an answer");
      return answer;
    }
  }

  /** DoT takes updates too: a TSIG-signed one (dnsjava over TLS), its answer signed back. */
  @Test
  void updatesOverDotAreAppliedAndTheAnswerIsSigned() throws Exception {
    SSLContext trusting = certificate.trustingContext();
    TSIG key = TsigEndToEndTest.key("hmac-sha256", KEY, SECRET, Clock.systemUTC());
    long before = serial(ZONE);

    Update signed = new Update(Name.fromString(ZONE));
    signed.add(
        new ARecord(
            Name.fromString("tls.dyn.test."), DClass.IN, 300, InetAddress.getByName("192.0.2.53")));
    signed.setTSIG(key, Rcode.NOERROR, null);
    byte[] wire = signed.toWire(65535);
    byte[] answer = dot(trusting, wire);
    Message response = new Message(answer);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    assertNotNull(response.getTSIG(), "the answer is signed");
    assertEquals(
        Rcode.NOERROR, key.verify(response, answer, new Message(wire).getTSIG()), "its TSIG");
    assertEquals(set("192.0.2.53"), data("tls.dyn.test.", Type.A));
    assertEquals(before + 1, serial(ZONE));

    Update unsigned = new Update(Name.fromString(ZONE));
    unsigned.add(
        new ARecord(
            Name.fromString("tls2.dyn.test."),
            DClass.IN,
            300,
            InetAddress.getByName("192.0.2.54")));
    Message refused = new Message(dot(trusting, unsigned.toWire()));
    assertEquals(Rcode.REFUSED, refused.getRcode());
    assertEquals(Rcode.NXDOMAIN, rcode("tls2.dyn.test.", Type.A));
    assertEquals(before + 1, serial(ZONE));
  }
}
