package dev.vxdns.zone;

import static dev.vxdns.zone.TestZones.ask;
import static dev.vxdns.zone.TestZones.section;
import static dev.vxdns.zone.TestZones.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Corner cases of the answer algorithm that the example zone does not exercise. */
class ZoneAnswersTest {

  private static void assertResponse(
      Message response, int rcode, boolean aa, String answer, String authority, String additional) {
    assertEquals(Rcode.string(rcode), Rcode.string(response.getRcode()), "rcode");
    assertEquals(aa, response.getHeader().getFlag(Flags.AA), "AA");
    assertEquals(answer, section(response, Section.ANSWER), "answer");
    assertEquals(authority, section(response, Section.AUTHORITY), "authority");
    assertEquals(additional, section(response, Section.ADDITIONAL), "additional");
  }

  private static final String EXTRAS_ZONE =
      "@ NS ns.sub\n@ NS ns.example.org.\n@ MX 10 mail\nmail A 192.0.2.25\nmail AAAA 2001:db8::25\n"
          + "www A 192.0.2.80\nsub NS ns.sub\nns.sub A 192.0.2.70\n";

  /**
   * named's query_addauth and additional data: the zone's NS RRset after the answer, the addresses
   * of the answer's targets then of the name servers the zone is authoritative for (not the glue of
   * ns.sub, nor an out-of-zone name), each family's first.
   */
  @Test
  void authorityExtrasAddTheZonesNameServersAndTheirAddresses() {
    Zone zone = zone(EXTRAS_ZONE);
    String nameServers = "@ NS ns1.example.test.; @ NS ns.sub.example.test.; @ NS ns.example.org.";
    assertResponse(
        TestZones.ask(zone, "@", Type.MX, AnswerExtras.AUTHORITY),
        Rcode.NOERROR,
        true,
        "@ MX 10 mail.example.test.",
        nameServers,
        "mail A 192.0.2.25; ns1 A 192.0.2.53; mail AAAA 2001:db8:0:0:0:0:0:25");
    assertResponse(
        TestZones.ask(zone, "www", Type.A, AnswerExtras.AUTHORITY),
        Rcode.NOERROR,
        true,
        "www A 192.0.2.80",
        nameServers,
        "ns1 A 192.0.2.53");
    // ADDITIONAL: no NS RRset; NONE: no addresses either.
    assertResponse(
        TestZones.ask(zone, "@", Type.MX, AnswerExtras.ADDITIONAL),
        Rcode.NOERROR,
        true,
        "@ MX 10 mail.example.test.",
        "",
        "mail A 192.0.2.25; mail AAAA 2001:db8:0:0:0:0:0:25");
    assertResponse(
        TestZones.ask(zone, "@", Type.MX, AnswerExtras.NONE),
        Rcode.NOERROR,
        true,
        "@ MX 10 mail.example.test.",
        "",
        "");
    // The answer is the NS RRset: not again in the authority section, and no glue.
    assertResponse(
        TestZones.ask(zone, "@", Type.NS, AnswerExtras.AUTHORITY),
        Rcode.NOERROR,
        true,
        nameServers,
        "",
        "ns1 A 192.0.2.53");
    // ANY: the NS RRset where the answer does not stand for the apex, never addresses.
    assertResponse(
        TestZones.ask(zone, "mail", Type.ANY, AnswerExtras.AUTHORITY),
        Rcode.NOERROR,
        true,
        "mail A 192.0.2.25",
        nameServers,
        "");
    assertEquals(
        "", section(TestZones.ask(zone, "@", Type.ANY, AnswerExtras.AUTHORITY), Section.AUTHORITY));
    // Negative answers and referrals are what they are whatever the extras.
    assertResponse(
        TestZones.ask(zone, "nope", Type.A, AnswerExtras.AUTHORITY),
        Rcode.NXDOMAIN,
        true,
        "",
        "@ SOA",
        "");
    assertResponse(
        TestZones.ask(zone, "x.sub", Type.A, AnswerExtras.NONE),
        Rcode.NOERROR,
        false,
        "",
        "sub NS ns.sub.example.test.",
        "ns.sub A 192.0.2.70");
  }

  /** A root priming query gets the root servers' glue whatever the extras, as named gives it. */
  @Test
  void aRootPrimingQueryGetsItsGlue() throws Exception {
    Zone root =
        Zone.of(
            Name.root,
            TestZones.records(
                "$ORIGIN .\n$TTL 300\n. SOA a.root. hostmaster.root. 1 7200 3600 1209600 120\n"
                    + ". NS a.root-servers.net.\n. NS b.root.\nnet. NS a.gtld.net.\n"
                    + "a.root-servers.net. A 192.0.2.4\na.gtld.net. A 192.0.2.5\n"
                    + "b.root. A 192.0.2.6\n"));
    for (AnswerExtras extras : AnswerExtras.values()) {
      Message response = askRoot(root, extras);
      assertEquals(
          List.of("a.root-servers.net."),
          response.getSection(Section.ADDITIONAL).stream()
              .map(record -> record.getName().toString())
              .toList(),
          extras.toString());
    }
  }

  private static Message askRoot(Zone root, AnswerExtras extras) throws Exception {
    Message skeleton = new Message(1);
    skeleton.addRecord(
        Record.newRecord(Name.root, Type.NS, org.xbill.DNS.DClass.IN), Section.QUESTION);
    WireResponse response = WireResponse.of(skeleton, Message.MAXLENGTH);
    ZoneAnswers.answer(root, Name.root, Type.NS, extras, response);
    return new Message(response.toWire());
  }

  @Test
  void negativeSoaTtlIsTheLowerOfSoaTtlAndMinimum() {
    Message fromMinimum = ask(zone(""), "nope", Type.A);
    assertEquals(300, fromMinimum.getSection(Section.AUTHORITY).get(0).getTTL());

    Zone shortSoa =
        TestZones.bare(
            "@ 60 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
                + "@ 3600 IN NS ns1\n"
                + "ns1 3600 IN A 192.0.2.53\n");
    Message fromTtl = ask(shortSoa, "ns1", Type.TXT);
    assertEquals(60, fromTtl.getSection(Section.AUTHORITY).get(0).getTTL());
  }

  @Test
  void ownerAndRdataNamesKeepTheirCaseAsLoaded() {
    Zone zone = zone("Mail.Sub A 192.0.2.25\nsub MX 10 Mail.SUB\nMAIL.sub AAAA 2001:db8::25\n");
    Message response = ask(zone, "SUB", Type.MX);
    Record mx = response.getSection(Section.ANSWER).get(0);
    assertEquals("sub.example.test.", mx.getName().toString());
    assertEquals("Mail.SUB.example.test.", ((MXRecord) mx).getTarget().toString());
    // Each RRset is spelled as its first record spells the name, as named answers (A: Mail.Sub,
    // AAAA: MAIL.sub).
    List<Record> additional = response.getSection(Section.ADDITIONAL);
    assertEquals(2, additional.size(), additional::toString);
    assertEquals("Mail.Sub.example.test.", additional.get(0).getName().toString());
    assertEquals("MAIL.sub.example.test.", additional.get(1).getName().toString());
  }

  @Test
  void cnameLoopIsServfailWithTheAliases() {
    Zone zone = zone("loop1 CNAME loop2\nloop2 CNAME loop1\n");
    assertResponse(
        ask(zone, "loop1", Type.A),
        Rcode.SERVFAIL,
        true,
        "loop1 CNAME loop2.example.test.; loop2 CNAME loop1.example.test.",
        "",
        "");
  }

  @Test
  void longChainStopsAfterMaxChainSteps() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      text.append("c").append(i).append(" CNAME c").append(i + 1).append('\n');
    }
    text.append("c30 A 192.0.2.30\n");
    Message response = ask(zone(text.toString()), "c0", Type.A);
    assertEquals(Rcode.NOERROR, response.getRcode());
    List<Record> answer = response.getSection(Section.ANSWER);
    assertEquals(ZoneAnswers.MAX_CHAIN, answer.size());
    assertTrue(answer.stream().allMatch(r -> r.getType() == Type.CNAME));
  }

  /**
   * Whether the question's own name came from a wildcard (what the rate limiter keys on, as BIND):
   * a wildcard answer or NODATA yes; an exact name, or a wildcard an alias led to, no.
   */
  @Test
  void aWildcardAnswerIsToldApart() {
    Zone zone = zone("*.w TXT \"any\"\nalias CNAME x.w\nwww A 192.0.2.10\n");
    for (String[] asked :
        new String[][] {
          {"a.w", "16", "true"},
          {"b.w", "1", "true"},
          {"www", "1", "false"},
          {"alias", "16", "false"}
        }) {
      WireResponse response =
          new WireResponse(
              1,
              0x8000,
              TestZones.name(asked[0]).toWire(),
              Integer.parseInt(asked[1]),
              1,
              null,
              512);
      ZoneAnswers.answer(
          zone,
          TestZones.name(asked[0]),
          Integer.parseInt(asked[1]),
          AnswerExtras.ADDITIONAL,
          response);
      assertEquals(Boolean.parseBoolean(asked[2]), response.isFromWildcard(), asked[0]);
      // Started over, the response forgets it.
      response.start(1, 0x8000, TestZones.name("www").toWire(), Type.A, 1, null, 512);
      ZoneAnswers.answer(zone, TestZones.name("www"), Type.A, AnswerExtras.ADDITIONAL, response);
      assertFalse(response.isFromWildcard());
    }
  }

  @Test
  void wildcardCnameIsFollowedAndOwnedByTheQueryName() {
    Zone zone = zone("*.wc CNAME www\nwww A 192.0.2.10\n");
    assertResponse(
        ask(zone, "foo.wc", Type.A),
        Rcode.NOERROR,
        true,
        "foo.wc CNAME www.example.test.; www A 192.0.2.10",
        "",
        "");
    assertResponse(
        ask(zone, "foo.wc", Type.CNAME),
        Rcode.NOERROR,
        true,
        "foo.wc CNAME www.example.test.",
        "",
        "");
  }

  @Test
  void wildcardCnameToAMissingNameEndsInNxdomain() {
    assertResponse(
        ask(zone("*.wc CNAME gone\n"), "foo.wc", Type.A),
        Rcode.NXDOMAIN,
        true,
        "foo.wc CNAME gone.example.test.",
        "@ SOA",
        "");
  }

  @Test
  void emptyNonTerminalBlocksWildcard() {
    Zone zone = zone("*.x A 192.0.2.1\na.b.x A 192.0.2.2\n");
    assertResponse(ask(zone, "b.x", Type.A), Rcode.NOERROR, true, "", "@ SOA", "");
    assertResponse(ask(zone, "c.x", Type.A), Rcode.NOERROR, true, "c.x A 192.0.2.1", "", "");
    // below b.x the closest encloser is b.x, which has no wildcard
    assertResponse(ask(zone, "c.b.x", Type.A), Rcode.NXDOMAIN, true, "", "@ SOA", "");
  }

  @Test
  void wildcardThatIsOnlyAnEmptyNonTerminalGivesNodata() {
    Zone zone = zone("a.*.x A 192.0.2.1\n");
    assertResponse(ask(zone, "foo.x", Type.A), Rcode.NOERROR, true, "", "@ SOA", "");
  }

  @Test
  void cnameIntoADelegationAddsTheReferral() {
    Zone zone = zone("to-sub CNAME host.sub\nsub NS ns.sub\nns.sub A 192.0.2.200\n");
    assertResponse(
        ask(zone, "to-sub", Type.A),
        Rcode.NOERROR,
        true,
        "to-sub CNAME host.sub.example.test.",
        "sub NS ns.sub.example.test.",
        "ns.sub A 192.0.2.200");
  }

  @Test
  void dsAtACutIsAnsweredFromTheParent() {
    Zone zone =
        zone("sub NS ns.sub\nsub DS 12345 13 2 " + "ab".repeat(32) + "\nns.sub A 192.0.2.200\n");
    Message response = ask(zone, "sub", Type.DS);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.AA));
    assertEquals(1, response.getSection(Section.ANSWER).size());
    assertEquals(Type.DS, response.getSection(Section.ANSWER).get(0).getType());
    assertEquals("", section(response, Section.AUTHORITY));
  }

  @Test
  void referralGlueIncludesSiblingGlueButNotAuthoritativeOrOutOfZoneNames() {
    Zone zone =
        zone(
            "a NS ns.a\na NS ns.b\na NS ns.example.org.\na NS host\n"
                + "b NS ns.b\nns.a A 192.0.2.1\nns.b AAAA 2001:db8::2\nhost A 192.0.2.3\n");
    assertResponse(
        ask(zone, "x.a", Type.A),
        Rcode.NOERROR,
        false,
        "",
        "a NS ns.a.example.test.; a NS ns.b.example.test.; a NS ns.example.org.; "
            + "a NS host.example.test.",
        "ns.a A 192.0.2.1; ns.b AAAA 2001:db8:0:0:0:0:0:2");
  }

  @Test
  void mxAdditionalSkipsTargetsBelowACutAndOutsideTheZone() {
    Zone zone =
        zone(
            "@ MX 10 mail\n@ MX 20 mx.sub\n@ MX 30 mx.example.org.\n"
                + "mail A 192.0.2.25\nmail AAAA 2001:db8::25\n"
                + "sub NS ns.sub\nns.sub A 192.0.2.200\nmx.sub A 192.0.2.201\n");
    assertResponse(
        ask(zone, "@", Type.MX),
        Rcode.NOERROR,
        true,
        "@ MX 10 mail.example.test.; @ MX 20 mx.sub.example.test.; @ MX 30 mx.example.org.",
        "",
        "mail A 192.0.2.25; mail AAAA 2001:db8:0:0:0:0:0:25");
  }

  @Test
  void srvAdditionalAddsTargetAddresses() {
    Zone zone = zone("_sip._udp SRV 0 5 5060 sip\nsip A 192.0.2.60\n");
    assertResponse(
        ask(zone, "_sip._udp", Type.SRV),
        Rcode.NOERROR,
        true,
        "_sip._udp SRV 0 5 5060 sip.example.test.",
        "",
        "sip A 192.0.2.60");
  }

  @Test
  void nsAnswerDoesNotRepeatAnAddressAlreadyInTheAnswer() {
    Zone zone = zone("d NS ns1\n");
    Message response = ask(zone, "@", Type.NS);
    assertEquals("ns1 A 192.0.2.53", section(response, Section.ADDITIONAL));
  }

  @Test
  void dnameSubstitutionTooLongIsYxdomain() {
    String longTarget = ("a".repeat(60) + ".").repeat(3) + "example.test.";
    Zone zone = zone("d DNAME " + longTarget + "\n");
    String qname = "b".repeat(50) + "." + "c".repeat(50) + ".d";
    Message response = ask(zone, qname, Type.A);
    assertEquals(Rcode.YXDOMAIN, response.getRcode());
    assertTrue(response.getHeader().getFlag(Flags.AA));
    assertEquals("d DNAME " + longTarget, section(response, Section.ANSWER));
  }

  @Test
  void dnameLeavingTheZoneStopsAtTheSynthesisedCname() {
    assertResponse(
        ask(zone("d DNAME example.org.\n"), "www.d", Type.A),
        Rcode.NOERROR,
        true,
        "d DNAME example.org.; www.d CNAME www.example.org.",
        "",
        "");
  }

  /** As named 9.20: CNAME and ANY below a DNAME stop at the synthesised CNAME. */
  @ParameterizedTest
  @ValueSource(strings = {"CNAME", "ANY"})
  void aCnameOrAnyQueryBelowADnameIsAnsweredByTheSynthesisedCname(String type) {
    Zone zone = zone("d DNAME t\nwww.t A 192.0.2.9\n");
    for (String name : List.of("www.d", "nowhere.d")) {
      String target = name.replace(".d", ".t");
      assertResponse(
          ask(zone, name, Type.value(type)),
          Rcode.NOERROR,
          true,
          "d DNAME t.example.test.; " + name + " CNAME " + target + ".example.test.",
          "",
          "");
    }
    // The positive control: A follows it, to NXDOMAIN for a name the target does not have.
    assertEquals(Rcode.NXDOMAIN, ask(zone, "nowhere.d", Type.A).getRcode());
  }

  @Test
  void aSoaQueryForAMissingNameGetsTheSoaWithTtlZeroAsNamedGivesIt() {
    Message nxdomain = ask(zone(""), "nope", Type.SOA);
    assertEquals(Rcode.NXDOMAIN, nxdomain.getRcode());
    assertEquals(0, nxdomain.getSection(Section.AUTHORITY).get(0).getTTL());
    // NODATA for SOA, and NXDOMAIN for other types, keep the negative TTL.
    assertEquals(300, ask(zone(""), "ns1", Type.SOA).getSection(Section.AUTHORITY).get(0).getTTL());
    assertEquals(
        300, ask(zone(""), "nope", Type.TXT).getSection(Section.AUTHORITY).get(0).getTTL());
  }

  @Test
  void aWildcardAnswerIsOwnedByTheQueryNameInLowerCaseBelowTheZonesSpelling() {
    Zone zone = zone("*.Wc A 192.0.2.7\n");
    Message response = ask(zone, "X.Y.wC", Type.A);
    assertEquals(
        "x.y.Wc.example.test.", response.getSection(Section.ANSWER).get(0).getName().toString());
  }

  @Test
  void synthesisedCnameHasTheDnameTtl() {
    Zone zone = zone("d 120 DNAME example.org.\n");
    Message response = ask(zone, "www.d", Type.A);
    assertEquals(120, response.getSection(Section.ANSWER).get(1).getTTL());
  }

  @Test
  void dnameLoopIsSentOnceAndServfails() {
    Zone zone = zone("a DNAME b.example.test.\nb DNAME a.example.test.\n");
    assertResponse(
        ask(zone, "x.a", Type.A),
        Rcode.SERVFAIL,
        true,
        "a DNAME b.example.test.; x.a CNAME x.b.example.test.; "
            + "b DNAME a.example.test.; x.b CNAME x.a.example.test.",
        "",
        "");
  }

  @Test
  void dataBelowADnameIsOccluded() {
    Zone zone = zone("d DNAME example.org.\nhidden.d A 192.0.2.1\n");
    assertResponse(
        ask(zone, "hidden.d", Type.A),
        Rcode.NOERROR,
        true,
        "d DNAME example.org.; hidden.d CNAME hidden.example.org.",
        "",
        "");
  }

  @Test
  void dnameAtTheApexRewritesEveryNameBelowIt() {
    Zone zone = zone("@ DNAME example.org.\n");
    assertResponse(
        ask(zone, "www", Type.A),
        Rcode.NOERROR,
        true,
        "@ DNAME example.org.; www CNAME www.example.org.",
        "",
        "");
    assertResponse(ask(zone, "@", Type.A), Rcode.NOERROR, true, "", "@ SOA", "");
  }

  @Test
  void anyAtACnamePrefersTheCnameOverDnssecData() {
    Zone zone = zone("alias CNAME www\nalias NSEC www A CNAME RRSIG NSEC\nwww A 192.0.2.10\n");
    assertResponse(
        ask(zone, "alias", Type.ANY), Rcode.NOERROR, true, "alias CNAME www.example.test.", "", "");
    // NSEC is data beside the CNAME: asking for it answers it, without following the alias
    Message nsec = ask(zone, "alias", Type.NSEC);
    assertEquals(1, nsec.getSection(Section.ANSWER).size());
    assertEquals(Type.NSEC, nsec.getSection(Section.ANSWER).get(0).getType());
  }

  /**
   * As named 9.20 (RequestShapesBindDifferentialTest found it): RRSIG, SIG, NSEC and KEY are asked
   * of the name itself, never through its CNAME: NODATA when the name has none.
   */
  @Test
  void dnssecTypesAreNotAskedThroughACname() {
    Zone zone = zone("alias CNAME www\nwww A 192.0.2.10\nwww NSEC www A NSEC\n");
    for (int type : new int[] {Type.RRSIG, Type.SIG, Type.NSEC, Type.KEY}) {
      assertResponse(ask(zone, "alias", type), Rcode.NOERROR, true, "", "@ SOA", "");
    }
    // The positive control: any other type follows the alias.
    assertResponse(
        ask(zone, "alias", Type.A),
        Rcode.NOERROR,
        true,
        "alias CNAME www.example.test.; www A 192.0.2.10",
        "",
        "");
  }

  @Test
  void nameOutsideTheZoneIsRefused() {
    Message response = ask(zone(""), "www.example.org.", Type.A);
    assertEquals(Rcode.REFUSED, response.getRcode());
    assertFalse(response.getHeader().getFlag(Flags.AA));
    assertEquals(0, response.getSection(Section.ANSWER).size());
  }
}
