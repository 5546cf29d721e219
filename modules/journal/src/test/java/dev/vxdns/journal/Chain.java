package dev.vxdns.journal;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

/**
 * A deterministic chain of diffs for zone example.test.: the diff from serial s to s+1 deletes the
 * TXT record the previous diff added (none from serial 1) and adds a TXT record and an A record
 * whose contents depend only on s, so any diff can be rebuilt and compared from its serial alone.
 */
final class Chain {

  static final Name ORIGIN = Name.fromConstantString("example.test.");

  private Chain() {}

  static Zone base() {
    return zone(
        "$TTL 3600\n"
            + "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
            + "  IN NS ns1\n"
            + "ns1 IN A 192.0.2.53\n");
  }

  static Zone zone(String text) {
    try {
      return Zone.of(ORIGIN, records(text));
    } catch (ZoneException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Record> records(String text) {
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ORIGIN)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        records.add(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  static SOARecord soa(long serial) {
    return new SOARecord(
        ORIGIN,
        DClass.IN,
        3600,
        Name.fromConstantString("ns1.example.test."),
        Name.fromConstantString("hostmaster.example.test."),
        serial,
        7200,
        3600,
        1209600,
        300);
  }

  /**
   * The diff from serial to serial + 1 (mod 2^32); {@code first} is the serial of the base zone.
   */
  static ZoneDiff diff(long serial, long first) {
    long next = (serial + 1) & 0xffffffffL;
    List<Record> deleted = serial == first ? List.of() : List.of(txt(serial));
    List<Record> added =
        List.of(
            txt(next),
            new ARecord(name("h" + next), DClass.IN, 300, address((int) (next % 250) + 1)));
    return new ZoneDiff(soa(serial), soa(next), deleted, added);
  }

  static ZoneDiff diff(long serial) {
    return diff(serial, 1);
  }

  /** Diffs from serial first on, count of them. */
  static List<ZoneDiff> diffs(long first, int count) {
    List<ZoneDiff> diffs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      diffs.add(diff((first + i) & 0xffffffffL, first));
    }
    return diffs;
  }

  /** A TXT record whose size varies with the serial: 1 to 6 strings of up to 255 bytes. */
  static TXTRecord txt(long serial) {
    List<String> strings = new ArrayList<>();
    int parts = (int) (serial % 6) + 1;
    for (int i = 0; i < parts; i++) {
      strings.add(("s" + serial + "-" + i + "-").repeat((int) ((serial * 31 + i) % 40) + 1));
    }
    return new TXTRecord(
        name("n" + serial),
        DClass.IN,
        600,
        strings.stream()
            .map(s -> s.length() > 255 ? s.substring(0, 255) : s)
            .collect(Collectors.toList()));
  }

  static Name name(String label) {
    return Name.fromConstantString(label + ".example.test.");
  }

  private static java.net.InetAddress address(int last) {
    try {
      return java.net.InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) last});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A diff as text with every TTL, since Record.equals ignores TTLs. */
  static String describe(ZoneDiff diff) {
    return "from "
        + diff.from()
        + "\nto "
        + diff.to()
        + "\n- "
        + diff.deleted()
        + "\n+ "
        + diff.added();
  }

  static List<String> describe(List<ZoneDiff> diffs) {
    return diffs.stream().map(Chain::describe).collect(Collectors.toList());
  }

  /** A zone's records as sorted text with TTLs, so zones compare by content. */
  static List<String> contents(Zone zone) {
    return zone.records().stream().map(Record::toString).sorted().collect(Collectors.toList());
  }
}
