package dev.vxdns.zone;

import java.util.Iterator;

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
      if (slot.length > length && WireNames.equal(slot, 0, name, offset, length)) {
        return slot;
      }
    }
  }

  /** Adds node data, replacing the data of the same owner name. */
  void put(byte[] data) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    if (insert(slots, data)) {
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

  /** Whether the data went into a free slot (rather than replacing its name's). */
  private static boolean insert(byte[][] table, byte[] data) {
    int length = WireNames.length(data, 0);
    int mask = table.length - 1;
    for (int i = WireNames.hash(data, 0, length) & mask; ; i = (i + 1) & mask) {
      byte[] slot = table[i];
      if (slot == null) {
        table[i] = data;
        return true;
      }
      if (slot.length > length && WireNames.equal(slot, 0, data, 0, length)) {
        table[i] = data;
        return false;
      }
    }
  }

  private void grow() {
    byte[][] larger = new byte[slots.length * 2][];
    for (byte[] data : slots) {
      if (data != null) {
        insert(larger, data);
      }
    }
    slots = larger;
  }

  /**
   * Collects the nodes of a zone being loaded, with the same lookups and replacements by name, and
   * makes the {@link NameTable} at the end. It keeps them in {@link NameSlots}, not in a table of
   * references written at random slots, which every young collection of the load would scan.
   */
  static final class Builder {
    private final NameSlots nodes = new NameSlots(1024);

    /** Like {@link NameTable#get(byte[], int)}. */
    byte[] get(byte[] name, int offset) {
      int position = nodes.positionOf(name, offset);
      return position < 0 ? null : nodes.entry(position);
    }

    /** Like {@link NameTable#put}. */
    void put(byte[] data) {
      nodes.put(data);
    }

    /** The table of every node collected. */
    NameTable build() {
      NameTable table = new NameTable(nodes.size());
      for (int i = 0; i < nodes.size(); i++) {
        table.put(nodes.entry(i));
      }
      return table;
    }
  }
}
