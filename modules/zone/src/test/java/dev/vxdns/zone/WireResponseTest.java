package dev.vxdns.zone;

import static dev.vxdns.zone.TestZones.name;
import static dev.vxdns.zone.TestZones.zone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Rendering answers into wire form: truncation, the OPT record, compression. */
class WireResponseTest {
  /** 40 TXT records of 40 octets: about 2 KB, more than a classic UDP message holds. */
  private static final Zone BIG = zone(big());

  private static String big() {
    StringBuilder text = new StringBuilder("mx MX 10 many\n");
    for (int i = 0; i < 40; i++) {
      text.append("txt TXT \"").append(String.format("%039d", i)).append("\"\n");
      text.append("many A 192.0.2.").append(i + 1).append('\n');
    }
    return text.toString();
  }

  private static Message skeleton(String qname, int qtype, boolean edns) {
    Message skeleton = new Message(7);
    skeleton.getHeader().setFlag(Flags.QR);
    skeleton.addRecord(Record.newRecord(name(qname), qtype, DClass.IN), Section.QUESTION);
    if (edns) {
      skeleton.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return skeleton;
  }

  private static byte[] render(Zone zone, String qname, int qtype, boolean edns, int limit) {
    WireResponse response = WireResponse.of(skeleton(qname, qtype, edns), limit);
    ZoneAnswers.answer(zone, name(qname), qtype, AnswerExtras.ADDITIONAL, response);
    return response.toWire();
  }

  /**
   * As named renders them: every target's address of the client's family first (A over IPv4, AAAA
   * over IPv6), so a small answer gives more targets an address the client can use.
   */
  /**
   * Found by PipelineFuzzTest: a name of repeated labels was compressed against its own suffix,
   * read partly from the previous message still in the reused buffer, and pointed into itself (a
   * loop no client can read). x.aa.aa.aa.example.test after x.aa.aa.example.test left exactly the
   * octets that matched.
   */
  @Test
  void aNameIsNeverComparedWithItsOwnUnwrittenSuffix() throws IOException {
    WireResponse reused = new WireResponse();
    Name shorter = name("x.aa.aa.example.test.");
    Name longer = name("x.aa.aa.aa.example.test.");
    reused.start(1, 0x8000, shorter.toWire(), Type.A, DClass.IN, null, 512).toWire();
    byte[] wire = reused.start(2, 0x8000, longer.toWire(), Type.A, DClass.IN, null, 512).toWire();
    assertEquals(longer, new Message(wire).getQuestion().getName());
    // The control: the same name in a fresh response.
    assertArrayEquals(
        new WireResponse(2, 0x8000, longer.toWire(), Type.A, DClass.IN, null, 512).toWire(), wire);
  }

  @Test
  void additionalAddressesOfTheClientsFamilyComeFirst() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      text.append("mx MX ").append(i).append(" mail").append(i).append('\n');
      text.append("mail").append(i).append(" A 192.0.2.").append(i).append('\n');
      text.append("mail").append(i).append(" AAAA 2001:db8::").append(i).append('\n');
    }
    Zone zone = zone(text.toString());
    for (boolean aaaaFirst : new boolean[] {false, true}) {
      WireResponse response = WireResponse.of(skeleton("mx", Type.MX, false), 512);
      if (aaaaFirst) {
        response.aaaaFirst();
      }
      ZoneAnswers.answer(zone, name("mx"), Type.MX, AnswerExtras.ADDITIONAL, response);
      Message message = new Message(response.toWire());
      int first = aaaaFirst ? Type.AAAA : Type.A;
      int[] types =
          message.getSection(Section.ADDITIONAL).stream().mapToInt(Record::getType).toArray();
      assertTrue(types.length >= 6, "some fit: " + message);
      for (int i = 0; i < types.length; i++) {
        assertEquals(first, types[i], "record " + i + " of " + message);
      }
      Message whole = new Message(render(zone, "mx", Type.MX, false, 65535));
      assertEquals(24, whole.getSection(Section.ADDITIONAL).size(), "all fit in 64 KiB");
    }
  }

  @Test
  void anAnswerThatDoesNotFitIsCutAtItsRRsetWithTc() throws IOException {
    Message whole = new Message(render(BIG, "txt", Type.TXT, false, 65535));
    assertFalse(whole.getHeader().getFlag(Flags.TC));
    assertEquals(40, whole.getSection(Section.ANSWER).size());

    byte[] wire = render(BIG, "txt", Type.TXT, false, 512);
    assertTrue(wire.length <= 512, "length " + wire.length);
    Message cut = new Message(wire);
    assertTrue(cut.getHeader().getFlag(Flags.TC));
    assertEquals(0, cut.getSection(Section.ANSWER).size(), "no part of an RRset");
    assertEquals(1, cut.getSection(Section.QUESTION).size());
  }

  @Test
  void theOptRecordIsKeptInATruncatedMessage() throws IOException {
    byte[] wire = render(BIG, "txt", Type.TXT, true, 512);
    assertTrue(wire.length <= 512, "length " + wire.length);
    Message cut = new Message(wire);
    assertTrue(cut.getHeader().getFlag(Flags.TC));
    assertNotNull(cut.getOPT());
    assertEquals(1232, cut.getOPT().getPayloadSize());
  }

  @Test
  void additionalRecordsThatDoNotFitAreLeftOutWithoutTc() throws IOException {
    Message whole = new Message(render(BIG, "mx", Type.MX, true, 65535));
    assertEquals(40, whole.getSection(Section.ADDITIONAL).size() - 1, "the A RRset and the OPT");

    Message cut = new Message(render(BIG, "mx", Type.MX, true, 512));
    assertFalse(cut.getHeader().getFlag(Flags.TC));
    assertEquals(1, cut.getSection(Section.ANSWER).size());
    assertEquals(1, cut.getSection(Section.ADDITIONAL).size(), "only the OPT record");
    assertNotNull(cut.getOPT());
  }

  @Test
  void namesAreCompressedWhereTheOctetsAreTheSameCaseIncluded() throws IOException {
    Zone zone = zone("www A 192.0.2.10\n");
    byte[] same = render(zone, "www", Type.A, false, 512);
    // The answer's owner is a pointer to the question's name, at offset 12.
    int answer = 12 + name("www").toWire().length + 4;
    assertEquals(0xC0, same[answer] & 0xFF);
    assertEquals(12, same[answer + 1]);

    byte[] otherCase = render(zone, "WWW", Type.A, false, 512);
    Message response = new Message(otherCase);
    Record record = response.getSection(Section.ANSWER).get(0);
    assertEquals("www.example.test.", record.getName().toString(), "spelled as the zone is");
    assertEquals(
        Name.fromConstantString("WWW.example.test."),
        response.getQuestion().getName(),
        "the question as asked");
    assertEquals("WWW", response.getQuestion().getName().getLabelString(0));
    assertEquals(same.length + 4, otherCase.length, "the label written out, the rest a pointer");
  }

  /**
   * One response started over for query after query writes each message as a new one would: no
   * count, flag, compression pointer or section from the one before (a truncated, grown message
   * first, then small ones).
   */
  @Test
  void aResponseStartedOverWritesWhatANewOneWould() {
    WireResponse reused = new WireResponse();
    Object[][] queries = {
      {BIG, "txt", Type.TXT, true, 512},
      {BIG, "mx", Type.MX, true, 65535},
      {BIG, "txt", Type.TXT, false, 65535},
      {BIG, "many", Type.A, false, 512},
      {BIG, "nothere", Type.A, true, 512},
      {BIG, "mx", Type.MX, false, 512},
    };
    for (Object[] q : queries) {
      Zone zone = (Zone) q[0];
      String qname = (String) q[1];
      int qtype = (Integer) q[2];
      boolean edns = (Boolean) q[3];
      int limit = (Integer) q[4];
      byte[] fresh = render(zone, qname, qtype, edns, limit);
      Message skeleton = skeleton(qname, qtype, edns);
      reused.start(
          7,
          0x8000,
          name(qname).toWire(),
          qtype,
          DClass.IN,
          edns ? skeleton.getOPT().toWire(Section.ADDITIONAL) : null,
          limit);
      ZoneAnswers.answer(zone, name(qname), qtype, AnswerExtras.ADDITIONAL, reused);
      assertEquals(
          HexFormat.of().formatHex(fresh),
          HexFormat.of().formatHex(reused.toWire()),
          qname + " " + Type.string(qtype) + " limit " + limit);
    }
  }

  @Test
  void sectionsComeInOrder() {
    WireResponse response = WireResponse.of(skeleton("www", Type.A, false), 512);
    byte[] owner = name("www").toWire();
    response.beginRRset(Section.ADDITIONAL, owner, 0, Type.A);
    response.endRRset();
    assertThrows(
        IllegalStateException.class, () -> response.beginRRset(Section.ANSWER, owner, 0, Type.A));
  }
}
