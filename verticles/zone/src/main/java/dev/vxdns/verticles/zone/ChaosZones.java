package dev.vxdns.verticles.zone;

import dev.vxdns.config.ServerIdentity;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneSet;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

/**
 * BIND 9.20's built-in CH zones ({@link ServerIdentity#CHAOS_ZONES}) as BIND builds them, served by
 * the zone engine like any zone (the zone stage looks CH queries up here): each has an SOA ({@code
 * NAME. hostmaster.NAME. 0 28800 7200 604800 86400}, TTL 86400), an NS naming itself and, when its
 * option is set, a TXT (both TTL 0):
 *
 * <pre>
 * version.bind. 0 CH TXT "vxdns 0.1.0"     (version)
 * hostname.bind. 0 CH TXT "ns1"            (hostname)
 * id.server. 0 CH TXT "ns1.anycast"        (server-id)
 * </pre>
 */
final class ChaosZones {
  private ChaosZones() {}

  static ZoneSet of(ServerIdentity identity) {
    List<Zone> zones = new ArrayList<>();
    for (Name zone : ServerIdentity.CHAOS_ZONES) {
      List<Record> records = new ArrayList<>();
      records.add(
          new SOARecord(
              zone,
              DClass.CH,
              86400,
              zone,
              Name.fromConstantString("hostmaster." + zone),
              0,
              28800,
              7200,
              604800,
              86400));
      records.add(new NSRecord(zone, DClass.CH, 0, zone));
      String text = identity.textOf(zone);
      if (text != null) {
        records.add(new TXTRecord(zone, DClass.CH, 0, text));
      }
      try {
        zones.add(Zone.of(zone, records));
      } catch (ZoneException e) {
        throw new IllegalStateException("a built-in CH zone does not build: " + zone, e);
      }
    }
    return ZoneSet.of(zones);
  }
}
