package dev.vxdns.journal;

import static dev.vxdns.journal.Chain.contents;
import static dev.vxdns.journal.Chain.describe;
import static dev.vxdns.journal.Chain.diffs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Record;

class ZoneReplayTest {

  @TempDir Path folder;

  private static Zone applyAll(Zone zone, List<ZoneDiff> diffs) throws Exception {
    Zone current = zone;
    for (ZoneDiff diff : diffs) {
      current = current.apply(diff);
    }
    return current;
  }

  @Test
  void replayEqualsApplyingEachDiff() throws Exception {
    Zone base = Chain.base();
    List<ZoneDiff> diffs = diffs(1, 25);
    Zone expected = applyAll(base, diffs);
    Zone replayed = ZoneReplay.replay(base, diffs);
    assertEquals(26, replayed.serial());
    assertEquals(contents(expected), contents(replayed));
    assertNotEquals(contents(base), contents(replayed));
    assertEquals(describe(diffs), describe(replayed.history()));
  }

  @Test
  void replayFromAJournalFileOnDisk() throws Exception {
    Zone base = Chain.base();
    Path zoneFile = folder.resolve("example.test.zone");
    ZoneFileWriter.write(base, zoneFile);
    List<ZoneDiff> diffs = diffs(1, 12);
    try (ZoneJournal journal =
        ZoneJournal.open(folder.resolve("example.test.vxjnl"), Chain.ORIGIN, Long.MAX_VALUE)) {
      for (ZoneDiff diff : diffs) {
        journal.append(diff);
      }
    }
    Zone fromFile = ZoneFiles.load(zoneFile, Chain.ORIGIN);
    List<ZoneDiff> journal;
    try (ZoneJournal reopened =
        ZoneJournal.open(folder.resolve("example.test.vxjnl"), Chain.ORIGIN, Long.MAX_VALUE)) {
      journal = reopened.read();
    }
    assertEquals(contents(applyAll(base, diffs)), contents(ZoneReplay.replay(fromFile, journal)));
  }

  @Test
  void diffsTheFileAlreadyHasAreSkippedButKeptAsHistory() throws Exception {
    Zone base = Chain.base();
    List<ZoneDiff> diffs = diffs(1, 10); // serial 1 -> 11
    Zone folded = applyAll(base, diffs.subList(0, 5)).withHistory(List.of()); // serial 6
    Path zoneFile = folder.resolve("folded.zone");
    ZoneFileWriter.write(folded, zoneFile);
    Zone fromFile = ZoneFiles.load(zoneFile, Chain.ORIGIN);
    assertEquals(6, fromFile.serial());

    Zone replayed = ZoneReplay.replay(fromFile, diffs);
    assertEquals(11, replayed.serial());
    assertEquals(contents(applyAll(base, diffs)), contents(replayed));
    assertEquals(describe(diffs), describe(replayed.history()));

    // A file that has every diff already: nothing applied, the journal is its history.
    Zone complete = applyAll(base, diffs).withHistory(List.of());
    Zone same = ZoneReplay.replay(complete, diffs);
    assertEquals(contents(complete), contents(same));
    assertEquals(describe(diffs), describe(same.history()));
  }

  @Test
  void skippedDiffsThatDoNotLeadToTheFileSerialAreNotHistory() throws Exception {
    // The file was edited by hand to serial 20: the journal's diffs (ending at 11) are older.
    Zone base = Chain.base();
    List<ZoneDiff> diffs = diffs(1, 10);
    String text =
        "$TTL 3600\n@ IN SOA ns1 hostmaster 20 7200 3600 1209600 300\n  IN NS ns1\n"
            + "ns1 IN A 192.0.2.53\n";
    Zone edited = Chain.zone(text);
    Zone replayed = ZoneReplay.replay(edited, diffs);
    assertEquals(contents(edited), contents(replayed));
    assertEquals(List.of(), replayed.history());
    assertEquals(1, base.serial());
  }

  @Test
  void aJournalThatDoesNotContinueFromTheFileThrows() throws Exception {
    Zone base = Chain.base();
    List<ZoneDiff> later = diffs(3, 4); // 3 -> 7, but the file is at serial 1
    JournalException e = assertThrows(JournalException.class, () -> ZoneReplay.replay(base, later));
    assertTrue(e.getMessage().contains("does not continue from serial 1"), e.getMessage());

    List<ZoneDiff> gap = new ArrayList<>(diffs(1, 3));
    gap.add(Chain.diff(5));
    JournalException g = assertThrows(JournalException.class, () -> ZoneReplay.replay(base, gap));
    assertTrue(g.getMessage().contains("does not continue from serial 4"), g.getMessage());
  }

  @Test
  void aDiffDeletingAMissingRecordThrows() throws Exception {
    Zone base = Chain.base();
    ZoneDiff bad = new ZoneDiff(Chain.soa(1), Chain.soa(2), List.of(Chain.txt(99)), List.of());
    JournalException e =
        assertThrows(JournalException.class, () -> ZoneReplay.replay(base, List.of(bad)));
    assertTrue(e.getMessage().contains("deletes a record the zone does not have"), e.getMessage());
  }

  @Test
  void rrsetTtlsEndAsAfterApplyingEachDiff() throws Exception {
    Zone base =
        Chain.zone(
            "$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n  IN NS ns1\n"
                + "ns1 IN A 192.0.2.53\nwww 300 IN A 192.0.2.1\n");
    List<Record> www600 = Chain.records("www 600 IN A 192.0.2.2\n");
    List<Record> www300 = Chain.records("www 300 IN A 192.0.2.1\n");
    List<Record> www900 = Chain.records("www 900 IN A 192.0.2.3\n");
    List<ZoneDiff> diffs =
        List.of(
            // the added 600 joins an RRset at 300, so it is served at 300 ...
            new ZoneDiff(Chain.soa(1), Chain.soa(2), List.of(), www600),
            // ... and stays at 300 after the record that had 300 goes
            new ZoneDiff(Chain.soa(2), Chain.soa(3), www300, www900),
            new ZoneDiff(
                Chain.soa(3), Chain.soa(4), List.of(), Chain.records("x 60 IN A 192.0.2.9\n")));
    Zone expected = applyAll(base, diffs);
    Zone replayed = ZoneReplay.replay(base, diffs);
    assertEquals(contents(expected), contents(replayed));
    assertTrue(
        contents(replayed).stream()
            .anyMatch(r -> r.startsWith("www.example.test.\t300\tIN\tA\t192.0.2.2")),
        contents(replayed).toString());
  }

  @Test
  void anInvalidResultThrows() throws Exception {
    Zone base = Chain.base();
    ZoneDiff noNs =
        new ZoneDiff(Chain.soa(1), Chain.soa(2), Chain.records("@ 3600 IN NS ns1\n"), List.of());
    JournalException e =
        assertThrows(JournalException.class, () -> ZoneReplay.replay(base, List.of(noNs)));
    assertTrue(e.getMessage().contains("no NS"), e.getMessage());
  }
}
