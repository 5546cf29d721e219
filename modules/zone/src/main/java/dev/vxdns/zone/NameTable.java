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
   * makes the {@link NameTable} at the end. It keeps no array of references filled in random order:
   * the node arrays are appended to one list and the hash table holds their positions as ints. A
   * table of references written at random slots all through a load of millions of names leaves
   * dirty cards all over that old-generation array, which every young collection scans: measured on
   * a 1M-record zone, that was 1.1 s of collections in a 2.5 s load.
   */
  static final class Builder {
    private byte[][] entries = new byte[1024][];
    private int[] hashes = new int[1024];
    private int count;
    // Entry position + 1 by name hash, open addressing; 0: empty.
    private int[] slots = new int[2048];

    /** Like {@link NameTable#get(byte[], int)}. */
    byte[] get(byte[] name, int offset) {
      int length = WireNames.length(name, offset);
      int hash = WireNames.hash(name, offset, length);
      int mask = slots.length - 1;
      for (int i = hash & mask; slots[i] != 0; i = (i + 1) & mask) {
        int entry = slots[i] - 1;
        byte[] data = entries[entry];
        if (hashes[entry] == hash
            && data.length > length
            && WireNames.equal(data, 0, name, offset, length)) {
          return data;
        }
      }
      return null;
    }

    /** Like {@link NameTable#put}. */
    void put(byte[] data) {
      int length = WireNames.length(data, 0);
      int hash = WireNames.hash(data, 0, length);
      int mask = slots.length - 1;
      int i = hash & mask;
      for (; slots[i] != 0; i = (i + 1) & mask) {
        int entry = slots[i] - 1;
        byte[] kept = entries[entry];
        if (hashes[entry] == hash
            && kept.length > length
            && WireNames.equal(kept, 0, data, 0, length)) {
          entries[entry] = data;
          return;
        }
      }
      if (count == entries.length) {
        entries = java.util.Arrays.copyOf(entries, count * 2);
        hashes = java.util.Arrays.copyOf(hashes, count * 2);
      }
      entries[count] = data;
      hashes[count] = hash;
      slots[i] = ++count;
      if (count * 2 > slots.length) {
        rehash(slots.length * 2);
      }
    }

    /** The table of every node collected. */
    NameTable build() {
      NameTable table = new NameTable(count);
      for (int i = 0; i < count; i++) {
        table.put(entries[i]);
      }
      return table;
    }

    private void rehash(int capacity) {
      int[] larger = new int[capacity];
      int mask = capacity - 1;
      for (int entry = 0; entry < count; entry++) {
        int i = hashes[entry] & mask;
        while (larger[i] != 0) {
          i = (i + 1) & mask;
        }
        larger[i] = entry + 1;
      }
      slots = larger;
    }
  }
}
