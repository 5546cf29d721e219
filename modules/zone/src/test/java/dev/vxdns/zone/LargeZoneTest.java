package dev.vxdns.zone;

import static dev.vxdns.zone.TestZones.ORIGIN;
import static dev.vxdns.zone.TestZones.ask;
import static dev.vxdns.zone.TestZones.section;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A zone far larger than a test fixture still builds and answers; not a benchmark. */
class LargeZoneTest {

  private static final int HOSTS = 100_000;

  @Test
  void twoHundredThousandRecordsLoadAndAnswer() throws Exception {
    List<Record> records = new ArrayList<>(2 * HOSTS + 2);
    Name ns = Name.fromConstantString("ns1.example.test.");
    records.add(
        new SOARecord(
            ORIGIN,
            DClass.IN,
            3600,
            ns,
            Name.fromConstantString("hm.example.test."),
            1,
            2,
            3,
            4,
            300));
    records.add(new NSRecord(ORIGIN, DClass.IN, 3600, ns));
    for (int i = 0; i < HOSTS; i++) {
      // spread over 100 branches so the zone has empty non-terminals as well as leaves
      Name name = Name.fromConstantString("h" + i + ".b" + (i % 100) + ".example.test.");
      records.add(new ARecord(name, DClass.IN, 300, address(4, i)));
      records.add(new AAAARecord(name, DClass.IN, 300, address(16, i)));
    }

    Zone zone = Zone.of(ORIGIN, records);

    assertEquals(2 * HOSTS + 2, zone.recordCount());
    assertEquals(
        "h12345.b45 A 10.0.48.57", section(ask(zone, "h12345.b45", Type.A), Section.ANSWER));
    assertEquals(
        "h99999.b99 AAAA 2001:db8:0:0:0:0:1:869f",
        section(ask(zone, "h99999.b99", Type.AAAA), Section.ANSWER));
    Message ent = ask(zone, "b7", Type.A);
    assertEquals(Rcode.NOERROR, ent.getRcode());
    assertEquals("@ SOA", section(ent, Section.AUTHORITY));
    assertEquals(Rcode.NXDOMAIN, ask(zone, "h12345.b46", Type.A).getRcode());
  }

  private static InetAddress address(int length, int i) throws UnknownHostException {
    byte[] bytes = new byte[length];
    if (length == 4) {
      bytes[0] = 10;
    } else {
      bytes[0] = 0x20;
      bytes[1] = 0x01;
      bytes[2] = 0x0d;
      bytes[3] = (byte) 0xb8;
    }
    bytes[length - 3] = (byte) (i >>> 16);
    bytes[length - 2] = (byte) (i >>> 8);
    bytes[length - 1] = (byte) i;
    return InetAddress.getByAddress(bytes);
  }
}
