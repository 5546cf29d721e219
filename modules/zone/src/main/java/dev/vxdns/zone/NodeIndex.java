package dev.vxdns.zone;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * A zone's nodes by owner name, immutable: a large shared base table of packed nodes ({@link
 * NameTable}) plus the few names changed since it was built. A change copies only the changed
 * names, so an update of a zone of a million names does not copy a million entries; once the
 * changes grow past a sixteenth of the base they are folded into a new base, which keeps lookups to
 * at most two probes and the cost of folding amortized over the changes that caused it.
 */
final class NodeIndex {
  /** Marks a name removed since the base; never handed out. */
  private static final Node REMOVED = Node.marker();

  private static final int MIN_FOLD = 1024;

  private final NameTable base;
  private final Map<Key, Node> changed;
  private final int size;

  private NodeIndex(NameTable base, Map<Key, Node> changed, int size) {
    this.base = base;
    this.changed = changed;
    this.size = size;
  }

  /** An index over a table that nobody changes afterwards. */
  static NodeIndex of(NameTable built) {
    return new NodeIndex(built, Map.of(), built.size());
  }

  Node get(Name name) {
    return get(name.toWire(), 0);
  }

  /** The node of the wire name at {@code name[offset]} (any case), or null. */
  Node get(byte[] name, int offset) {
    if (!changed.isEmpty()) {
      Node node = changed.get(new Key(name, offset));
      if (node != null) {
        return node == REMOVED ? null : node;
      }
    }
    return base.get(name, offset);
  }

  boolean contains(Name name) {
    return get(name) != null;
  }

  int size() {
    return size;
  }

  /**
   * Every node, empty non-terminals included, lazily: nothing is copied. The tables are never
   * changed once an index is built, so iterating them is safe from any thread.
   */
  Iterator<Node> nodes() {
    Iterator<Node> kept = base.iterator();
    Iterator<Node> added = changed.values().iterator();
    return new LookAhead<>() {
      @Override
      protected Node advance() {
        while (kept.hasNext()) {
          Node node = kept.next();
          if (changed.isEmpty() || !changed.containsKey(new Key(node))) {
            return node;
          }
        }
        while (added.hasNext()) {
          Node node = added.next();
          if (node != REMOVED) {
            return node;
          }
        }
        return null;
      }
    };
  }

  /**
   * Changes to this index, made into a new index by {@link Editor#build}; this one is untouched.
   */
  Editor edit() {
    return new Editor();
  }

  final class Editor {
    private final Map<Key, Node> updates = new HashMap<>();
    private int editedSize = size;

    Node get(Name name) {
      Node node = updates.get(new Key(name));
      if (node != null) {
        return node == REMOVED ? null : node;
      }
      return NodeIndex.this.get(name);
    }

    void put(Name name, Node node) {
      if (get(name) == null) {
        editedSize++;
      }
      updates.put(new Key(name), node);
    }

    /** Adds the node unless the name exists; whether it was added. */
    boolean putIfAbsent(Name name, Node node) {
      if (get(name) != null) {
        return false;
      }
      put(name, node);
      return true;
    }

    void remove(Name name) {
      if (get(name) != null) {
        editedSize--;
        updates.put(new Key(name), REMOVED);
      }
    }

    /** Whether any name strictly below {@code name} exists: a scan, for the rare emptied name. */
    boolean anyBelow(Name name) {
      byte[] parent = name.toWire();
      for (Iterator<Node> all = NodeIndex.this.nodes(); all.hasNext(); ) {
        Node node = all.next();
        if (node.isStrictlyBelow(parent) && !updates.containsKey(new Key(node))) {
          return true;
        }
      }
      for (Node node : updates.values()) {
        if (node != REMOVED && node.isStrictlyBelow(parent)) {
          return true;
        }
      }
      return false;
    }

    NodeIndex build() {
      Map<Key, Node> merged = new HashMap<>(changed);
      merged.putAll(updates);
      if (merged.size() <= Math.max(MIN_FOLD, base.size() / 16)) {
        return new NodeIndex(base, merged, editedSize);
      }
      // Every node is copied into the new table's slabs, so none keeps the old slabs alive.
      NameTable folded = new NameTable(editedSize);
      for (Node node : base) {
        if (!merged.containsKey(new Key(node))) {
          folded.put(node);
        }
      }
      for (Node node : merged.values()) {
        if (node != REMOVED) {
          folded.put(node);
        }
      }
      folded.trim();
      return new NodeIndex(folded, Map.of(), editedSize);
    }
  }

  /** A wire name as a map key: equal without regard to case. */
  private static final class Key {
    private final byte[] name;
    private final int hash;

    Key(Name name) {
      this(name.toWire(), 0);
    }

    Key(Node node) {
      this(node.bytes(), node.ownerOffset());
    }

    Key(byte[] bytes, int offset) {
      int length = WireNames.length(bytes, offset);
      this.name =
          offset == 0 && bytes.length == length
              ? bytes
              : Arrays.copyOfRange(bytes, offset, offset + length);
      this.hash = WireNames.hash(name, 0, length);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Key key
          && key.name.length == name.length
          && WireNames.equal(name, 0, key.name, 0, name.length);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
