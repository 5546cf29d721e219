package dev.vxdns.zone;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Builds zones from master-file text and formats responses compactly for assertions. */
final class TestZones {

  static final Name ORIGIN = Name.fromConstantString("example.test.");

  /** The SOA and NS every small test zone needs, so a test shows only what it is about. */
  static final String HEADER =
      "$TTL 3600\n"
          + "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
          + "  IN NS ns1\n"
          + "ns1 IN A 192.0.2.53\n";

  private TestZones() {}

  static Path resource(String name) {
    try {
      return Path.of(TestZones.class.getResource("/zones/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Zone example() {
    try {
      return ZoneFiles.load(resource("example.test.zone"), ORIGIN);
    } catch (ZoneException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The change from {@code zone} to its next serial that deletes and adds these records. */
  static ZoneDiff change(Zone zone, List<Record> deleted, List<Record> added) {
    SOARecord from = zone.soa();
    SOARecord to =
        new SOARecord(
            from.getName(),
            from.getDClass(),
            from.getTTL(),
            from.getHost(),
            from.getAdmin(),
            from.getSerial() + 1,
            from.getRefresh(),
            from.getRetry(),
            from.getExpire(),
            from.getMinimum());
    return new ZoneDiff(from, to, deleted, added);
  }

  /** Parses master-file text with origin example.test. */
  static List<Record> records(String text) {
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ORIGIN)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        records.add(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /** A zone of HEADER plus text. */
  static Zone zone(String text) {
    return bare(HEADER + text);
  }

  /** A zone of exactly text. */
  static Zone bare(String text) {
    try {
      return Zone.of(ORIGIN, records(text));
    } catch (ZoneException e) {
      throw new IllegalStateException(e);
    }
  }

  /** "@" is the apex, "www" is www.example.test., and a name ending in a dot is absolute. */
  static Name name(String name) {
    if (name.equals("@")) {
      return ORIGIN;
    }
    return Name.fromConstantString(name.endsWith(".") ? name : name + ".example.test.");
  }

  /** What a caller does: a response carrying the question, then the zone's answer. */
  static Message ask(Zone zone, String qname, int qtype) {
    Name name = name(qname);
    Message response = new Message(4242);
    response.getHeader().setFlag(Flags.QR);
    response.addRecord(Record.newRecord(name, qtype, DClass.IN), Section.QUESTION);
    return ZoneAnswers.answer(zone, name, qtype, response);
  }

  /** Like {@link #ask(Zone, String, int)}, with these extras for a positive answer. */
  static Message ask(Zone zone, String qname, int qtype, AnswerExtras extras) {
    Name name = name(qname);
    Message skeleton = new Message(4242);
    skeleton.addRecord(Record.newRecord(name, qtype, DClass.IN), Section.QUESTION);
    WireResponse response = WireResponse.of(skeleton, Message.MAXLENGTH);
    ZoneAnswers.answer(zone, name, qtype, extras, response);
    try {
      return new Message(response.toWire());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A section as "owner TYPE rdata; ..." with owners relative to example.test. ("@" for the apex)
   * and SOA rdata left out, so tables stay readable.
   */
  static String section(Message message, int section) {
    return message.getSection(section).stream()
        .map(TestZones::format)
        .collect(Collectors.joining("; "));
  }

  static String format(Record record) {
    Name owner = record.getName();
    String relative =
        owner.equals(ORIGIN)
            ? "@"
            : owner.subdomain(ORIGIN) ? owner.relativize(ORIGIN).toString() : owner.toString();
    String type = Type.string(record.getType());
    return record.getType() == Type.SOA
        ? relative + " " + type
        : relative + " " + type + " " + record.rdataToString();
  }
}
