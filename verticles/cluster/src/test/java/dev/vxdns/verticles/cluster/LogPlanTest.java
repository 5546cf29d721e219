package dev.vxdns.verticles.cluster;

import static dev.vxdns.verticles.cluster.LogFixtures.diff;
import static dev.vxdns.verticles.cluster.LogFixtures.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.ZoneDiff;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared log's compare-and-set append and the plans that bring a node to the log's end. */
class LogPlanTest {
  private static ZoneLogState log(long first, ZoneDiff... diffs) {
    List<ZoneLogState.Entry> entries = new ArrayList<>();
    for (ZoneDiff diff : diffs) {
      entries.add(entry(diff));
    }
    return new ZoneLogState(first, entries);
  }

  private static LogPlan plan(ZoneLogState log, long serial, ZoneDiff... history) {
    long[] from = new long[history.length];
    long[] fingerprints = new long[history.length];
    for (int i = 0; i < history.length; i++) {
      from[i] = history[i].fromSerial();
      fingerprints[i] = DiffCodec.fingerprint(history[i]);
    }
    return LogPlan.of(log, serial, from, fingerprints);
  }

  @Test
  void aDiffSurvivesItsEncoding() throws Exception {
    ZoneDiff diff = diff(7, "a");
    assertEquals(diff, DiffCodec.decode(DiffCodec.encode(diff)));
    assertTrue(DiffCodec.fingerprint(diff) != DiffCodec.fingerprint(diff(7, "b")));
  }

  @Test
  void anAppendNeedsTheLogToEndAtItsBase() throws Exception {
    Map.Entry<String, ZoneLogState> entry = new AbstractMap.SimpleEntry<>("dyn.test.", null);
    int capacity = ZoneLogState.DEFAULT_CAPACITY;
    // A new log has no snapshot: one is due at once.
    assertEquals(
        capacity, new AppendProcessor(10, List.of(entry(diff(10, "a"))), capacity).process(entry));
    assertEquals(11, entry.getValue().last());
    // A second node evaluated against serial 10 too: fenced off.
    assertEquals(
        -1, new AppendProcessor(10, List.of(entry(diff(10, "b"))), capacity).process(entry));
    assertEquals(1, entry.getValue().entries().size());
    new SnapshotMark(11).process(entry);
    assertEquals(
        1, new AppendProcessor(11, List.of(entry(diff(11, "b"))), capacity).process(entry));
    assertEquals(12, entry.getValue().last());
  }

  @Test
  void theLogKeepsItsLatestEntries() throws Exception {
    int capacity = 8;
    ZoneLogState log = log(0);
    List<ZoneLogState.Entry> many = new ArrayList<>();
    for (int i = 0; i < capacity + 10; i++) {
      many.add(entry(diff(i, "n" + i)));
    }
    ZoneLogState trimmed = log.with(many, capacity);
    assertEquals(capacity, trimmed.entries().size());
    assertEquals(10, trimmed.first());
    assertEquals(many.get(9).fingerprint(), trimmed.firstFingerprint());
    assertEquals(capacity + 10, trimmed.last());
  }

  @Test
  void noLogMeansTheNodeStartsIt() {
    LogPlan plan = plan(null, 5);
    assertTrue(plan.push());
    assertEquals(-1, plan.logSerial());
  }

  @Test
  void aNodeBehindAppliesTheRest() throws Exception {
    ZoneDiff a = diff(10, "a");
    ZoneDiff b = diff(11, "b");
    ZoneDiff c = diff(12, "c");
    LogPlan plan = plan(log(10, a, b, c), 11, a);
    assertEquals(0, plan.rollback());
    assertEquals(List.of(entry(b).fingerprint(), entry(c).fingerprint()), fingerprints(plan));
    assertNull(plan.diverged());
    // Without history in common, by serial.
    assertEquals(2, plan(log(10, a, b, c), 11).apply().size());
    assertEquals(3, plan(log(10, a, b, c), 10).apply().size());
    assertTrue(plan(log(10, a, b, c), 13, a, b, c).apply().isEmpty());
  }

  @Test
  void aChangeTheLogDoesNotHaveIsUndone() throws Exception {
    ZoneDiff a = diff(10, "a");
    ZoneDiff minority = diff(11, "minority");
    ZoneDiff b = diff(11, "b");
    ZoneDiff c = diff(12, "c");
    LogPlan plan = plan(log(10, a, b, c), 12, a, minority);
    assertEquals(1, plan.rollback());
    assertEquals(2, plan.apply().size());
    assertFalse(plan.push());
  }

  @Test
  void aNodeAheadOfTheLogAppendsItsOwnChanges() throws Exception {
    ZoneDiff a = diff(10, "a");
    ZoneDiff b = diff(11, "b");
    LogPlan plan = plan(log(10, a), 12, a, b);
    assertTrue(plan.push());
    assertEquals(11, plan.logSerial());
    // A node whose history starts where the log (made by others, with no entries) ends.
    assertTrue(plan(log(10), 12, a, b).push());
  }

  @Test
  void aNodeOffTheLogCannotFollow() throws Exception {
    LogPlan plan = plan(log(20, diff(20, "x")), 5, diff(4, "y"));
    assertNotNull(plan.diverged());
    assertTrue(plan.diverged().contains("serial 5"), plan.diverged());
  }

  private static List<Long> fingerprints(LogPlan plan) {
    return plan.apply().stream().map(ZoneLogState.Entry::fingerprint).toList();
  }
}
