package dev.vxdns.zone;

import java.util.Arrays;
import java.util.Iterator;
import java.util.function.BinaryOperator;

/**
 * Nodes by owner name, as an open-addressing hash table of the nodes' byte arrays, each of which
 * starts with its owner's wire name ({@link Node}): per name one array and one slot, no key object,
 * no entry object, no dnsjava {@code Name}. Filled by one builder, then only read: a zone publishes
 * it through final fields and never changes it again.
 */
final class NameTable implements Iterable<byte[]> {
  private byte[][] slots;
  private int size;

  NameTable(int expected) {
    int capacity = 16;
    while (capacity < expected * 2) {
      capacity <<= 1;
    }
    slots = new byte[capacity][];
  }

  int size() {
    return size;
  }

  /** The node data owned by the wire name at {@code name[offset]} (any case), or null. */
  byte[] get(byte[] name, int offset) {
    return get(name, offset, WireNames.length(name, offset));
  }

  /**
   * The node data owned by the wire name of {@code length} octets at {@code name[offset]} (any
   * case), or null.
   */
  byte[] get(byte[] name, int offset, int length) {
    int mask = slots.length - 1;
    for (int i = WireNames.hash(name, offset, length) & mask; ; i = (i + 1) & mask) {
      byte[] slot = slots[i];
      if (slot == null) {
        return null;
      }
      if (owns(slot, name, offset, length)) {
        return slot;
      }
    }
  }

  /** Adds node data, replacing the data of the same owner name. */
  void put(byte[] data) {
    merge(data, (old, replacement) -> replacement);
  }

  /** Adds node data, or, if its owner name has some, replaces that by {@code merge(old, data)}. */
  void merge(byte[] data, BinaryOperator<byte[]> merge) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    if (insert(slots, data, merge)) {
      size++;
    }
  }

  @Override
  public Iterator<byte[]> iterator() {
    return new LookAhead<>() {
      private int slot;

      @Override
      protected byte[] advance() {
        while (slot < slots.length) {
          byte[] data = slots[slot++];
          if (data != null) {
            return data;
          }
        }
        return null;
      }
    };
  }

  /** Whether the data went into a free slot (rather than merging with its name's). */
  private static boolean insert(byte[][] table, byte[] data, BinaryOperator<byte[]> merge) {
    int length = WireNames.length(data, 0);
    int mask = table.length - 1;
    for (int i = WireNames.hash(data, 0, length) & mask; ; i = (i + 1) & mask) {
      byte[] slot = table[i];
      if (slot == null) {
        table[i] = data;
        return true;
      }
      if (owns(slot, data, 0, length)) {
        table[i] = merge.apply(slot, data);
        return false;
      }
    }
  }

  /**
   * Whether the node data {@code slot} is owned by the {@code length}-octet name at {@code
   * name[offset]}.
   */
  private static boolean owns(byte[] slot, byte[] name, int offset, int length) {
    return slot.length > length && WireNames.equal(slot, 0, name, offset, length);
  }

  private void grow() {
    byte[][] larger = new byte[slots.length * 2][];
    for (byte[] data : slots) {
      if (data != null) {
        insert(larger, data, null);
      }
    }
    slots = larger;
  }

  /**
   * Collects the nodes of a zone being loaded, in the order they come, and makes the {@link
   * NameTable} at the end. Nothing is looked up while it collects: a load of millions of names
   * would otherwise pay a random probe per name twice (measured on a 1M-record zone: a quarter of
   * the load), and a table of references written at random slots would be scanned by every young
   * collection. A name met again later is merged when the table is made.
   */
  static final class Builder {
    private byte[][] nodes = new byte[1024][];
    // Each node's name hash, taken while its data is fresh in the cache: making the table then
    // reads no node's data unless two names hash alike (a million nodes do not fit in the cache).
    private int[] hashes = new int[1024];
    private int count;

    void add(byte[] data) {
      if (count == nodes.length) {
        nodes = Arrays.copyOf(nodes, count * 2);
        hashes = Arrays.copyOf(hashes, count * 2);
      }
      hashes[count] = WireNames.hash(data, 0, WireNames.length(data, 0));
      nodes[count++] = data;
    }

    /** Adds the nodes of {@code later}, after this one's; {@code later} is empty afterwards. */
    void addAll(Builder later) {
      int total = count + later.count;
      if (total > nodes.length) {
        nodes = Arrays.copyOf(nodes, total);
        hashes = Arrays.copyOf(hashes, total);
      }
      System.arraycopy(later.nodes, 0, nodes, count, later.count);
      System.arraycopy(later.hashes, 0, hashes, count, later.count);
      count = total;
      later.clear();
    }

    /**
     * The table of every node added; the nodes of a name added more than once are folded in the
     * order added, {@code merge(earlier, later)}. The builder is empty afterwards.
     */
    NameTable build(BinaryOperator<byte[]> merge) {
      NameTable table = new NameTable(count);
      byte[][] slots = table.slots;
      int[] slotHashes = new int[slots.length];
      int mask = slots.length - 1;
      for (int n = 0; n < count; n++) {
        byte[] data = nodes[n];
        int hash = hashes[n];
        for (int i = hash & mask; ; i = (i + 1) & mask) {
          byte[] slot = slots[i];
          if (slot == null) {
            slots[i] = data;
            slotHashes[i] = hash;
            table.size++;
            break;
          }
          if (slotHashes[i] == hash && owns(slot, data, 0, WireNames.length(data, 0))) {
            slots[i] = merge.apply(slot, data);
            break;
          }
        }
      }
      clear();
      return table;
    }

    private void clear() {
      nodes = new byte[0][];
      hashes = new int[0];
      count = 0;
    }
  }
}
