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
 * each record built as a dnsjava {@link Record} from its wire RDATA.
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
    return check(origin, file, read(file, origin, progress));
  }

  /** Reads the records of a zone file, unchecked (what {@code vxdns checkzone} lists). */
  public static List<Record> read(Path file, Name origin) throws ZoneException {
    return read(file, origin, records -> {});
  }

  private static List<Record> read(Path file, Name origin, LongConsumer progress)
      throws ZoneException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(origin, "origin");
    String where = "zone " + origin + " from " + file;
    if (!origin.isAbsolute()) {
      throw new ZoneException(where + ": origin is not an absolute name");
    }
    List<Record> records = new ArrayList<>();
    try {
      MasterFileReader.read(
          file,
          origin,
          DClass.IN,
          (owner, type, dclass, ttl, rdata, source, line) -> {
            records.add(record(owner, type, dclass, ttl, rdata, source, line));
            if (records.size() % PROGRESS_STEP == 0) {
              progress.accept(records.size());
            }
          });
    } catch (MasterFileReader.Errors e) {
      throw new ZoneException(
          e.errors().stream().map(Throwable::getMessage).collect(Collectors.joining("\n")), e);
    } catch (IOException e) {
      throw new ZoneException(where + ": cannot open the file: " + e.getMessage(), e);
    }
    progress.accept(records.size());
    return records;
  }

  private static Record record(
      Name owner, int type, int dclass, long ttl, byte[] rdata, String file, int line) {
    Record record;
    try {
      record = Record.newRecord(owner, type, dclass, ttl, rdata);
    } catch (RuntimeException e) {
      record = null;
    }
    // null: a form BIND reads but dnsjava's class for the type refuses (GPOS with empty strings)
    return record != null ? record : new WireRecord(owner, type, dclass, ttl, rdata);
  }

  private static Zone check(Name origin, Path file, List<Record> records) throws ZoneException {
    try {
      return Zone.of(origin, records);
    } catch (ZoneException e) {
      throw new ZoneException("zone " + origin + " from " + file + ": " + e.getMessage(), e);
    }
  }
}
