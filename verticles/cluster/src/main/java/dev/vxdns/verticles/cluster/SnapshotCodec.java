package dev.vxdns.verticles.cluster;

import dev.vxdns.zone.Zone;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterOutputStream;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Record;

/**
 * A zone's records as the bytes a {@link ZoneSnapshot} holds: their count, then each record as
 * {@link DiffCodec} writes one (its wire form with a length), the whole deflated (owner names
 * repeat a lot and travel uncompressed in wire form).
 */
final class SnapshotCodec {
  private SnapshotCodec() {}

  static byte[] encode(Zone zone) {
    DNSOutput out = new DNSOutput();
    List<Record> records = zone.records();
    out.writeU32(records.size());
    records.forEach(record -> DiffCodec.record(out, record));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflated =
        new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_SPEED))) {
      deflated.write(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("in memory", e);
    }
    return bytes.toByteArray();
  }

  /** The records; throws IllegalArgumentException on damaged bytes. */
  static List<Record> decode(byte[] bytes) {
    ByteArrayOutputStream inflated = new ByteArrayOutputStream();
    try (InflaterOutputStream out = new InflaterOutputStream(inflated, new Inflater())) {
      out.write(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("a damaged snapshot: " + e, e);
    }
    ByteBuffer in = ByteBuffer.wrap(inflated.toByteArray());
    try {
      long count = Integer.toUnsignedLong(in.getInt());
      List<Record> records = new ArrayList<>((int) Math.min(count, 1 << 20));
      for (long i = 0; i < count; i++) {
        records.add(DiffCodec.record(in));
      }
      if (in.hasRemaining()) {
        throw new DataFormatException(in.remaining() + " bytes after the records");
      }
      return records;
    } catch (IOException | DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("a damaged snapshot: " + e, e);
    }
  }
}
