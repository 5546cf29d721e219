package dev.vxdns.update;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The zone as an update sees it while it runs: the immutable zone plus a copy of each name the
 * update touched. Only touched names are copied, so an update costs one hash probe per name it
 * reads, whatever the zone's size; {@link #diff} compares the copies with the zone.
 */
final class WorkingZone {

  private final Zone zone;
  private final Map<Name, List<Record>> touched = new LinkedHashMap<>();

  WorkingZone(Zone zone) {
    this.zone = zone;
  }

  Name origin() {
    return zone.origin();
  }

  /** The records at exactly this name now. */
  List<Record> recordsAt(Name name) {
    List<Record> records = touched.get(name);
    return records != null ? records : zone.recordsAt(name);
  }

  /** The RRset of (type, covers) at name now; covers only counts for RRSIG, as in BIND. */
  List<Record> rrset(Name name, int type, int covers) {
    List<Record> result = new ArrayList<>();
    for (Record record : recordsAt(name)) {
      if (sameRRset(record, type, covers)) {
        result.add(record);
      }
    }
    return result;
  }

  boolean hasRRset(Name name, int type, int covers) {
    for (Record record : recordsAt(name)) {
      if (sameRRset(record, type, covers)) {
        return true;
      }
    }
    return false;
  }

  /**
   * How many RRsets the name holds now or held before the update, as BIND's database counts them
   * while an update runs: an RRset the update deleted keeps its place until the update is done, and
   * an RRSIG counts once per type it covers.
   */
  int rrsetCountWithDeleted(Name name) {
    Set<Long> rrsets = ZoneRules.rrsetKeys(zone.recordsAt(name));
    rrsets.addAll(ZoneRules.rrsetKeys(recordsAt(name)));
    return rrsets.size();
  }

  /** Whether the name held the record's RRset before the update. */
  boolean heldBefore(Record record) {
    return ZoneRules.rrsetKeys(zone.recordsAt(record.getName()))
        .contains(ZoneRules.rrsetKey(record));
  }

  /** BIND's name_exists: the name owns at least one record (an empty non-terminal does not). */
  boolean nameInUse(Name name) {
    return !recordsAt(name).isEmpty();
  }

  /**
   * Whether the name exists now, as an owner of records or as an empty non-terminal. A name that
   * was an empty non-terminal stays one even when this update deleted everything below it.
   */
  boolean exists(Name name) {
    if (!recordsAt(name).isEmpty() || zone.contains(name)) {
      return true;
    }
    for (Map.Entry<Name, List<Record>> entry : touched.entrySet()) {
      Name owner = entry.getKey();
      if (!entry.getValue().isEmpty() && owner.subdomain(name) && !owner.equals(name)) {
        return true;
      }
    }
    return false;
  }

  SOARecord soa() {
    for (Record record : recordsAt(zone.origin())) {
      if (record instanceof SOARecord soa) {
        return soa;
      }
    }
    throw new IllegalStateException("zone " + zone.origin() + " lost its SOA");
  }

  /** Removes every record at name that the predicate selects; returns how many. */
  int deleteIf(Name name, Predicate<Record> selected) {
    List<Record> records = editable(name);
    int before = records.size();
    records.removeIf(selected);
    return before - records.size();
  }

  /** Removes the record with this owner, type and rdata (whatever its TTL), if there is one. */
  void delete(Record record) {
    editable(record.getName()).removeIf(existing -> sameRdata(existing, record));
  }

  void add(Record record) {
    editable(record.getName()).add(record);
  }

  void replaceSoa(SOARecord soa) {
    List<Record> apex = editable(zone.origin());
    apex.removeIf(record -> record.getType() == Type.SOA);
    apex.add(soa);
  }

  /**
   * The net change from the zone to now, SOAs apart, or null when nothing changed. A record that
   * only changed its TTL or its owner name's case is deleted with the old and added with the new
   * form, which is what {@link Zone#apply} and an IXFR need.
   */
  ZoneDiff diff() {
    List<Record> deleted = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    for (Map.Entry<Name, List<Record>> entry : touched.entrySet()) {
      List<Record> before = zone.recordsAt(entry.getKey());
      List<Record> after = entry.getValue();
      for (Record record : before) {
        if (record.getType() != Type.SOA && !containsIdentical(after, record)) {
          deleted.add(record);
        }
      }
      for (Record record : after) {
        if (record.getType() != Type.SOA && !containsIdentical(before, record)) {
          added.add(record);
        }
      }
    }
    SOARecord from = zone.soa();
    SOARecord to = soa();
    if (deleted.isEmpty() && added.isEmpty() && identical(from, to)) {
      return null;
    }
    return new ZoneDiff(from, to, deleted, added);
  }

  private List<Record> editable(Name name) {
    return touched.computeIfAbsent(name, n -> new ArrayList<>(zone.recordsAt(n)));
  }

  static boolean sameRRset(Record record, int type, int covers) {
    if (record.getType() != type) {
      return false;
    }
    return type != Type.RRSIG || ((RRSIGRecord) record).getTypeCovered() == covers;
  }

  /** Same type and rdata (names in the rdata compared case-insensitively), whatever the class. */
  static boolean sameRdata(Record a, Record b) {
    return a.getType() == b.getType()
        && Arrays.equals(a.rdataToWireCanonical(), b.rdataToWireCanonical());
  }

  /** Same rdata, TTL and owner name spelling: nothing for a diff to say. */
  static boolean identical(Record a, Record b) {
    return a.equals(b)
        && a.getTTL() == b.getTTL()
        && a.getName().toString().equals(b.getName().toString());
  }

  private static boolean containsIdentical(List<Record> records, Record record) {
    for (Record candidate : records) {
      if (identical(candidate, record)) {
        return true;
      }
    }
    return false;
  }
}
