package dev.vxdns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ZoneTransfersTest {
  private static Message skeleton(int qtype) {
    Message m = new Message(77);
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(Record.newRecord(TestZones.ORIGIN, qtype, DClass.IN), Section.QUESTION);
    return m;
  }

  private static Zone bigZone(int hosts) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < hosts; i++) {
      text.append("host").append(i).append(" IN A 192.0.2.").append(i % 250).append('\n');
    }
    return TestZones.zone(text.toString());
  }

  private static List<Message> all(Iterator<Message> messages) {
    List<Message> list = new ArrayList<>();
    messages.forEachRemaining(list::add);
    return list;
  }

  private static List<Record> answers(List<Message> messages) {
    List<Record> records = new ArrayList<>();
    for (Message m : messages) {
      records.addAll(m.getSection(Section.ANSWER));
    }
    return records;
  }

  @Test
  void axfrIsSoaEveryRecordSoaInMessagesWithinTheBudgetAndTheQuestionOnlyFirst() throws Exception {
    Zone zone = bigZone(300);
    List<Message> messages = all(ZoneTransfers.axfr(zone, skeleton(Type.AXFR), 1024));
    assertTrue(messages.size() > 5, messages.size() + " messages for 300 records in 1 KiB each");
    List<Record> records = answers(messages);
    assertEquals(zone.recordCount() + 1, records.size());
    assertEquals(zone.soa(), records.get(0));
    assertEquals(zone.soa(), records.get(records.size() - 1));
    assertEquals(new HashSet<>(zone.records()), new HashSet<>(records));
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      assertTrue(m.getHeader().getFlag(Flags.AA));
      assertEquals(77, m.getHeader().getID());
      assertEquals(i == 0 ? 1 : 0, m.getSection(Section.QUESTION).size());
      int uncompressed =
          m.getSection(Section.ANSWER).stream()
              .mapToInt(r -> r.toWire(Section.ANSWER).length)
              .sum();
      assertTrue(uncompressed <= 1024, "message " + i + " carries " + uncompressed);
      // Round trip: the rendered message parses back with the same records (compression intact).
      assertEquals(
          m.getSection(Section.ANSWER), new Message(m.toWire()).getSection(Section.ANSWER));
    }
    // The skeleton itself is untouched.
    assertTrue(skeleton(Type.AXFR).getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void axfrOfTheSmallestZoneIsOneMessage() {
    Zone zone = TestZones.zone("");
    List<Message> messages =
        all(ZoneTransfers.axfr(zone, skeleton(Type.AXFR), ZoneTransfers.DEFAULT_BUDGET));
    assertEquals(1, messages.size());
    assertEquals(
        "@ SOA; @ NS ns1.example.test.; ns1 A 192.0.2.53; @ SOA",
        TestZones.section(messages.get(0), Section.ANSWER));
  }

  private static SOARecord soa(Zone zone, long serial) {
    SOARecord s = zone.soa();
    return new SOARecord(
        s.getName(),
        s.getDClass(),
        s.getTTL(),
        s.getHost(),
        s.getAdmin(),
        serial,
        s.getRefresh(),
        s.getRetry(),
        s.getExpire(),
        s.getMinimum());
  }

  private static ARecord a(String host, String address) throws Exception {
    return new ARecord(
        TestZones.name(host), DClass.IN, 3600, java.net.InetAddress.getByName(address));
  }

  /** Serial 1 → 2 (adds www) → 3 (moves www, adds mail). */
  private static Zone withHistory() throws Exception {
    Zone v1 = TestZones.zone("");
    Zone v2 =
        v1.apply(new ZoneDiff(v1.soa(), soa(v1, 2), List.of(), List.of(a("www", "192.0.2.1"))));
    return v2.apply(
        new ZoneDiff(
            v2.soa(),
            soa(v1, 3),
            List.of(a("www", "192.0.2.1")),
            List.of(a("www", "192.0.2.2"), a("mail", "192.0.2.3"))));
  }

  private static String ixfr(Zone zone, long clientSerial) {
    return ixfr(zone, clientSerial, 0);
  }

  private static String ixfr(Zone zone, long clientSerial, int ratio) {
    List<Message> messages =
        all(
            ZoneTransfers.ixfr(
                zone, clientSerial, ratio, skeleton(Type.IXFR), ZoneTransfers.DEFAULT_BUDGET));
    StringBuilder out = new StringBuilder();
    for (Record r : answers(messages)) {
      out.append(r instanceof SOARecord s ? "SOA " + s.getSerial() : TestZones.format(r))
          .append("; ");
    }
    return out.toString();
  }

  @Test
  void ixfrFromAServedVersionSendsTheChangesOldestFirst() throws Exception {
    Zone zone = withHistory();
    assertEquals(
        "SOA 3; SOA 1; SOA 2; www A 192.0.2.1; SOA 2; www A 192.0.2.1; SOA 3; www A 192.0.2.2;"
            + " mail A 192.0.2.3; SOA 3; ",
        ixfr(zone, 1));
    assertEquals(
        "SOA 3; SOA 2; www A 192.0.2.1; SOA 3; www A 192.0.2.2; mail A 192.0.2.3; SOA 3; ",
        ixfr(zone, 2));
  }

  /**
   * BIND's max-ixfr-ratio: changes of more than that share of the zone (here counted in records,
   * each change's two SOAs included) go as the whole zone instead.
   */
  @Test
  void changesLargerThanTheRatioGoAsTheWholeZone() throws Exception {
    Zone zone = withHistory();
    // From serial 2: 5 records of changes; from serial 1: 8.
    int ratio = 100 * 5 / zone.recordCount();
    String fromTwo = ixfr(zone, 2, ratio);
    assertEquals(ixfr(zone, 2), fromTwo, "within the ratio: incremental");
    String fromOne = ixfr(zone, 1, ratio);
    assertTrue(fromOne.startsWith("SOA 3; ") && !fromOne.contains("SOA 1"), fromOne);
    assertEquals(zone.recordCount() + 1, fromOne.split("; ").length, "the zone, SOA twice");
    assertEquals(ixfr(zone, 1), ixfr(zone, 1, 100 * 8 / zone.recordCount()), "at the ratio");
  }

  @Test
  void ixfrForAnUpToDateOrNewerClientIsTheSoaAlone() throws Exception {
    Zone zone = withHistory();
    assertEquals("SOA 3; ", ixfr(zone, 3));
    assertEquals("SOA 3; ", ixfr(zone, 4));
    // RFC 1982: 3 - 2^31 + 1 wraps around to "older", 3 + 2^31 - 1 is newer.
    assertEquals("SOA 3; ", ixfr(zone, 3 + 0x7FFFFFFFL));
    assertTrue(ixfr(zone, (3 + 0x80000001L) & 0xFFFFFFFFL).startsWith("SOA 3; @ NS"));
  }

  @Test
  void ixfrFromAVersionOutsideTheHistoryFallsBackToTheWholeZone() throws Exception {
    Zone zone = withHistory();
    String fallback = ixfr(zone, 0);
    assertEquals(
        "SOA 3; @ NS ns1.example.test.; ns1 A 192.0.2.53; www A 192.0.2.2; mail A 192.0.2.3;"
            + " SOA 3; ",
        sortedMiddle(fallback));
    // A zone read from a file has no history: any older client gets the whole zone.
    assertTrue(ixfr(TestZones.zone(""), 0).startsWith("SOA 1; @ NS"));
  }

  /** The AXFR body's order is the zone's; the test compares it as a set between the SOAs. */
  private static String sortedMiddle(String answer) {
    String[] parts = answer.split("; ");
    List<String> middle = new ArrayList<>(List.of(parts).subList(1, parts.length - 1));
    Set<String> expected =
        Set.of("@ NS ns1.example.test.", "ns1 A 192.0.2.53", "www A 192.0.2.2", "mail A 192.0.2.3");
    assertEquals(expected, new HashSet<>(middle));
    return "SOA 3; @ NS ns1.example.test.; ns1 A 192.0.2.53; www A 192.0.2.2; mail A 192.0.2.3;"
        + " "
        + parts[parts.length - 1]
        + "; ";
  }

  @Test
  void ixfrOverUdpIsTheWholeAnswerWhenItFitsElseTheSoaAlone() throws Exception {
    Zone zone = withHistory();
    Message fits = ZoneTransfers.ixfrOverUdp(zone, 1, 0, skeleton(Type.IXFR), 512);
    assertEquals(10, fits.getSection(Section.ANSWER).size());
    assertTrue(fits.toWire().length <= 512);
    Message tooBig = ZoneTransfers.ixfrOverUdp(zone, 1, 0, skeleton(Type.IXFR), 150);
    assertEquals(List.of(zone.soa()), tooBig.getSection(Section.ANSWER));
    assertTrue(tooBig.getHeader().getFlag(Flags.AA));
    assertFalse(tooBig.getHeader().getFlag(Flags.TC));
  }

  @Test
  void serialArithmeticFollowsRfc1982() {
    assertTrue(Serials.atLeast(5, 5));
    assertTrue(Serials.atLeast(6, 5));
    assertFalse(Serials.atLeast(4, 5));
    assertTrue(Serials.atLeast(1, 0xFFFFFFFFL));
    assertFalse(Serials.atLeast(0xFFFFFFFFL, 1));
    assertEquals(Name.root, Name.root);
  }
}
