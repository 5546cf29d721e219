package dev.vxdns.secondary;

import dev.vxdns.zone.Zone;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Who to NOTIFY when a zone changes, as BIND's {@code notify} option says: {@code yes} (also {@code
 * primary-only}/{@code master-only}, which mean the same for a primary zone) = the servers named by
 * the apex NS records, except the SOA MNAME unless {@code notify-to-soa} (BIND's default: no), plus
 * {@code also-notify}; {@code explicit} = only {@code also-notify}; {@code no} = nobody.
 *
 * <p>{@link #of} finds the NS hosts inside the zone from its own A and AAAA records (glue below
 * cuts included); the names outside it ({@link #outOfZoneHosts}) the caller looks up, as BIND looks
 * every NS name up. Targets get port 53, in the zone's order, each once.
 */
public final class NotifyTargets {
  private NotifyTargets() {}

  /**
   * @param notifyMode "yes", "explicit", "no", "primary-only" or "master-only" (any case)
   * @param toSoa BIND's {@code notify-to-soa}: the SOA MNAME's host is told too
   * @param alsoNotify BIND's also-notify list, sent to in any mode but "no"
   * @throws IllegalArgumentException for any other mode
   */
  public static List<InetSocketAddress> of(
      Zone zone, String notifyMode, boolean toSoa, List<InetSocketAddress> alsoNotify) {
    String mode = notifyMode == null ? "yes" : notifyMode.trim().toLowerCase(Locale.ROOT);
    Set<InetSocketAddress> targets = new LinkedHashSet<>();
    switch (mode) {
      case "no":
        return List.of();
      case "explicit":
        break;
      case "yes":
      case "primary-only":
      case "master-only":
        targets.addAll(fromNsRecords(zone, toSoa));
        break;
      default:
        throw new IllegalArgumentException(
            "notify must be yes, explicit, no, primary-only or master-only, not '"
                + notifyMode
                + "'");
    }
    if (alsoNotify != null) {
      targets.addAll(alsoNotify);
    }
    return List.copyOf(targets);
  }

  /**
   * The apex NS host names outside the zone, the primary (SOA MNAME) excepted unless {@code toSoa},
   * in NS order: their addresses are not in the zone's data, so {@code notify yes} needs them
   * looked up.
   */
  public static List<Name> outOfZoneHosts(Zone zone, boolean toSoa) {
    return List.copyOf(nsHosts(zone, false, toSoa));
  }

  /**
   * The apex NS host names inside the zone or outside it, the primary (SOA MNAME) excepted unless
   * {@code toSoa}, in NS order, each once.
   */
  private static Set<Name> nsHosts(Zone zone, boolean inside, boolean toSoa) {
    Name origin = zone.origin();
    Name mname = zone.soa().getHost();
    Set<Name> hosts = new LinkedHashSet<>();
    for (Record record : zone.recordsAt(origin)) {
      if (record.getType() == Type.NS) {
        Name host = ((NSRecord) record).getTarget();
        if ((toSoa || !host.equals(mname)) && host.subdomain(origin) == inside) {
          hosts.add(host);
        }
      }
    }
    return hosts;
  }

  /**
   * The addresses of the apex NS hosts inside the zone, the primary (SOA MNAME) excepted unless
   * {@code toSoa}, in NS order. Looked up by name, never by walking the zone: this runs on every
   * change, and a large zone has millions of records.
   */
  private static List<InetSocketAddress> fromNsRecords(Zone zone, boolean toSoa) {
    Set<Name> hosts = nsHosts(zone, true, toSoa);
    List<InetSocketAddress> all = new ArrayList<>();
    for (Name host : hosts) {
      for (Record record : zone.recordsAt(host)) {
        InetAddress address = address(record);
        if (address != null) {
          all.add(new InetSocketAddress(address, 53));
        }
      }
    }
    return all;
  }

  private static InetAddress address(Record record) {
    if (record instanceof ARecord) {
      return ((ARecord) record).getAddress();
    }
    if (record instanceof AAAARecord) {
      return ((AAAARecord) record).getAddress();
    }
    return null;
  }
}
