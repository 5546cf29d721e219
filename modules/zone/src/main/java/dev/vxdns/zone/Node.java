package dev.vxdns.zone;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The owner name and RRsets of one name, packed in a run of octets: no per-record or per-name Java
 * objects stay in a zone (a {@code Node} is a view made when a name is looked up). A loaded zone's
 * nodes lie end to end in {@link Slabs}; a node an update makes has an array of its own. dnsjava
 * {@link Record}s are made from the bytes only for what an answer, a transfer or an update reads.
 * An empty node is an empty non-terminal: the name exists because a name below it does (RFC 4592
 * §2.2.2), which matters for NODATA versus NXDOMAIN and for blocking wildcard synthesis.
 *
 * <p>Layout from {@code data[start]}, big-endian:
 *
 * <pre>
 * owner (wire, as loaded) | flags u8 (CUT, DNAME) | class u16 | n u16 | size u32
 *   | n × (type u16, offset u32) | n RRsets, by type code (size and offsets from the node's start)
 * RRset:       spelling | ttl u32 | (rdlength u16, rdata)*     one TTL (RFC 2181 §5.2)
 * RRSIG RRset: spelling | (ttl u32, rdlength u16, rdata)*      each signature keeps its own TTL
 * spelling:    0 (the owner as above) or the owner name spelled another way (wire)
 * </pre>
 *
 * RDATA is uncompressed wire form as loaded: names inside it keep their case, and the owner name is
 * kept once, as first loaded, so answers show both as the zone file wrote them. An RRset may spell
 * its owner another way, as in BIND: as its first loaded record does, or as a dynamic update's
 * latest added record does. An empty non-terminal is a node without RRsets.
 */
final class Node {

  private static final int CUT = 1;
  private static final int DNAME = 2;
  private static final int HEADER = 9;
  private static final int ENTRY = 6;

  private final byte[] data;
  private final int start;
  // Where the owner name ends and the flags start.
  private final int base;

  /** The view of the node at {@code data[start]}. */
  Node(byte[] data, int start) {
    this(data, start, WireNames.length(data, start));
  }

  /** The view of the node at {@code data[start]}, whose owner name is {@code ownerLength} long. */
  Node(byte[] data, int start, int ownerLength) {
    this.data = data;
    this.start = start;
    this.base = start + ownerLength;
  }

  /** A new empty node at the root name, distinct from every other: a marker for an index. */
  static Node marker() {
    return emptyNonTerminal(new byte[1], 0);
  }

  /** The empty non-terminal at the wire name at {@code name[offset]}, spelled as there. */
  static Node emptyNonTerminal(byte[] name, int offset) {
    int length = WireNames.length(name, offset);
    byte[] data = new byte[length + HEADER];
    System.arraycopy(name, offset, data, 0, length);
    put32(data, length + 5, data.length);
    return new Node(data, 0, length);
  }

  static Node emptyNonTerminal(Name name) {
    return emptyNonTerminal(name.toWire(), 0);
  }

  /** Whether both are views of the same packed node. */
  boolean sameAs(Node other) {
    return other != null && data == other.data && start == other.start;
  }

  /** The owner name as first loaded, made on each call. */
  Name owner() {
    return WireNames.name(data, start, base - start);
  }

  /** The array holding the owner name (wire, as loaded) at {@link #ownerOffset}, then the rest. */
  byte[] bytes() {
    return data;
  }

  int ownerOffset() {
    return start;
  }

  /** How many octets the node takes. */
  int size() {
    return (int) u32(base + 5);
  }

  /** Copies the node to {@code target[at]}; its offsets are its own, so the copy reads the same. */
  void copyTo(byte[] target, int at) {
    System.arraycopy(data, start, target, at, size());
  }

  /** Whether the owner name is strictly below the wire name {@code parent} (a whole array). */
  boolean isStrictlyBelow(byte[] parent) {
    return WireNames.strictlyBelow(data, start, parent);
  }

  /** The RRset of that type owned by this node's name (as the RRset spells it), or null. */
  List<Record> rrset(int type) {
    int i = indexOf(type);
    return i < 0 ? null : decode(i);
  }

  /** Whether this name has an RRset of that type. */
  boolean has(int type) {
    return indexOf(type) >= 0;
  }

  /** Every record of this name, RRsets in type order. */
  List<Record> records() {
    int n = count();
    if (n == 0) {
      return List.of();
    }
    if (n == 1) {
      return decode(0);
    }
    List<Record> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.addAll(decode(i));
    }
    return Collections.unmodifiableList(all);
  }

  /** How many records this name has. */
  int recordCount() {
    int[] total = {0};
    for (int i = 0; i < count(); i++) {
      forEachRdata(i, (ttl, at, length) -> total[0]++);
    }
    return total[0];
  }

  boolean isEmpty() {
    return count() == 0;
  }

  /** A delegation point: NS below the apex. */
  boolean isCut() {
    return (data[base] & CUT) != 0;
  }

  boolean hasDname() {
    return (data[base] & DNAME) != 0;
  }

  /**
   * The type of the single RRset given to an ANY query (RFC 8482 §4.2), or -1 for an empty node:
   * the CNAME if there is one, otherwise the lowest type code, so the choice is stable across
   * restarts and servers.
   */
  int anyType() {
    if (has(Type.CNAME)) {
      return Type.CNAME;
    }
    return isEmpty() ? -1 : typeAt(0);
  }

  /**
   * Writes the RRset of that type (nothing without one) into {@code section} of the response.
   *
   * @param owner the wire name to own it (a wildcard's synthesis), or null: as the RRset spells it
   * @param ttlCap the highest TTL to give (a negative answer's SOA), or {@code Long.MAX_VALUE}
   */
  void write(int type, int section, byte[] owner, long ttlCap, WireResponse response) {
    int i = indexOf(type);
    if (i < 0) {
      return;
    }
    if (owner != null) {
      response.beginRRset(section, owner, 0, type);
    } else {
      response.beginRRset(section, data, spellingAt(i), type);
    }
    int dclass = u16(base + 1);
    forEachRdata(
        i, (ttl, at, length) -> response.record(dclass, Math.min(ttl, ttlCap), data, at, length));
    response.endRRset();
  }

  /**
   * The owner of what this wildcard node synthesises for the wire name {@code query} below its
   * closest encloser (RFC 4592 §3.3.1), spelled as named writes it: the query's labels below the
   * closest encloser in lower case, then the closest encloser as this node spells it.
   */
  byte[] synthesisedOwner(byte[] query) {
    int encloser = base - start - 2; // the owner without its "*" label
    int below = query.length - encloser;
    byte[] owner = new byte[query.length];
    for (int i = 0; i < below; i++) {
      owner[i] = WireNames.lowerCase(query[i]);
    }
    System.arraycopy(data, start + 2, owner, below, encloser);
    return owner;
  }

  /** Whether the response has this node's RRset of that type in {@code section} (-1: any). */
  boolean isIn(WireResponse response, int section, int type) {
    int i = indexOf(type);
    return i >= 0 && response.has(section, data, spellingAt(i), type);
  }

  /** The name in the first record's RDATA of that type (CNAME, DNAME), or null without one. */
  Name target(int type) {
    int i = indexOf(type);
    if (i < 0) {
      return null;
    }
    int at = recordsStart(i) + 4 + 2;
    try {
      return new Name(Arrays.copyOfRange(data, at, at + WireNames.length(data, at)));
    } catch (IOException e) {
      throw new IllegalStateException("a node's packed RDATA is broken", e);
    }
  }

  private int count() {
    return u16(base + 3);
  }

  private int typeAt(int i) {
    return u16(base + HEADER + i * ENTRY);
  }

  private int start(int i) {
    return start + (int) u32(base + HEADER + i * ENTRY + 2);
  }

  /** Where the TTL and records of RRset i start, after its spelling. */
  private int recordsStart(int i) {
    int at = start(i);
    return data[at] == 0 ? at + 1 : at + WireNames.length(data, at);
  }

  /** Where the owner name as RRset i spells it starts in {@code data}. */
  private int spellingAt(int i) {
    int at = start(i);
    return data[at] == 0 ? start : at;
  }

  /** The owner as RRset i spells it. */
  private Name spelling(int i) {
    int at = start(i);
    if (data[at] == 0) {
      return owner();
    }
    return WireNames.name(data, at, WireNames.length(data, at));
  }

  /** The wire name RRset i is spelled with, or null when spelled as the node. */
  private byte[] spellingWire(int i) {
    int at = start(i);
    return data[at] == 0 ? null : Arrays.copyOfRange(data, at, at + WireNames.length(data, at));
  }

  private int end(int i) {
    return i + 1 < count() ? start(i + 1) : start + size();
  }

  private int indexOf(int type) {
    // A node rarely holds more than a handful of types: a linear scan beats anything cleverer.
    int n = count();
    for (int i = 0; i < n; i++) {
      if (typeAt(i) == type) {
        return i;
      }
    }
    return -1;
  }

  private List<Record> decode(int i) {
    Name name = spelling(i);
    int type = typeAt(i);
    int dclass = u16(base + 1);
    List<Record> records = new ArrayList<>(1);
    forEachRdata(
        i,
        (ttl, at, length) ->
            records.add(
                Rdata.record(name, type, dclass, ttl, Arrays.copyOfRange(data, at, at + length))));
    return Collections.unmodifiableList(records);
  }

  /** Where each record of RRset i lies in {@code data}, with its TTL. */
  private void forEachRdata(int i, RdataVisitor visitor) {
    int at = recordsStart(i);
    int end = end(i);
    boolean perRecordTtl = typeAt(i) == Type.RRSIG;
    long ttl = 0;
    if (!perRecordTtl) {
      ttl = u32(at);
      at += 4;
    }
    while (at < end) {
      if (perRecordTtl) {
        ttl = u32(at);
        at += 4;
      }
      int length = u16(at);
      visitor.visit(ttl, at + 2, length);
      at += 2 + length;
    }
  }

  @FunctionalInterface
  private interface RdataVisitor {
    void visit(long ttl, int at, int length);
  }

  private int u16(int at) {
    return (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
  }

  private long u32(int at) {
    return ((long) u16(at) << 16) | u16(at + 2);
  }

  /**
   * Collects the records of one name, in any order, and packs them into a {@link Node}. Identical
   * records collapse; the records of one RRset get the lowest TTL among them (RFC 2181 §5.2),
   * except RRSIGs, which cover different types and legitimately carry different TTLs.
   */
  static final class Builder {
    private final byte[] wire;
    private Name owner; // made when first asked for: a zone load has only the wire form
    private final int dclass;
    private final List<RRsetBuilder> rrsets = new ArrayList<>(1);

    Builder(Name owner, int dclass) {
      this.owner = owner;
      this.wire = owner.toWire();
      this.dclass = dclass;
    }

    /** For the owner name {@code wire} (kept, not copied). */
    Builder(byte[] wire, int dclass) {
      this.wire = wire;
      this.dclass = dclass;
    }

    /** A builder holding the records of {@code node}, to add to or rebuild it. */
    static Builder of(Node node, int dclass) {
      Builder builder = new Builder(Arrays.copyOfRange(node.data, node.start, node.base), dclass);
      builder.addLoaded(node);
      return builder;
    }

    /**
     * Adds every record of {@code node}, each RRset spelled as there, as {@link #addLoaded(int,
     * long, byte[], byte[])} would one by one: how many were already here (and collapsed).
     */
    int addLoaded(Node node) {
      int[] duplicates = {0};
      byte[] owner = Arrays.copyOfRange(node.data, node.start, node.base);
      for (int i = 0; i < node.count(); i++) {
        int type = node.typeAt(i);
        byte[] spelled = node.spellingWire(i);
        byte[] spelling = spelled != null ? spelled : owner;
        node.forEachRdata(
            i,
            (ttl, at, length) -> {
              byte[] rdata = Arrays.copyOfRange(node.data, at, at + length);
              if (!addLoaded(type, ttl, rdata, spelling)) {
                duplicates[0]++;
              }
            });
      }
      return duplicates[0];
    }

    Name owner() {
      if (owner == null) {
        owner = WireNames.name(wire, 0, wire.length);
      }
      return owner;
    }

    /** The owner name's wire form, as first given. */
    byte[] wire() {
      return wire;
    }

    /** Adds one record; false when it was already there (a duplicate collapses). */
    boolean add(int type, long ttl, byte[] rdata) {
      return rrsetOf(type).add(ttl, rdata);
    }

    /**
     * Adds one record as a zone file or a transfer gives it, owned by {@code owner}: the first
     * record of an RRset gives the RRset its spelling of the name, as named keeps one per RRset.
     */
    boolean addLoaded(int type, long ttl, byte[] rdata, byte[] owner) {
      RRsetBuilder rrset = rrsetOf(type);
      if (rrset.rdata.isEmpty() && owner != wire && !Arrays.equals(owner, wire)) {
        rrset.spelling = owner;
      }
      return rrset.add(ttl, rdata);
    }

    /**
     * Adds one record whose owner spells the name its own way: its RRset takes that spelling, as
     * BIND's update gives an RRset the spelling of its latest added record.
     */
    boolean add(int type, long ttl, byte[] rdata, Name spelling) {
      RRsetBuilder rrset = rrsetOf(type);
      rrset.spelling = spelling.toWire();
      return rrset.add(ttl, rdata);
    }

    /** The RDATA of the RRset of that type, in order, or null. */
    List<byte[]> rdata(int type) {
      for (RRsetBuilder rrset : rrsets) {
        if (rrset.type == type) {
          return rrset.rdata;
        }
      }
      return null;
    }

    /** The first record of the RRset of that type (for messages), or null. */
    Record first(int type) {
      return nth(type, 0);
    }

    /** The record at index i of the RRset of that type (for messages), or null. */
    Record nth(int type, int i) {
      for (RRsetBuilder rrset : rrsets) {
        if (rrset.type == type && i < rrset.rdata.size()) {
          Name name =
              rrset.spelling != null
                  ? WireNames.name(rrset.spelling, 0, rrset.spelling.length)
                  : owner();
          return Rdata.record(name, type, dclass, rrset.ttl(i), rrset.rdata.get(i));
        }
      }
      return null;
    }

    /** The class of the records. */
    int dclass() {
      return dclass;
    }

    /** How many RRsets (types) were collected. */
    int rrsetCount() {
      return rrsets.size();
    }

    /** The type of the RRset at {@code index}, in the order first seen. */
    int typeAt(int index) {
      return rrsets.get(index).type;
    }

    /** How many records the RRset at {@code index} holds. */
    int sizeAt(int index) {
      return rrsets.get(index).rdata.size();
    }

    /** The types collected, in the order first seen. */
    int[] types() {
      int[] types = new int[rrsets.size()];
      for (int i = 0; i < types.length; i++) {
        types[i] = rrsets.get(i).type;
      }
      return types;
    }

    int recordCount() {
      int total = 0;
      for (RRsetBuilder rrset : rrsets) {
        total += rrset.rdata.size();
      }
      return total;
    }

    /**
     * The node, in an array of its own. A builder that got no records makes an empty non-terminal.
     */
    Node build(boolean apex) {
      byte[][] spellings = spellings();
      byte[] data = new byte[size(spellings)];
      write(data, 0, spellings, apex);
      return new Node(data, 0, wire.length);
    }

    /** Packs the node at the end of {@code slabs}: its reference there. */
    long pack(Slabs slabs, boolean apex) {
      byte[][] spellings = spellings();
      long reference = slabs.allocate(size(spellings));
      write(slabs.slab(reference), Slabs.offset(reference), spellings, apex);
      return reference;
    }

    /** Sorts the RRsets by type and gives each its spelling of the owner. */
    private byte[][] spellings() {
      rrsets.sort((a, b) -> Integer.compare(a.type, b.type));
      byte[][] spellings = new byte[rrsets.size()][];
      for (int i = 0; i < spellings.length; i++) {
        byte[] spelling = rrsets.get(i).spelling;
        // Spelled as the node is, or at the root, a spelling is the single octet 0.
        spellings[i] = spelling == null || Arrays.equals(spelling, wire) ? new byte[1] : spelling;
      }
      return spellings;
    }

    private int size(byte[][] spellings) {
      int size = wire.length + HEADER + spellings.length * ENTRY;
      for (int i = 0; i < spellings.length; i++) {
        size += spellings[i].length + rrsets.get(i).packedSize();
      }
      return size;
    }

    private void write(byte[] data, int start, byte[][] spellings, boolean apex) {
      int n = spellings.length;
      int base = start + wire.length;
      System.arraycopy(wire, 0, data, start, wire.length);
      int flags = 0;
      int at = base + HEADER;
      int offset = base + HEADER + n * ENTRY;
      for (int i = 0; i < n; i++) {
        RRsetBuilder rrset = rrsets.get(i);
        if (rrset.type == Type.NS && !apex) {
          flags |= CUT;
        }
        if (rrset.type == Type.DNAME) {
          flags |= DNAME;
        }
        at = put16(data, at, rrset.type);
        at = put32(data, at, offset - start);
        System.arraycopy(spellings[i], 0, data, offset, spellings[i].length);
        offset = rrset.pack(data, offset + spellings[i].length);
      }
      data[base] = (byte) flags;
      put16(data, base + 1, dclass);
      put16(data, base + 3, n);
      put32(data, base + 5, offset - start);
    }

    private RRsetBuilder rrsetOf(int type) {
      for (RRsetBuilder rrset : rrsets) {
        if (rrset.type == type) {
          return rrset;
        }
      }
      RRsetBuilder rrset = new RRsetBuilder(type);
      rrsets.add(rrset);
      return rrset;
    }

    /** Collects one RRset, dropping duplicates as dnsjava's {@code RRset} does. */
    private final class RRsetBuilder {
      // Past this size a hash set takes over the duplicate check, so building a huge RRset (a
      // round-robin of thousands of addresses) stays O(n) instead of O(n^2).
      private static final int LINEAR_LIMIT = 8;

      final int type;
      final List<byte[]> rdata = new ArrayList<>(1);
      byte[] spelling; // wire; null: as the node
      private long lowestTtl = Long.MAX_VALUE;
      private long[] ttls; // RRSIG only: one per record
      private Set<Key> seen;

      RRsetBuilder(int type) {
        this.type = type;
        if (type == Type.RRSIG) {
          ttls = new long[1];
        }
      }

      boolean add(long ttl, byte[] bytes) {
        if (seen != null) {
          if (!seen.add(new Key(bytes))) {
            return false;
          }
        } else {
          for (byte[] other : rdata) {
            if (Rdata.same(owner(), type, dclass, other, bytes)) {
              return false;
            }
          }
        }
        if (ttls != null) {
          if (ttls.length == rdata.size()) {
            ttls = Arrays.copyOf(ttls, ttls.length * 2);
          }
          ttls[rdata.size()] = ttl;
        }
        lowestTtl = Math.min(lowestTtl, ttl);
        rdata.add(bytes);
        if (seen == null && rdata.size() > LINEAR_LIMIT) {
          seen = new HashSet<>();
          for (byte[] kept : rdata) {
            seen.add(new Key(kept));
          }
        }
        return true;
      }

      long ttl(int i) {
        return ttls != null ? ttls[i] : lowestTtl;
      }

      int packedSize() {
        int size = ttls != null ? 0 : 4;
        for (byte[] bytes : rdata) {
          size += (ttls != null ? 4 : 0) + 2 + bytes.length;
        }
        return size;
      }

      int pack(byte[] data, int at) {
        if (ttls == null) {
          at = put32(data, at, lowestTtl);
        }
        for (int i = 0; i < rdata.size(); i++) {
          if (ttls != null) {
            at = put32(data, at, ttls[i]);
          }
          byte[] bytes = rdata.get(i);
          at = put16(data, at, bytes.length);
          System.arraycopy(bytes, 0, data, at, bytes.length);
          at += bytes.length;
        }
        return at;
      }

      /** RDATA as a set member: equal as dnsjava's {@code Record.equals} compares RDATA. */
      private final class Key {
        private final byte[] bytes;

        Key(byte[] bytes) {
          this.bytes = bytes;
        }

        @Override
        public boolean equals(Object other) {
          return other instanceof Key key && Rdata.same(owner(), type, dclass, bytes, key.bytes);
        }

        @Override
        public int hashCode() {
          return Rdata.caseFoldedHash(bytes);
        }
      }
    }
  }

  private static int put16(byte[] data, int at, int value) {
    data[at] = (byte) (value >>> 8);
    data[at + 1] = (byte) value;
    return at + 2;
  }

  private static int put32(byte[] data, int at, long value) {
    put16(data, at, (int) (value >>> 16));
    return put16(data, at + 2, (int) value);
  }
}
