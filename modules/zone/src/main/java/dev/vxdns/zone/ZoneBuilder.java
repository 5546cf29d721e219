package dev.vxdns.zone;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** Groups records into RRsets per owner name, validates the result and indexes it. */
final class ZoneBuilder {

  private ZoneBuilder() {}

  static Zone build(Name origin, Iterable<Record> records) throws ZoneException {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(records, "records");
    if (!origin.isAbsolute()) {
      throw new ZoneException("zone origin " + origin + " is not an absolute name");
    }
    Map<Name, NodeBuilder> names = group(origin, records);

    NodeBuilder apexBuilder = names.get(origin);
    List<Record> soas = apexBuilder == null ? null : apexBuilder.records(Type.SOA);
    if (soas == null) {
      throw new ZoneException("zone " + origin + " has no SOA record");
    }
    if (soas.size() > 1) {
      throw new ZoneException(
          "zone " + origin + " has more than one SOA record: " + Records.describe(soas.get(1)));
    }
    SOARecord soa = (SOARecord) soas.get(0);
    if (apexBuilder.records(Type.NS) == null) {
      throw new ZoneException("zone " + origin + " has no NS records at its apex");
    }

    Map<Name, Node> nodes = new HashMap<>(names.size() * 4 / 3 + 1);
    List<Record> all = new ArrayList<>();
    all.add(soa);
    for (Map.Entry<Name, NodeBuilder> entry : names.entrySet()) {
      boolean apex = entry.getKey().equals(origin);
      NodeBuilder builder = entry.getValue();
      builder.validate(apex, soa.getDClass());
      Node node = builder.build(apex);
      nodes.put(entry.getKey(), node);
      builder.addTo(all, apex);
    }
    return new Zone(origin, soa, Collections.unmodifiableList(all), nodes);
  }

  /**
   * The next version of {@code zone} after {@code diff}, rebuilding only the names the diff touches
   * (and the empty non-terminals above them) and sharing every other node: an update costs one copy
   * of the name index, not a rebuild of the zone. Validates what it rebuilds as {@link #build}
   * does.
   */
  static Zone apply(Zone zone, ZoneDiff diff) throws ZoneException {
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
    for (Name name : touched) {
      boolean apex = name.equals(origin);
      Node old = nodes.get(name);
      List<Record> records = new ArrayList<>(old == null ? List.of() : old.records());
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
      NodeBuilder builder = new NodeBuilder();
      for (Record record : records) {
        builder.add(record);
      }
      for (Record record : added.getOrDefault(name, List.of())) {
        builder.add(record);
      }
      builder.validate(apex, soa.getDClass());
      if (apex && builder.records(Type.NS) == null) {
        throw new ZoneException("zone " + origin + " has no NS records at its apex");
      }
      Node node = builder.build(apex);
      int after = node.isEmpty() ? 0 : node.records().size();
      // The SOA is counted once whatever the apex node holds.
      count += after - before;
      nodes.put(name, node);
      if (old == null) {
        for (Name parent = name;
            parent.labels() > origin.labels() + 1
                && nodes.putIfAbsent(parent = new Name(parent, 1), Node.EMPTY_NON_TERMINAL); ) {
          // Each new ancestor is an empty non-terminal, up to the first that exists.
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
    return new Zone(origin, soa, count, nodes.build(), history);
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

  private static Map<Name, NodeBuilder> group(Name origin, Iterable<Record> records)
      throws ZoneException {
    int expected = records instanceof Collection<?> c ? c.size() : 16;
    Map<Name, NodeBuilder> names = new LinkedHashMap<>(expected * 4 / 3 + 1);
    for (Record record : records) {
      Objects.requireNonNull(record, "record");
      Name name = record.getName();
      if (!Type.isRR(record.getType())) {
        throw new ZoneException(
            "record '" + Records.describe(record) + "' has a meta type that cannot be in a zone");
      }
      if (!name.subdomain(origin)) {
        throw new ZoneException(
            "record '" + Records.describe(record) + "' is outside the zone " + origin);
      }
      if (record.getType() == Type.SOA && !name.equals(origin)) {
        throw new ZoneException(
            "SOA record '" + Records.describe(record) + "' is not at the zone apex " + origin);
      }
      NodeBuilder node = names.get(name);
      if (node == null) {
        node = new NodeBuilder();
        names.put(name, node);
        addEmptyNonTerminals(origin, name, names);
      }
      node.add(record);
    }
    return names;
  }

  /**
   * A name with no data of its own still exists when a name below it does (RFC 4592 §2.2.2);
   * recording those once here is what lets a lookup tell NODATA from NXDOMAIN in one probe. Only a
   * name seen for the first time can add any, and the walk up stops at the first known ancestor, so
   * a typical zone pays one extra probe per name.
   */
  private static void addEmptyNonTerminals(Name origin, Name name, Map<Name, NodeBuilder> names) {
    int top = origin.labels();
    Name parent = name;
    while (parent.labels() > top + 1) {
      parent = new Name(parent, 1);
      if (names.putIfAbsent(parent, new NodeBuilder()) != null) {
        break;
      }
    }
  }

  /** The RRsets of one owner name while they are being collected. */
  private static final class NodeBuilder {
    private final List<RRsetBuilder> rrsets = new ArrayList<>(1);

    void add(Record record) {
      for (RRsetBuilder rrset : rrsets) {
        if (rrset.type == record.getType()) {
          rrset.add(record);
          return;
        }
      }
      RRsetBuilder rrset = new RRsetBuilder(record.getType());
      rrset.add(record);
      rrsets.add(rrset);
    }

    List<Record> records(int type) {
      for (RRsetBuilder rrset : rrsets) {
        if (rrset.type == type) {
          return rrset.records;
        }
      }
      return null;
    }

    void validate(boolean apex, int dclass) throws ZoneException {
      for (RRsetBuilder rrset : rrsets) {
        for (Record record : rrset.records) {
          if (record.getDClass() != dclass) {
            throw new ZoneException(
                "record '"
                    + Records.describe(record)
                    + "' has class "
                    + DClass.string(record.getDClass())
                    + " but the zone's SOA has class "
                    + DClass.string(dclass));
          }
        }
      }
      List<Record> cname = records(Type.CNAME);
      if (cname != null) {
        if (apex) {
          throw new ZoneException(
              "CNAME '" + Records.describe(cname.get(0)) + "' is at the zone apex");
        }
        if (cname.size() > 1) {
          throw new ZoneException(
              "more than one CNAME at "
                  + cname.get(0).getName()
                  + ": "
                  + Records.describe(cname.get(1)));
        }
        for (RRsetBuilder rrset : rrsets) {
          if (!mayCoexistWithCname(rrset.type)) {
            throw new ZoneException(
                "CNAME '"
                    + Records.describe(cname.get(0))
                    + "' cannot coexist with other data: "
                    + Records.describe(rrset.records.get(0)));
          }
        }
      }
      List<Record> dname = records(Type.DNAME);
      if (dname != null && dname.size() > 1) {
        throw new ZoneException(
            "more than one DNAME at "
                + dname.get(0).getName()
                + ": "
                + Records.describe(dname.get(1)));
      }
    }

    /** RFC 2181 §10.1 and RFC 4035 §2.5: only DNSSEC data may sit beside a CNAME. */
    private static boolean mayCoexistWithCname(int type) {
      return type == Type.CNAME || type == Type.RRSIG || type == Type.NSEC || type == Type.KEY;
    }

    /** A builder that got no records is an empty non-terminal. */
    Node build(boolean apex) {
      if (rrsets.isEmpty()) {
        return Node.EMPTY_NON_TERMINAL;
      }
      rrsets.sort((a, b) -> Integer.compare(a.type, b.type));
      int[] types = new int[rrsets.size()];
      List<List<Record>> sets = new ArrayList<>(rrsets.size());
      for (int i = 0; i < types.length; i++) {
        RRsetBuilder rrset = rrsets.get(i);
        types[i] = rrset.type;
        sets.add(rrset.finished());
      }
      return new Node(types, sets, apex);
    }

    /** Appends this name's records in {@link Zone#records()} order; the SOA is already first. */
    void addTo(List<Record> all, boolean apex) {
      for (RRsetBuilder rrset : rrsets) {
        if (!(apex && rrset.type == Type.SOA)) {
          all.addAll(rrset.finished());
        }
      }
    }
  }

  /** Collects one RRset, dropping duplicates as {@link RRset} does. */
  private static final class RRsetBuilder {
    // Past this size a hash set takes over the duplicate check, so building a huge RRset (a
    // round-robin of thousands of addresses) stays O(n) instead of O(n^2).
    private static final int LINEAR_LIMIT = 8;

    final int type;
    final List<Record> records = new ArrayList<>(1);
    private Set<Record> seen;
    private List<Record> finished;

    RRsetBuilder(int type) {
      this.type = type;
    }

    void add(Record record) {
      if (seen != null) {
        if (seen.add(record)) {
          records.add(record);
        }
        return;
      }
      if (!records.contains(record)) {
        records.add(record);
        if (records.size() > LINEAR_LIMIT) {
          seen = new HashSet<>(records);
        }
      }
    }

    /** The RRset as served: immutable, one TTL (dnsjava's RRset lowers them to the smallest). */
    List<Record> finished() {
      if (finished == null) {
        finished = List.copyOf(sameTtl() ? records : new RRset(records).rrs(false));
      }
      return finished;
    }

    /** RRSIGs of one name cover different types and legitimately carry different TTLs. */
    private boolean sameTtl() {
      if (type == Type.RRSIG) {
        return true;
      }
      long ttl = records.get(0).getTTL();
      for (Record record : records) {
        if (record.getTTL() != ttl) {
          return false;
        }
      }
      return true;
    }
  }
}
