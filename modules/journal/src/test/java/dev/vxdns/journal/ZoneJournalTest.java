package dev.vxdns.journal;

import static dev.vxdns.journal.Chain.describe;
import static dev.vxdns.journal.Chain.diff;
import static dev.vxdns.journal.Chain.diffs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.ZoneDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

class ZoneJournalTest {

  /** Held so it is not collected: these tests discard hundreds of torn records on purpose. */
  private static final java.util.logging.Logger QUIET =
      java.util.logging.Logger.getLogger(ZoneJournal.class.getName());

  static {
    QUIET.setLevel(java.util.logging.Level.SEVERE);
  }

  @TempDir Path folder;

  private Path file() {
    return folder.resolve("example.test.vxjnl");
  }

  private ZoneJournal open(long maxBytes) throws JournalException {
    return ZoneJournal.open(file(), Chain.ORIGIN, maxBytes);
  }

  private ZoneJournal open() throws JournalException {
    return open(Long.MAX_VALUE);
  }

  /** Appends diffs from serial 1 and returns the file offset at which each record starts. */
  private long[] appendAll(List<ZoneDiff> diffs) throws JournalException {
    long[] offsets = new long[diffs.size()];
    try (ZoneJournal journal = open()) {
      for (int i = 0; i < diffs.size(); i++) {
        offsets[i] = journal.sizeBytes();
        journal.append(diffs.get(i));
      }
    }
    return offsets;
  }

  @Test
  void appendedDiffsReadBackAfterReopen() throws Exception {
    List<ZoneDiff> diffs = diffs(1, 30);
    try (ZoneJournal journal = open()) {
      assertEquals(List.of(), journal.read());
      assertTrue(journal.lastSerial().isEmpty());
      long empty = journal.sizeBytes();
      for (ZoneDiff diff : diffs) {
        journal.append(diff);
      }
      assertTrue(journal.sizeBytes() > empty);
      assertEquals(Files.size(file()), journal.sizeBytes());
      assertEquals(describe(diffs), describe(journal.read()));
    }
    try (ZoneJournal journal = open()) {
      assertEquals(describe(diffs), describe(journal.read()));
      assertEquals(0, journal.discardedBytes());
      assertEquals(java.util.OptionalLong.of(31), journal.lastSerial());
      journal.append(diff(31));
      assertEquals(31, journal.read().size());
    }
  }

  @Test
  void aDiffMustStartWhereTheLastEnded() throws Exception {
    try (ZoneJournal journal = open()) {
      journal.append(diff(1));
      journal.append(diff(2));
      JournalException e = assertThrows(JournalException.class, () -> journal.append(diff(4)));
      assertTrue(e.getMessage().contains("from serial 4"), e.getMessage());
      assertTrue(e.getMessage().contains("ends at serial 3"), e.getMessage());
      journal.append(diff(3));
    }
    try (ZoneJournal journal = open()) {
      assertThrows(JournalException.class, () -> journal.append(diff(2)));
      journal.append(diff(4));
      assertEquals(4, journal.read().size());
    }
  }

  @Test
  void aDiffMustMoveTheSerialForward() throws Exception {
    try (ZoneJournal journal = open()) {
      journal.append(diff(1));
      ZoneDiff back = new ZoneDiff(Chain.soa(2), Chain.soa(1), List.of(), List.of());
      JournalException e = assertThrows(JournalException.class, () -> journal.append(back));
      assertTrue(e.getMessage().contains("forward, not from 2 to 1"), e.getMessage());
      ZoneDiff same = new ZoneDiff(Chain.soa(2), Chain.soa(2), List.of(), List.of());
      assertThrows(JournalException.class, () -> journal.append(same));
      // Past 2^32 the serial wraps (RFC 1982): still forward.
      journal.append(diff(2));
      assertEquals(2, journal.read().size());
    }
    try (ZoneJournal journal =
        ZoneJournal.open(folder.resolve("wrap.vxjnl"), Chain.ORIGIN, Long.MAX_VALUE)) {
      journal.append(new ZoneDiff(Chain.soa(0xFFFFFFFFL), Chain.soa(1), List.of(), List.of()));
      assertEquals(java.util.OptionalLong.of(1), journal.lastSerial());
    }
  }

  @Test
  void anEmptyJournalTakesAnyFirstDiffAndSoasMustBeAtTheOrigin() throws Exception {
    try (ZoneJournal journal = open()) {
      journal.append(diff(1000, 1000));
      ZoneDiff elsewhere =
          new ZoneDiff(
              (org.xbill.DNS.SOARecord)
                  Chain.soa(1001).withName(Name.fromConstantString("other.test.")),
              Chain.soa(1002),
              List.of(),
              List.of());
      assertThrows(JournalException.class, () -> journal.append(elsewhere));
      assertEquals(1, journal.read().size());
    }
  }

  @Test
  void aJournalOfAnotherZoneOrAnotherFileIsRefused() throws Exception {
    appendAll(diffs(1, 2));
    JournalException other =
        assertThrows(
            JournalException.class,
            () -> ZoneJournal.open(file(), Name.fromConstantString("other.test."), 1 << 20));
    assertTrue(other.getMessage().contains(file().toString()), other.getMessage());
    assertTrue(other.getMessage().contains("journal of zone example.test."), other.getMessage());

    Path text = folder.resolve("zone.txt");
    Files.writeString(text, "$ORIGIN example.test.\n@ IN SOA ns1 hostmaster 1 2 3 4 5\n");
    JournalException notJournal =
        assertThrows(
            JournalException.class, () -> ZoneJournal.open(text, Chain.ORIGIN, Long.MAX_VALUE));
    assertTrue(notJournal.getMessage().contains("not a vxdns journal"), notJournal.getMessage());
    // Refused, not repaired: the file is untouched.
    assertTrue(Files.readString(text).startsWith("$ORIGIN"));
  }

  @Test
  void aDamagedHeaderIsRefused() throws Exception {
    appendAll(diffs(1, 2));
    byte[] bytes = Files.readAllBytes(file());
    bytes[12] ^= 0x01; // inside the origin name
    Files.write(file(), bytes);
    JournalException e = assertThrows(JournalException.class, this::open);
    assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
  }

  @Test
  void everyCutInsideTheLastRecordIsDiscardedAndAppendingGoesOn() throws Exception {
    // The diff from serial 6 is one of the smallest: a few hundred cuts, not a thousand.
    List<ZoneDiff> diffs = diffs(2, 5);
    long[] offsets = appendAll(diffs);
    byte[] whole = Files.readAllBytes(file());
    int last = (int) offsets[4];
    assertTrue(whole.length - last > 100, "the last record is long enough to cut in many places");
    for (int cut = last + 1; cut < whole.length; cut++) {
      Files.write(file(), Arrays.copyOf(whole, cut));
      try (ZoneJournal journal = open()) {
        assertEquals(cut - last, journal.discardedBytes(), "cut at " + cut);
        assertEquals(last, journal.sizeBytes(), "cut at " + cut);
        assertEquals(last, Files.size(file()), "truncated to the last whole record, cut " + cut);
        assertEquals(describe(diffs.subList(0, 4)), describe(journal.read()), "cut at " + cut);
        journal.append(diffs.get(4));
      }
      assertArrayEquals(whole, Files.readAllBytes(file()), "appended again after cut " + cut);
    }
  }

  @Test
  void aFlippedByteAnywhereInTheLastRecordDiscardsExactlyThatRecord() throws Exception {
    // The diff from serial 6 is one of the smallest: a few hundred cuts, not a thousand.
    List<ZoneDiff> diffs = diffs(2, 5);
    long[] offsets = appendAll(diffs);
    byte[] whole = Files.readAllBytes(file());
    int last = (int) offsets[4];
    for (int at = last; at < whole.length; at++) {
      for (int mask : new int[] {0x01, 0xff}) {
        byte[] damaged = whole.clone();
        damaged[at] ^= (byte) mask;
        Files.write(file(), damaged);
        String where = "byte " + at + " ^ " + mask;
        try (ZoneJournal journal = open()) {
          assertEquals(whole.length - last, journal.discardedBytes(), where);
          assertEquals(describe(diffs.subList(0, 4)), describe(journal.read()), where);
          journal.append(diffs.get(4));
        }
        assertArrayEquals(whole, Files.readAllBytes(file()), where);
      }
    }
  }

  @Test
  void aZeroFilledTailIsDiscarded() throws Exception {
    List<ZoneDiff> diffs = diffs(1, 3);
    appendAll(diffs);
    byte[] whole = Files.readAllBytes(file());
    Files.write(file(), Arrays.copyOf(whole, whole.length + 4096));
    try (ZoneJournal journal = open()) {
      assertEquals(4096, journal.discardedBytes());
      assertEquals(describe(diffs), describe(journal.read()));
    }
  }

  @Test
  void damageBeforeTheLastRecordThrowsNamingFileAndOffset() throws Exception {
    List<ZoneDiff> diffs = diffs(1, 5);
    long[] offsets = appendAll(diffs);
    byte[] whole = Files.readAllBytes(file());
    for (int record : new int[] {0, 2, 3}) {
      int start = (int) offsets[record];
      int end = (int) offsets[record + 1];
      for (int at = start; at < end; at++) {
        byte[] damaged = whole.clone();
        damaged[at] ^= (byte) 0x01;
        Files.write(file(), damaged);
        JournalException e = assertThrows(JournalException.class, this::open, "byte " + at);
        assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
        assertTrue(
            e.getMessage().contains("offset " + start + " "),
            "byte " + at + " of the record at " + start + ": " + e.getMessage());
        // Refused, not repaired: nothing was truncated.
        assertArrayEquals(damaged, Files.readAllBytes(file()));
      }
    }
    Files.write(file(), whole);
    try (ZoneJournal journal = open()) {
      assertEquals(describe(diffs), describe(journal.read()), "positive control");
    }
  }

  @Test
  void growingPastMaxBytesDropsTheOldestDiffs() throws Exception {
    long header;
    try (ZoneJournal journal = open()) {
      header = journal.sizeBytes();
    }
    Files.delete(file());
    long max = header + 2500;
    List<ZoneDiff> diffs = diffs(1, 40);
    try (ZoneJournal journal = open(max)) {
      for (int i = 0; i < diffs.size(); i++) {
        journal.append(diffs.get(i));
        List<ZoneDiff> kept = journal.read();
        assertTrue(journal.sizeBytes() <= max || kept.size() == 1, "size " + journal.sizeBytes());
        assertEquals(Files.size(file()), journal.sizeBytes());
        // The newest diffs, contiguous, ending with the one just appended.
        assertEquals(describe(diffs.subList(i + 1 - kept.size(), i + 1)), describe(kept));
      }
      assertTrue(journal.read().size() > 1 && journal.read().size() < 20);
    }
    try (ZoneJournal journal = open(max)) {
      List<ZoneDiff> kept = journal.read();
      assertEquals(describe(diffs.subList(40 - kept.size(), 40)), describe(kept));
      journal.append(diff(41));
    }
    assertFalse(Files.exists(AtomicFiles.temporaryFor(file())), "no temporary file left behind");
  }

  @Test
  void openingWithALowerLimitTrims() throws Exception {
    List<ZoneDiff> diffs = diffs(1, 20);
    appendAll(diffs);
    try (ZoneJournal journal = open()) {
      assertEquals(20, journal.read().size());
    }
    long max = Files.size(file()) / 4;
    try (ZoneJournal journal = open(max)) {
      List<ZoneDiff> kept = journal.read();
      assertTrue(kept.size() > 1 && kept.size() < 20, "kept " + kept.size());
      assertTrue(journal.sizeBytes() <= max);
      assertEquals(describe(diffs.subList(20 - kept.size(), 20)), describe(kept));
      assertEquals(Files.size(file()), journal.sizeBytes());
    }
  }

  @Test
  void aFailedTrimDoesNotFailTheAppendWhoseDiffIsDurable() throws Exception {
    List<ZoneDiff> diffs = diffs(1, 12);
    long max = 1500;
    open().close();
    // A folder (not empty, so it cannot be deleted) where the rewrite wants its temporary file:
    // every rewrite fails.
    Path blocker = Files.createDirectory(AtomicFiles.temporaryFor(file()));
    Files.writeString(blocker.resolve("x"), "x");
    try (ZoneJournal journal = open(max)) {
      for (ZoneDiff diff : diffs.subList(0, 10)) {
        journal.append(diff);
      }
      assertTrue(journal.sizeBytes() > max, "not trimmed: " + journal.sizeBytes());
      assertEquals(describe(diffs.subList(0, 10)), describe(journal.read()));
      Files.delete(blocker.resolve("x"));
      Files.delete(blocker);
      journal.append(diffs.get(10));
      List<ZoneDiff> kept = journal.read();
      assertTrue(kept.size() < 11, "trimmed by the next append");
      assertTrue(kept.size() == 1 || journal.sizeBytes() <= max, "size " + journal.sizeBytes());
      assertEquals(describe(diffs.subList(11 - kept.size(), 11)), describe(kept));
    }
  }

  @Test
  void aDiffLargerThanMaxBytesIsStillKept() throws Exception {
    try (ZoneJournal journal = open(JournalSizes.MINIMUM / 8)) {
      journal.append(diff(1));
      journal.append(diff(2));
      journal.append(diff(3));
      assertEquals(List.of(describe(diff(3))), describe(journal.read()));
      assertTrue(journal.sizeBytes() > JournalSizes.MINIMUM / 8);
    }
  }

  @Test
  void dropThroughDropsDiffsEndingAtOrBeforeTheSerial() throws Exception {
    List<ZoneDiff> diffs = diffs(1, 10); // 1->2 ... 10->11
    try (ZoneJournal journal = open()) {
      for (ZoneDiff diff : diffs) {
        journal.append(diff);
      }
      long before = journal.sizeBytes();
      journal.dropThrough(0);
      assertEquals(before, journal.sizeBytes(), "nothing ends at or before serial 0");
      journal.dropThrough(5);
      assertEquals(describe(diffs.subList(4, 10)), describe(journal.read()));
      assertEquals(Files.size(file()), journal.sizeBytes());
      journal.append(diff(11));
    }
    try (ZoneJournal journal = open()) {
      List<ZoneDiff> read = journal.read();
      assertEquals(5, read.get(0).fromSerial());
      assertEquals(12, read.get(read.size() - 1).toSerial());
      journal.dropThrough(12);
      assertEquals(List.of(), journal.read());
      assertEquals(java.util.OptionalLong.of(12), journal.lastSerial());
      // The chain still continues from the last diff appended.
      assertThrows(JournalException.class, () -> journal.append(diff(20)));
      journal.append(diff(12));
      assertEquals(1, journal.read().size());
    }
    assertFalse(Files.exists(AtomicFiles.temporaryFor(file())));
  }

  @Test
  void restartDropsEveryDiffAndTheNextAppendStartsAnywhere() throws Exception {
    try (ZoneJournal journal = open()) {
      for (ZoneDiff diff : diffs(1, 5)) {
        journal.append(diff);
      }
      journal.restart();
      assertEquals(List.of(), journal.read());
      assertEquals(java.util.OptionalLong.empty(), journal.lastSerial());
      // The zone file now holds serial 40 (a snapshot): the journal continues from there.
      journal.append(diff(40));
    }
    assertFalse(Files.exists(AtomicFiles.temporaryFor(file())));
    try (ZoneJournal journal = open()) {
      assertEquals(describe(List.of(diff(40))), describe(journal.read()));
      assertThrows(JournalException.class, () -> journal.append(diff(1)));
    }
  }

  @Test
  void dropThroughUsesSerialArithmetic() throws Exception {
    long first = 4294967290L; // the chain wraps past 2^32 - 1 to 0, 1, ...
    List<ZoneDiff> diffs = diffs(first, 10);
    try (ZoneJournal journal = open()) {
      for (ZoneDiff diff : diffs) {
        journal.append(diff);
      }
      journal.dropThrough(4294967294L);
      assertEquals(4294967294L, journal.read().get(0).fromSerial());
      journal.dropThrough(1); // 1 comes after 4294967295 in RFC 1982 order
      List<String> expected = new ArrayList<>(describe(diffs.subList(7, 10)));
      assertEquals(expected, describe(journal.read()));
      assertEquals(1, journal.read().get(0).fromSerial());
    }
  }

  @Test
  void aClosedJournalRefusesWork() throws Exception {
    ZoneJournal journal = open();
    journal.close();
    assertThrows(JournalException.class, () -> journal.append(diff(1)));
    assertThrows(JournalException.class, journal::read);
    journal.close();
  }

  @Test
  void aMissingFolderIsAClearError() {
    Path nowhere = folder.resolve("missing").resolve("x.vxjnl");
    JournalException e =
        assertThrows(
            JournalException.class, () -> ZoneJournal.open(nowhere, Chain.ORIGIN, 1 << 20));
    assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
  }
}
