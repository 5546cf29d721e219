package dev.vxdns.zone;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What a zone's data must obey, as BIND 9.20 sets it per zone. {@code max-records-per-type} and
 * {@code max-types-per-name}: a load, a transfer or an update that would give an RRset more
 * records, or a name more types, fails (BIND's answer to CVE-2024-1737, where huge RRsets and names
 * with thousands of types slowed every lookup of them down); as in BIND, an RRSIG counts once per
 * type it covers, as an RRset and as a type; 0 means no limit. {@code check-names} ({@link
 * CheckNames}): a record whose names fail fails the load, the transfer or the update, is logged, or
 * passes. {@code max-records}: a transfer or an update that would leave the zone with more records
 * fails; as in BIND 9.20 a zone file is not held to it (only xfrin.c and update.c check it). {@code
 * check-integrity}: a primary's file with a DS RRset off a delegation fails to load, and an update
 * that adds an MX whose in-zone exchange has no address is refused.
 *
 * @param maxRecordsPerType the most records an RRset may hold, 0 for any number
 * @param maxTypesPerName the most RRsets a name may hold, 0 for any number
 * @param maxRecords the most records a transfer or an update may leave the zone with, 0 for any
 *     number
 * @param checkNames what a record whose host or mailbox names fail does
 * @param checkIntegrity BIND's {@code check-integrity} (yes by default)
 */
public record ZoneRules(
    int maxRecordsPerType,
    int maxTypesPerName,
    int maxRecords,
    CheckNames.Mode checkNames,
    boolean checkIntegrity) {

  /** The rules with BIND's default {@code check-integrity yes}. */
  public ZoneRules(
      int maxRecordsPerType, int maxTypesPerName, int maxRecords, CheckNames.Mode checkNames) {
    this(maxRecordsPerType, maxTypesPerName, maxRecords, checkNames, true);
  }

  /**
   * No limit and no name check: what data already accepted (a journal, a cluster's log) loads with.
   */
  public static final ZoneRules NONE = new ZoneRules(0, 0, 0, CheckNames.Mode.IGNORE);

  /**
   * BIND 9.20's defaults for a primary zone: 100, 100, no {@code max-records} and {@code
   * check-names primary fail}.
   */
  public static final ZoneRules BIND_PRIMARY = new ZoneRules(100, 100, 0, CheckNames.Mode.FAIL);

  /**
   * BIND 9.20's defaults for a secondary zone: 100, 100, no {@code max-records} and {@code
   * check-names secondary warn}.
   */
  public static final ZoneRules BIND_SECONDARY = new ZoneRules(100, 100, 0, CheckNames.Mode.WARN);

  /** What {@code checkzone} loads with, as named-checkzone: no limits, names checked and warned. */
  public static final ZoneRules CHECKZONE = new ZoneRules(0, 0, 0, CheckNames.Mode.WARN);

  public ZoneRules {
    if (maxRecordsPerType < 0 || maxTypesPerName < 0 || maxRecords < 0) {
      throw new IllegalArgumentException("zone limits must not be negative");
    }
    Objects.requireNonNull(checkNames, "checkNames");
  }

  /**
   * The problem, in BIND's words, with a zone of {@code records} records after a transfer or an
   * update, or null.
   */
  public String zoneSizeProblem(long records) {
    return maxRecords > 0 && records > maxRecords
        ? "records in zone (" + records + ") exceeds max-records (" + maxRecords + ")"
        : null;
  }

  /**
   * The first of the name's records whose names fail {@code check-names}, in BIND's words, or null
   * (always null when names are not checked).
   */
  String namesProblem(Node.Builder node) {
    if (checkNames == CheckNames.Mode.IGNORE) {
      return null;
    }
    byte[] owner = node.wire();
    // Whether the owner is a host name, read once for all its types: most names of a load are.
    boolean hostOwner = CheckNames.isHostname(owner, 0, true);
    for (int i = 0; i < node.rrsetCount(); i++) {
      int type = node.typeAt(i);
      String problem =
          hostOwner && CheckNames.wantsHostOwner(type)
              ? null
              : CheckNames.ownerProblem(owner, type, node.dclass());
      if (problem != null) {
        return problem;
      }
      for (byte[] rdata : node.rdata(type)) {
        problem = CheckNames.rdataProblem(owner, type, node.dclass(), rdata);
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  /**
   * The problem, in BIND's words, with a name holding these records (a load), or null. Allocates
   * nothing unless the name has RRSIGs: it runs for every name of a load.
   */
  String limitsProblem(Node.Builder node) {
    if (!hasLimits()) {
      return null;
    }
    boolean signed = false;
    for (int i = 0; i < node.rrsetCount(); i++) {
      int type = node.typeAt(i);
      if (type == Type.RRSIG) {
        signed = true;
      } else if (overRecordLimit(node.sizeAt(i))) {
        return tooManyRecords(node.owner(), Type.string(type));
      }
    }
    int types = node.rrsetCount();
    if (signed) {
      int[] covered = covered(node);
      types--;
      for (int i = 0; i < covered.length; i = next(covered, i)) {
        if (overRecordLimit(next(covered, i) - i)) {
          return tooManyRecords(node.owner(), "RRSIG " + Type.string(covered[i]));
        }
        types++;
      }
    }
    return overTypeLimit(types) ? tooManyTypes(node.owner()) : null;
  }

  /** Whether either limit is set. */
  boolean hasLimits() {
    return maxRecordsPerType > 0 || maxTypesPerName > 0;
  }

  /** How many records the RRset of {@code record} holds in {@code node}. */
  static int rrsetSize(Node.Builder node, Record record) {
    if (record.getType() != Type.RRSIG) {
      List<byte[]> rdata = node.rdata(record.getType());
      return rdata == null ? 0 : rdata.size();
    }
    int[] covered = covered(node);
    int at = Arrays.binarySearch(covered, record.getRRsetType());
    if (at < 0) {
      return 0;
    }
    while (at > 0 && covered[at - 1] == covered[at]) {
      at--;
    }
    return next(covered, at) - at;
  }

  /** The RRsets of these records as the limits count them ({@link #rrsetKey}). */
  public static Set<Long> rrsetKeys(List<Record> records) {
    Set<Long> keys = new HashSet<>();
    for (Record record : records) {
      keys.add(rrsetKey(record));
    }
    return keys;
  }

  /** A record's RRset as the limits count it: its type, and for an RRSIG the type it covers. */
  public static long rrsetKey(Record record) {
    return ((long) record.getType() << 16) | record.getRRsetType();
  }

  /** The types the node's RRSIGs cover, one per RRSIG, sorted. */
  private static int[] covered(Node.Builder node) {
    List<byte[]> signatures = node.rdata(Type.RRSIG);
    if (signatures == null) {
      return new int[0];
    }
    int[] covered = new int[signatures.size()];
    for (int i = 0; i < covered.length; i++) {
      byte[] rdata = signatures.get(i);
      covered[i] = rdata.length < 2 ? 0 : ((rdata[0] & 0xff) << 8) | (rdata[1] & 0xff);
    }
    Arrays.sort(covered);
    return covered;
  }

  /** The index after the run of equal values starting at {@code from}. */
  private static int next(int[] sorted, int from) {
    int to = from;
    while (to < sorted.length && sorted[to] == sorted[from]) {
      to++;
    }
    return to;
  }

  /** Whether an RRset of {@code records} records is over the limit. */
  public boolean overRecordLimit(int records) {
    return maxRecordsPerType > 0 && records > maxRecordsPerType;
  }

  /** Whether a name with {@code types} RRsets, one of them new, is over the limit. */
  public boolean overTypeLimit(int types) {
    return maxTypesPerName > 0 && types > maxTypesPerName;
  }

  /** The message for an RRset over the limit. */
  public String tooManyRecords(Record record) {
    return tooManyRecords(record.getName(), describedType(record));
  }

  /** The message for a name over the limit. */
  public String tooManyTypes(Name owner) {
    return owner.toString(true)
        + ": too many records (more than "
        + maxTypesPerName
        + " types, max-types-per-name)";
  }

  private String tooManyRecords(Name owner, String type) {
    return owner.toString(true)
        + "/"
        + type
        + ": too many records (must not exceed "
        + maxRecordsPerType
        + ", max-records-per-type)";
  }

  /** The type as the limits count it: an RRSIG with the type it covers. */
  private static String describedType(Record record) {
    return record.getType() == Type.RRSIG
        ? "RRSIG " + Type.string(record.getRRsetType())
        : Type.string(record.getType());
  }
}
