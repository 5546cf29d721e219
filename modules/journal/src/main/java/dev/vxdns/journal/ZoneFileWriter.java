package dev.vxdns.journal;

import dev.vxdns.zone.Zone;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Writes a zone as a master file, replacing the old file atomically. */
public final class ZoneFileWriter {

  private ZoneFileWriter() {}

  /**
   * Writes the zone as an RFC 1035 master file: {@code $ORIGIN}, the SOA first, then the records in
   * DNSSEC canonical order (by owner name, then type, then data), one per line with owner names
   * relative to the origin and an explicit TTL and class. The file is built next to the target,
   * forced, renamed over it and the folder forced, so a crash leaves the old file or the new one.
   */
  public static void write(Zone zone, Path file) throws IOException {
    write(zone, file, records -> {});
  }

  /**
   * Like {@link #write(Zone, Path)}, telling {@code progress} the records written so far every 4096
   * records (of {@link Zone#recordCount()}).
   */
  public static void write(Zone zone, Path file, LongConsumer progress) throws IOException {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(file, "file");
    Path temporary = AtomicFiles.temporaryFor(file);
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      Writer out =
          new BufferedWriter(
              new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
              1 << 16);
      writeTo(zone, out, progress);
      out.flush();
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    AtomicFiles.replace(temporary, file);
  }

  static void writeTo(Zone zone, Writer out) throws IOException {
    writeTo(zone, out, records -> {});
  }

  private static void writeTo(Zone zone, Writer out, LongConsumer progress) throws IOException {
    Name origin = zone.origin();
    out.write("; zone " + origin + " serial " + zone.serial() + ", written by vxdns\n");
    out.write("$ORIGIN " + origin + "\n");
    out.write(line(zone.soa(), origin));
    List<Record> records = new ArrayList<>(zone.recordCount());
    for (Record record : zone.records()) {
      if (record.getType() != Type.SOA) {
        records.add(record);
      }
    }
    // Names and types first: Record.compareTo encodes both records' data on every call, which
    // only ties (records of one RRset) need.
    records.sort(
        Comparator.comparing(Record::getName)
            .thenComparingInt(Record::getType)
            .thenComparing(Record::compareTo));
    long written = 1;
    for (Record record : records) {
      out.write(line(record, origin));
      if (++written % 4096 == 0) {
        progress.accept(written);
      }
    }
    progress.accept(written);
  }

  /**
   * One record. dnsjava escapes names and character-strings for master files ({@code \.}, {@code
   * \"}, {@code \DDD}) and writes types it does not know in RFC 3597 form, which BIND also reads.
   */
  private static String line(Record record, Name origin) {
    String data = record.rdataToString();
    return owner(record.getName(), origin)
        + "\t"
        + record.getTTL()
        + "\t"
        + DClass.string(record.getDClass())
        + "\t"
        + Type.string(record.getType())
        // Empty data (an APL with no items) in RFC 3597 form, so the line never ends at the type.
        + "\t"
        + (data.isEmpty() ? "\\# 0" : data)
        + "\n";
  }

  private static String owner(Name name, Name origin) {
    if (name.equals(origin)) {
      return "@";
    }
    return name.relativize(origin).toString();
  }
}
