package dev.vxdns.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.ZoneRules;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * Writing a zone file (a journal fold) and loading one report their progress: every 4096 records,
 * rising, and the whole count at the end.
 */
class ZoneProgressTest {
  @TempDir Path folder;

  @Test
  void writeAndLoadReportTheirRecordsAsTheyGo() throws Exception {
    Name origin = Name.fromConstantString("progress.test.");
    List<Record> records = new ArrayList<>();
    records.add(
        new SOARecord(
            origin,
            DClass.IN,
            3600,
            Name.fromConstantString("ns1.progress.test."),
            Name.fromConstantString("hm.progress.test."),
            1,
            3600,
            600,
            86400,
            300));
    records.add(
        new NSRecord(origin, DClass.IN, 3600, Name.fromConstantString("ns1.progress.test.")));
    for (int i = 0; i < 10_000; i++) {
      records.add(
          new ARecord(
              Name.fromString("h" + i, origin),
              DClass.IN,
              300,
              InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i})));
    }
    Zone zone = Zone.of(origin, records);
    Path file = folder.resolve("progress.test.zone");

    List<Long> written = new ArrayList<>();
    ZoneFileWriter.write(zone, file, written::add);
    assertEquals(List.of(4096L, 8192L, (long) zone.recordCount()), written);

    List<Long> read = new ArrayList<>();
    Zone loaded = ZoneFiles.load(file, origin, ZoneRules.NONE, read::add);
    assertEquals(zone.recordCount(), loaded.recordCount());
    assertEquals(List.of(4096L, 8192L, (long) zone.recordCount()), read);
    assertTrue(zone.recordCount() == 10_002, "SOA, NS and the hosts: " + zone.recordCount());
  }
}
