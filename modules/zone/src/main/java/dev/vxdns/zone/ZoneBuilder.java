package dev.vxdns.zone;

import dev.vxdns.zone.text.MasterFileReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Builds a zone from records handed over one at a time (a master file's, in file order, as wire
 * RDATA; or dnsjava records), packing each name's RRsets into a {@link Node} as soon as the next
 * record has another owner, so a load holds at most one name's records unpacked. Nothing is looked
 * up per name while records come: a name met again later (records of one name scattered through a
 * file) is merged, and the empty non-terminals are added, when the table of names is made at the
 * end. Checks the result as {@link Zone#of} describes; the first problem is reported by {@link
 * #build}.
 */
final class ZoneBuilder implements MasterFileReader.RecordSink {

  private static final System.Logger LOG = System.getLogger(ZoneBuilder.class.getName());

  /** check-names warnings kept for a load's caller; the rest are counted. */
  static final int MAX_WARNINGS = 100;

  private final Name origin;
  private final byte[] originWire;
  private final ZoneRules rules;
  private final List<String> warnings = new ArrayList<>();
  private int unlistedWarnings;
  private final NameTable.Builder nodes = new NameTable.Builder();
  // The nodes more than one label below the origin, as references into the nodes' slabs: only
  // their ancestors can be empty non-terminals.
  private long[] deep = new long[16];
  private int deepCount;
  private Node.Builder open;
  private int count;
  // Whether a DS record came: only then does a primary's check walk every node (Zone.dsProblems).
  private boolean sawDs;
  private ZoneException error;
  // Every record must have the SOA's class, known only at the end: the first record's class is
  // assumed, and the first record of any other class kept to be reported.
  private int zoneClass = -1;
  private Record firstRecord;
  private Record otherClass;

  ZoneBuilder(Name origin, ZoneRules rules) throws ZoneException {
    Objects.requireNonNull(origin, "origin");
    this.rules = Objects.requireNonNull(rules, "rules");
    if (!origin.isAbsolute()) {
      throw new ZoneException("zone origin " + origin + " is not an absolute name");
    }
    this.origin = origin;
    this.originWire = origin.toWire();
  }

  static Zone build(Name origin, Iterable<Record> records, ZoneRules rules) throws ZoneException {
    Objects.requireNonNull(records, "records");
    ZoneBuilder builder = new ZoneBuilder(origin, rules);
    for (Record record : records) {
      Objects.requireNonNull(record, "record");
      builder.record(
          record.getName().toWire(),
          record.getType(),
          record.getDClass(),
          record.getTTL(),
          Rdata.of(record),
          null,
          0);
    }
    Zone zone = builder.build();
    builder
        .warnings()
        .forEach(warning -> LOG.log(System.Logger.Level.WARNING, "zone {0}: {1}", origin, warning));
    return zone;
  }

  /**
   * The check-names problems found where the rules only warn, in BIND's words, the first {@link
   * #MAX_WARNINGS} and a count of the rest.
   */
  List<String> warnings() {
    if (unlistedWarnings == 0) {
      return List.copyOf(warnings);
    }
    List<String> all = new ArrayList<>(warnings);
    all.add("and " + unlistedWarnings + " more names that fail check-names");
    return all;
  }

  private void warn(String warning) {
    if (warnings.size() < MAX_WARNINGS) {
      warnings.add(warning);
    } else {
      unlistedWarnings++;
    }
  }

  /**
   * Adds one record owned by the wire name {@code owner}; {@code owner} and {@code rdata} are kept
   * until the name is packed, not copied. A master file's records come here straight from the
   * parser: this is the only entry, so the compiler compiles the packing path once (called through
   * another method, it compiled it into both: 50 ms more of a 1M-record load's compiler time).
   */
  @Override
  public void record(
      byte[] owner, int type, int dclass, long ttl, byte[] rdata, String file, int line) {
    if (error != null) {
      return;
    }
    sawDs |= type == Type.DS;
    if (open == null || !WireNames.same(open.wire(), owner)) {
      if (!check(owner, type, dclass, ttl, rdata)) {
        return;
      }
      close();
      open = new Node.Builder(owner, zoneClass);
    } else if (type == Type.SOA || dclass != zoneClass || !Type.isRR(type)) {
      if (!check(owner, type, dclass, ttl, rdata)) {
        return;
      }
    }
    if (open.addLoaded(type, ttl, rdata, owner)) {
      count++;
    }
  }

  /** Whether a problem has been found. */
  boolean failed() {
    return error != null;
  }

  /**
   * Takes the records {@code later} was given, as if given to this builder after its own (a file
   * read in segments, one builder per segment); {@code later} is empty afterwards.
   */
  void append(ZoneBuilder later) {
    close();
    later.close();
    long shift = nodes.addAll(later.nodes);
    for (int i = 0; i < later.deepCount; i++) {
      addDeep(later.deep[i] + shift);
    }
    later.deepCount = 0;
    count += later.count;
    later.count = 0;
    later.warnings.forEach(this::warn);
    unlistedWarnings += later.unlistedWarnings;
    sawDs |= later.sawDs;
    if (error == null) {
      error = later.error;
    }
    if (zoneClass < 0) {
      zoneClass = later.zoneClass;
      firstRecord = later.firstRecord;
    } else if (otherClass == null && later.zoneClass >= 0 && later.zoneClass != zoneClass) {
      otherClass = later.firstRecord;
    }
    if (otherClass == null) {
      otherClass = later.otherClass;
    }
  }

  /** The zone, or the first problem found. */
  Zone build() throws ZoneException {
    close();
    NameTable table = nodes.build(this::merge);
    for (int i = 0; i < deepCount; i++) {
      addEmptyNonTerminals(table, nodes.node(deep[i]));
    }
    table.trim();
    if (error != null) {
      throw error;
    }
    Node apex = table.get(originWire, 0);
    List<Record> soas = apex == null ? null : apex.rrset(Type.SOA);
    if (soas == null) {
      throw new ZoneException("zone " + origin + " has no SOA record");
    }
    if (soas.size() > 1) {
      throw new ZoneException(
          "zone " + origin + " has more than one SOA record: " + Records.describe(soas.get(1)));
    }
    SOARecord soa = (SOARecord) soas.get(0);
    if (!apex.has(Type.NS)) {
      throw new ZoneException("zone " + origin + " has no NS records at its apex");
    }
    if (zoneClass != soa.getDClass()) {
      throw wrongClass(firstRecord, soa.getDClass());
    }
    if (otherClass != null) {
      throw wrongClass(otherClass, soa.getDClass());
    }
    return new Zone(origin, soa, count, NodeIndex.of(table), List.of(), sawDs);
  }

  /** Checks a record against the zone alone (not yet its name's other records). */
  private boolean check(byte[] owner, int type, int dclass, long ttl, byte[] rdata) {
    if (!Type.isRR(type)) {
      fail(record(owner, type, dclass, ttl, rdata), "' has a meta type that cannot be in a zone");
    } else if (!WireNames.atOrBelow(owner, originWire)) {
      fail(record(owner, type, dclass, ttl, rdata), "' is outside the zone " + origin);
    } else if (type == Type.SOA && !WireNames.same(owner, originWire)) {
      error =
          new ZoneException(
              "SOA record '"
                  + Records.describe(record(owner, type, dclass, ttl, rdata))
                  + "' is not at the zone apex "
                  + origin);
    } else if (zoneClass < 0) {
      zoneClass = dclass;
      firstRecord = record(owner, type, dclass, ttl, rdata);
    } else if (dclass != zoneClass && otherClass == null) {
      otherClass = record(owner, type, dclass, ttl, rdata);
    }
    return error == null;
  }

  /** The dnsjava record, for a message. */
  private static Record record(byte[] owner, int type, int dclass, long ttl, byte[] rdata) {
    return Rdata.record(WireNames.name(owner, 0, owner.length), type, dclass, ttl, rdata);
  }

  private void fail(Record record, String problem) {
    error = new ZoneException("record '" + Records.describe(record) + problem);
  }

  private void close() {
    if (open == null) {
      return;
    }
    long reference = nodes.add(open, validate(open));
    if (WireNames.labels(open.wire(), 0) > origin.labels() + 1) {
      addDeep(reference);
    }
    open = null;
  }

  private void addDeep(long reference) {
    if (deepCount == deep.length) {
      deep = Arrays.copyOf(deep, deepCount * 2);
    }
    deep[deepCount++] = reference;
  }

  /** The records of a name met again ({@code later}) added to those met before. */
  private Node merge(Node earlier, Node later) {
    Node.Builder merged = Node.Builder.of(earlier, zoneClass);
    count -= merged.addLoaded(later);
    return merged.build(validate(merged));
  }

  /**
   * Checks a name's records, keeping the first problem for {@link #build}: whether the name is the
   * apex.
   */
  private boolean validate(Node.Builder node) {
    boolean apex = WireNames.same(node.wire(), originWire);
    try {
      validate(node, apex);
      String tooMany = rules.limitsProblem(node);
      if (tooMany != null) {
        throw new ZoneException(tooMany);
      }
      String badName = rules.namesProblem(node);
      if (badName != null && rules.checkNames() == CheckNames.Mode.FAIL) {
        throw new ZoneException(badName);
      } else if (badName != null) {
        warn(badName);
      }
    } catch (ZoneException e) {
      if (error == null) {
        error = e;
      }
    }
    return apex;
  }

  /**
   * A name with no data of its own still exists when a name below it does (RFC 4592 §2.2.2);
   * recording those once here is what lets a lookup tell NODATA from NXDOMAIN in one probe. The
   * walk up from a name stops at the first ancestor the table has.
   */
  private void addEmptyNonTerminals(NameTable table, Node node) {
    byte[] name = node.bytes();
    int at = node.ownerOffset();
    int parents = WireNames.labels(name, at) - origin.labels() - 1;
    for (int i = 0; i < parents; i++) {
      at = WireNames.suffix(name, at, 1);
      if (table.get(name, at) != null) {
        break;
      }
      table.put(Node.emptyNonTerminal(name, at));
    }
  }

  /**
   * The next version of {@code zone} after {@code diff}, rebuilding only the names the diff touches
   * (and the empty non-terminals above them) and sharing every other node: an update costs one copy
   * of the name index, not a rebuild of the zone. Validates what it rebuilds as {@link #build}
   * does; of the limits, only the RRsets the diff adds to count, as BIND counts when it adds.
   */
  static Zone apply(Zone zone, ZoneDiff diff, ZoneRules rules) throws ZoneException {
    Name origin = zone.origin();
    Map<Name, List<Record>> deleted = byOwner(origin, diff.deleted());
    Map<Name, List<Record>> added = byOwner(origin, diff.added());
    Set<Name> touched = new LinkedHashSet<>(deleted.keySet());
    touched.addAll(added.keySet());
    touched.add(origin);
    NodeIndex.Editor nodes = zone.nodes().edit();
    int count = zone.recordCount();
    List<Name> emptied = new ArrayList<>();
    SOARecord soa = diff.to();
    int dclass = soa.getDClass();
    for (Name name : touched) {
      boolean apex = name.equals(origin);
      Node old = nodes.get(name);
      List<Record> records = new ArrayList<>(old == null ? List.of() : old.records());
      Set<Long> rrsetsBefore = rules.hasLimits() ? ZoneRules.rrsetKeys(records) : Set.of();
      int before = records.size();
      for (Record gone : deleted.getOrDefault(name, List.of())) {
        if (!records.remove(gone)) {
          throw new ZoneException(
              "zone "
                  + origin
                  + ": a change deletes a record the zone does not have: "
                  + Records.describe(gone));
        }
      }
      if (apex) {
        records.removeIf(record -> record.getType() == Type.SOA);
        records.add(soa);
      }
      List<Record> adds = added.getOrDefault(name, List.of());
      records.addAll(adds);
      Node.Builder builder = new Node.Builder(old == null ? name : old.owner(), dclass);
      for (Record record : records) {
        if (record.getDClass() != dclass) {
          throw wrongClass(record, dclass);
        }
        // Each RRset keeps the spelling of its latest record: kept records first, then the added.
        builder.add(record.getType(), record.getTTL(), Rdata.of(record), record.getName());
      }
      validate(builder, apex);
      checkLimits(rules, builder, adds, rrsetsBefore, records);
      checkNames(origin, rules, adds);
      if (apex && builder.rdata(Type.NS) == null) {
        throw new ZoneException("zone " + origin + " has no NS records at its apex");
      }
      Node node = builder.build(apex);
      // The SOA is counted once whatever the apex node holds.
      count += builder.recordCount() - before;
      nodes.put(name, node);
      if (old == null) {
        // Each new ancestor is an empty non-terminal, up to the first that exists.
        Name parent = name;
        while (parent.labels() > origin.labels() + 1) {
          parent = new Name(parent, 1);
          if (!nodes.putIfAbsent(parent, Node.emptyNonTerminal(parent))) {
            break;
          }
        }
      }
      if (node.isEmpty()) {
        emptied.add(name);
      }
    }
    for (Name name : emptied) {
      removeIfUnneeded(origin, name, nodes);
    }
    List<ZoneDiff> history = new ArrayList<>(zone.history().size() + 1);
    history.addAll(zone.history());
    history.add(diff);
    return new Zone(origin, soa, count, nodes.build(), history, true);
  }

  /**
   * What BIND's database refuses as a change adds records: an RRset taken over its limit, or a new
   * RRset at a name whose RRsets, counting those the change deleted (BIND keeps their place until
   * the change is done), go over the types limit.
   */
  private static void checkLimits(
      ZoneRules rules,
      Node.Builder node,
      List<Record> adds,
      Set<Long> rrsetsBefore,
      List<Record> records)
      throws ZoneException {
    if (!rules.hasLimits() || adds.isEmpty()) {
      return;
    }
    for (Record add : adds) {
      if (rules.overRecordLimit(ZoneRules.rrsetSize(node, add))) {
        throw new ZoneException(rules.tooManyRecords(add));
      }
    }
    Set<Long> rrsets = new HashSet<>(rrsetsBefore);
    rrsets.addAll(ZoneRules.rrsetKeys(records));
    if (rrsets.size() > rrsetsBefore.size() && rules.overTypeLimit(rrsets.size())) {
      throw new ZoneException(rules.tooManyTypes(node.owner()));
    }
  }

  /** check-names on the records a change adds: a failure, or a warning logged. */
  private static void checkNames(Name origin, ZoneRules rules, List<Record> adds)
      throws ZoneException {
    if (rules.checkNames() == CheckNames.Mode.IGNORE) {
      return;
    }
    for (Record add : adds) {
      String problem = CheckNames.problem(add);
      if (problem != null && rules.checkNames() == CheckNames.Mode.FAIL) {
        throw new ZoneException(problem);
      } else if (problem != null) {
        LOG.log(System.Logger.Level.WARNING, "zone {0}: {1}", origin, problem);
      }
    }
  }

  /** A change's records by owner name, checked to belong in the zone. */
  private static Map<Name, List<Record>> byOwner(Name origin, List<Record> records)
      throws ZoneException {
    Map<Name, List<Record>> owners = new LinkedHashMap<>();
    for (Record record : records) {
      if (!Type.isRR(record.getType()) || record.getType() == Type.SOA) {
        throw new ZoneException(
            "record '" + Records.describe(record) + "' cannot be changed in a zone this way");
      }
      if (!record.getName().subdomain(origin)) {
        throw new ZoneException(
            "record '" + Records.describe(record) + "' is outside the zone " + origin);
      }
      owners.computeIfAbsent(record.getName(), name -> new ArrayList<>()).add(record);
    }
    return owners;
  }

  /**
   * A name left without records stays only as an empty non-terminal, that is while a name below it
   * exists; removing it may leave its parent in the same state. The scan for a name below is over
   * the whole index, but only names a change emptied pay for it.
   */
  private static void removeIfUnneeded(Name origin, Name name, NodeIndex.Editor nodes) {
    Name current = name;
    while (!current.equals(origin)) {
      Node node = nodes.get(current);
      if (node == null || !node.isEmpty() || nodes.anyBelow(current)) {
        return;
      }
      nodes.remove(current);
      current = new Name(current, 1);
    }
  }

  private static ZoneException wrongClass(Record record, int dclass) {
    return new ZoneException(
        "record '"
            + Records.describe(record)
            + "' has class "
            + DClass.string(record.getDClass())
            + " but the zone's SOA has class "
            + DClass.string(dclass));
  }

  /** The checks that concern one name's records together. */
  private static void validate(Node.Builder node, boolean apex) throws ZoneException {
    List<byte[]> cname = node.rdata(Type.CNAME);
    if (cname != null) {
      if (apex) {
        throw new ZoneException(
            "CNAME '" + Records.describe(node.first(Type.CNAME)) + "' is at the zone apex");
      }
      if (cname.size() > 1) {
        throw new ZoneException(
            "more than one CNAME at "
                + node.owner()
                + ": "
                + Records.describe(node.nth(Type.CNAME, 1)));
      }
      for (int type : node.types()) {
        if (!mayCoexistWithCname(type)) {
          throw new ZoneException(
              "CNAME '"
                  + Records.describe(node.first(Type.CNAME))
                  + "' cannot coexist with other data: "
                  + Records.describe(node.first(type)));
        }
      }
    }
    List<byte[]> dname = node.rdata(Type.DNAME);
    if (dname != null && dname.size() > 1) {
      throw new ZoneException(
          "more than one DNAME at "
              + node.owner()
              + ": "
              + Records.describe(node.nth(Type.DNAME, 1)));
    }
  }

  /** RFC 2181 §10.1 and RFC 4035 §2.5: only DNSSEC data may sit beside a CNAME. */
  private static boolean mayCoexistWithCname(int type) {
    return type == Type.CNAME || type == Type.RRSIG || type == Type.NSEC || type == Type.KEY;
  }
}
