package dev.vxdns.journal;

import static dev.vxdns.journal.Chain.contents;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneFileWriterTest {

  @TempDir Path folder;

  static Zone rich() throws Exception {
    Path source =
        Path.of(ZoneFileWriterTest.class.getResource("/zones/rich.example.test.zone").toURI());
    return ZoneFiles.load(source, Chain.ORIGIN);
  }

  @Test
  void aWrittenZoneLoadsBackEqual() throws Exception {
    Zone zone = rich();
    Set<String> types =
        zone.records().stream()
            .map(r -> Type.string(r.getType()))
            .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(types.size() >= 20, "the zone covers many types: " + types);
    Path file = folder.resolve("rich.zone");
    ZoneFileWriter.write(zone, file);
    Zone loaded = ZoneFiles.load(file, Chain.ORIGIN);
    assertEquals(zone.soa().toString(), loaded.soa().toString());
    assertEquals(contents(zone), contents(loaded));
    // The data survived byte for byte, not just as equal text (TXT escapes, name escapes).
    assertEquals(wire(zone), wire(loaded));
  }

  private static List<String> wire(Zone zone) {
    return zone.records().stream()
        .map(r -> java.util.HexFormat.of().formatHex(r.toWireCanonical()) + " " + r.getTTL())
        .sorted()
        .collect(Collectors.toList());
  }

  @Test
  void theFileIsReadableAndStable() throws Exception {
    Zone zone = rich();
    Path file = folder.resolve("rich.zone");
    ZoneFileWriter.write(zone, file);
    List<String> lines = Files.readAllLines(file);
    assertEquals("$ORIGIN example.test.", lines.get(1));
    assertTrue(lines.get(2).startsWith("@\t3600\tIN\tSOA\t"), lines.get(2));
    assertTrue(lines.contains("ns1\t3600\tIN\tA\t192.0.2.53"), lines.toString());
    assertTrue(
        lines.contains("esc\\.aped\t3600\tIN\tTXT\t\"a label with a dot\""), lines.toString());
    assertTrue(
        lines.stream().noneMatch(l -> l.contains("(") && !l.contains("TXT")),
        "one line per record");
    byte[] first = Files.readAllBytes(file);
    // Written again from a zone with its records in another order: the same bytes.
    List<Record> reversed = new java.util.ArrayList<>(zone.records());
    java.util.Collections.reverse(reversed);
    ZoneFileWriter.write(Zone.of(Chain.ORIGIN, reversed), file);
    assertArrayEquals(first, Files.readAllBytes(file));
  }

  @Test
  void writingReplacesTheOldFileAndLeavesNoTemporaryFile() throws Exception {
    Path file = folder.resolve("example.test.zone");
    Files.writeString(file, "old content\n");
    Zone zone = Chain.base();
    ZoneFileWriter.write(zone, file);
    assertEquals(contents(zone), contents(ZoneFiles.load(file, Chain.ORIGIN)));
    try (var listing = Files.list(folder)) {
      assertEquals(List.of(file), listing.collect(Collectors.toList()));
    }
    assertFalse(Files.readString(file).contains("old content"));
  }

  @Test
  void aZoneAfterDiffsIsWrittenWithItsNewSerial() throws Exception {
    Zone zone = Chain.base();
    for (var diff : Chain.diffs(1, 5)) {
      zone = zone.apply(diff);
    }
    Path file = folder.resolve("example.test.zone");
    ZoneFileWriter.write(zone, file);
    Zone loaded = ZoneFiles.load(file, Chain.ORIGIN);
    assertEquals(6, loaded.serial());
    assertEquals(contents(zone), contents(loaded));
  }
}
