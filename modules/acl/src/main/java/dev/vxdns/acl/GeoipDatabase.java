package dev.vxdns.acl;

import com.maxmind.db.CHMCache;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One opened GeoIP2 database, with a lookup that is cheap when it repeats.
 *
 * <p>MaxMind's reader decodes the record again on every lookup (its cache only covers values that
 * records share through pointers), which costs several microseconds per lookup even for the few
 * fields {@link GeoipRecord} keeps. So the lookup walks the search tree itself (MaxMind DB format
 * 2.0, section "Search Tree": at most 128 node reads from the memory-mapped file), which yields the
 * record's data-section pointer, and keeps the decoded record per pointer: all networks that share
 * a record share the entry. Only the first lookup of a record calls MaxMind's reader to decode it.
 * The cache is bounded; when full it is cleared and refills with the records in use.
 *
 * <p>Thread-safe: the tree is read with absolute reads only.
 */
final class GeoipDatabase {
  private static final int MAX_CACHED = 16_384;

  private final Reader reader;
  private final ByteBuffer tree;
  private final long nodeCount;
  private final int recordSize;
  private final int ipVersion;

  /** The node for ::/96, where IPv4 addresses start in an IPv6 tree; 0 in an IPv4 tree. */
  private final long ipv4Start;

  private final ConcurrentHashMap<Long, GeoipRecord> records = new ConcurrentHashMap<>();

  GeoipDatabase(Path file) throws IOException {
    this.reader = new Reader(file.toFile(), Reader.FileMode.MEMORY_MAPPED, new CHMCache());
    try {
      this.ipVersion = reader.getMetadata().getIpVersion();
      // The reader validated the file; it does not publish the tree's shape, so read it here.
      long[] shape = treeShape(file);
      this.nodeCount = shape[0];
      this.recordSize = (int) shape[1];
      if (recordSize != 24 && recordSize != 28 && recordSize != 32) {
        throw new IOException("unsupported record size " + recordSize);
      }
      long treeBytes = nodeCount * recordSize / 4;
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        if (treeBytes > Integer.MAX_VALUE || treeBytes > ch.size()) {
          throw new IOException("search tree of " + treeBytes + " bytes does not fit the file");
        }
        this.tree = ch.map(FileChannel.MapMode.READ_ONLY, 0, treeBytes);
      }
      long node = 0;
      if (ipVersion == 6) {
        for (int i = 0; i < 96 && node < nodeCount; i++) {
          node = readNode(node, 0);
        }
      }
      this.ipv4Start = node;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  String databaseType() {
    return reader.getMetadata().getDatabaseType();
  }

  /** The record for {@code address}, or null if the database has none. */
  GeoipRecord lookup(InetAddress address) throws IOException {
    byte[] raw = address.getAddress();
    long node;
    if (raw.length == 4) {
      node = ipv4Start;
    } else if (ipVersion == 6) {
      node = 0;
    } else {
      return null; // an IPv6 client in an IPv4-only database
    }
    int bits = raw.length * 8;
    for (int i = 0; i < bits && node < nodeCount; i++) {
      node = readNode(node, (raw[i >>> 3] >>> (7 - (i & 7))) & 1);
    }
    if (node <= nodeCount) {
      return null; // no data (== nodeCount), or an IPv4 lookup that ran into a node
    }
    Long pointer = node;
    GeoipRecord r = records.get(pointer);
    if (r == null) {
      r = reader.get(address, GeoipRecord.class);
      if (r == null) {
        return null;
      }
      if (records.size() >= MAX_CACHED) {
        records.clear();
      }
      records.put(pointer, r);
    }
    return r;
  }

  private static final byte[] METADATA_START = {
    (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
  };

  /** {node_count, record_size} from the metadata map, which follows the last METADATA_START. */
  private static long[] treeShape(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long from = Math.max(0, size - 128 * 1024); // the format's bound on the metadata size
      ByteBuffer tail = ch.map(FileChannel.MapMode.READ_ONLY, from, size - from);
      int at = -1;
      for (int i = tail.limit() - METADATA_START.length; i >= 0 && at < 0; i--) {
        int j = 0;
        while (j < METADATA_START.length && tail.get(i + j) == METADATA_START[j]) {
          j++;
        }
        if (j == METADATA_START.length) {
          at = i + j;
        }
      }
      if (at < 0) {
        throw new IOException("no metadata section");
      }
      MetaReader r = new MetaReader(tail, at);
      long[] shape = {-1, -1};
      if (r.type() != 7) {
        throw new IOException("metadata is not a map");
      }
      long pairs = r.size;
      for (long p = 0; p < pairs; p++) {
        String key = r.string();
        switch (key) {
          case "node_count" -> shape[0] = r.unsigned();
          case "record_size" -> shape[1] = r.unsigned();
          default -> r.skip();
        }
      }
      if (shape[0] < 0 || shape[1] < 0) {
        throw new IOException("metadata lacks node_count or record_size");
      }
      return shape;
    }
  }

  /** Just enough of the data-section decoder for the metadata map (which has no pointers). */
  private static final class MetaReader {
    private final ByteBuffer b;
    private int pos;
    long size;

    MetaReader(ByteBuffer b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    /** Reads a control byte (and extended type and size bytes); returns the type, sets size. */
    int type() throws IOException {
      int ctrl = next();
      int type = ctrl >>> 5;
      if (type == 0) {
        type = 7 + next();
      }
      if (type == 1) {
        throw new IOException("unexpected pointer in metadata");
      }
      long s = ctrl & 0x1f;
      if (s == 29) {
        s = 29 + next();
      } else if (s == 30) {
        s = 285 + ((next() << 8) | next());
      } else if (s == 31) {
        s = 65821 + ((next() << 16) | (next() << 8) | next());
      }
      size = s;
      return type;
    }

    String string() throws IOException {
      if (type() != 2) {
        throw new IOException("metadata key is not a string");
      }
      byte[] out = new byte[(int) size];
      for (int i = 0; i < out.length; i++) {
        out[i] = (byte) next();
      }
      return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    long unsigned() throws IOException {
      int t = type();
      if (t != 5 && t != 6 && t != 9) {
        throw new IOException("metadata number has type " + t);
      }
      long v = 0;
      for (long i = 0; i < size; i++) {
        v = (v << 8) | next();
      }
      return v;
    }

    void skip() throws IOException {
      int t = type();
      switch (t) {
        case 7 -> {
          long n = size;
          for (long i = 0; i < 2 * n; i++) {
            skip();
          }
        }
        case 11 -> {
          long n = size;
          for (long i = 0; i < n; i++) {
            skip();
          }
        }
        case 14 -> {
          // boolean: the value is the size
        }
        default -> pos += (int) size;
      }
    }

    private int next() throws IOException {
      if (pos >= b.limit()) {
        throw new IOException("metadata truncated");
      }
      return b.get(pos++) & 0xff;
    }
  }

  private long readNode(long node, int side) {
    switch (recordSize) {
      case 24 -> {
        int base = (int) (node * 6) + side * 3;
        return read24(base);
      }
      case 28 -> {
        int base = (int) (node * 7);
        int middle = tree.get(base + 3) & 0xff;
        return side == 0
            ? ((long) (middle & 0xf0) << 20) | read24(base)
            : ((long) (middle & 0x0f) << 24) | read24(base + 4);
      }
      default -> {
        return tree.getInt((int) (node * 8) + side * 4) & 0xffffffffL;
      }
    }
  }

  private long read24(int at) {
    return ((tree.get(at) & 0xffL) << 16)
        | ((tree.get(at + 1) & 0xffL) << 8)
        | (tree.get(at + 2) & 0xffL);
  }

  void close() throws IOException {
    reader.close();
  }
}
