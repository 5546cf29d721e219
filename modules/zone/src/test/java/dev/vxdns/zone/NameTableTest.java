package dev.vxdns.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The packed name index: names found without regard to case, as suffixes, across growth. */
class NameTableTest {

  @Test
  void findsEveryNameWithoutRegardToCaseAfterGrowing() {
    NameTable table = new NameTable(1);
    Set<byte[]> all = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      byte[] data = Node.emptyNonTerminal(Name.fromConstantString("Host" + i + ".Example.")).data();
      table.put(data);
      all.add(data);
    }
    assertEquals(5000, table.size());
    for (int i = 0; i < 5000; i++) {
      byte[] lower = Name.fromConstantString("host" + i + ".example.").toWire();
      byte[] found = table.get(lower, 0);
      assertTrue(found != null, "host" + i);
      // The stored spelling is the one put, not the one asked for.
      assertEquals("Host" + i + ".Example.", new Node(found).owner().toString());
    }
    assertNull(table.get(Name.fromConstantString("host5000.example.").toWire(), 0));
    Set<byte[]> iterated = new HashSet<>();
    table.forEach(iterated::add);
    assertEquals(all, iterated);
  }

  @Test
  void looksUpASuffixOfALongerWireName() {
    NameTable table = new NameTable(4);
    byte[] parent = Node.emptyNonTerminal(Name.fromConstantString("b.example.")).data();
    table.put(parent);
    byte[] query = Name.fromConstantString("a.B.example.").toWire();
    assertSame(parent, table.get(query, WireNames.suffix(query, 0, 1)));
    assertNull(table.get(query, 0));
    assertNull(table.get(query, WireNames.suffix(query, 0, 2)));
  }

  @Test
  void aNameAddedAgainReplacesItsData() {
    NameTable table = new NameTable(4);
    Name name = Name.fromConstantString("www.example.");
    table.put(Node.emptyNonTerminal(name).data());
    byte[] second = Node.emptyNonTerminal(Name.fromConstantString("WWW.example.")).data();
    table.put(second);
    assertEquals(1, table.size());
    assertArrayEquals(second, table.get(name.toWire(), 0));
  }

  @Test
  void theLoadersBuilderMergesANameAddedAgainInTheOrderAddedAcrossGrowth() {
    NameTable.Builder builder = new NameTable.Builder();
    for (int i = 0; i < 5000; i++) {
      builder.add(Node.emptyNonTerminal(Name.fromConstantString("Host" + i + ".Example.")).data());
    }
    byte[] again = Node.emptyNonTerminal(Name.fromConstantString("HOST7.example.")).data();
    builder.add(again);
    List<String> merged = new ArrayList<>();
    NameTable table =
        builder.build(
            (earlier, later) -> {
              merged.add(new Node(earlier).owner() + " + " + new Node(later).owner());
              return later;
            });
    assertEquals(List.of("Host7.Example. + HOST7.example."), merged);
    assertEquals(5000, table.size());
    assertSame(again, table.get(Name.fromConstantString("host7.example.").toWire(), 0));
    byte[] query = Name.fromConstantString("a.host42.example.").toWire();
    assertEquals(
        "Host42.Example.",
        new Node(table.get(query, WireNames.suffix(query, 0, 1))).owner().toString());
    assertNull(table.get(query, 0));
    for (int i = 0; i < 5000; i++) {
      byte[] lower = Name.fromConstantString("host" + i + ".example.").toWire();
      assertTrue(table.get(lower, 0) != null, "host" + i);
    }
  }

  @Test
  void strictlyBelowComparesWholeLabels() {
    byte[] parent = Name.fromConstantString("example.").toWire();
    assertTrue(WireNames.strictlyBelow(Name.fromConstantString("a.EXAMPLE.").toWire(), parent));
    assertTrue(!WireNames.strictlyBelow(Name.fromConstantString("example.").toWire(), parent));
    assertTrue(!WireNames.strictlyBelow(Name.fromConstantString("xexample.").toWire(), parent));
  }
}
