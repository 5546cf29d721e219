package dev.vxdns.secondary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vxdns.zone.Zone;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class NotifyTargetsTest {

  static Zone zone() throws Exception {
    Name origin = Name.fromString("example.test.");
    String text =
        String.join(
            "\n",
            "$TTL 300",
            "@ SOA ns1 hostmaster 1 3600 600 86400 300",
            "@ NS ns1",
            "@ NS ns2",
            "@ NS ns3",
            "@ NS ns.elsewhere.test.",
            "ns1 A 192.0.2.1",
            "ns2 A 192.0.2.2",
            "ns2 AAAA 2001:db8::2",
            "ns3 A 192.0.2.3",
            "www A 192.0.2.80",
            "sub NS ns.sub",
            "ns.sub A 192.0.2.53",
            "");
    List<Record> records = new ArrayList<>();
    try (org.xbill.DNS.Master master =
        new org.xbill.DNS.Master(new java.io.ByteArrayInputStream(text.getBytes()), origin)) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        records.add(r);
      }
    }
    return Zone.of(origin, records);
  }

  static InetSocketAddress at(String address, int port) {
    return new InetSocketAddress(address, port);
  }

  @Test
  void yesNotifiesTheApexNsHostsExceptTheMnamePlusAlsoNotify() throws Exception {
    List<InetSocketAddress> also = List.of(at("198.51.100.7", 5353), at("192.0.2.2", 53));
    assertEquals(
        List.of(
            at("192.0.2.2", 53),
            at("2001:db8::2", 53),
            at("192.0.2.3", 53),
            at("198.51.100.7", 5353)),
        NotifyTargets.of(zone(), "yes", false, also));
    assertEquals(
        NotifyTargets.of(zone(), "yes", false, also),
        NotifyTargets.of(zone(), "primary-only", false, also));
    assertEquals(
        NotifyTargets.of(zone(), "yes", false, also),
        NotifyTargets.of(zone(), "Master-Only", false, also));
  }

  /** The NS names outside the zone, for the caller to look up; not the MNAME, not in-zone ones. */
  @Test
  void outOfZoneHostsAreTheApexNsNamesOutsideTheZone() throws Exception {
    assertEquals(
        List.of(Name.fromString("ns.elsewhere.test.")),
        NotifyTargets.outOfZoneHosts(zone(), false));
  }

  /** notify-to-soa: the MNAME's host (ns1) is told too, in NS order. */
  @Test
  void notifyToSoaTellsTheMnameToo() throws Exception {
    assertEquals(
        List.of(
            at("192.0.2.1", 53), at("192.0.2.2", 53), at("2001:db8::2", 53), at("192.0.2.3", 53)),
        NotifyTargets.of(zone(), "yes", true, List.of()));
  }

  @Test
  void explicitIsOnlyAlsoNotifyAndNoIsNobody() throws Exception {
    List<InetSocketAddress> also = List.of(at("198.51.100.7", 53));
    assertEquals(also, NotifyTargets.of(zone(), "explicit", false, also));
    assertEquals(List.of(), NotifyTargets.of(zone(), "explicit", false, List.of()));
    assertEquals(List.of(), NotifyTargets.of(zone(), "no", false, also));
  }

  @Test
  void anUnknownModeIsAnError() throws Exception {
    assertThrows(
        IllegalArgumentException.class, () -> NotifyTargets.of(zone(), "maybe", false, null));
  }
}
