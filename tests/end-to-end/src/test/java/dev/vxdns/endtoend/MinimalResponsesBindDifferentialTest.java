package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BIND's {@code minimal-responses}, each of its four values, against named 9.20: a zone with name
 * servers inside and outside it, MX, SRV, DNSKEY, CDS, a delegation with DS and glue, a CNAME, a
 * wildcard and a DNAME, and the root zone (a priming query), served by both with the same value,
 * every name asked for every type without RD and with it, with an EDNS size of 512 and 513 octets,
 * over TCP and without EDNS: every response compared section by section.
 *
 * <p>named's own answers to {@code www A} and {@code @ MX} are checked against the rule as its
 * query.c states it, so the comparison is known to cover answers with and without the zone's NS
 * RRset and additional addresses.
 */
class MinimalResponsesBindDifferentialTest {
  private static final String ZONE =
      """
      $TTL 300
      @ SOA ns1 hostmaster 1 7200 3600 1209600 120
      @ NS ns1
      @ NS ns2.example.org.
      @ NS ns.sub
      @ MX 10 mail
      @ A 192.0.2.1
      @ DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==
      @ CDS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE4B7E6F0C6F3A1E2D3C4B5A69
      ns1 A 192.0.2.53
      ns1 AAAA 2001:db8::53
      mail A 192.0.2.25
      mail AAAA 2001:db8::25
      www A 192.0.2.80
      alias CNAME www
      _sip._tcp SRV 0 5 5060 mail
      sub NS ns.sub
      sub DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE4B7E6F0C6F3A1E2D3C4B5A69
      ns.sub A 192.0.2.70
      *.wild TXT "wild"
      dn DNAME www.minimal.test.
      """;
  private static final String ROOT_ZONE =
      """
      $TTL 300
      . SOA a.root. hostmaster.root. 1 7200 3600 1209600 120
      . NS a.root-servers.net.
      . NS b.root.
      net. NS a.gtld.net.
      a.root-servers.net. A 192.0.2.4
      a.root-servers.net. AAAA 2001:db8::4
      a.gtld.net. A 192.0.2.5
      b.root. A 192.0.2.6
      """;
  private static final List<String> NAMES =
      List.of(
          "minimal.test.",
          "ns1.minimal.test.",
          "mail.minimal.test.",
          "www.minimal.test.",
          "alias.minimal.test.",
          "_sip._tcp.minimal.test.",
          "sub.minimal.test.",
          "x.sub.minimal.test.",
          "x.wild.minimal.test.",
          "x.dn.minimal.test.",
          "nothere.minimal.test.",
          ".",
          "net.",
          "a.root-servers.net.",
          "b.root.");
  private static final List<String> TYPES =
      List.of(
          "A", "AAAA", "NS", "MX", "SRV", "DS", "DNSKEY", "CDS", "TXT", "SOA", "CNAME", "DNAME");
  // The ways of asking that change the answer's extras, each with RD off and on where it matters.
  private static final List<List<String>> WAYS =
      List.of(
          List.of("+norec"),
          List.of("+rec"),
          List.of("+norec", "+bufsize=512"),
          List.of("+norec", "+bufsize=513"),
          List.of("+rec", "+bufsize=512"),
          List.of("+norec", "+tcp", "+bufsize=512"),
          List.of("+norec", "+noedns"));
  private static final String[] DIG_OPTIONS = {
    "+nocookie", "+noall", "+answer", "+authority", "+additional", "+comments"
  };

  @ParameterizedTest
  @ValueSource(strings = {"yes", "no", "no-auth", "no-auth-recursive"})
  void everyAnswerIsNamedsAnswer(String mode, @TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Files.writeString(dir.resolve("minimal.test.zone"), ZONE);
    Files.writeString(dir.resolve("root.zone"), ROOT_ZONE);
    int[] ports = TransferPeers.freePorts(2);
    JsonObject config = TestNode.config(ports[1], Delivery.DIRECT);
    config.getJsonObject("options").put("minimal-responses", mode);
    config.put(
        "zone",
        new JsonObject()
            .put("minimal.test", zoneEntry(dir, "minimal.test.zone"))
            .put(".", zoneEntry(dir, "root.zone")));
    String conf =
        TransferPeers.namedOptions(
                dir, ports[0], "  notify no;", "  minimal-responses " + mode + ";")
            + "zone \"minimal.test\" { type primary; file \"minimal.test.zone\"; };\n"
            + "zone \".\" { type primary; file \"root.zone\"; };\n";
    List<String> questions = new ArrayList<>();
    for (String name : NAMES) {
      for (String type : TYPES) {
        questions.add(name + " " + type);
      }
    }
    Dig920 dig = Dig920.find();
    List<String> differences = new ArrayList<>();
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(List.of("minimal.test", "."));
      for (List<String> way : WAYS) {
        String[] options =
            Stream.concat(way.stream(), Stream.of(DIG_OPTIONS)).toArray(String[]::new);
        List<String> theirs = dig.answers(dir, ports[0], questions, options);
        List<String> ours = dig.answers(dir, ports[1], questions, options);
        assertEquals(questions.size(), theirs.size(), "named's answers");
        assertEquals(questions.size(), ours.size(), "vxdns's answers");
        for (int i = 0; i < questions.size(); i++) {
          if (!theirs.get(i).equals(ours.get(i))) {
            differences.add(
                questions.get(i)
                    + " "
                    + way
                    + "\n  named:\n"
                    + theirs.get(i)
                    + "\n  vxdns:\n"
                    + ours.get(i));
          }
        }
        assertNamedFollowsTheRule(mode, way, questions, theirs);
      }
    }
    assertEquals(
        0,
        differences.size(),
        differences.size()
            + " differences, the first ones:\n"
            + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));
  }

  /**
   * named's answer to {@code www A} has the zone's NS RRset exactly when the rule gives it, and its
   * answer to {@code @ MX} the exchange's address exactly when the rule gives additional data; a
   * root priming query gets the root servers' glue whatever the mode and size, and not the address
   * of a name server the root zone is authoritative for.
   */
  private static void assertNamedFollowsTheRule(
      String mode, List<String> way, List<String> questions, List<String> theirs) {
    boolean udp = !way.contains("+tcp");
    boolean small = udp && way.contains("+bufsize=512");
    boolean rd = way.contains("+rec");
    boolean authority = !small && (mode.equals("no") || (mode.equals("no-auth-recursive") && !rd));
    boolean additional = !small && !mode.equals("yes");
    String www = theirs.get(questions.indexOf("www.minimal.test. A"));
    assertTrue(www.contains("ANSWER: 1,"), www);
    assertEquals(
        authority, www.contains("minimal.test. 300 IN NS ns1.minimal.test."), mode + way + www);
    String mx = theirs.get(questions.indexOf("minimal.test. MX"));
    assertEquals(
        additional, mx.contains("mail.minimal.test. 300 IN A 192.0.2.25"), mode + way + mx);
    String priming = theirs.get(questions.indexOf(". NS"));
    assertTrue(priming.contains("a.root-servers.net. 300 IN A 192.0.2.4"), mode + way + priming);
    assertFalse(priming.contains("b.root. 300 IN A"), mode + way + priming);
  }

  private static JsonObject zoneEntry(Path dir, String file) {
    return new JsonObject().put("file", dir.resolve(file).toString()).put("notify", "no");
  }
}
