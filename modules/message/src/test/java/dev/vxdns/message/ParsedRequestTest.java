package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The common query read without dnsjava must read exactly as dnsjava reads it, and every other
 * shape must be left to dnsjava: checked on generated queries and on their mutations.
 */
class ParsedRequestTest {
  private static final int[] TYPES = {
    Type.A, Type.AAAA, Type.NS, Type.SOA, Type.MX, Type.TXT, Type.DS, Type.ANY, Type.AXFR, 65280
  };

  /** A query like those resolvers send: random ID, name case, type, flags, EDNS and options. */
  private static byte[] commonQuery(Random random) throws Exception {
    StringBuilder name = new StringBuilder();
    int labels = 1 + random.nextInt(4);
    for (int i = 0; i < labels; i++) {
      int length = 1 + random.nextInt(12);
      for (int j = 0; j < length; j++) {
        char c = (char) ('a' + random.nextInt(26));
        name.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
      }
      name.append('.');
    }
    int dclass = random.nextInt(10) == 0 ? DClass.CH : DClass.IN;
    Message query =
        Message.newQuery(
            Record.newRecord(
                Name.fromString(name.toString()), TYPES[random.nextInt(TYPES.length)], dclass));
    query.getHeader().setID(random.nextInt(65_536));
    if (random.nextBoolean()) {
      query.getHeader().unsetFlag(Flags.RD);
    }
    if (random.nextBoolean()) {
      query.getHeader().setFlag(Flags.CD);
    }
    if (random.nextBoolean()) {
      query.getHeader().setFlag(Flags.AD);
    }
    if (random.nextInt(8) == 0) {
      query.getHeader().setOpcode(Opcode.NOTIFY);
    }
    if (random.nextInt(4) != 0) {
      List<EDNSOption> options =
          switch (random.nextInt(4)) {
            case 0 -> List.of();
            case 1 ->
                List.of(
                    new ClientSubnetOption(
                        24, InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 0})));
            case 2 -> List.of(new CookieOption(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
            default ->
                List.of(
                    new CookieOption(new byte[8]),
                    new ClientSubnetOption(0, InetAddress.getByAddress(new byte[16])));
          };
      int flags = random.nextBoolean() ? org.xbill.DNS.ExtendedFlags.DO : 0;
      query.addRecord(
          new OPTRecord(512 + random.nextInt(4096), 0, 0, flags, options), Section.ADDITIONAL);
    }
    return query.toWire();
  }

  /** What every stage reads of {@code read} equals what dnsjava parses from the same bytes. */
  private static void assertReadsAsDnsjava(ParsedRequest read, byte[] wire) throws Exception {
    Message parsed = new Message(wire);
    assertTrue(DnsRequests.isWellFormed(parsed), parsed.toString());
    assertEquals(1, parsed.getHeader().getCount(Section.QUESTION));
    Record question = parsed.getQuestion();
    assertArrayEquals(question.getName().toWire(), read.questionName(), parsed.toString());
    assertEquals(question.getType(), read.questionType());
    assertEquals(question.getDClass(), read.questionClass());
    assertEquals(parsed.getHeader().getID(), read.id());
    assertEquals(parsed.getHeader().getOpcode(), read.opcode());
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD}) {
      assertEquals(parsed.getHeader().getFlag(flag), read.hasFlag(flag), Flags.string(flag));
    }
    assertEquals(parsed.getHeader().getFlag(Flags.CD), read.hasFlag(Flags.CD));
    assertEquals(parsed.getOPT(), read.opt());
    assertFalse(read.isSigned());
    assertArrayEquals(parsed.toWire(), read.message().toWire());
  }

  @Test
  void aCommonQueryReadsAsDnsjavaParsesIt() throws Exception {
    Random random = new Random(16);
    for (int i = 0; i < 5_000; i++) {
      byte[] wire = commonQuery(random);
      ParsedRequest read = ParsedRequest.simple(wire);
      assertNotNull(read, new Message(wire).toString());
      assertNull(read.messageIfParsed(), "no dnsjava message until a stage asks for one");
      assertReadsAsDnsjava(read, wire);
    }
  }

  @Test
  void theQueryPathMakesNoMessageForACommonQuery() throws Exception {
    byte[] wire = commonQuery(new Random(1));
    DnsExchange parsed =
        DnsRequests.parse(
            DnsExchange.received(
                Transport.UDP,
                "t",
                new InetSocketAddress("127.0.0.1", 1),
                new InetSocketAddress("127.0.0.1", 53),
                wire),
            1232);
    assertFalse(parsed.isFinished());
    assertNull(parsed.parsed().messageIfParsed());
    // Asked for, it is made once and kept.
    assertEquals(parsed.request(), parsed.parsed().messageIfParsed());
  }

  @Test
  void everyOtherShapeIsLeftToDnsjava() throws Exception {
    Message base =
        Message.newQuery(Record.newRecord(Name.fromString("www.example.test."), Type.A, 1));
    base.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    assertNotNull(ParsedRequest.simple(base.toWire()), "the control reads");
    Message twoOpts = base.clone();
    twoOpts.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
    Message withAnswer = base.clone();
    withAnswer.addRecord(
        new TXTRecord(Name.fromString("www.example.test."), DClass.IN, 60, "x"), Section.ANSWER);
    Message withAuthority = base.clone();
    withAuthority.addRecord(
        new TXTRecord(Name.fromString("www.example.test."), DClass.IN, 60, "x"), Section.AUTHORITY);
    Message txtAdditional =
        Message.newQuery(Record.newRecord(Name.fromString("www.example.test."), Type.A, 1));
    txtAdditional.addRecord(
        new TXTRecord(Name.fromString("www.example.test."), DClass.IN, 60, "x"),
        Section.ADDITIONAL);
    byte[] response = base.toWire();
    response[2] |= (byte) 0x80;
    byte[] truncated = base.toWire();
    truncated[2] |= 0x02;
    byte[] twoQuestions = base.toWire();
    twoQuestions[5] = 2;
    byte[] trailing = java.util.Arrays.copyOf(base.toWire(), base.toWire().length + 1);
    byte[] pointing = {
      0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', (byte) 0xC0, 10, 0, 1, 0, 1
    };
    // An ECS option whose prefix is longer than its address family allows: dnsjava rejects it.
    byte[] badEcs = base.toWire();
    byte[] option = {0, 8, 0, 4, 0, 1, (byte) 33, 0};
    byte[] withBadEcs = java.util.Arrays.copyOf(badEcs, badEcs.length + option.length);
    System.arraycopy(option, 0, withBadEcs, badEcs.length, option.length);
    withBadEcs[badEcs.length - 1] = (byte) option.length; // the OPT's RDATA length
    for (byte[] other :
        List.of(
            twoOpts.toWire(),
            withAnswer.toWire(),
            withAuthority.toWire(),
            txtAdditional.toWire(),
            response,
            truncated,
            twoQuestions,
            trailing,
            pointing,
            withBadEcs)) {
      assertNull(
          ParsedRequest.simple(other), new String(java.util.HexFormat.of().formatHex(other)));
    }
  }

  /**
   * Mutations of common queries (octets flipped, cut short, grown): whenever the reader takes one,
   * dnsjava parses it, finds it well formed, and reads the same; the others go to dnsjava as
   * before.
   */
  @Test
  void aMutatedQueryIsReadOnlyWhenDnsjavaReadsItTheSame() throws Exception {
    Random random = new Random(17);
    int taken = 0;
    for (int i = 0; i < 50_000; i++) {
      byte[] wire = commonQuery(random);
      switch (random.nextInt(3)) {
        case 0 -> wire[random.nextInt(wire.length)] = (byte) random.nextInt(256);
        case 1 -> wire = java.util.Arrays.copyOf(wire, random.nextInt(wire.length));
        default -> {
          wire = java.util.Arrays.copyOf(wire, wire.length + 1 + random.nextInt(4));
          wire[random.nextInt(wire.length)] = (byte) random.nextInt(256);
        }
      }
      ParsedRequest read = ParsedRequest.simple(wire);
      if (read != null) {
        taken++;
        assertReadsAsDnsjava(read, wire);
      }
    }
    // Most single-octet changes leave a query of the common shape: the check above ran.
    assertTrue(taken > 10_000, "mutations read: " + taken);
  }
}
