package dev.vxdns.verticles.cluster;

import dev.vxdns.zone.ZoneDiff;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * A {@link ZoneDiff} as the bytes a log entry holds, and the 64-bit fingerprint that tells two
 * changes apart when they share serials (a change made on the minority side of a split).
 */
final class DiffCodec {
  private DiffCodec() {}

  static byte[] encode(ZoneDiff diff) {
    DNSOutput out = new DNSOutput();
    record(out, diff.from());
    record(out, diff.to());
    out.writeU32(diff.deleted().size());
    diff.deleted().forEach(record -> record(out, record));
    out.writeU32(diff.added().size());
    diff.added().forEach(record -> record(out, record));
    return out.toByteArray();
  }

  /** One record: its wire form (uncompressed names) after its length. */
  static void record(DNSOutput out, Record record) {
    byte[] wire = record.toWire(Section.ANSWER);
    out.writeU16(wire.length);
    out.writeByteArray(wire);
  }

  static ZoneDiff decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      SOARecord from = (SOARecord) record(in);
      SOARecord to = (SOARecord) record(in);
      List<Record> deleted = records(in);
      List<Record> added = records(in);
      return new ZoneDiff(from, to, deleted, added);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("a damaged log entry: " + e, e);
    }
  }

  private static List<Record> records(ByteBuffer in) throws IOException {
    int count = in.getInt();
    List<Record> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      records.add(record(in));
    }
    return records;
  }

  static Record record(ByteBuffer in) throws IOException {
    byte[] wire = new byte[Short.toUnsignedInt(in.getShort())];
    in.get(wire);
    return Record.fromWire(wire, Section.ANSWER);
  }

  static long fingerprint(byte[] encoded) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(encoded)).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static long fingerprint(ZoneDiff diff) {
    return fingerprint(encode(diff));
  }
}
