package dev.vxdns.zone;

import java.util.Arrays;

/**
 * Packed nodes laid end to end in a few large byte arrays (slabs), each found by a reference: its
 * slab and offset in one {@code long}, never 0. A zone of a million names kept as a million small
 * arrays is a million objects that each young collection of a load copies (all of them survive) and
 * a full collection marks one by one: measured on a 1M-record reload, answers waited up to 0.1 s. A
 * slab of a megabyte is allocated straight into the old generation (the serial collector's {@code
 * PretenureSizeThreshold}, set by the launcher; a humongous object under G1), so a load leaves the
 * young collections nothing of the zone to copy.
 *
 * <p>The first slab is small and each next one twice as large, up to {@link #LARGEST}, so a zone of
 * ten names costs a few hundred octets, not a megabyte; {@link #trim} cuts the last to what it
 * holds once a zone is loaded. Filled by one thread, then only read.
 */
final class Slabs {
  /** A G1 region of 1 MiB holds it with its array header; twice the launcher's pretenure size. */
  static final int LARGEST = (1 << 20) - 64;

  private static final int FIRST = 4096;

  private byte[][] slabs = new byte[4][];
  // Octets used in each slab.
  private int[] used = new int[4];
  private int count;

  /** Room for {@code size} octets, at the end of the last slab or in a new one: its reference. */
  long allocate(int size) {
    if (count == 0 || slabs[count - 1].length - used[count - 1] < size) {
      int next = count == 0 ? FIRST : Math.min(LARGEST, slabs[count - 1].length * 2);
      add(new byte[Math.max(next, size)], 0);
    }
    long reference = (long) count << 32 | used[count - 1];
    used[count - 1] += size;
    return reference;
  }

  /** The first reference allocated, or 0 if none was. */
  long first() {
    return firstFrom(0);
  }

  /**
   * The reference allocated after the {@code size} octets at {@code reference}, or 0 past the last:
   * the allocations in their order, for whoever knows their sizes.
   */
  long next(long reference, int size) {
    int slab = (int) (reference >>> 32);
    if (offset(reference) + size < used[slab - 1]) {
      return reference + size;
    }
    return firstFrom(slab);
  }

  /** The start of the first slab from index {@code index} on that holds anything, or 0. */
  private long firstFrom(int index) {
    for (int i = index; i < count; i++) {
      if (used[i] > 0) {
        return (long) (i + 1) << 32;
      }
    }
    return 0;
  }

  /** A copy of {@code node} in these slabs: its reference. */
  long copy(Node node) {
    long reference = allocate(node.size());
    node.copyTo(slab(reference), offset(reference));
    return reference;
  }

  /** The node at {@code reference}. */
  Node node(long reference) {
    return new Node(slab(reference), offset(reference));
  }

  byte[] slab(long reference) {
    return slabs[(int) (reference >>> 32) - 1];
  }

  static int offset(long reference) {
    return (int) reference;
  }

  /**
   * Takes the slabs of {@code later} after these; {@code later} is empty afterwards. Its references
   * become these plus the returned shift.
   */
  long append(Slabs later) {
    long shift = (long) count << 32;
    if (later.count == 0) {
      return shift;
    }
    trim();
    for (int i = 0; i < later.count; i++) {
      add(later.slabs[i], later.used[i]);
    }
    later.slabs = new byte[4][];
    later.used = new int[4];
    later.count = 0;
    return shift;
  }

  /** Cuts the last slab to the octets it holds: the next allocation starts a new one. */
  void trim() {
    if (count > 0 && used[count - 1] < slabs[count - 1].length) {
      slabs[count - 1] = Arrays.copyOf(slabs[count - 1], used[count - 1]);
    }
  }

  private void add(byte[] slab, int octets) {
    if (count == slabs.length) {
      slabs = Arrays.copyOf(slabs, count * 2);
      used = Arrays.copyOf(used, count * 2);
    }
    slabs[count] = slab;
    used[count++] = octets;
  }
}
