package dev.vxdns.acl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal MaxMind DB writer for tests (format 2.0, https://maxmind.github.io/MaxMind-DB/), so the
 * tests build their own tiny GeoIP2 databases. An IPv6 tree (ip_version 6) with 24-, 28- or 32-bit
 * records; IPv4 networks live at ::a.b.c.d/(96+n), where readers look IPv4 addresses up. A network
 * inserted after a shorter one that contains it overrides it there. Value types: String
 * (utf8_string), Integer (uint16), Long (uint32), BigInteger (uint64), Double (double), Boolean,
 * List (array) and Map with String keys (map), as in MaxMind's own databases (metro_code is uint16,
 * autonomous_system_number and geoname_id are uint32).
 */
final class MmdbWriter {
  private static final byte[] METADATA_MARKER = {
    (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
  };

  /** A trie node: each side is a child node, a data offset (Integer wrapped in Data), or null. */
  private static final class Node {
    final Object[] side = new Object[2];
  }

  private record Data(int offset) {}

  private final String databaseType;
  private int recordSize = 32;
  private final Node root = new Node();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();

  MmdbWriter(String databaseType) {
    this.databaseType = databaseType;
  }

  /** Record size 24, 28 or 32 bits (MaxMind's Country databases use 24, City 28). */
  MmdbWriter recordSize(int bits) {
    if (bits != 24 && bits != 28 && bits != 32) {
      throw new IllegalArgumentException("record size " + bits);
    }
    recordSize = bits;
    return this;
  }

  /** Maps {@code network} ("192.0.2.0/24", "2001:db8::/32") to {@code record}. */
  MmdbWriter put(String network, Map<String, ?> record) {
    int slash = network.indexOf('/');
    byte[] a = Fixtures.ip(network.substring(0, slash)).getAddress();
    int length = Integer.parseInt(network.substring(slash + 1));
    byte[] key = new byte[16];
    if (a.length == 4) {
      System.arraycopy(a, 0, key, 12, 4);
      length += 96;
    } else {
      key = a;
    }
    Data d = new Data(data.size());
    encode(record, data);
    Node node = root;
    for (int i = 0; i < length; i++) {
      int bit = (key[i / 8] >> (7 - i % 8)) & 1;
      if (i == length - 1) {
        node.side[bit] = d;
        break;
      }
      Object next = node.side[bit];
      if (!(next instanceof Node)) {
        Node n = new Node();
        // A shorter network's data covers both halves below it.
        n.side[0] = next;
        n.side[1] = next;
        node.side[bit] = n;
        next = n;
      }
      node = (Node) next;
    }
    return this;
  }

  void write(Path file) throws IOException {
    List<Node> nodes = new ArrayList<>();
    Map<Node, Integer> numbers = new LinkedHashMap<>();
    List<Node> queue = new ArrayList<>(List.of(root));
    for (int i = 0; i < queue.size(); i++) {
      Node n = queue.get(i);
      numbers.put(n, nodes.size());
      nodes.add(n);
      for (Object s : n.side) {
        if (s instanceof Node c) {
          queue.add(c);
        }
      }
    }
    int nodeCount = nodes.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Node n : nodes) {
      long[] records = new long[2];
      for (int side = 0; side < 2; side++) {
        Object s = n.side[side];
        long record;
        if (s instanceof Node c) {
          record = numbers.get(c);
        } else if (s instanceof Data d) {
          record = (long) nodeCount + 16 + d.offset();
        } else {
          record = nodeCount; // no data
        }
        if (record >= 1L << recordSize) {
          throw new IllegalStateException(
              "record " + record + " does not fit " + recordSize + " bits");
        }
        records[side] = record;
      }
      if (recordSize == 28) {
        writeUnsigned(out, records[0] & 0xffffff, 3);
        out.write((int) (((records[0] >>> 24) << 4) | (records[1] >>> 24)));
        writeUnsigned(out, records[1] & 0xffffff, 3);
      } else {
        writeUnsigned(out, records[0], recordSize / 8);
        writeUnsigned(out, records[1], recordSize / 8);
      }
    }
    out.write(new byte[16]);
    data.writeTo(out);
    out.write(METADATA_MARKER);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("node_count", (long) nodeCount);
    metadata.put("record_size", recordSize);
    metadata.put("ip_version", 6);
    metadata.put("database_type", databaseType);
    metadata.put("languages", List.of("en"));
    metadata.put("binary_format_major_version", 2);
    metadata.put("binary_format_minor_version", 0);
    metadata.put("build_epoch", BigInteger.valueOf(1_700_000_000L));
    metadata.put("description", Map.of("en", "vxdns test database"));
    encode(metadata, out);
    Files.write(file, out.toByteArray());
  }

  // ------------------------------------------------------------------ data section encoding

  private static void encode(Object v, ByteArrayOutputStream out) {
    if (v instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      control(out, 2, b.length);
      out.writeBytes(b);
    } else if (v instanceof Double d) {
      control(out, 3, 8);
      writeUnsigned(out, Double.doubleToLongBits(d), 8);
    } else if (v instanceof Integer i) {
      unsigned(out, 5, i & 0xffffL, 2);
    } else if (v instanceof Long l) {
      unsigned(out, 6, l, 4);
    } else if (v instanceof BigInteger b) {
      unsigned(out, 9, b.longValueExact(), 8);
    } else if (v instanceof Boolean b) {
      control(out, 14, b ? 1 : 0);
    } else if (v instanceof Map<?, ?> m) {
      control(out, 7, m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        encode((String) e.getKey(), out);
        encode(e.getValue(), out);
      }
    } else if (v instanceof List<?> list) {
      control(out, 11, list.size());
      for (Object x : list) {
        encode(x, out);
      }
    } else {
      throw new IllegalArgumentException("cannot encode " + v);
    }
  }

  /** An unsigned integer in as few bytes as it needs (0 bytes for 0), at most {@code max}. */
  private static void unsigned(ByteArrayOutputStream out, int type, long value, int max) {
    int n = 0;
    for (long x = value; x != 0 && n < 8; x >>>= 8) {
      n++;
    }
    if (n > max) {
      throw new IllegalArgumentException(value + " does not fit type " + type);
    }
    control(out, type, n);
    writeUnsigned(out, value, n);
  }

  /**
   * The control byte(s): type in the top 3 bits (or 0 and an extended type byte), then the size.
   */
  private static void control(ByteArrayOutputStream out, int type, int size) {
    int sizeBits;
    byte[] extra;
    if (size < 29) {
      sizeBits = size;
      extra = new byte[0];
    } else if (size < 29 + 256) {
      sizeBits = 29;
      extra = new byte[] {(byte) (size - 29)};
    } else if (size < 285 + 65536) {
      sizeBits = 30;
      int s = size - 285;
      extra = new byte[] {(byte) (s >>> 8), (byte) s};
    } else {
      sizeBits = 31;
      int s = size - 65821;
      extra = new byte[] {(byte) (s >>> 16), (byte) (s >>> 8), (byte) s};
    }
    if (type <= 7) {
      out.write((type << 5) | sizeBits);
    } else {
      out.write(sizeBits);
      out.write(type - 7);
    }
    out.writeBytes(extra);
  }

  private static void writeUnsigned(ByteArrayOutputStream out, long value, int bytes) {
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)) & 0xff);
    }
  }
}
