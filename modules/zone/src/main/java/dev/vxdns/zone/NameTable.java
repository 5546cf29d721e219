package dev.vxdns.zone;

import java.util.Arrays;
import java.util.Iterator;
import java.util.function.BinaryOperator;

/**
 * Nodes by owner name, as an open-addressing hash table of references to nodes packed in {@link
 * Slabs}, each of which starts with its owner's wire name ({@link Node}): per name one {@code long}
 * slot, no key object, no entry object, no array of its own, no dnsjava {@code Name}. Filled by one
 * builder, then only read: a zone publishes it through final fields and never changes it again.
 */
final class NameTable implements Iterable<Node> {
  private final Slabs slabs;
  // References into the slabs; 0: free.
  private long[] slots;
  private int size;

  NameTable(int expected) {
    this(expected, new Slabs());
  }

  private NameTable(int expected, Slabs slabs) {
    int capacity = 16;
    while (capacity < expected * 2) {
      capacity <<= 1;
    }
    this.slots = new long[capacity];
    this.slabs = slabs;
  }

  int size() {
    return size;
  }

  /** The node owned by the wire name at {@code name[offset]} (any case), or null. */
  Node get(byte[] name, int offset) {
    return get(name, offset, WireNames.length(name, offset));
  }

  /**
   * The node owned by the wire name of {@code length} octets at {@code name[offset]} (any case), or
   * null.
   */
  Node get(byte[] name, int offset, int length) {
    int mask = slots.length - 1;
    for (int i = WireNames.hash(name, offset, length) & mask; ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == 0) {
        return null;
      }
      byte[] slab = slabs.slab(slot);
      int at = Slabs.offset(slot);
      if (owns(slab, at, name, offset, length)) {
        return new Node(slab, at, length);
      }
    }
  }

  /** Adds a copy of the node, replacing the node of the same owner name. */
  void put(Node node) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    long reference = slabs.copy(node);
    if (insert(slots, reference)) {
      size++;
    }
  }

  /** Cuts the slabs to what they hold, once the table is filled. */
  void trim() {
    slabs.trim();
  }

  @Override
  public Iterator<Node> iterator() {
    return new LookAhead<>() {
      private int slot;

      @Override
      protected Node advance() {
        while (slot < slots.length) {
          long reference = slots[slot++];
          if (reference != 0) {
            return slabs.node(reference);
          }
        }
        return null;
      }
    };
  }

  /** Whether the reference went into a free slot (rather than replacing its name's). */
  private boolean insert(long[] table, long reference) {
    byte[] slab = slabs.slab(reference);
    int at = Slabs.offset(reference);
    int length = WireNames.length(slab, at);
    int mask = table.length - 1;
    for (int i = WireNames.hash(slab, at, length) & mask; ; i = (i + 1) & mask) {
      long slot = table[i];
      if (slot == 0) {
        table[i] = reference;
        return true;
      }
      if (owns(slabs.slab(slot), Slabs.offset(slot), slab, at, length)) {
        table[i] = reference;
        return false;
      }
    }
  }

  /**
   * Whether the node at {@code slab[at]} is owned by the {@code length}-octet name at {@code
   * name[offset]}. Wire names delimit themselves, so equal octets up to the name's root label are
   * the same name; the node's header follows its name, so the comparison stays in its slab.
   */
  private static boolean owns(byte[] slab, int at, byte[] name, int offset, int length) {
    return slab.length - at > length && WireNames.equal(slab, at, name, offset, length);
  }

  private void grow() {
    long[] larger = new long[slots.length * 2];
    for (long reference : slots) {
      if (reference != 0) {
        insert(larger, reference);
      }
    }
    slots = larger;
  }

  /**
   * Collects the nodes of a zone being loaded, packed in the order they come, and makes the {@link
   * NameTable} at the end. Nothing is looked up while it collects: a load of millions of names
   * would otherwise pay a random probe per name twice (measured on a 1M-record zone: a quarter of
   * the load). Nor is anything kept per node: making the table walks the slabs in the order the
   * nodes were packed, which reads them as a stream, a batch of them at a time. A name met again
   * later is merged then.
   */
  static final class Builder {
    /** log2 of the slots a partition of the table covers when it is filled (16 KiB of them). */
    private static final int PARTITION_BITS = 11;

    /** The fewest nodes hashed before they are put in the table. */
    private static final int MIN_BATCH = 1024;

    private final Slabs slabs = new Slabs();
    private int count;

    /** Packs the node into the table's slabs: its reference, for {@link #node}. */
    long add(Node.Builder node, boolean apex) {
      count++;
      return node.pack(slabs, apex);
    }

    /** The node added as {@code reference}. */
    Node node(long reference) {
      return slabs.node(reference);
    }

    /** Whether the nodes at two references have the same owner name. */
    private boolean sameOwner(long reference, long other) {
      byte[] slab = slabs.slab(other);
      int at = Slabs.offset(other);
      return owns(
          slabs.slab(reference), Slabs.offset(reference), slab, at, WireNames.length(slab, at));
    }

    /**
     * Adds the nodes of {@code later}, after this one's; {@code later} is empty afterwards. Its
     * references move by the returned shift.
     */
    long addAll(Builder later) {
      count += later.count;
      later.count = 0;
      return slabs.append(later.slabs);
    }

    /**
     * The table of every node added; the nodes of a name added more than once are folded in the
     * order added, {@code merge(earlier, later)}. The builder is empty afterwards; the table takes
     * its slabs, and more can be put in it before it is {@link NameTable#trim trimmed}.
     */
    NameTable build(BinaryOperator<Node> merge) {
      NameTable table = new NameTable(count, slabs);
      long[] slots = table.slots;
      // Each slot's name hash: a probe that meets another name reads none of its octets.
      int[] slotHashes = new int[slots.length];
      int mask = slots.length - 1;
      int partitions = Math.max(1, slots.length >>> PARTITION_BITS);
      int batch = Math.min(count, Math.max(MIN_BATCH, slots.length >>> 3));
      int[] hashes = new int[batch];
      long[] references = new long[batch];
      int[] order = new int[batch];
      int[] starts = new int[partitions + 1];
      long reference = slabs.first();
      for (int done = 0; done < count; ) {
        int n = Math.min(batch, count - done);
        // A batch of nodes hashed in the order they were packed: the slabs are read as a stream.
        Arrays.fill(starts, 0);
        for (int k = 0; k < n; k++) {
          byte[] slab = slabs.slab(reference);
          int at = Slabs.offset(reference);
          int length = WireNames.length(slab, at);
          int hash = WireNames.hash(slab, at, length);
          hashes[k] = hash;
          references[k] = reference;
          starts[((hash & mask) >>> PARTITION_BITS) + 1]++;
          reference = slabs.next(reference, new Node(slab, at, length).size());
        }
        // Then put in the order of their slots (a stable counting sort on the slot's high bits):
        // the table is swept instead of probed at random, a cache miss per name (a quarter of a
        // 1M-record load). A name met twice keeps the order it was added in.
        for (int p = 0; p < partitions; p++) {
          starts[p + 1] += starts[p];
        }
        for (int k = 0; k < n; k++) {
          order[starts[(hashes[k] & mask) >>> PARTITION_BITS]++] = k;
        }
        for (int j = 0; j < n; j++) {
          int k = order[j];
          int hash = hashes[k];
          long added = references[k];
          for (int i = hash & mask; ; i = (i + 1) & mask) {
            long slot = slots[i];
            if (slot == 0) {
              slots[i] = added;
              slotHashes[i] = hash;
              table.size++;
              break;
            }
            if (slotHashes[i] == hash && sameOwner(slot, added)) {
              slots[i] = slabs.copy(merge.apply(slabs.node(slot), slabs.node(added)));
              break;
            }
          }
        }
        done += n;
      }
      count = 0;
      return table;
    }
  }
}
