package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.client.ClientOptions;
import dev.vxdns.client.ProxyMode;
import dev.vxdns.client.QueryClient;
import dev.vxdns.client.Transport;
import dev.vxdns.config.named.NamedConf;
import dev.vxdns.verticles.node.NamedImport;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * import-named round trip: BIND named 9.20 runs on a named.conf (ACLs with a nested negation and a
 * key, per-zone overrides, a Do53 listener with PROXY in clear and a DoT one with its tls statement
 * and PROXY inside TLS, resolver options vxdns drops), vxdns runs on what {@code vxdns
 * import-named} made of the same file, and every probe (clients inside and outside the lists,
 * claimed through PROXY headers; signed and unsigned; UDP and TCP; answers, NXDOMAIN, refusals)
 * gets the same rcode and the same answer and authority sections from both.
 */
class NamedImportRoundTripInteropTest {
  private static final String KEY = "probe-key";
  private static final String ALLOW_QUERY =
      "  allow-query { !192.0.2.66; our-nets; key " + KEY + "; };";
  private static final String SECRET = "cHJvYmUta2V5LXNlY3JldC0wMTIzNDU2Nzg5YWJjZGVm";

  record Probe(String source, String name, int type, boolean signed, Transport transport) {
    @Override
    public String toString() {
      return source
          + " "
          + name
          + " "
          + Type.string(type)
          + (signed ? " signed" : "")
          + " "
          + transport;
    }
  }

  /**
   * @param inView the zones and the access list in a view for every client, the options' own
   *     allow-query {@code none} (which the view's overrides, in named and in the conversion)
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  @Timeout(180)
  void theConvertedConfigAnswersAsNamedDoesOnTheOriginal(boolean inView, @TempDir Path dir)
      throws Exception {
    Requires.that(
        new File(Peer.NAMED).canExecute(),
        Peer.NAMED + " is not installed (.ci/install-bind.sh 9.20)");
    Files.copy(TestNode.EXAMPLE_ZONE, dir.resolve("example.test.zone"));
    for (String zone : List.of("other.test", "locked.test")) {
      Files.writeString(
          dir.resolve(zone + ".zone"),
          "$TTL 300\n@ SOA ns."
              + zone
              + ". hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.1\nwww A 192.0.2.80\n"
                  .replace("@ ", zone + ". "));
    }
    // a certificate the JDK can read (BIND's own ephemeral one has an empty subject, which JSSE
    // refuses to parse: see modules/client/README.md)
    TestCertificate certificate = TestCertificate.create(dir.resolve("tls"));
    int namedPort = TestNode.freePort();
    int namedDotPort = TestNode.freePort();
    String d = dir.toString();
    Path conf =
        Files.writeString(
            dir.resolve("named.conf"),
            String.join(
                "\n",
                "// a named.conf as an operator writes it",
                "options {",
                "  directory \"" + d + "\";",
                "  pid-file \"" + d + "/named.pid\";",
                "  session-keyfile \"" + d + "/session.key\";",
                "  managed-keys-directory \"" + d + "\";",
                "  listen-on port " + namedPort + " proxy plain { 127.0.0.1; };",
                "  listen-on port "
                    + namedDotPort
                    + " proxy encrypted tls local-tls { 127.0.0.1; };",
                "  listen-on-v6 { none; };",
                "  allow-proxy { 127.0.0.1; };",
                "  recursion no;",
                "  dnssec-validation no;",
                "  notify no;",
                inView ? "  allow-query { none; };" : ALLOW_QUERY,
                "  allow-transfer { none; };",
                "};",
                "controls { };",
                "tls local-tls { cert-file \""
                    + certificate.cert()
                    + "\"; key-file \""
                    + certificate.key()
                    + "\"; };",
                "key \"" + KEY + "\" { algorithm hmac-sha256; secret \"" + SECRET + "\"; };",
                "acl our-nets { 10/8; 192.0.2.0/24; !{ !2001:db8::/32; any; }; };",
                inView ? "view \"all\" {\n  match-clients { any; };\n" + ALLOW_QUERY : "",
                "zone \"example.test\" { type primary; file \"example.test.zone\"; };",
                "zone \"other.test\" { type master; file \"other.test.zone\"; allow-query { any; }; };",
                "zone \"locked.test\" IN {",
                "  type primary;",
                "  file \"locked.test.zone\";",
                "  allow-query { key " + KEY + "; };",
                "};",
                inView ? "};" : "",
                ""));
    NamedImport.Result imported = NamedImport.convert(NamedConf.parse(conf));
    assertTrue(
        imported.notes().stream().anyMatch(n -> n.contains(":11: recursion no; dropped")),
        imported.notes().toString());
    JsonObject config = imported.config();
    int vxdnsPort = TestNode.freePort();
    int vxdnsDotPort = TestNode.freePort();
    // the one change: both servers run side by side, so vxdns gets its own ports
    JsonObject listener =
        config.getJsonObject("options").getJsonArray("listen-on").getJsonObject(0);
    assertEquals(namedPort, listener.getInteger("port"));
    listener.put("port", vxdnsPort);
    JsonObject dot = config.getJsonObject("options").getJsonArray("listen-on").getJsonObject(1);
    assertEquals(
        new JsonObject()
            .put("address", "127.0.0.1")
            .put("port", namedDotPort)
            .put("transport", "dot")
            .put("tls", "local-tls")
            .put("proxy", "encrypted"),
        dot);
    dot.put("port", vxdnsDotPort);

    List<Probe> probes = new ArrayList<>();
    for (String source :
        List.of(
            "10.1.2.3", "192.0.2.7", "192.0.2.66", "203.0.113.9", "2001:db8::5", "2001:db9::5")) {
      for (boolean signed : List.of(false, true)) {
        probes.add(new Probe(source, "www.example.test", Type.A, signed, Transport.UDP));
        probes.add(new Probe(source, "nx.example.test", Type.A, signed, Transport.TCP));
        probes.add(new Probe(source, "other.test", Type.SOA, signed, Transport.UDP));
        probes.add(new Probe(source, "www.locked.test", Type.A, signed, Transport.TCP));
        probes.add(new Probe(source, "www.example.test", Type.A, signed, Transport.DOT));
      }
    }
    List<String> named;
    String namedLog;
    try (Peer peer = Peer.named(dir, conf)) {
      peer.awaitNamed(List.of());
      named = outcomes(namedPort, namedDotPort, probes);
      namedLog = peer.log();
    }
    List<String> vxdns;
    try (TestNode node = TestNode.start(config, dir, null)) {
      vxdns = outcomes(vxdnsPort, vxdnsDotPort, probes);
    }
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < probes.size(); i++) {
      if (!named.get(i).equals(vxdns.get(i))) {
        differences.add(
            probes.get(i) + "\n  named: " + named.get(i) + "\n  vxdns: " + vxdns.get(i));
      }
    }
    assertEquals(List.of(), differences, "config:\n" + config.encodePrettily());
    // nothing here is blackholed: every probe is answered, on every transport
    for (int i = 0; i < probes.size(); i++) {
      assertTrue(
          !named.get(i).startsWith("no answer"),
          probes.get(i) + ": named " + named.get(i) + "\n" + namedLog);
    }
    // both kinds of decision were exercised
    assertTrue(named.stream().anyMatch(o -> o.startsWith("REFUSED")), named.toString());
    assertTrue(
        named.stream().anyMatch(o -> o.startsWith("NOERROR") && o.contains("192.0.2.")),
        named.toString());
    assertTrue(named.stream().anyMatch(o -> o.startsWith("NXDOMAIN")), named.toString());
  }

  /** Per probe: rcode, answer and authority (sorted), through a PROXY header from the source. */
  private static List<String> outcomes(int port, int dotPort, List<Probe> probes) throws Exception {
    List<String> outcomes = new ArrayList<>();
    for (Probe probe : probes) {
      InetAddress source = InetAddress.getByName(probe.source());
      InetAddress destination =
          InetAddress.getByName(source.getAddress().length == 4 ? "198.51.100.53" : "2001:db8::53");
      ClientOptions options =
          ClientOptions.udp(
                  new InetSocketAddress(
                      "127.0.0.1", probe.transport() == Transport.DOT ? dotPort : port))
              .withTransport(probe.transport())
              .withProxy(
                  probe.transport() == Transport.DOT ? ProxyMode.ENCRYPTED : ProxyMode.PLAIN,
                  new InetSocketAddress(source, 5353),
                  new InetSocketAddress(destination, 53))
              .withTimeout(Duration.ofSeconds(3))
              .withTsig(
                  probe.signed()
                      ? new TSIG(TSIG.HMAC_SHA256, Name.fromString(KEY + "."), SECRET)
                      : null);
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString(probe.name() + "."), probe.type(), 1));
      Message response;
      try {
        response = QueryClient.exchange(query, options).message();
      } catch (java.io.IOException e) {
        outcomes.add("no answer (" + e.getClass().getSimpleName() + ")");
        continue;
      }
      outcomes.add(
          Rcode.string(response.getRcode())
              + " answer="
              + sorted(response, Section.ANSWER)
              + " authority="
              + sorted(response, Section.AUTHORITY));
    }
    return outcomes;
  }

  private static String sorted(Message message, int section) {
    return message.getSection(section).stream()
        .map(Record::toString)
        .sorted()
        .collect(Collectors.joining("; "));
  }
}
