package dev.vxdns.zone;

import dev.vxdns.zone.text.MasterFileReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Loads master files with our own parser ({@link MasterFileReader}: every type BIND 9.20 reads, RFC
 * 3597 for any type, $ORIGIN, $TTL, $INCLUDE relative to the including file's folder, $GENERATE),
 * each record's wire RDATA packed straight into the zone ({@link ZoneBuilder}).
 */
public final class ZoneFiles {

  private ZoneFiles() {}

  /**
   * Reads and validates a zone file.
   *
   * @param file the master file; $INCLUDE paths in it resolve against its folder
   * @param origin the zone's origin, also the initial $ORIGIN of the file
   * @throws ZoneException naming the file and line of each problem ({@code file:line: problem}, as
   *     named-checkzone), when the file cannot be read or does not form a valid zone
   */
  public static Zone load(Path file, Name origin) throws ZoneException {
    return load(file, origin, records -> {});
  }

  /** How often (in records) a load reports its progress. */
  public static final int PROGRESS_STEP = 4096;

  /**
   * Like {@link #load(Path, Name)}, telling {@code progress} the records read so far every {@link
   * #PROGRESS_STEP} records.
   */
  public static Zone load(Path file, Name origin, LongConsumer progress) throws ZoneException {
    checkOrigin(file, origin);
    // The parser's wire RDATA goes straight into the zone: no dnsjava record is made per line.
    ZoneBuilder builder = new ZoneBuilder(origin);
    parse(file, origin, progress, builder::add);
    try {
      return builder.build();
    } catch (ZoneException e) {
      throw new ZoneException("zone " + origin + " from " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the records of a zone file, unchecked (what {@code vxdns checkzone} lists). */
  public static List<Record> read(Path file, Name origin) throws ZoneException {
    checkOrigin(file, origin);
    List<Record> records = new ArrayList<>();
    parse(
        file,
        origin,
        read -> {},
        (owner, type, dclass, ttl, rdata) ->
            records.add(Rdata.record(owner, type, dclass, ttl, rdata)));
    return records;
  }

  /** Where {@link #parse} puts each record. */
  private interface Sink {
    void add(Name owner, int type, int dclass, long ttl, byte[] rdata);
  }

  private static void checkOrigin(Path file, Name origin) throws ZoneException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(origin, "origin");
    if (!origin.isAbsolute()) {
      throw new ZoneException(
          "zone " + origin + " from " + file + ": origin is not an absolute name");
    }
  }

  private static void parse(Path file, Name origin, LongConsumer progress, Sink sink)
      throws ZoneException {
    long[] count = {0};
    try {
      MasterFileReader.read(
          file,
          origin,
          DClass.IN,
          (owner, type, dclass, ttl, rdata, source, line) -> {
            sink.add(owner, type, dclass, ttl, rdata);
            if (++count[0] % PROGRESS_STEP == 0) {
              progress.accept(count[0]);
            }
          });
    } catch (MasterFileReader.Errors e) {
      throw new ZoneException(
          e.errors().stream().map(Throwable::getMessage).collect(Collectors.joining("\n")), e);
    } catch (IOException e) {
      throw new ZoneException(
          "zone " + origin + " from " + file + ": cannot open the file: " + e.getMessage(), e);
    }
    progress.accept(count[0]);
  }
}
