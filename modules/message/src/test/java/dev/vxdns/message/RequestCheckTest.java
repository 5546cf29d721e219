package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.RequestCheck.Parse;
import dev.vxdns.message.RequestCheck.Walk;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * BIND 9.20's parser verdicts, read from lib/dns/message.c and opt_41.c and checked against named
 * by RequestShapesBindDifferentialTest (tests/end-to-end).
 */
class RequestCheckTest {
  private static final Name WWW = name("www.example.test.");

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Message query(int type, int dclass) {
    return Message.newQuery(Record.newRecord(WWW, type, dclass));
  }

  private static Message withOption(int code, byte[] data) {
    Message query = query(Type.A, DClass.IN);
    query.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(code, data))),
        Section.ADDITIONAL);
    return query;
  }

  private static Record address(int dclass) {
    try {
      return new ARecord(WWW, dclass, 60, java.net.InetAddress.getByAddress(new byte[4]));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Walk walk(Message message) {
    return RequestCheck.walk(message.toWire());
  }

  @Test
  void aCommonQueryParsesWithItsClass() {
    Walk walk = walk(query(Type.A, DClass.IN));
    assertEquals(new Walk(Parse.OK, 1, DClass.IN, false), walk);
    assertEquals(new Walk(Parse.OK, 1, DClass.ANY, true), walk(query(Type.TKEY, DClass.ANY)));
  }

  @Test
  void withoutAQuestionTheFirstRecordSetsTheClass() {
    Message message = new Message(7);
    assertEquals(-1, walk(message).messageClass());
    message.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    assertEquals(-1, walk(message).messageClass(), "an OPT record's class is its size");
    message.addRecord(address(DClass.CH), Section.ANSWER);
    assertEquals(new Walk(Parse.OK, 0, DClass.CH, false), walk(message));
  }

  @Test
  void aTruncatedRecordAfterTheQuestionEchoesTheQuestion() {
    Message query = query(Type.A, DClass.IN);
    query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    byte[] wire = query.toWire();
    byte[] cut = Arrays.copyOf(wire, wire.length - 1);
    Walk walk = RequestCheck.walk(cut);
    assertEquals(Parse.MALFORMED, walk.parse());
    assertEquals(1, walk.questionsToEcho(cut));
    // Octets after the last record are BIND's "trailing garbage": ignored.
    assertEquals(Parse.OK, RequestCheck.walk(Arrays.copyOf(wire, wire.length + 3)).parse());
  }

  @Test
  void badNamesAreMalformedBeforeTheQuestionIsRead() {
    byte[] header = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    byte[][] names = {
      {(byte) 0xC0, 12, 0, 1, 0, 1}, // a pointer to itself
      {(byte) 0xC0, 40, 0, 1, 0, 1}, // a pointer forward
      {0x41, 'a', 0, 0, 1, 0, 1}, // an extended label type
      {3, 'w', 'w'}, // runs past the message
    };
    for (byte[] name : names) {
      byte[] wire = Arrays.copyOf(header, header.length + name.length);
      System.arraycopy(name, 0, wire, header.length, name.length);
      Walk walk = RequestCheck.walk(wire);
      assertEquals(Parse.MALFORMED, walk.parse(), Arrays.toString(name));
      assertEquals(0, walk.questionsToEcho(wire));
    }
    byte[] tooLong = new byte[header.length + 5 * 61 + 5];
    System.arraycopy(header, 0, tooLong, 0, header.length);
    int at = header.length;
    for (int i = 0; i < 5; i++) {
      tooLong[at++] = 60;
      for (int j = 0; j < 60; j++) {
        tooLong[at++] = 'a';
      }
    }
    assertEquals(Parse.MALFORMED, RequestCheck.walk(tooLong).parse(), "above 255 octets");
  }

  @Test
  void questionsShareOneNameAndOneClassAndNeverRepeat() {
    Message twoTypes = query(Type.A, DClass.IN);
    twoTypes.addRecord(Record.newRecord(WWW, Type.AAAA, DClass.IN), Section.QUESTION);
    assertEquals(new Walk(Parse.OK, 2, DClass.IN, false), walk(twoTypes));

    Message repeated = query(Type.A, DClass.IN);
    repeated.addRecord(Record.newRecord(WWW, Type.A, DClass.IN), Section.QUESTION);
    assertEquals(Parse.MALFORMED, walk(repeated).parse());

    Message twoNames = query(Type.A, DClass.IN);
    twoNames.addRecord(
        Record.newRecord(name("mail.example.test."), Type.A, DClass.IN), Section.QUESTION);
    Walk walk = walk(twoNames);
    assertEquals(new Walk(Parse.MALFORMED, 1, DClass.IN, false), walk);
    assertEquals(0, walk.questionsToEcho(twoNames.toWire()), "a QUERY echoes none");
    twoNames.getHeader().setOpcode(Opcode.UPDATE);
    assertEquals(1, walk(twoNames).questionsToEcho(twoNames.toWire()), "an UPDATE what it read");

    Message twoClasses = query(Type.A, DClass.IN);
    twoClasses.addRecord(Record.newRecord(WWW, Type.AAAA, DClass.CH), Section.QUESTION);
    assertEquals(Parse.MALFORMED, walk(twoClasses).parse());

    Message update = query(Type.SOA, DClass.ANY);
    update.getHeader().setOpcode(Opcode.UPDATE);
    assertEquals(new Walk(Parse.MALFORMED, 0, -1, false), walk(update), "zone of class ANY");
  }

  @Test
  void recordsOfAnotherClassOrOutOfPlaceAreMalformed() {
    Message otherClass = query(Type.A, DClass.IN);
    otherClass.addRecord(address(DClass.CH), Section.ANSWER);
    assertEquals(new Walk(Parse.MALFORMED, 1, DClass.IN, false), walk(otherClass));

    Message optInAnswer = query(Type.A, DClass.IN);
    optInAnswer.addRecord(new OPTRecord(1232, 0, 0), Section.ANSWER);
    assertEquals(Parse.MALFORMED, walk(optInAnswer).parse());

    Message twoOpts = query(Type.A, DClass.IN);
    twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    assertEquals(Parse.MALFORMED, walk(twoOpts).parse());

    Message questionOnly = query(Type.A, DClass.IN);
    questionOnly.addRecord(Record.newRecord(WWW, Type.ANY, DClass.IN), Section.ADDITIONAL);
    assertEquals(Parse.MALFORMED, walk(questionOnly).parse(), "ANY as a record");
  }

  @Test
  void optionsAreJudgedAsBindReadsThem() {
    byte[] subnet24 = {0, 1, 24, 0, (byte) 192, 0, 2};
    assertEquals(Parse.OK, walk(withOption(EDNSOption.Code.CLIENT_SUBNET, subnet24)).parse());
    byte[] scoped = {0, 1, 24, 8, (byte) 192, 0, 2};
    assertEquals(
        Parse.OK,
        walk(withOption(EDNSOption.Code.CLIENT_SUBNET, scoped)).parse(),
        "a scope passes the parse; DnsRequests refuses it after");
    byte[][] badSubnets = {
      {0, 3, 8, 0, 1}, // an unknown family
      {0, 1, 33, 0, 1, 2, 3, 4, 5}, // a prefix longer than IPv4's
      {0, 1, 20, 0, (byte) 192, 0, 15}, // bits set past the prefix
      {0, 1, 24, 0, (byte) 192, 0}, // fewer octets than the prefix needs
      {0, 1, 24}, // shorter than the fixed part
    };
    for (byte[] bad : badSubnets) {
      assertEquals(
          Parse.BAD_OPTION,
          walk(withOption(EDNSOption.Code.CLIENT_SUBNET, bad)).parse(),
          Arrays.toString(bad));
    }
    assertEquals(Parse.OK, walk(withOption(EDNSOption.Code.COOKIE, new byte[8])).parse());
    assertEquals(Parse.OK, walk(withOption(EDNSOption.Code.COOKIE, new byte[24])).parse());
    assertEquals(Parse.BAD_OPTION, walk(withOption(EDNSOption.Code.COOKIE, new byte[9])).parse());
    assertEquals(Parse.BAD_OPTION, walk(withOption(9, new byte[3])).parse(), "EXPIRE of 3");
    assertEquals(Parse.BAD_OPTION, walk(withOption(14, new byte[3])).parse(), "KEY-TAG of 3");
    assertEquals(Parse.BAD_OPTION, walk(withOption(16, new byte[3])).parse(), "CLIENT-TAG of 3");
    assertEquals(Parse.OK, walk(withOption(11, new byte[3])).parse(), "keepalive: any length");
    assertEquals(Parse.OK, walk(withOption(65001, new byte[3])).parse(), "unknown: any length");

    byte[] wire = withOption(65001, new byte[4]).toWire();
    // The option's length says 4; make it 9, past the end of the RDATA.
    wire[wire.length - 5] = 9;
    Walk walk = RequestCheck.walk(wire);
    assertEquals(Parse.MALFORMED, walk.parse());
    assertEquals(1, walk.questionsToEcho(wire));
  }
}
