package dev.vxdns.zone;

import static dev.vxdns.zone.TestZones.ask;
import static dev.vxdns.zone.TestZones.section;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Every kind of answer, asked of the example zone shipped in config/zones. */
class ExampleZoneAnswersTest {

  private static Zone zone;

  @BeforeAll
  static void load() {
    zone = TestZones.example();
  }

  private static final boolean AA = true;
  private static final boolean NOT_AA = false;
  // dnsjava prints AAAA rdata uncompressed (2001:db8:0:0:0:0:0:10).
  private static final String NONE = "";
  private static final String SOA = "@ SOA";
  private static final String WWW = "www A 192.0.2.10; www A 192.0.2.11";
  private static final String SUB_NS = "sub NS ns.sub.example.test.; sub NS ns.example.net.";
  private static final String SUB_GLUE = "ns.sub A 192.0.2.200";

  static Stream<Arguments> cases() {
    return Stream.of(
        // qname, qtype, rcode, AA, answer, authority, additional
        row("@", Type.SOA, Rcode.NOERROR, AA, SOA, NONE, NONE),
        row(
            "@",
            Type.NS,
            Rcode.NOERROR,
            AA,
            "@ NS ns1.example.test.; @ NS ns2.example.test.",
            NONE,
            "ns1 A 192.0.2.53; ns2 A 192.0.2.54; ns2 AAAA 2001:db8:0:0:0:0:0:54"),
        row(
            "@",
            Type.MX,
            Rcode.NOERROR,
            AA,
            "@ MX 10 mail.example.test.",
            NONE,
            "mail A 192.0.2.25"),
        row("@", Type.TXT, Rcode.NOERROR, AA, "@ TXT \"v=spf1 mx -all\"", NONE, NONE),
        row("@", Type.SRV, Rcode.NOERROR, AA, NONE, SOA, NONE),
        // RFC 8482: one RRset, the lowest type code (A at the apex).
        row("@", Type.ANY, Rcode.NOERROR, AA, "@ A 192.0.2.1", NONE, NONE),
        row("www", Type.A, Rcode.NOERROR, AA, WWW, NONE, NONE),
        row("WWW", Type.A, Rcode.NOERROR, AA, WWW, NONE, NONE),
        row("www", Type.AAAA, Rcode.NOERROR, AA, "www AAAA 2001:db8:0:0:0:0:0:10", NONE, NONE),
        row("www", Type.MX, Rcode.NOERROR, AA, NONE, SOA, NONE),
        row("www", Type.ANY, Rcode.NOERROR, AA, WWW, NONE, NONE),
        row("nope", Type.A, Rcode.NXDOMAIN, AA, NONE, SOA, NONE),
        row("deep.nope", Type.A, Rcode.NXDOMAIN, AA, NONE, SOA, NONE),
        // CNAME chain inside the zone
        row(
            "chain",
            Type.A,
            Rcode.NOERROR,
            AA,
            "chain CNAME alias.example.test.; alias CNAME www.example.test.; " + WWW,
            NONE,
            NONE),
        row("chain", Type.CNAME, Rcode.NOERROR, AA, "chain CNAME alias.example.test.", NONE, NONE),
        row("chain", Type.ANY, Rcode.NOERROR, AA, "chain CNAME alias.example.test.", NONE, NONE),
        row("alias", Type.MX, Rcode.NOERROR, AA, "alias CNAME www.example.test.", SOA, NONE),
        // a CNAME leaving the zone: the answer stops at the CNAME
        row("external", Type.A, Rcode.NOERROR, AA, "external CNAME www.example.net.", NONE, NONE),
        // wildcards
        row("foo.wild", Type.A, Rcode.NOERROR, AA, "foo.wild A 192.0.2.80", NONE, NONE),
        row("foo.wild", Type.TXT, Rcode.NOERROR, AA, "foo.wild TXT \"wildcard\"", NONE, NONE),
        row("a.b.c.wild", Type.A, Rcode.NOERROR, AA, "a.b.c.wild A 192.0.2.80", NONE, NONE),
        row("foo.wild", Type.MX, Rcode.NOERROR, AA, NONE, SOA, NONE),
        row("foo.wild", Type.ANY, Rcode.NOERROR, AA, "foo.wild A 192.0.2.80", NONE, NONE),
        row("*.wild", Type.A, Rcode.NOERROR, AA, "*.wild A 192.0.2.80", NONE, NONE),
        row("exists.wild", Type.A, Rcode.NOERROR, AA, "exists.wild A 192.0.2.81", NONE, NONE),
        row("exists.wild", Type.TXT, Rcode.NOERROR, AA, NONE, SOA, NONE),
        row("x.exists.wild", Type.A, Rcode.NXDOMAIN, AA, NONE, SOA, NONE),
        row("wild", Type.A, Rcode.NOERROR, AA, NONE, SOA, NONE),
        // empty non-terminal
        row("b", Type.A, Rcode.NOERROR, AA, NONE, SOA, NONE),
        row("b", Type.ANY, Rcode.NOERROR, AA, NONE, SOA, NONE),
        row("a.b", Type.A, Rcode.NOERROR, AA, "a.b A 192.0.2.90", NONE, NONE),
        row("c.b", Type.A, Rcode.NXDOMAIN, AA, NONE, SOA, NONE),
        // DNAME
        row(
            "x.old",
            Type.A,
            Rcode.NXDOMAIN,
            AA,
            "old DNAME new.example.test.; x.old CNAME x.new.example.test.",
            SOA,
            NONE),
        row(
            "host.old",
            Type.A,
            Rcode.NOERROR,
            AA,
            "old DNAME new.example.test.; host.old CNAME host.new.example.test.; "
                + "host.new A 192.0.2.100",
            NONE,
            NONE),
        row("old", Type.DNAME, Rcode.NOERROR, AA, "old DNAME new.example.test.", NONE, NONE),
        row("old", Type.A, Rcode.NOERROR, AA, NONE, SOA, NONE),
        row("new", Type.A, Rcode.NOERROR, AA, NONE, SOA, NONE),
        // delegation
        row("sub", Type.A, Rcode.NOERROR, NOT_AA, NONE, SUB_NS, SUB_GLUE),
        row("sub", Type.NS, Rcode.NOERROR, NOT_AA, NONE, SUB_NS, SUB_GLUE),
        row("sub", Type.ANY, Rcode.NOERROR, NOT_AA, NONE, SUB_NS, SUB_GLUE),
        row("www.sub", Type.A, Rcode.NOERROR, NOT_AA, NONE, SUB_NS, SUB_GLUE),
        row("ns.sub", Type.A, Rcode.NOERROR, NOT_AA, NONE, SUB_NS, SUB_GLUE),
        row("www.sub", Type.DS, Rcode.NOERROR, NOT_AA, NONE, SUB_NS, SUB_GLUE),
        // DS lives on the parent side of the cut: answered here, authoritatively
        row("sub", Type.DS, Rcode.NOERROR, AA, NONE, SOA, NONE),
        // $GENERATE
        row("host3", Type.A, Rcode.NOERROR, AA, "host3 A 198.51.100.3", NONE, NONE),
        row("host6", Type.A, Rcode.NXDOMAIN, AA, NONE, SOA, NONE));
  }

  private static Arguments row(
      String qname,
      int qtype,
      int rcode,
      boolean aa,
      String answer,
      String authority,
      String additional) {
    return Arguments.of(qname, qtype, rcode, aa, answer, authority, additional);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void answers(
      String qname,
      int qtype,
      int rcode,
      boolean aa,
      String answer,
      String authority,
      String additional) {
    Message response = ask(zone, qname, qtype);
    assertAll(
        () -> assertEquals(Rcode.string(rcode), Rcode.string(response.getRcode()), "rcode"),
        () -> assertEquals(aa, response.getHeader().getFlag(Flags.AA), "AA"),
        () -> assertEquals(answer, section(response, Section.ANSWER), "answer"),
        () -> assertEquals(authority, section(response, Section.AUTHORITY), "authority"),
        () -> assertEquals(additional, section(response, Section.ADDITIONAL), "additional"),
        () -> assertEquals(4242, response.getHeader().getID(), "id untouched"),
        () -> assertEquals(1, response.getSection(Section.QUESTION).size(), "question untouched"));
  }
}
