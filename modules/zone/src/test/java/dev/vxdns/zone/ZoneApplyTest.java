package dev.vxdns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

/**
 * {@link Zone#apply} rebuilds only what a change touches; it must give exactly the zone a full
 * build of the same records gives, empty non-terminals included, however the changes come. And
 * {@link ZoneDiff#between} finds the change that leads from one version to the next.
 */
class ZoneApplyTest {
  private static final Name ORIGIN = Name.fromConstantString("apply.test.");

  @Test
  void incrementalChangesEqualAFullBuildOfTheSameRecords() throws Exception {
    Random random = new Random(20261204);
    List<Name> names = new ArrayList<>();
    for (String label : List.of("a", "b.a", "c.b.a", "d", "e.d", "f.e.d", "*.w", "x.y.z")) {
      names.add(Name.fromString(label, ORIGIN));
    }
    Set<Record> records = new HashSet<>();
    records.add(new NSRecord(ORIGIN, DClass.IN, 300, Name.fromString("ns", ORIGIN)));
    Zone zone = Zone.of(ORIGIN, withSoa(records, 1));
    Zone before = zone;
    for (int serial = 2; serial < 400; serial++) {
      List<Record> deleted = new ArrayList<>();
      List<Record> added = new ArrayList<>();
      for (int change = random.nextInt(4); change >= 0; change--) {
        Name name = names.get(random.nextInt(names.size()));
        Record record =
            random.nextBoolean()
                ? new ARecord(
                    name, DClass.IN, 300, InetAddress.getByName("192.0.2." + random.nextInt(4)))
                : new TXTRecord(name, DClass.IN, 300, "t" + random.nextInt(3));
        if (records.contains(record) && !deleted.contains(record)) {
          deleted.add(record);
        } else if (!records.contains(record) && !added.contains(record)) {
          added.add(record);
        }
      }
      ZoneDiff diff = new ZoneDiff(zone.soa(), soa(serial), deleted, added);
      zone = zone.apply(diff);
      records.removeAll(deleted);
      records.addAll(added);
      Zone full = Zone.of(ORIGIN, withSoa(records, serial));
      assertEquals(
          new HashSet<>(full.records()), new HashSet<>(zone.records()), "serial " + serial);
      assertEquals(full.recordCount(), zone.recordCount(), "serial " + serial);
      for (Name name : names) {
        for (Name ancestor = name; ancestor.subdomain(ORIGIN); ancestor = new Name(ancestor, 1)) {
          assertEquals(full.contains(ancestor), zone.contains(ancestor), ancestor + " " + serial);
          assertEquals(
              new HashSet<>(full.recordsAt(ancestor)),
              new HashSet<>(zone.recordsAt(ancestor)),
              ancestor + " " + serial);
          if (ancestor.equals(ORIGIN)) {
            break;
          }
        }
      }
      assertEquals(serial - 1, zone.history().size());
      ZoneDiff found = ZoneDiff.between(before, full);
      assertEquals(new HashSet<>(deleted), new HashSet<>(found.deleted()), "deleted " + serial);
      assertEquals(new HashSet<>(added), new HashSet<>(found.added()), "added " + serial);
      assertEquals(
          new HashSet<>(full.records()),
          new HashSet<>(before.apply(found).records()),
          "the found change rebuilds " + serial);
      before = full;
    }
  }

  /** A record whose TTL changed is deleted and added again, as named's differences have it. */
  @Test
  void theDifferenceBetweenTwoVersionsCountsATtlChange() throws Exception {
    Name host = Name.fromString("host", ORIGIN);
    Set<Record> records = new HashSet<>();
    records.add(new NSRecord(ORIGIN, DClass.IN, 300, Name.fromString("ns", ORIGIN)));
    records.add(new ARecord(host, DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    Zone older = Zone.of(ORIGIN, withSoa(records, 1));
    records.remove(new ARecord(host, DClass.IN, 300, InetAddress.getByName("192.0.2.1")));
    records.add(new ARecord(host, DClass.IN, 60, InetAddress.getByName("192.0.2.1")));
    Zone newer = Zone.of(ORIGIN, withSoa(records, 2));
    ZoneDiff diff = ZoneDiff.between(older, newer);
    assertEquals(1, diff.deleted().size());
    assertEquals(300, diff.deleted().get(0).getTTL());
    assertEquals(1, diff.added().size());
    assertEquals(60, diff.added().get(0).getTTL());
    assertEquals(List.of(1L, 2L), List.of(diff.fromSerial(), diff.toSerial()));
  }

  @Test
  void aChangeThatBreaksTheZoneIsRefusedAndTheZoneUnchanged() throws Exception {
    Set<Record> records = new HashSet<>();
    NSRecord ns = new NSRecord(ORIGIN, DClass.IN, 300, Name.fromString("ns", ORIGIN));
    records.add(ns);
    Zone zone = Zone.of(ORIGIN, withSoa(records, 1));
    Record absent = new ARecord(ORIGIN, DClass.IN, 300, InetAddress.getByName("192.0.2.1"));
    assertThrows(
        ZoneException.class,
        () -> zone.apply(new ZoneDiff(zone.soa(), soa(2), List.of(absent), List.of())));
    assertThrows(
        ZoneException.class,
        () -> zone.apply(new ZoneDiff(zone.soa(), soa(2), List.of(ns), List.of())));
    assertEquals(1, zone.serial());
    assertEquals(2, zone.recordCount());
  }

  private static SOARecord soa(long serial) {
    return new SOARecord(
        ORIGIN,
        DClass.IN,
        300,
        Name.fromConstantString("ns.apply.test."),
        Name.fromConstantString("h.apply.test."),
        serial,
        3600,
        600,
        86400,
        300);
  }

  private static List<Record> withSoa(Set<Record> records, long serial) {
    List<Record> all = new ArrayList<>(records);
    all.add(soa(serial));
    return all;
  }
}
