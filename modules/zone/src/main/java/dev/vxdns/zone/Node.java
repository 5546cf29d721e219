package dev.vxdns.zone;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The RRsets of one owner name, by type. An empty node is an empty non-terminal: the name exists
 * because a name below it does (RFC 4592 §2.2.2), which matters for NODATA versus NXDOMAIN and for
 * blocking wildcard synthesis.
 */
final class Node {

  static final Node EMPTY_NON_TERMINAL = new Node(new int[0], List.of(), false);

  // Parallel, sorted by type code: a node rarely holds more than a handful of types, so a linear
  // scan over an int[] beats a HashMap in both memory and time for millions of names.
  private final int[] types;
  private final List<List<Record>> rrsets;
  private final boolean cut;
  private final boolean dname;

  Node(int[] types, List<List<Record>> rrsets, boolean apex) {
    this.types = types.clone();
    this.rrsets = List.copyOf(rrsets);
    this.cut = !apex && indexOf(Type.NS) >= 0;
    this.dname = indexOf(Type.DNAME) >= 0;
  }

  /** The RRset of that type, or null. */
  List<Record> rrset(int type) {
    int i = indexOf(type);
    return i < 0 ? null : rrsets.get(i);
  }

  /** Every record of this name, RRsets in type order. */
  List<Record> records() {
    if (rrsets.size() == 1) {
      return rrsets.get(0);
    }
    List<Record> all = new ArrayList<>();
    for (List<Record> rrset : rrsets) {
      all.addAll(rrset);
    }
    return Collections.unmodifiableList(all);
  }

  boolean isEmpty() {
    return types.length == 0;
  }

  /** A delegation point: NS below the apex. */
  boolean isCut() {
    return cut;
  }

  boolean hasDname() {
    return dname;
  }

  /**
   * The single RRset given to an ANY query (RFC 8482 §4.2): the CNAME if there is one, otherwise
   * the lowest type code, so the choice is stable across restarts and servers. Null when empty.
   */
  List<Record> anyRRset() {
    List<Record> cname = rrset(Type.CNAME);
    if (cname != null) {
      return cname;
    }
    return isEmpty() ? null : rrsets.get(0);
  }

  private int indexOf(int type) {
    for (int i = 0; i < types.length; i++) {
      if (types[i] == type) {
        return i;
      }
    }
    return -1;
  }
}
