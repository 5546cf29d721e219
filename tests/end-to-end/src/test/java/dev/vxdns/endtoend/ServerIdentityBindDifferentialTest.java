package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * How the server names itself, against BIND 9.20 with the same {@code version}, {@code hostname}
 * and {@code server-id}: the built-in CH zones (version.bind, hostname.bind, id.server,
 * authors.bind: every type, names below them, other classes, names BIND does not serve) and the
 * NSID option (RFC 5001) on answers and refusals; every section compared, records in any order.
 *
 * <p>Both run with BIND's default {@code minimal-responses no-auth-recursive}; ANY is answered with
 * one RRset (RFC 8482), where named gives all, so ANY is checked to be one of named's RRsets. And
 * named's built-in zones answer with the name as the query spells it, where vxdns serves them as
 * zones and answers with the zone's spelling, as it (and named) does for every other zone: for a
 * query in mixed case the two may differ in the case of owner names only, which is checked as such.
 */
class ServerIdentityBindDifferentialTest {
  record Probe(String name, int type, int dclass) {}

  private static final List<Probe> PROBES =
      List.of(
          new Probe("version.bind.", Type.TXT, DClass.CH),
          new Probe("VERSION.Bind.", Type.TXT, DClass.CH),
          new Probe("version.bind.", Type.SOA, DClass.CH),
          new Probe("version.bind.", Type.NS, DClass.CH),
          new Probe("version.bind.", Type.A, DClass.CH),
          new Probe("below.version.bind.", Type.TXT, DClass.CH),
          new Probe("hostname.bind.", Type.TXT, DClass.CH),
          new Probe("id.server.", Type.TXT, DClass.CH),
          new Probe("authors.bind.", Type.TXT, DClass.CH),
          new Probe("version.server.", Type.TXT, DClass.CH),
          new Probe("other.bind.", Type.TXT, DClass.CH),
          new Probe("bind.", Type.SOA, DClass.CH),
          new Probe("version.bind.", Type.TXT, DClass.IN),
          new Probe("www.example.test.", Type.A, DClass.IN),
          new Probe("nowhere.test.", Type.A, DClass.IN));

  /**
   * @param version BIND's {@code version} ({@code none} unquoted, as BIND's keyword)
   * @param hostname BIND's {@code hostname}
   * @param serverId BIND's {@code server-id} ({@code hostname}: the machine's)
   */
  @ParameterizedTest
  @CsvSource({
    "vx-test, h1.example, ns1.anycast.test",
    "none, none, hostname",
  })
  void answersAsNamedDoes(String version, String hostname, String serverId, @TempDir Path dir)
      throws Exception {
    Peer.requireNamed920();
    int namedPort = TestNode.freePort();
    String conf = namedConf(dir, namedPort, version, hostname, serverId);
    JsonObject config = nodeConfig(Delivery.DIRECT, version, hostname, serverId);
    List<String> differences = new ArrayList<>();
    Set<String> caseOnly = new TreeSet<>();
    Set<String> rcodes = new TreeSet<>();
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode vxdns = TestNode.start(config)) {
      named.awaitNamed(List.of("example.test"));
      for (Probe probe : PROBES) {
        String theirs = outcome(namedPort, probe);
        String ours = outcome(vxdns.port, probe);
        rcodes.add(theirs.substring(0, theirs.indexOf(' ')));
        if (theirs.equalsIgnoreCase(ours) && !probe.name().equals(probe.name().toLowerCase())) {
          caseOnly.add(probe.name());
        } else if (!theirs.equals(ours)) {
          differences.add(probe + ":\n  named " + theirs + "\n  vxdns " + ours);
        }
      }
      for (String name : List.of("version.bind.", "id.server.")) {
        Message theirs = ask(namedPort, new Probe(name, Type.ANY, DClass.CH));
        Message ours = ask(vxdns.port, new Probe(name, Type.ANY, DClass.CH));
        List<Record> answer = ours.getSection(Section.ANSWER);
        assertEquals(Rcode.NOERROR, ours.getRcode(), ours.toString());
        assertEquals(
            1, answer.stream().map(Record::getType).distinct().count(), "one RRset: " + ours);
        assertTrue(
            theirs.getSection(Section.ANSWER).containsAll(answer),
            "one of named's RRsets: " + theirs + "\n" + ours);
      }
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
    assertTrue(Set.of("VERSION.Bind.").containsAll(caseOnly), caseOnly.toString());
    assertEquals(Set.of("NOERROR", "NXDOMAIN", "REFUSED"), rcodes, "every kind of answer is seen");
  }

  /**
   * named.conf for the example zone on {@code port} (copied to {@code dir}), naming itself as
   * given.
   */
  static String namedConf(Path dir, int port, String version, String hostname, String serverId)
      throws IOException {
    Files.copy(AnswersBindDifferentialTest.EXAMPLE_ZONE, dir.resolve("example.test.zone"));
    return TransferPeers.namedOptions(
            dir,
            port,
            "  notify no;",
            "  version " + bindWord(version) + ";",
            "  hostname " + bindWord(hostname) + ";",
            "  server-id " + bindWord(serverId) + ";")
        + "zone \"example.test\" { type primary; file \"example.test.zone\"; };\n";
  }

  /** The test config of a node naming itself as given. */
  static JsonObject nodeConfig(Delivery delivery, String version, String hostname, String serverId)
      throws IOException {
    JsonObject config = TestNode.config(TestNode.freePort(), delivery);
    config
        .getJsonObject("options")
        .put("version", version)
        .put("hostname", hostname)
        .put("server-id", serverId);
    return config;
  }

  /** A string is quoted; BIND's keywords (none, hostname) are not. */
  private static String bindWord(String value) {
    return value.equals("none") || value.equals("hostname") ? value : "\"" + value + "\"";
  }

  /**
   * Rcode, AA, the answer and authority sections as sorted record texts (owner names as sent), and
   * the NSID, for a query that asks for one.
   */
  private static String outcome(int port, Probe probe) throws Exception {
    Message response = ask(port, probe);
    List<EDNSOption> nsid =
        response.getOPT() == null ? List.of() : response.getOPT().getOptions(EDNSOption.Code.NSID);
    return Rcode.string(response.getRcode())
        + (response.getHeader().getFlag(Flags.AA) ? " aa" : "")
        + " answer "
        + texts(response, Section.ANSWER)
        + " authority "
        + texts(response, Section.AUTHORITY)
        + " nsid "
        + (nsid.isEmpty()
            ? "none"
            : new String(((GenericEDNSOption) nsid.get(0)).toWire(), StandardCharsets.ISO_8859_1)
                .substring(4));
  }

  /** The probe's question over UDP, with EDNS and the NSID option, RD clear. */
  private static Message ask(int port, Probe probe) throws Exception {
    Message query =
        DnsClient.ednsQuery(
            probe.name(),
            probe.type(),
            probe.dclass(),
            new GenericEDNSOption(EDNSOption.Code.NSID, new byte[0]));
    query.getHeader().unsetFlag(Flags.RD);
    return DnsClient.ask(port, query);
  }

  private static String texts(Message response, int section) {
    return response.getSection(section).stream()
        .map(Record::toString)
        .sorted()
        .collect(Collectors.toList())
        .toString();
  }
}
