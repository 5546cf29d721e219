package dev.vxdns.zone;

import java.util.Arrays;

/**
 * Byte arrays that each start with a wire name, numbered in the order added and found by that name
 * (any case): an open-addressing table of their positions, as ints, beside a list of the arrays
 * filled in order. Holds the zone origins of a {@link ZoneIndex}.
 */
final class NameSlots {
  private byte[][] entries;
  private int[] hashes;
  private int count;
  // Entry position + 1 by name hash; 0: empty.
  private int[] slots;

  NameSlots(int expected) {
    int size = Math.max(expected, 4);
    entries = new byte[size][];
    hashes = new int[size];
    int capacity = 8;
    while (capacity < size * 2) {
      capacity <<= 1;
    }
    slots = new int[capacity];
  }

  /** The position of the array owned by the wire name at {@code name[offset]}, or -1. */
  int positionOf(byte[] name, int offset) {
    int length = WireNames.length(name, offset);
    int hash = WireNames.hash(name, offset, length);
    int mask = slots.length - 1;
    for (int i = hash & mask; slots[i] != 0; i = (i + 1) & mask) {
      int position = slots[i] - 1;
      if (hashes[position] == hash && sameName(entries[position], name, offset, length)) {
        return position;
      }
    }
    return -1;
  }

  /** Adds an array, replacing the one its name owned; its position. */
  int put(byte[] entry) {
    int length = WireNames.length(entry, 0);
    int hash = WireNames.hash(entry, 0, length);
    int mask = slots.length - 1;
    int i = hash & mask;
    for (; slots[i] != 0; i = (i + 1) & mask) {
      int position = slots[i] - 1;
      if (hashes[position] == hash && sameName(entries[position], entry, 0, length)) {
        entries[position] = entry;
        return position;
      }
    }
    if (count == entries.length) {
      entries = Arrays.copyOf(entries, count * 2);
      hashes = Arrays.copyOf(hashes, count * 2);
    }
    entries[count] = entry;
    hashes[count] = hash;
    slots[i] = ++count;
    if (count * 2 > slots.length) {
      rehash(slots.length * 2);
    }
    return count - 1;
  }

  /**
   * Whether {@code entry} starts with the wire name of {@code length} octets at {@code
   * name[offset]}: equal octets up to its root label are the same name.
   */
  private static boolean sameName(byte[] entry, byte[] name, int offset, int length) {
    return entry.length >= length && WireNames.equal(entry, 0, name, offset, length);
  }

  private void rehash(int capacity) {
    int[] larger = new int[capacity];
    int mask = capacity - 1;
    for (int position = 0; position < count; position++) {
      int i = hashes[position] & mask;
      while (larger[i] != 0) {
        i = (i + 1) & mask;
      }
      larger[i] = position + 1;
    }
    slots = larger;
  }
}
