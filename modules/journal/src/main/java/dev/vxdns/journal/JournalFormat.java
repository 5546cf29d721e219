package dev.vxdns.journal;

import dev.vxdns.zone.ZoneDiff;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * The bytes of a journal file (described in the module README): the header, and each record's
 * {@code [u32 length][u32 crc32c of payload][payload]} framing around one encoded diff.
 */
final class JournalFormat {

  static final byte[] MAGIC = "VXJNL1".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;

  /** Length and CRC in front of every payload. */
  static final int FRAME = 8;

  /** The fixed part of the header: magic, version, origin length; then origin and CRC. */
  private static final int HEADER_FIXED = MAGIC.length + 2 + 2;

  /** Owner (at least the root label), type, class, TTL and RDLENGTH. */
  private static final int SMALLEST_RECORD = 11;

  /** RFC 1035 §2.3.4: a name takes at most 255 bytes in wire form. */
  private static final int MAX_NAME = 255;

  private JournalFormat() {}

  /** Thrown for bytes that do not form what was expected; the caller adds file and offset. */
  static final class FormatException extends Exception {
    FormatException(String message) {
      super(message);
    }

    FormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static byte[] header(Name origin) {
    byte[] name = origin.toWire();
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_FIXED + name.length + 4);
    buffer.put(MAGIC).putShort((short) VERSION).putShort((short) name.length).put(name);
    buffer.putInt((int) crc(buffer.array(), 0, buffer.position()));
    return buffer.array();
  }

  /** How many bytes the header of a file takes, read from its fixed part (at least 10 bytes). */
  static int headerLength(byte[] fixed) throws FormatException {
    if (fixed.length < HEADER_FIXED || !Arrays.equals(Arrays.copyOf(fixed, MAGIC.length), MAGIC)) {
      throw new FormatException("not a vxdns journal (no VXJNL1 magic at offset 0)");
    }
    int version = u16(fixed, MAGIC.length);
    if (version != VERSION) {
      throw new FormatException(
          "journal format version "
              + version
              + " at offset 6 is not supported (only "
              + VERSION
              + ")");
    }
    int nameLength = u16(fixed, MAGIC.length + 2);
    if (nameLength < 1 || nameLength > MAX_NAME) {
      throw new FormatException("origin length " + nameLength + " at offset 8 is impossible");
    }
    return HEADER_FIXED + nameLength + 4;
  }

  static int headerFixedLength() {
    return HEADER_FIXED;
  }

  /** The origin named by a whole header, whose length {@link #headerLength} gave. */
  static Name origin(byte[] header) throws FormatException {
    int crcAt = header.length - 4;
    if (crc(header, 0, crcAt) != u32(header, crcAt)) {
      throw new FormatException("header checksum mismatch (offset " + crcAt + ")");
    }
    try {
      return new Name(Arrays.copyOfRange(header, HEADER_FIXED, crcAt));
    } catch (IOException e) {
      throw new FormatException("origin at offset " + HEADER_FIXED + " is not a name", e);
    }
  }

  /** A whole record, frame included, ready for one write. */
  static ByteBuffer frame(ZoneDiff diff) {
    List<byte[]> parts = new ArrayList<>(diff.deleted().size() + diff.added().size() + 2);
    parts.add(diff.from().toWire(Section.ANSWER));
    parts.add(diff.to().toWire(Section.ANSWER));
    int payload = 8;
    List<byte[]> deleted = wire(diff.deleted());
    List<byte[]> added = wire(diff.added());
    for (List<byte[]> list : List.of(parts, deleted, added)) {
      for (byte[] bytes : list) {
        payload += bytes.length;
      }
    }
    ByteBuffer buffer = ByteBuffer.allocate(FRAME + payload);
    buffer.putInt(payload).putInt(0);
    parts.forEach(buffer::put);
    buffer.putInt(deleted.size());
    deleted.forEach(buffer::put);
    buffer.putInt(added.size());
    added.forEach(buffer::put);
    buffer.putInt(4, (int) crc(buffer.array(), FRAME, payload));
    return buffer.flip();
  }

  private static List<byte[]> wire(List<Record> records) {
    List<byte[]> wire = new ArrayList<>(records.size());
    for (Record record : records) {
      wire.add(record.toWire(Section.ANSWER));
    }
    return wire;
  }

  /** A payload decoded, with how many bytes it took. */
  record Decoded(ZoneDiff diff, int length) {}

  /**
   * Decodes the payload starting at {@code start}, reading no further than {@code end}. The payload
   * describes its own extent, which is what lets a damaged length field be told from a damaged
   * payload.
   */
  static Decoded decode(byte[] bytes, int start, int end) throws FormatException {
    int[] at = {start};
    SOARecord from = soa(bytes, at, end, "from-SOA");
    SOARecord to = soa(bytes, at, end, "to-SOA");
    List<Record> deleted = records(bytes, at, end);
    List<Record> added = records(bytes, at, end);
    return new Decoded(new ZoneDiff(from, to, deleted, added), at[0] - start);
  }

  private static SOARecord soa(byte[] bytes, int[] at, int end, String what)
      throws FormatException {
    Record record = record(bytes, at, end);
    if (record instanceof SOARecord soa) {
      return soa;
    }
    throw new FormatException(what + " is a " + record.getClass().getSimpleName());
  }

  private static List<Record> records(byte[] bytes, int[] at, int end) throws FormatException {
    if (end - at[0] < 4) {
      throw new FormatException("record count runs past the end");
    }
    long count = u32(bytes, at[0]);
    at[0] += 4;
    if (count > (end - at[0]) / SMALLEST_RECORD) {
      throw new FormatException("record count " + count + " exceeds the bytes left");
    }
    List<Record> records = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      records.add(record(bytes, at, end));
    }
    return records;
  }

  /** One uncompressed wire-form record: its extent is found first, then dnsjava parses it. */
  private static Record record(byte[] bytes, int[] at, int end) throws FormatException {
    int start = at[0];
    int p = start;
    while (true) {
      if (p >= end) {
        throw new FormatException("owner name runs past the end");
      }
      int label = bytes[p] & 0xff;
      if (label == 0) {
        p++;
        break;
      }
      if (label > 63) {
        throw new FormatException("compressed or invalid label in an owner name");
      }
      p += 1 + label;
      if (p - start > MAX_NAME) {
        throw new FormatException("owner name longer than 255 bytes");
      }
    }
    if (end - p < 10) {
      throw new FormatException("record header runs past the end");
    }
    int length = p + 10 + u16(bytes, p + 8) - start;
    if (end - start < length) {
      throw new FormatException("record data runs past the end");
    }
    at[0] = start + length;
    try {
      return Record.fromWire(Arrays.copyOfRange(bytes, start, start + length), Section.ANSWER);
    } catch (IOException | RuntimeException e) {
      throw new FormatException("record does not parse: " + e.getMessage(), e);
    }
  }

  static long crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  static int u16(byte[] bytes, int at) {
    return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
  }

  static long u32(byte[] bytes, int at) {
    return ((long) (bytes[at] & 0xff) << 24)
        | ((bytes[at + 1] & 0xff) << 16)
        | ((bytes[at + 2] & 0xff) << 8)
        | (bytes[at + 3] & 0xff);
  }
}
