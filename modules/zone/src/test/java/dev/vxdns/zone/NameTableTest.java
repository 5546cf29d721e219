package dev.vxdns.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The packed name index: names found without regard to case, as suffixes, across growth. */
class NameTableTest {

  @Test
  void findsEveryNameWithoutRegardToCaseAfterGrowing() {
    NameTable table = new NameTable(1);
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      table.put(Node.emptyNonTerminal(Name.fromConstantString("Host" + i + ".Example.")));
      all.add("Host" + i + ".Example.");
    }
    table.trim();
    assertEquals(5000, table.size());
    for (int i = 0; i < 5000; i++) {
      byte[] lower = Name.fromConstantString("host" + i + ".example.").toWire();
      Node found = table.get(lower, 0);
      assertTrue(found != null, "host" + i);
      // The stored spelling is the one put, not the one asked for.
      assertEquals("Host" + i + ".Example.", found.owner().toString());
    }
    assertNull(table.get(Name.fromConstantString("host5000.example.").toWire(), 0));
    Set<String> iterated = new HashSet<>();
    table.forEach(node -> iterated.add(node.owner().toString()));
    assertEquals(all, iterated);
  }

  @Test
  void looksUpASuffixOfALongerWireName() {
    NameTable table = new NameTable(4);
    table.put(Node.emptyNonTerminal(Name.fromConstantString("b.example.")));
    byte[] query = Name.fromConstantString("a.B.example.").toWire();
    assertEquals("b.example.", table.get(query, WireNames.suffix(query, 0, 1)).owner().toString());
    assertNull(table.get(query, 0));
    assertNull(table.get(query, WireNames.suffix(query, 0, 2)));
  }

  @Test
  void aNameAddedAgainReplacesItsData() {
    NameTable table = new NameTable(4);
    Name name = Name.fromConstantString("www.example.");
    table.put(Node.emptyNonTerminal(name));
    table.put(Node.emptyNonTerminal(Name.fromConstantString("WWW.example.")));
    assertEquals(1, table.size());
    assertEquals("WWW.example.", table.get(name.toWire(), 0).owner().toString());
  }

  @Test
  void theLoadersBuilderMergesANameAddedAgainInTheOrderAddedAcrossGrowth() {
    NameTable.Builder builder = new NameTable.Builder();
    for (int i = 0; i < 5000; i++) {
      builder.add(host("Host" + i + ".Example."), false);
    }
    builder.add(host("HOST7.example."), false);
    List<String> merged = new ArrayList<>();
    NameTable table = buildKeepingLater(builder, merged);
    assertEquals(List.of("Host7.Example. + HOST7.example."), merged);
    assertEquals(5000, table.size());
    assertEquals(
        "HOST7.example.",
        table.get(Name.fromConstantString("host7.example.").toWire(), 0).owner().toString());
    byte[] query = Name.fromConstantString("a.host42.example.").toWire();
    assertEquals(
        "Host42.Example.", table.get(query, WireNames.suffix(query, 0, 1)).owner().toString());
    assertNull(table.get(query, 0));
    for (int i = 0; i < 5000; i++) {
      byte[] lower = Name.fromConstantString("host" + i + ".example.").toWire();
      assertTrue(table.get(lower, 0) != null, "host" + i);
    }
  }

  /**
   * The builder puts its nodes in the table a batch at a time (1,024 here), sorted by slot: a name
   * added three times, once in an earlier batch and twice in a later one, still merges in the order
   * added.
   */
  @Test
  void aNameAddedInSeveralBatchesMergesInTheOrderAdded() {
    NameTable.Builder builder = new NameTable.Builder();
    List<String> spellings = List.of("X1.example.", "x1.Example.", "x1.EXAMPLE.");
    for (int i = 0; i < 3000; i++) {
      builder.add(host(i == 10 ? spellings.get(0) : "h" + i + ".example."), false);
      if (i == 1500 || i == 1600) {
        builder.add(host(spellings.get(i == 1500 ? 1 : 2)), false);
      }
    }
    List<String> merged = new ArrayList<>();
    NameTable table = buildKeepingLater(builder, merged);
    assertEquals(List.of("X1.example. + x1.Example.", "x1.Example. + x1.EXAMPLE."), merged);
    assertEquals(3000, table.size());
    assertEquals(
        "x1.EXAMPLE.",
        table.get(Name.fromConstantString("x1.example.").toWire(), 0).owner().toString());
    for (int i = 0; i < 3000; i++) {
      byte[] name = Name.fromConstantString((i == 10 ? "x1" : "h" + i) + ".example.").toWire();
      assertTrue(table.get(name, 0) != null, "h" + i);
    }
  }

  @Test
  void buildersJoinedInOrderKeepEveryNodeAndItsRecords() {
    NameTable.Builder first = new NameTable.Builder();
    NameTable.Builder second = new NameTable.Builder();
    // Enough for several slabs in each, each node with its own address.
    for (int i = 0; i < 40_000; i++) {
      (i < 25_000 ? first : second).add(host("h" + i + ".example."), false);
    }
    long shift = first.addAll(second);
    assertTrue(shift > 0);
    NameTable table = first.build((earlier, later) -> later);
    table.trim();
    assertEquals(40_000, table.size());
    for (int i = 0; i < 40_000; i += 997) {
      Node node = table.get(Name.fromConstantString("h" + i + ".example.").toWire(), 0);
      Record address = node.rrset(Type.A).get(0);
      assertEquals("h" + i + ".example.", address.getName().toString());
      assertEquals("10.0." + (i >> 8 & 0xFF) + "." + (i & 0xFF), address.rdataToString());
    }
  }

  @Test
  void aNodeLargerThanASlabGetsOneOfItsOwnBetweenOthers() {
    NameTable.Builder builder = new NameTable.Builder();
    builder.add(host("h1.example."), false);
    Node.Builder large = new Node.Builder(Name.fromConstantString("large.example."), DClass.IN);
    // 5,000 distinct strings of 255 octets: 1.3 MB, more than a slab holds.
    for (int i = 0; i < 5000; i++) {
      byte[] text = new byte[256];
      text[0] = (byte) 255;
      Arrays.fill(text, 1, 256, (byte) 'a');
      text[1] = (byte) ('a' + i % 26);
      text[2] = (byte) ('a' + i / 26 % 26);
      text[3] = (byte) ('a' + i / 676);
      large.add(Type.TXT, 60, text);
    }
    builder.add(large, false);
    builder.add(host("h2.example."), false);
    NameTable table = builder.build((earlier, later) -> later);
    table.trim();
    Node node = table.get(Name.fromConstantString("large.example.").toWire(), 0);
    assertTrue(node.size() > Slabs.LARGEST);
    assertEquals(5000, node.rrset(Type.TXT).size());
    assertEquals(5000, node.recordCount());
    for (String name : List.of("h1.example.", "h2.example.")) {
      Node host = table.get(Name.fromConstantString(name).toWire(), 0);
      assertEquals(name, host.rrset(Type.A).get(0).getName().toString());
    }
  }

  /** A node of one address record, numbered from its name's digits. */
  /** The builder's table, each merge listed as "earlier + later" (owner names), the later kept. */
  private static NameTable buildKeepingLater(NameTable.Builder builder, List<String> merged) {
    return builder.build(
        (earlier, later) -> {
          merged.add(earlier.owner() + " + " + later.owner());
          return later;
        });
  }

  private static Node.Builder host(String name) {
    Node.Builder node = new Node.Builder(Name.fromConstantString(name), DClass.IN);
    int i = Integer.parseInt(name.replaceAll("[^0-9]", ""));
    node.add(Type.A, 3600, new byte[] {10, 0, (byte) (i >> 8), (byte) i});
    return node;
  }

  @Test
  void strictlyBelowComparesWholeLabels() {
    byte[] parent = Name.fromConstantString("example.").toWire();
    assertTrue(WireNames.strictlyBelow(Name.fromConstantString("a.EXAMPLE.").toWire(), 0, parent));
    assertTrue(!WireNames.strictlyBelow(Name.fromConstantString("example.").toWire(), 0, parent));
    assertTrue(!WireNames.strictlyBelow(Name.fromConstantString("xexample.").toWire(), 0, parent));
  }
}
