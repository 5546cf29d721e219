package dev.vxdns.journal;

import dev.vxdns.zone.Serials;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Brings a zone read from its file up to date with its journal, as a server does at start-up. */
public final class ZoneReplay {

  private ZoneReplay() {}

  /**
   * The zone read from its file, brought up to date with the journal's diffs. Diffs ending at or
   * before the file's serial (RFC 1982) are skipped, since the file already has them, as after a
   * fold; from then on each diff must start where the previous one ended.
   *
   * <p>The result's history is the applied diffs, preceded by the skipped diffs that lead exactly
   * to the file's serial, so IXFR can still serve changes that were folded into the file before a
   * restart. The file zone's own history is not kept.
   *
   * <p>The zone is built once, after every diff has been applied to its records, so replaying many
   * small diffs onto a large zone costs one build, not one per diff. Each diff is checked as {@link
   * Zone#apply} checks it: it must start at the current serial and delete only records the zone
   * has.
   *
   * @throws JournalException when the journal does not continue from the file's serial, a diff does
   *     not start where the previous one ended or deletes a record that is not there, or the result
   *     is not a valid zone
   */
  public static Zone replay(Zone fromFile, List<ZoneDiff> journal) throws JournalException {
    Objects.requireNonNull(fromFile, "fromFile");
    Objects.requireNonNull(journal, "journal");
    long fileSerial = fromFile.serial();
    int firstNew = 0;
    while (firstNew < journal.size()
        && Serials.atLeast(fileSerial, journal.get(firstNew).toSerial())) {
      firstNew++;
    }
    List<ZoneDiff> history = new ArrayList<>(leadingTo(journal.subList(0, firstNew), fileSerial));
    if (firstNew == journal.size()) {
      return fromFile.withHistory(history);
    }

    ZoneRecords records = new ZoneRecords(fromFile.records());
    records.remove(fromFile.soa());
    long serial = fileSerial;
    for (ZoneDiff diff : journal.subList(firstNew, journal.size())) {
      if (diff.fromSerial() != serial) {
        throw new JournalException(
            "zone "
                + fromFile.origin()
                + ": the journal's diff from serial "
                + diff.fromSerial()
                + " to "
                + diff.toSerial()
                + " does not continue from serial "
                + serial
                + (serial == fileSerial ? ", the zone file's serial" : ""));
      }
      for (Record record : new HashSet<>(diff.deleted())) {
        if (!records.remove(record)) {
          throw new JournalException(
              "zone "
                  + fromFile.origin()
                  + ": the journal's diff to serial "
                  + diff.toSerial()
                  + " deletes a record the zone does not have: "
                  + record);
        }
      }
      records.addAll(diff.added());
      serial = diff.toSerial();
      history.add(diff);
    }
    List<Record> all = new ArrayList<>();
    all.add(journal.get(journal.size() - 1).to());
    records.addTo(all);
    try {
      return Zone.of(fromFile.origin(), all).withHistory(history);
    } catch (ZoneException e) {
      throw new JournalException(
          "zone "
              + fromFile.origin()
              + ": the journal up to serial "
              + serial
              + " leaves an invalid zone: "
              + e.getMessage(),
          e);
    }
  }

  /** The longest run at the end of skipped whose diffs chain, one into the next, up to serial. */
  private static List<ZoneDiff> leadingTo(List<ZoneDiff> skipped, long serial) {
    int start = skipped.size();
    long next = serial;
    while (start > 0 && skipped.get(start - 1).toSerial() == next) {
      start--;
      next = skipped.get(start).fromSerial();
    }
    return skipped.subList(start, skipped.size());
  }

  /**
   * The records of a zone by RRset, kept as {@link Zone#apply} would leave them after each diff:
   * duplicates collapse and an RRset whose TTLs differ takes the lowest (RFC 2181 §5.2), which
   * matters when a later diff deletes the record that had the lowest TTL.
   */
  private static final class ZoneRecords {
    private record Key(Name name, int type) {}

    private final Map<Key, List<Record>> rrsets = new LinkedHashMap<>();

    ZoneRecords(List<Record> records) {
      for (Record record : records) {
        rrsets.computeIfAbsent(key(record), k -> new ArrayList<>(1)).add(record);
      }
    }

    boolean remove(Record record) {
      List<Record> rrset = rrsets.get(key(record));
      if (rrset == null || !rrset.remove(record)) {
        return false;
      }
      if (rrset.isEmpty()) {
        rrsets.remove(key(record));
      }
      return true;
    }

    void addAll(List<Record> added) {
      Set<Key> touched = new HashSet<>();
      for (Record record : added) {
        Key key = key(record);
        List<Record> rrset = rrsets.computeIfAbsent(key, k -> new ArrayList<>(1));
        if (!rrset.contains(record)) {
          rrset.add(record);
          touched.add(key);
        }
      }
      for (Key key : touched) {
        List<Record> rrset = rrsets.get(key);
        // RRSIGs of one name cover different types and keep their own TTLs, as in ZoneBuilder.
        if (key.type() != Type.RRSIG && !sameTtl(rrset)) {
          rrsets.put(key, new ArrayList<>(new RRset(rrset).rrs(false)));
        }
      }
    }

    void addTo(List<Record> all) {
      rrsets.values().forEach(all::addAll);
    }

    private static boolean sameTtl(List<Record> rrset) {
      long ttl = rrset.get(0).getTTL();
      for (Record record : rrset) {
        if (record.getTTL() != ttl) {
          return false;
        }
      }
      return true;
    }

    private static Key key(Record record) {
      return new Key(record.getName(), record.getType());
    }
  }
}
