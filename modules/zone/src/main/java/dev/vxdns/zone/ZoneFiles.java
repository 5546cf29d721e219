package dev.vxdns.zone;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/**
 * Loads master files with dnsjava's parser: $ORIGIN, $TTL, $INCLUDE (relative to the including
 * file's folder), $GENERATE.
 */
public final class ZoneFiles {

  private ZoneFiles() {}

  /**
   * Reads and validates a zone file.
   *
   * @param file the master file; $INCLUDE paths in it resolve against its folder
   * @param origin the zone's origin, also the initial $ORIGIN of the file
   * @throws ZoneException naming the file (and the line, for syntax errors) when the file cannot be
   *     read or does not form a valid zone
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
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(origin, "origin");
    String where = "zone " + origin + " from " + file;
    if (!origin.isAbsolute()) {
      throw new ZoneException(where + ": origin is not an absolute name");
    }
    Master master;
    try {
      // No default TTL: like BIND, a record without a TTL needs $TTL or a preceding SOA.
      master = new Master(file.toString(), origin, -1);
    } catch (IOException e) {
      throw new ZoneException(where + ": cannot open the file: " + e.getMessage(), e);
    }
    List<Record> records = new ArrayList<>();
    try (master) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        records.add(record);
        if (records.size() % PROGRESS_STEP == 0) {
          progress.accept(records.size());
        }
      }
      progress.accept(records.size());
    } catch (TextParseException e) {
      // dnsjava prefixes these with "<file name>:<line>:" of the file being read.
      throw new ZoneException(where + ": " + e.getMessage(), e);
    } catch (FileNotFoundException e) {
      // The top file is open, so this is a file named by $INCLUDE.
      throw new ZoneException(where + ": cannot open $INCLUDE file: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // dnsjava reports some bad input with unchecked exceptions (e.g. an invalid TTL).
      throw new ZoneException(where + ": " + e.getMessage(), e);
    }
    try {
      return Zone.of(origin, records);
    } catch (ZoneException e) {
      throw new ZoneException(where + ": " + e.getMessage(), e);
    }
  }
}
