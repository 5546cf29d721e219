package dev.vxdns.zone;

import static dev.vxdns.zone.TestZones.ORIGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.vxdns.zone.text.MasterFileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Type;
import org.xbill.DNS.utils.base16;

/**
 * A file read in segments side by side ({@link MasterFileReader#readInSegments}) makes the zone a
 * read in one pass makes, or the same error; the segments are kept only where the file allows.
 */
class SegmentedLoadTest {

  @TempDir Path dir;

  private static final int HOSTS = 3000;

  /**
   * About 90 KB of records: owners given and omitted, multi-line records whose continuation lines
   * start blank, deep names (empty non-terminals), a wildcard, a name met again at the end.
   */
  private static String zone(String head, String early, String middle, String late) {
    StringBuilder text = new StringBuilder(head);
    text.append("@ IN NS ns1\nns1 IN A 192.0.2.53\n*.w IN A 192.0.2.80\n");
    for (int i = 0; i < HOSTS; i++) {
      text.append(insertion(i, early, middle, late));
      text.append("h").append(i).append(" IN A 10.0.").append(i / 256).append('.');
      text.append(i % 256).append('\n');
      if (i % 7 == 0) {
        text.append("\tIN AAAA 2001:db8::").append(Integer.toHexString(i)).append('\n');
      }
      if (i % 13 == 0) {
        text.append("t").append(i).append(".b").append(i % 10).append(".deep IN TXT \"t");
        text.append(i).append("\"\n");
      }
      if (i % 50 == 0) {
        text.append("m").append(i).append(" IN MX (\n\t10\t; preference\n\th").append(i);
        text.append(" )\n");
      }
    }
    return text.append("h5 IN MX 10 h6\n").toString();
  }

  private static String insertion(int i, String early, String middle, String late) {
    if (i == HOSTS / 5) {
      return early;
    }
    if (i == HOSTS / 2) {
      return middle;
    }
    return i == HOSTS * 4 / 5 ? late : "";
  }

  private static final String HEAD =
      "$ORIGIN example.test.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n";

  /** A record in parentheses spanning the middle of the file, its lines starting as owners do. */
  private static String spanning() {
    StringBuilder text = new StringBuilder("big IN TXT (\n");
    for (int j = 0; j < 4000; j++) {
      text.append("part").append(j).append("-of-a-long-record\n");
    }
    return text.append(")\n").toString();
  }

  static Stream<Arguments> files() {
    String noTtl = "$ORIGIN example.test.\n@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n";
    return Stream.of(
        arguments("plain", zone(HEAD, "", "", ""), true),
        arguments("no $TTL: every TTL from the SOA's", zone(noTtl, "", "", ""), true),
        arguments(
            "an $INCLUDE and a $GENERATE further down",
            zone(HEAD, "", "$INCLUDE part.zone\n", "$GENERATE 1-20 g$ IN A 192.0.2.$\n"),
            true),
        arguments(
            "a CNAME beside other data, far apart",
            zone(HEAD, "alias IN CNAME ns1\n", "", "alias IN A 192.0.2.3\n"),
            true),
        arguments(
            "$ORIGIN changes further down",
            zone(HEAD, "$ORIGIN sub.example.test.\n", "", ""),
            false),
        arguments("$TTL changes further down", zone(HEAD, "$TTL 60\n", "", ""), false),
        arguments(
            "a TTL inherited from a record further down",
            zone(noTtl, "x 60 IN A 192.0.2.9\n", "", ""),
            false),
        arguments(
            "a record in parentheses across the middle", zone(HEAD, "", spanning(), ""), false),
        arguments("an error further down", zone(HEAD, "", "", "bad IN A 999.1.1.1\n"), false),
        arguments(
            "a TTL above the maximum further down (a warning)",
            zone(HEAD, "", "", "big 4294967295 IN A 192.0.2.1\n"),
            false),
        arguments(
            "a record outside the zone further down (a warning)",
            zone(HEAD, "", "", "www.example.org. IN A 192.0.2.1\n"),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void segmentsAreKeptOnlyWhereTheFileAllows(String what, String text, boolean kept)
      throws Exception {
    Path file = write(text);
    Records onePass = new Records();
    try {
      MasterFileReader.read(file, ORIGIN, DClass.IN, onePass);
    } catch (MasterFileReader.Errors e) {
      assertEquals(false, kept, e.getMessage());
    }
    for (int segments = 2; segments <= 5; segments++) {
      List<Records> parts =
          MasterFileReader.readInSegments(
              file, ORIGIN, DClass.IN, segments, Records::new, records -> {});
      if (kept) {
        assertNotNull(parts, segments + " segments");
        assertEquals(segments, parts.size());
        assertEquals(onePass, parts.stream().flatMap(List::stream).collect(Collectors.toList()));
      } else {
        assertNull(parts, segments + " segments");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void aZoneReadInSegmentsIsTheZoneReadInOnePass(String what, String text, boolean kept)
      throws Exception {
    Path file = write(text);
    String onePass = describe(file, 1);
    for (int segments = 2; segments <= 5; segments++) {
      assertEquals(onePass, describe(file, segments), segments + " segments");
    }
  }

  /** The warnings, the zone's records in a stable order and its count, or its error. */
  private static String describe(Path file, int segments) {
    List<String> warnings = new ArrayList<>();
    try {
      Zone zone =
          ZoneFiles.load(file, ORIGIN, ZoneRules.NONE, records -> {}, segments, warnings::add);
      return warnings
          + "\n"
          + zone.recordCount()
          + "\n"
          + zone.records().stream()
              .map(record -> record.toString().toLowerCase())
              .sorted()
              .collect(Collectors.joining("\n"));
    } catch (ZoneException e) {
      return e.getMessage();
    }
  }

  /** A sink that keeps each record as "owner ttl TYPE hex-rdata". */
  private static final class Records extends ArrayList<String>
      implements MasterFileReader.RecordSink {
    @Override
    public void record(
        byte[] owner, int type, int dclass, long ttl, byte[] rdata, String file, int line) {
      add(MasterFileReader.name(owner) + " " + ttl + " " + Type.string(type) + " " + hex(rdata));
    }

    private static String hex(byte[] rdata) {
      return base16.toString(rdata);
    }
  }

  private Path write(String text) throws IOException {
    Files.writeString(dir.resolve("part.zone"), "included IN A 192.0.2.44\n");
    return Files.writeString(dir.resolve("segmented.zone"), text);
  }
}
