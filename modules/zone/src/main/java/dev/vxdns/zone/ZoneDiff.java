package dev.vxdns.zone;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One change of a zone from one version to the next, in RFC 1995's shape: the old SOA, the records
 * deleted, the new SOA, the records added. It is what an update produces, what the journal keeps,
 * what an IXFR sends and what a secondary applies. The SOAs are not in {@code deleted} or {@code
 * added}.
 */
public record ZoneDiff(SOARecord from, SOARecord to, List<Record> deleted, List<Record> added) {
  public ZoneDiff {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    deleted = List.copyOf(deleted);
    added = List.copyOf(added);
  }

  /**
   * The change from {@code older} to {@code newer}, as named's {@code ixfr-from-differences} finds
   * it when a zone's file is read again: the records only {@code older} has are deleted, those only
   * {@code newer} has are added, a record whose TTL changed is both. One name at a time, so the
   * zones are never copied whole.
   */
  public static ZoneDiff between(Zone older, Zone newer) {
    List<Record> deleted = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    onlyIn(older, newer, deleted);
    onlyIn(newer, older, added);
    return new ZoneDiff(older.soa(), newer.soa(), deleted, added);
  }

  /** Adds to {@code only} each record of {@code zone}, but its SOA, that {@code other} lacks. */
  private static void onlyIn(Zone zone, Zone other, List<Record> only) {
    for (Iterator<Node> nodes = zone.nodes().nodes(); nodes.hasNext(); ) {
      Node node = nodes.next();
      if (node.isEmpty()) {
        continue;
      }
      List<Record> theirs = other.recordsAt(node.owner());
      for (Record record : node.records()) {
        if (record.getType() != Type.SOA && !containsWithTtl(theirs, record)) {
          only.add(record);
        }
      }
    }
  }

  /** Record equality (owner, type, class, data) and the same TTL, which equals() leaves out. */
  private static boolean containsWithTtl(List<Record> records, Record wanted) {
    for (Record record : records) {
      if (record.equals(wanted) && record.getTTL() == wanted.getTTL()) {
        return true;
      }
    }
    return false;
  }

  public long fromSerial() {
    return from.getSerial();
  }

  public long toSerial() {
    return to.getSerial();
  }
}
