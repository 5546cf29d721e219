package dev.vxdns.zone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Immutable snapshot of one zone.
 *
 * <p>The records are indexed by owner name once, at build time, together with the empty
 * non-terminals, the zone cuts and the DNAME owners, so a lookup walks at most one hash probe per
 * label of the query name and never scans the zone.
 */
public final class Zone {

  private final Name origin;
  private final byte[] originWire;
  private final SOARecord soa;
  private final SOARecord negativeSoa;
  private final int recordCount;
  private final NodeIndex nodes;
  private final Node apex;
  // The nodes of the apex NS names this zone is authoritative for: the addresses an answer with the
  // zone's NS RRset in its authority section adds, found once per version, not per query.
  private final List<Node> nameServers;
  private final List<ZoneDiff> history;
  // False only when the zone was built from records none of which was a DS (a file's load).
  private final boolean mayHaveDs;

  Zone(
      Name origin,
      SOARecord soa,
      int recordCount,
      NodeIndex nodes,
      List<ZoneDiff> history,
      boolean mayHaveDs) {
    this.history = List.copyOf(history);
    this.mayHaveDs = mayHaveDs;
    this.origin = origin;
    this.originWire = origin.toWire();
    this.soa = soa;
    this.negativeSoa = negativeSoa(soa);
    this.recordCount = recordCount;
    this.nodes = nodes;
    this.apex = nodes.get(origin);
    this.nameServers = authoritativeNodes(apex, Type.NS);
  }

  /**
   * The nodes of the names that the {@code type} RRset of {@code node} points to (NS, MX, SRV), for
   * those this zone is authoritative for (not below a cut or a DNAME): whose addresses go in the
   * additional section, as BIND's query_additionalauth finds them.
   */
  List<Node> authoritativeNodes(Node node, int type) {
    if (node == null || !node.has(type)) {
      return List.of();
    }
    List<Node> found = new ArrayList<>();
    for (Record record : node.rrset(type)) {
      Name target = record.getAdditionalName();
      if (target != null && target.subdomain(origin)) {
        Match match = match(target, false);
        if (match.kind() == Match.Kind.EXACT) {
          found.add(match.node());
        }
      }
    }
    return found;
  }

  /**
   * Validates the records and builds the zone. Identical records collapse, as they do in an RRset;
   * records of one RRset with different TTLs all get the lowest one (RFC 2181 §5.2).
   *
   * @throws ZoneException naming the offending record when the data cannot form a valid zone
   */
  public static Zone of(Name origin, Iterable<Record> records) throws ZoneException {
    return ZoneBuilder.build(origin, records, ZoneRules.NONE);
  }

  /**
   * Like {@link #of(Name, Iterable)}, also refusing an RRset or a name over {@code limits} (a
   * transferred zone).
   */
  public static Zone of(Name origin, Iterable<Record> records, ZoneRules limits)
      throws ZoneException {
    return ZoneBuilder.build(origin, records, limits);
  }

  public Name origin() {
    return origin;
  }

  /** The origin in wire form. Shared, never modify. */
  byte[] originWire() {
    return originWire;
  }

  public SOARecord soa() {
    return soa;
  }

  public long serial() {
    return soa.getSerial();
  }

  public int recordCount() {
    return recordCount;
  }

  /**
   * All records, SOA first, then grouped by owner name and type. Unmodifiable. Made from the packed
   * nodes on each call: O(n) objects, for tools and files; a transfer walks {@link #stream}
   * instead.
   */
  public List<Record> records() {
    List<Record> all = new ArrayList<>(recordCount);
    stream().forEachRemaining(all::add);
    return Collections.unmodifiableList(all);
  }

  /**
   * All records in {@link #records()} order, made one name at a time as the iterator advances: an
   * AXFR of a zone of millions of records never holds more than one name's records.
   */
  Iterator<Record> stream() {
    Iterator<Node> others = nodes.nodes();
    return new LookAhead<>() {
      private Iterator<Record> current = apexRecords();

      private Iterator<Record> apexRecords() {
        List<Record> records = new ArrayList<>(apex.records());
        // The SOA first, as in a zone file and an AXFR, then the apex's other records.
        records.removeIf(record -> record.getType() == Type.SOA);
        records.add(0, soa);
        return records.iterator();
      }

      @Override
      protected Record advance() {
        while (!current.hasNext()) {
          if (!others.hasNext()) {
            return null;
          }
          Node node = others.next();
          if (!node.sameAs(apex) && !node.isEmpty()) {
            current = node.records().iterator();
          }
        }
        return current.next();
      }
    };
  }

  /** The index, for building the next version from it ({@link ZoneBuilder#apply}). */
  NodeIndex nodes() {
    return nodes;
  }

  /**
   * The records owned by exactly this name, grouped by type in type-code order, ignoring zone cuts
   * and DNAMEs: what a dynamic update reads and changes. Empty when the name has no records,
   * including an empty non-terminal. One hash probe; unmodifiable.
   */
  public List<Record> recordsAt(Name name) {
    Node node = nodes.get(name);
    return node == null ? List.of() : node.records();
  }

  /**
   * Whether the name exists in this zone: it owns records, or it is an empty non-terminal (a name
   * below it does, RFC 4592 §2.2.2). Ignores cuts and DNAMEs.
   */
  public boolean contains(Name name) {
    return nodes.contains(name);
  }

  /**
   * The changes that led to this version, oldest first: the last one ends at this version's serial.
   * Empty for a zone read from its file; bounded by whoever applies the changes ({@link
   * #withHistory}). IXFR answers from it.
   */
  public List<ZoneDiff> history() {
    return history;
  }

  /** The same data with another history (trimmed, or replayed from a journal). */
  public Zone withHistory(List<ZoneDiff> changes) {
    return new Zone(origin, soa, recordCount, nodes, changes, mayHaveDs);
  }

  /**
   * The next version: this zone's records without {@code diff.deleted()}, with {@code diff.added()}
   * and the new SOA, validated as a zone read from a file is; the diff is appended to the history.
   * This zone is unchanged.
   *
   * @throws ZoneException when the diff does not start at this serial, deletes a record the zone
   *     does not have, or leaves data that cannot form a zone
   */
  public Zone apply(ZoneDiff diff) throws ZoneException {
    return apply(diff, ZoneRules.NONE);
  }

  /**
   * Like {@link #apply(ZoneDiff)}, also refusing a change that adds to an RRset over {@code limits}
   * or adds an RRset to a name at them (a transferred change).
   */
  public Zone apply(ZoneDiff diff, ZoneRules limits) throws ZoneException {
    if (diff.fromSerial() != serial()) {
      throw new ZoneException(
          "zone "
              + origin
              + ": a change from serial "
              + diff.fromSerial()
              + " cannot apply to serial "
              + serial());
    }
    return ZoneBuilder.apply(this, diff, limits);
  }

  @Override
  public String toString() {
    return "Zone[" + origin + " serial " + serial() + ", " + recordCount + " records]";
  }

  /** The SOA to put in the authority section of a negative answer (RFC 2308 §3 and §5). */
  SOARecord negativeSoa() {
    return negativeSoa;
  }

  /** The apex node: the SOA, the zone's NS. */
  Node apex() {
    return apex;
  }

  /** {@link #authoritativeNodes} of the apex NS RRset, in the RRset's order. */
  List<Node> nameServers() {
    return nameServers;
  }

  /** The node at exactly that name, ignoring cuts and DNAMEs: what glue lookup needs. */
  Node node(Name name) {
    return nodes.get(name);
  }

  /**
   * What BIND 9.20 refuses in a primary zone's apex NS records when it loads the zone (zone.c,
   * zone_check_ns), in its words: a target inside the zone and above every zone cut that has no
   * address record, is a CNAME, or is below a DNAME.
   */
  public List<String> apexNsProblems() {
    List<String> problems = new ArrayList<>();
    for (Record record : apex.rrset(Type.NS)) {
      Name target = ((NSRecord) record).getTarget();
      if (!target.subdomain(origin)) {
        continue;
      }
      String ns = "NS '" + target.toString(true) + "'";
      Match found = match(target, false);
      switch (found.kind()) {
        case DELEGATION -> {}
        case DNAME ->
            problems.add(
                ns + " is below a DNAME '" + found.node().owner().toString(true) + "' (illegal)");
        case NXDOMAIN -> problems.add(ns + " has no address records (A or AAAA)");
        case EXACT, WILDCARD -> {
          if (found.node().has(Type.CNAME)) {
            problems.add(ns + " is a CNAME (illegal)");
          } else if (!found.node().has(Type.A) && !found.node().has(Type.AAAA)) {
            problems.add(ns + " has no address records (A or AAAA)");
          }
        }
      }
    }
    return problems;
  }

  /**
   * The check-integrity error BIND 9.20 makes when it loads a primary zone (zone.c,
   * integrity_checks), in its words: a DS RRset at the apex or at a name that is no delegation,
   * where it cannot be served from this zone ("DS not at delegation point"). A name below a cut or
   * a DNAME is not looked at, as in BIND.
   */
  public List<String> dsProblems() {
    if (!mayHaveDs) {
      return List.of(); // a walk of every node: 60 ms of a million-record load
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<Node> all = nodes.nodes(); all.hasNext(); ) {
      Node node = all.next();
      if (!node.has(Type.DS)) {
        continue;
      }
      Match found = match(node.owner(), true);
      if (found.kind() == Match.Kind.EXACT && (found.node() == apex || !node.isCut())) {
        problems.add("DS not at delegation point (" + node.owner().toString(true) + ")");
      }
    }
    return problems;
  }

  /**
   * Walks from the apex down to name, one label at a time, stopping at the first zone cut or DNAME
   * above it, or at the first missing name (whose parent is then the closest encloser).
   *
   * @param name a name at or below the origin
   * @param dsAtCut whether a cut at name itself is answered from this zone, as DS is (RFC 4035
   *     §3.1.4.1)
   */
  Match match(Name name, boolean dsAtCut) {
    return match(name.toWire(), dsAtCut);
  }

  /** Like {@link #match(Name, boolean)}, for the name's wire form. */
  Match match(byte[] wire, boolean dsAtCut) {
    int top = origin.labels();
    int labels = WireNames.labels(wire, 0);
    if (labels == top) {
      return new Match(Match.Kind.EXACT, apex);
    }
    if (apex.hasDname()) {
      return new Match(Match.Kind.DNAME, apex);
    }
    // Each ancestor is a suffix of the wire form, looked up where it starts.
    for (int depth = top + 1; depth <= labels; depth++) {
      int at = WireNames.suffix(wire, 0, labels - depth);
      Node node = nodes.get(wire, at);
      if (node == null) {
        return wildcard(wire, WireNames.suffix(wire, at, 1));
      }
      boolean last = depth == labels;
      if (node.isCut() && !(last && dsAtCut)) {
        return new Match(Match.Kind.DELEGATION, node);
      }
      if (last) {
        return new Match(Match.Kind.EXACT, node);
      }
      if (node.hasDname()) {
        return new Match(Match.Kind.DNAME, node);
      }
    }
    throw new IllegalArgumentException(
        WireNames.name(wire, 0, wire.length) + " is not in zone " + origin);
  }

  /**
   * RFC 4592 §3.3.1: only the wildcard directly below the closest encloser (the wire name at {@code
   * wire[closestEncloser]}) may synthesise.
   */
  private Match wildcard(byte[] wire, int closestEncloser) {
    int length = wire.length - closestEncloser;
    byte[] source = new byte[2 + length];
    source[0] = 1;
    source[1] = '*';
    System.arraycopy(wire, closestEncloser, source, 2, length);
    Node node = nodes.get(source, 0);
    return node == null
        ? new Match(Match.Kind.NXDOMAIN, null)
        : new Match(Match.Kind.WILDCARD, node);
  }

  private static SOARecord negativeSoa(SOARecord soa) {
    long ttl = Math.min(soa.getTTL(), soa.getMinimum());
    if (ttl == soa.getTTL()) {
      return soa;
    }
    return new SOARecord(
        soa.getName(),
        soa.getDClass(),
        ttl,
        soa.getHost(),
        soa.getAdmin(),
        soa.getSerial(),
        soa.getRefresh(),
        soa.getRetry(),
        soa.getExpire(),
        soa.getMinimum());
  }
}
