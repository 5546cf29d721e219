package dev.vxdns.zone;

import static dev.vxdns.zone.TestZones.ORIGIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * BIND 9.20's max-records-per-type and max-types-per-name: a load, a transferred zone or a change
 * over them fails; under them, and with no limit, the same data loads. Each refusal has its
 * control.
 */
class ZoneRulesTest {

  private static final String HEAD =
      "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 127.0.0.1\n";

  @TempDir Path dir;

  /** {@code count} A records at big. */
  private static String addresses(String owner, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      text.append(owner).append(" A 10.0.").append(i / 256).append('.').append(i % 256);
      text.append('\n');
    }
    return text.toString();
  }

  /** {@code count} RRsets of unknown types at the owner. */
  private static String types(String owner, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      text.append(owner).append(" TYPE").append(1000 + i).append(" \\# 1 01\n");
    }
    return text.toString();
  }

  private Zone load(String body, ZoneRules limits) throws ZoneException {
    Path file = dir.resolve("limits.zone");
    try {
      Files.writeString(file, HEAD + body);
    } catch (IOException e) {
      throw new ZoneException(e.getMessage(), e);
    }
    return ZoneFiles.load(file, ORIGIN, limits, records -> {});
  }

  private ZoneException refused(String body, ZoneRules limits) {
    return assertThrows(ZoneException.class, () -> load(body, limits));
  }

  @Test
  void anRRsetOverMaxRecordsPerTypeDoesNotLoad() throws ZoneException {
    assertEquals(
        100,
        load(addresses("big", 100), ZoneRules.BIND_PRIMARY)
            .recordsAt(Name.fromConstantString("big.example.test."))
            .size());
    ZoneException e = refused(addresses("big", 101), ZoneRules.BIND_PRIMARY);
    assertTrue(
        e.getMessage().contains("big.example.test/A: too many records (must not exceed 100"),
        e.getMessage());
    assertEquals(104, load(addresses("big", 101), ZoneRules.NONE).recordCount());
  }

  @Test
  void aNameOverMaxTypesPerNameDoesNotLoad() throws ZoneException {
    load(types("many", 100), ZoneRules.BIND_PRIMARY);
    ZoneException e = refused(types("many", 101), ZoneRules.BIND_PRIMARY);
    assertTrue(
        e.getMessage().contains("many.example.test: too many records (more than 100 types"),
        e.getMessage());
    load(types("many", 101), new ZoneRules(100, 0, 0, CheckNames.Mode.IGNORE));
  }

  @Test
  void aNameWhoseRecordsAreScatteredIsCountedWhole() throws ZoneException {
    String split = addresses("big", 60) + "other A 10.9.9.9\n" + addresses("big", 120);
    // 120 distinct records: the second run repeats the first 60
    ZoneException e = refused(split, ZoneRules.BIND_PRIMARY);
    assertTrue(e.getMessage().contains("big.example.test/A: too many records"), e.getMessage());
    load(split, new ZoneRules(120, 100, 0, CheckNames.Mode.IGNORE));
  }

  @Test
  void anRrsigCountsOncePerTypeItCovers() throws ZoneException {
    String sig = " 20300101000000 20200101000000 1 example.test. AAAA\n";
    StringBuilder text = new StringBuilder("s A 10.0.0.1\ns TXT x\n");
    for (int i = 0; i < 3; i++) {
      text.append("s RRSIG A 13 3 300").append(sig.replace(" 1 ", " " + (i + 1) + " "));
      text.append("s RRSIG TXT 13 3 300").append(sig.replace(" 1 ", " " + (i + 1) + " "));
    }
    // A, TXT, RRSIG(A), RRSIG(TXT): four types of at most 3 records each
    load(text.toString(), new ZoneRules(3, 4, 0, CheckNames.Mode.IGNORE));
    ZoneException types = refused(text.toString(), new ZoneRules(3, 3, 0, CheckNames.Mode.IGNORE));
    assertTrue(types.getMessage().contains("more than 3 types"), types.getMessage());
    ZoneException records =
        refused(text.toString(), new ZoneRules(2, 4, 0, CheckNames.Mode.IGNORE));
    assertTrue(
        records.getMessage().contains("s.example.test/RRSIG A: too many records"),
        records.getMessage());
  }

  @Test
  void aTransferredZoneOverTheLimitsIsRefused() throws ZoneException {
    List<Record> records = load(addresses("big", 101), ZoneRules.NONE).records();
    assertThrows(ZoneException.class, () -> Zone.of(ORIGIN, records, ZoneRules.BIND_PRIMARY));
    assertEquals(104, Zone.of(ORIGIN, records, ZoneRules.NONE).recordCount());
  }

  @Test
  void aChangeMayNotAddToAnRRsetAtTheLimit() throws ZoneException {
    Zone zone = load(addresses("big", 100), ZoneRules.BIND_PRIMARY);
    Record more = record("big 300 A 10.9.9.9");
    Record first = zone.recordsAt(Name.fromConstantString("big.example.test.")).get(0);
    ZoneException e =
        assertThrows(
            ZoneException.class,
            () ->
                zone.apply(
                    TestZones.change(zone, List.of(), List.of(more)), ZoneRules.BIND_PRIMARY));
    assertTrue(e.getMessage().contains("big.example.test/A: too many records"), e.getMessage());
    // One out, one in: still 100.
    Zone swapped =
        zone.apply(TestZones.change(zone, List.of(first), List.of(more)), ZoneRules.BIND_PRIMARY);
    assertEquals(100, swapped.recordsAt(more.getName()).size());
    // A change applied without limits (a journal's, accepted before) still applies.
    assertEquals(
        101,
        zone.apply(TestZones.change(zone, List.of(), List.of(more)))
            .recordsAt(more.getName())
            .size());
  }

  @Test
  void onlyTheRRsetsAChangeAddsToCount() throws ZoneException {
    // Loaded with no limit: 150 records at big, 101 types at many.
    Zone zone = load(addresses("big", 150) + types("many", 101), ZoneRules.NONE);
    ZoneRules bind = ZoneRules.BIND_PRIMARY;
    zone.apply(TestZones.change(zone, List.of(), List.of(record("other 300 A 10.9.9.9"))), bind);
    zone.apply(
        TestZones.change(zone, List.of(), List.of(record("many 300 TYPE1001 \\# 1 02"))), bind);
    assertThrows(
        ZoneException.class,
        () ->
            zone.apply(
                TestZones.change(zone, List.of(), List.of(record("big 300 A 10.9.9.9"))), bind));
    ZoneException e =
        assertThrows(
            ZoneException.class,
            () ->
                zone.apply(
                    TestZones.change(zone, List.of(), List.of(record("many 300 TXT new"))), bind));
    assertTrue(e.getMessage().contains("more than 100 types"), e.getMessage());
  }

  @Test
  void aTypeTheChangeDeletesStillCountsWhileItApplies() throws ZoneException {
    Zone zone = load(types("many", 100), ZoneRules.BIND_PRIMARY);
    Record typeGone = zone.recordsAt(Name.fromConstantString("many.example.test.")).get(0);
    Record newType = record("many 300 TXT new");
    ZoneException e =
        assertThrows(
            ZoneException.class,
            () ->
                zone.apply(
                    TestZones.change(zone, List.of(typeGone), List.of(newType)),
                    ZoneRules.BIND_PRIMARY));
    assertTrue(e.getMessage().contains("more than 100 types"), e.getMessage());
    Zone fewer =
        zone.apply(TestZones.change(zone, List.of(typeGone), List.of()), ZoneRules.BIND_PRIMARY);
    Zone swapped =
        fewer.apply(TestZones.change(fewer, List.of(), List.of(newType)), ZoneRules.BIND_PRIMARY);
    assertEquals(100, swapped.recordsAt(newType.getName()).size());
  }

  private static Record record(String text) {
    return TestZones.records("$TTL 300\n" + text + "\n").get(0);
  }

  @Test
  void limitsAreNotNegative() {
    assertThrows(
        IllegalArgumentException.class, () -> new ZoneRules(-1, 0, 0, CheckNames.Mode.IGNORE));
    assertThrows(
        IllegalArgumentException.class, () -> new ZoneRules(0, -1, 0, CheckNames.Mode.IGNORE));
    assertThrows(
        IllegalArgumentException.class, () -> new ZoneRules(0, 0, -1, CheckNames.Mode.IGNORE));
  }

  @Test
  void maxRecordsBoundsTheZoneButNotItsFile() throws ZoneException {
    ZoneRules ten = new ZoneRules(0, 0, 10, CheckNames.Mode.IGNORE);
    assertNull(ten.zoneSizeProblem(10));
    assertEquals("records in zone (11) exceeds max-records (10)", ten.zoneSizeProblem(11));
    assertNull(ZoneRules.BIND_PRIMARY.zoneSizeProblem(Integer.MAX_VALUE), "0: no limit");
    // As named 9.20: a zone file is not held to it (ZoneRulesBindDifferentialTest).
    load(addresses("many", 20), ten);
  }
}
