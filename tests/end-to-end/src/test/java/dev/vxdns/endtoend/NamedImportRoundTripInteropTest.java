package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * import-named round trip: BIND named 9.20 runs on a named.conf (ACLs with a nested negation and a
 * key, per-zone overrides, a PROXY listener, resolver options vxdns drops), vxdns runs on what
 * {@code vxdns import-named} made of the same file, and every probe (clients inside and outside the
 * lists, claimed through PROXY headers; signed and unsigned; UDP and TCP; answers, NXDOMAIN,
 * refusals) gets the same rcode and the same answer and authority sections from both.
 */
class NamedImportRoundTripInteropTest {
  private static final String KEY = "probe-key";
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

  @Test
  @Timeout(180)
  void theConvertedConfigAnswersAsNamedDoesOnTheOriginal(@TempDir Path dir) throws Exception {
    Requires.that(
        new File(AclEquivalenceInteropTest.NAMED).canExecute(),
        AclEquivalenceInteropTest.NAMED + " is not installed (.ci/install-bind.sh 9.20)");
    Files.copy(TestNode.EXAMPLE_ZONE, dir.resolve("example.test.zone"));
    for (String zone : List.of("other.test", "locked.test")) {
      Files.writeString(
          dir.resolve(zone + ".zone"),
          "$TTL 300\n@ SOA ns."
              + zone
              + ". hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.1\nwww A 192.0.2.80\n"
                  .replace("@ ", zone + ". "));
    }
    int namedPort = TestNode.freePort();
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
                "  listen-on-v6 { none; };",
                "  allow-proxy { 127.0.0.1; };",
                "  recursion no;",
                "  dnssec-validation no;",
                "  notify no;",
                "  allow-query { !192.0.2.66; our-nets; key " + KEY + "; };",
                "  allow-transfer { none; };",
                "};",
                "controls { };",
                "key \"" + KEY + "\" { algorithm hmac-sha256; secret \"" + SECRET + "\"; };",
                "acl our-nets { 10/8; 192.0.2.0/24; !{ !2001:db8::/32; any; }; };",
                "zone \"example.test\" { type primary; file \"example.test.zone\"; };",
                "zone \"other.test\" { type master; file \"other.test.zone\"; allow-query { any; }; };",
                "zone \"locked.test\" IN {",
                "  type primary;",
                "  file \"locked.test.zone\";",
                "  allow-query { key " + KEY + "; };",
                "};",
                ""));
    NamedImport.Result imported = NamedImport.convert(NamedConf.parse(conf));
    assertTrue(
        imported.notes().stream().anyMatch(n -> n.contains(":10: recursion no; dropped")),
        imported.notes().toString());
    JsonObject config = imported.config();
    int vxdnsPort = TestNode.freePort();
    // the one change: both servers run side by side, so vxdns gets its own port
    JsonObject listener =
        config.getJsonObject("options").getJsonArray("listen-on").getJsonObject(0);
    assertEquals(namedPort, listener.getInteger("port"));
    listener.put("port", vxdnsPort);

    List<Probe> probes = new ArrayList<>();
    for (String source :
        List.of(
            "10.1.2.3", "192.0.2.7", "192.0.2.66", "203.0.113.9", "2001:db8::5", "2001:db9::5")) {
      for (boolean signed : List.of(false, true)) {
        probes.add(new Probe(source, "www.example.test", Type.A, signed, Transport.UDP));
        probes.add(new Probe(source, "nx.example.test", Type.A, signed, Transport.TCP));
        probes.add(new Probe(source, "other.test", Type.SOA, signed, Transport.UDP));
        probes.add(new Probe(source, "www.locked.test", Type.A, signed, Transport.TCP));
      }
    }
    List<String> named;
    try (Peer peer =
        Peer.start(
            dir,
            List.of(AclEquivalenceInteropTest.NAMED, "-g", "-n", "1", "-c", conf.toString()),
            AclEquivalenceInteropTest.NAMED_ENVIRONMENT)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!peer.log().contains(" running\n")) {
        if (!peer.alive() || System.nanoTime() > deadline) {
          fail("named did not start:\n" + peer.log());
        }
        Thread.sleep(100);
      }
      named = outcomes(namedPort, probes);
    }
    List<String> vxdns;
    try (TestNode node = TestNode.start(config, dir, null)) {
      vxdns = outcomes(vxdnsPort, probes);
    }
    List<String> differences = new ArrayList<>();
    for (int i = 0; i < probes.size(); i++) {
      if (!named.get(i).equals(vxdns.get(i))) {
        differences.add(
            probes.get(i) + "\n  named: " + named.get(i) + "\n  vxdns: " + vxdns.get(i));
      }
    }
    assertEquals(List.of(), differences, "config:\n" + config.encodePrettily());
    // both kinds of decision were exercised
    assertTrue(named.stream().anyMatch(o -> o.startsWith("REFUSED")), named.toString());
    assertTrue(
        named.stream().anyMatch(o -> o.startsWith("NOERROR") && o.contains("192.0.2.")),
        named.toString());
    assertTrue(named.stream().anyMatch(o -> o.startsWith("NXDOMAIN")), named.toString());
  }

  /** Per probe: rcode, answer and authority (sorted), through a PROXY header from the source. */
  private static List<String> outcomes(int port, List<Probe> probes) throws Exception {
    List<String> outcomes = new ArrayList<>();
    for (Probe probe : probes) {
      InetAddress source = InetAddress.getByName(probe.source());
      InetAddress destination =
          InetAddress.getByName(source.getAddress().length == 4 ? "198.51.100.53" : "2001:db8::53");
      ClientOptions options =
          ClientOptions.udp(new InetSocketAddress("127.0.0.1", port))
              .withTransport(probe.transport())
              .withProxy(
                  ProxyMode.PLAIN,
                  new InetSocketAddress(source, 5353),
                  new InetSocketAddress(destination, 53))
              .withTimeout(Duration.ofSeconds(5))
              .withTsig(
                  probe.signed()
                      ? new TSIG(TSIG.HMAC_SHA256, Name.fromString(KEY + "."), SECRET)
                      : null);
      Message query =
          Message.newQuery(Record.newRecord(Name.fromString(probe.name() + "."), probe.type(), 1));
      Message response = QueryClient.exchange(query, options).message();
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
