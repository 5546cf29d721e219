package dev.vxdns.verticles.zone;

import dev.vxdns.zone.ZoneIndex;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * What the zone stage answers from: the zones served now, every configured zone (a configured zone
 * that is not served, a secondary not yet transferred or expired, answers SERVFAIL), and the zones
 * that take updates and NOTIFY, by origin.
 */
record ZoneCatalog(
    ServedZones served, ZoneIndex<ZoneConfig> configured, Map<Name, ManagedZone> managed) {
  ZoneCatalog {
    managed = Map.copyOf(managed);
  }
}
