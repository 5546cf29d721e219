package dev.vxdns.verticles.cluster;

import static dev.vxdns.verticles.cluster.LogFixtures.ORIGIN;
import static dev.vxdns.verticles.cluster.LogFixtures.diff;
import static dev.vxdns.verticles.cluster.LogFixtures.entry;
import static dev.vxdns.verticles.cluster.LogFixtures.soa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import java.net.InetAddress;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * Snapshots: a zone survives its encoding, the log says when one is due, and which snapshot a node
 * may start from (a version the log has, reached by the same change).
 */
class SnapshotTest {
  @Test
  void aZoneSurvivesItsSnapshotEncoding() throws Exception {
    List<Record> records = new ArrayList<>();
    records.add(soa(42));
    records.add(new NSRecord(ORIGIN, DClass.IN, 300, Name.fromConstantString("ns1.dyn.test.")));
    records.add(
        new ARecord(
            Name.fromConstantString("ns1.dyn.test."),
            DClass.IN,
            300,
            InetAddress.getByName("192.0.2.53")));
    for (int i = 0; i < 500; i++) {
      Name name = Name.fromString("host" + i, ORIGIN);
      records.add(
          new AAAARecord(name, DClass.IN, 60, InetAddress.getByName("2001:db8::" + (i + 1))));
      records.add(new TXTRecord(name, DClass.IN, 60, "text \"" + i + "\" with spaces"));
    }
    Zone zone = Zone.of(ORIGIN, records);
    byte[] encoded = SnapshotCodec.encode(zone);
    Zone decoded = Zone.of(ORIGIN, SnapshotCodec.decode(encoded));
    assertEquals(42, decoded.serial());
    assertEquals(zone.recordCount(), decoded.recordCount());
    assertEquals(new HashSet<>(zone.records()), new HashSet<>(decoded.records()));
    int wire = 0;
    for (Record record : zone.records()) {
      wire += record.toWire(org.xbill.DNS.Section.ANSWER).length;
    }
    assertTrue(encoded.length < wire, encoded.length + " bytes deflated of " + wire);
    // Damaged bytes are refused, not half read.
    assertThrows(
        IllegalArgumentException.class,
        () -> SnapshotCodec.decode(Arrays.copyOf(encoded, encoded.length / 2)));
  }

  @Test
  void aSnapshotIsDueEveryHalfLog() throws Exception {
    int capacity = 8;
    Map.Entry<String, ZoneLogState> entry = new AbstractMap.SimpleEntry<>("dyn.test.", null);
    int past = new AppendProcessor(10, List.of(entry(diff(10, "a"))), capacity).process(entry);
    assertTrue(HazelcastZoneLog.snapshotDue(past, capacity), "a new log wants one");
    new SnapshotMark(11).process(entry);
    List<Boolean> due = new ArrayList<>();
    for (long serial = 11; serial < 15; serial++) {
      past =
          new AppendProcessor(serial, List.of(entry(diff(serial, "n" + serial))), capacity)
              .process(entry);
      due.add(HazelcastZoneLog.snapshotDue(past, capacity));
    }
    assertEquals(List.of(false, false, false, true), due);
    // Far more changes at once than the log keeps: the snapshot's version is gone, one is due.
    List<ZoneLogState.Entry> many = new ArrayList<>();
    for (long serial = 15; serial < 35; serial++) {
      many.add(entry(diff(serial, "m" + serial)));
    }
    past = new AppendProcessor(15, many, capacity).process(entry);
    assertEquals(capacity, past);
    assertEquals(-1, entry.getValue().entriesAfter(11));
  }

  @Test
  void aNodeStartsOnlyFromASnapshotOfAVersionTheLogHas() throws Exception {
    ZoneDiff a = diff(10, "a");
    ZoneDiff b = diff(11, "b");
    ZoneDiff c = diff(12, "c");
    ZoneLogState log =
        new ZoneLogState(10, List.of()).with(List.of(entry(a), entry(b), entry(c)), 2);
    // The log keeps b and c: it starts at 11, reached by a.
    assertEquals(11, log.first());
    assertNull(SnapshotCheck.unusable(log, 12, entry(b).fingerprint()));
    assertNull(SnapshotCheck.unusable(log, 13, entry(c).fingerprint()));
    assertNull(SnapshotCheck.unusable(log, 11, entry(a).fingerprint()));
    // The same serial reached by another change (a minority side's version): not this log's.
    String forked = SnapshotCheck.unusable(log, 12, DiffCodec.fingerprint(diff(11, "x")));
    assertNotNull(forked);
    assertTrue(forked.contains("serials 11 to 13"), forked);
    // Trimmed off the log.
    assertNotNull(SnapshotCheck.unusable(log, 10, 0));
    assertNotNull(SnapshotCheck.unusable(null, 12, entry(b).fingerprint()));
    // A log created at a version without changes: a snapshot of it has no change either.
    ZoneLogState empty = new ZoneLogState(7, List.of());
    assertNull(SnapshotCheck.unusable(empty, 7, 0));
    assertFalse(empty.covers(7, entry(a).fingerprint()));
  }
}
