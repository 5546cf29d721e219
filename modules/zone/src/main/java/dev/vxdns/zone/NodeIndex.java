package dev.vxdns.zone;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;
import org.xbill.DNS.Name;

/**
 * A zone's nodes by owner name, immutable: a large shared base map plus the few names changed since
 * it was built. A change copies only the changed names, so an update of a zone of a million names
 * does not copy a million entries; once the changes grow past a sixteenth of the base they are
 * folded into a new base, which keeps lookups to at most two probes and the cost of folding
 * amortized over the changes that caused it.
 */
final class NodeIndex {
  /** Marks a name removed since the base; never handed out. */
  private static final Node REMOVED = Node.marker();

  private static final int MIN_FOLD = 1024;

  private final Map<Name, Node> base;
  private final Map<Name, Node> changed;
  private final int size;

  private NodeIndex(Map<Name, Node> base, Map<Name, Node> changed, int size) {
    this.base = base;
    this.changed = changed;
    this.size = size;
  }

  /** An index over a map that nobody changes afterwards. */
  static NodeIndex of(Map<Name, Node> built) {
    return new NodeIndex(built, Map.of(), built.size());
  }

  Node get(Name name) {
    if (!changed.isEmpty()) {
      Node node = changed.get(name);
      if (node != null) {
        return node == REMOVED ? null : node;
      }
    }
    return base.get(name);
  }

  boolean contains(Name name) {
    return get(name) != null;
  }

  int size() {
    return size;
  }

  void forEach(BiConsumer<Name, Node> action) {
    base.forEach(
        (name, node) -> {
          if (!changed.containsKey(name)) {
            action.accept(name, node);
          }
        });
    changed.forEach(
        (name, node) -> {
          if (node != REMOVED) {
            action.accept(name, node);
          }
        });
  }

  /**
   * Every node, empty non-terminals included, lazily: nothing is copied. The maps are never changed
   * once an index is built, so iterating them is safe from any thread.
   */
  Iterator<Node> nodes() {
    Iterator<Map.Entry<Name, Node>> kept =
        changed.isEmpty()
            ? base.entrySet().iterator()
            : base.entrySet().stream()
                .filter(entry -> !changed.containsKey(entry.getKey()))
                .iterator();
    Iterator<Node> added = changed.values().stream().filter(node -> node != REMOVED).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return kept.hasNext() || added.hasNext();
      }

      @Override
      public Node next() {
        return kept.hasNext() ? kept.next().getValue() : added.next();
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
    private final Map<Name, Node> updates = new HashMap<>();
    private int editedSize = size;

    Node get(Name name) {
      Node node = updates.get(name);
      if (node != null) {
        return node == REMOVED ? null : node;
      }
      return NodeIndex.this.get(name);
    }

    void put(Name name, Node node) {
      if (get(name) == null) {
        editedSize++;
      }
      updates.put(name, node);
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
        updates.put(name, REMOVED);
      }
    }

    /** Whether any name strictly below {@code name} exists: a scan, for the rare emptied name. */
    boolean anyBelow(Name name) {
      boolean[] found = {false};
      BiConsumer<Name, Node> check =
          (other, node) -> {
            if (!found[0]
                && other.labels() > name.labels()
                && other.subdomain(name)
                && get(other) != null) {
              found[0] = true;
            }
          };
      NodeIndex.this.forEach(check);
      updates.forEach(check);
      return found[0];
    }

    NodeIndex build() {
      Map<Name, Node> merged = new HashMap<>(changed);
      merged.putAll(updates);
      if (merged.size() <= Math.max(MIN_FOLD, base.size() / 16)) {
        return new NodeIndex(base, merged, editedSize);
      }
      Map<Name, Node> folded = new HashMap<>(base);
      merged.forEach(
          (name, node) -> {
            if (node == REMOVED) {
              folded.remove(name);
            } else {
              folded.put(name, node);
            }
          });
      return new NodeIndex(folded, Map.of(), editedSize);
    }
  }
}
