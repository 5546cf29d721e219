package dev.vxdns.zone;

import dev.vxdns.zone.text.MasterFileReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
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
  private static final System.Logger LOG = System.getLogger(ZoneFiles.class.getName());

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
    return load(file, origin, ZoneRules.NONE, records -> {});
  }

  /**
   * Like {@link #load(Path, Name)}, refusing an RRset or a name over {@code rules} and telling
   * {@code progress} the records read so far every {@link MasterFileReader#PROGRESS_STEP} records.
   * What was left out (records outside the zone) is logged as a warning.
   */
  public static Zone load(Path file, Name origin, ZoneRules rules, LongConsumer progress)
      throws ZoneException {
    return load(
        file, origin, rules, progress, segmentsFor(file), warning -> logged(origin, warning));
  }

  /** How many segments {@link #load} reads the file in side by side on this machine. */
  public static int segmentsFor(Path file) {
    try {
      return MasterFileReader.segmentsFor(file);
    } catch (IOException e) {
      return 1; // the read reports it
    }
  }

  /**
   * Like {@link #load(Path, Name, ZoneRules, LongConsumer)}, reading the file in up to {@code
   * segments} parts side by side ({@link MasterFileReader#readInSegments}), or in one pass where
   * the file does not allow it or has a problem or a warning (whose message names the right line
   * only then), and handing {@code warnings} each line about what was left out, as named-checkzone
   * prints it ({@code file:line: ignoring out-of-zone data (name)}), and each name that fails
   * check-names where the rules only warn.
   */
  public static Zone load(
      Path file,
      Name origin,
      ZoneRules rules,
      LongConsumer progress,
      int segments,
      Consumer<String> warnings)
      throws ZoneException {
    checkOrigin(file, origin);
    ZoneBuilder builder =
        segments > 1 ? readInSegments(file, origin, rules, progress, segments) : null;
    if (builder == null) {
      // The parser's wire RDATA goes straight into the zone: no dnsjava record is made per line.
      builder = new ZoneBuilder(origin, rules);
      // The builder is the parser's sink itself: each call layer in between (a lambda is two) is
      // one more root the JIT compiles the whole packing path into (1M records: 0.5 s of C2 time
      // with two lambdas between, 0.23 s without).
      parse(file, origin, progress, builder).forEach(warnings);
    }
    Zone zone;
    try {
      zone = builder.build();
    } catch (ZoneException e) {
      throw new ZoneException("zone " + origin + " from " + file + ": " + e.getMessage(), e);
    }
    builder.warnings().forEach(warnings);
    return zone;
  }

  /**
   * The checks BIND 9.20 makes when it loads a primary zone, and only then (a secondary's copy is
   * served as transferred): each apex NS target inside the zone and above every cut has an address
   * record, is no CNAME and is not below a DNAME ({@link Zone#apexNsProblems}); with {@code
   * check-integrity}, a DS RRset is at a delegation ({@link Zone#dsProblems}).
   *
   * @throws ZoneException with one line per problem, naming the zone and {@code file}
   */
  public static void checkAsPrimary(Zone zone, Path file, ZoneRules rules) throws ZoneException {
    List<String> problems = new ArrayList<>(zone.apexNsProblems());
    if (rules.checkIntegrity()) {
      problems.addAll(zone.dsProblems());
    }
    if (!problems.isEmpty()) {
      throw new ZoneException(
          problems.stream()
              .map(problem -> "zone " + zone.origin() + " from " + file + ": " + problem)
              .collect(Collectors.joining("\n")));
    }
  }

  private static void logged(Name origin, String warning) {
    LOG.log(System.Logger.Level.WARNING, "zone {0}: {1}", origin, warning);
  }

  /** The segments' builders joined, or null to read the file in one pass. */
  private static ZoneBuilder readInSegments(
      Path file, Name origin, ZoneRules rules, LongConsumer progress, int segments)
      throws ZoneException {
    List<ZoneBuilder> parts;
    try {
      parts =
          MasterFileReader.readInSegments(
              file, origin, DClass.IN, segments, () -> newBuilder(origin, rules), progress);
    } catch (IOException e) {
      return null; // the read in one pass reports it
    }
    if (parts == null || parts.stream().anyMatch(ZoneBuilder::failed)) {
      return null; // a problem is reported as the read in one pass finds it first
    }
    ZoneBuilder joined = parts.get(0);
    for (ZoneBuilder later : parts.subList(1, parts.size())) {
      joined.append(later);
    }
    return joined;
  }

  private static ZoneBuilder newBuilder(Name origin, ZoneRules rules) {
    try {
      return new ZoneBuilder(origin, rules);
    } catch (ZoneException e) {
      throw new IllegalArgumentException(e); // checked by checkOrigin before
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
        (owner, type, dclass, ttl, rdata, source, line) ->
            records.add(Rdata.record(MasterFileReader.name(owner), type, dclass, ttl, rdata)));
    return records;
  }

  private static void checkOrigin(Path file, Name origin) throws ZoneException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(origin, "origin");
    if (!origin.isAbsolute()) {
      throw new ZoneException(
          "zone " + origin + " from " + file + ": origin is not an absolute name");
    }
  }

  /** The parser's warnings. */
  private static List<String> parse(
      Path file, Name origin, LongConsumer progress, MasterFileReader.RecordSink sink)
      throws ZoneException {
    try {
      return MasterFileReader.read(file, origin, DClass.IN, sink, progress);
    } catch (MasterFileReader.Errors e) {
      throw new ZoneException(
          e.errors().stream().map(Throwable::getMessage).collect(Collectors.joining("\n")), e);
    } catch (IOException e) {
      throw new ZoneException(
          "zone " + origin + " from " + file + ": cannot open the file: " + e.getMessage(), e);
    }
  }
}
