package dev.vxdns.verticles.zone;

import dev.vxdns.update.UpdateIdentity;
import dev.vxdns.zone.Zone;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import org.xbill.DNS.Message;

/**
 * A zone that changes while it is served: a {@link PrimaryZone} (dynamic updates, journal) or a
 * {@link SecondaryZone} (transfers from its primaries). Each is the single writer of its zone in
 * {@link ServedZones}.
 */
interface ManagedZone {
  /** Starts timers (refresh, sync); called on the zone verticle's event loop. */
  void start();

  /**
   * Answers a dynamic update (RFC 2136) the access lists let through; completes on the caller's
   * context once the change is durable and served (or refused). {@code wire} is the request as
   * received, for forwarding it unchanged.
   */
  Future<Message> update(Message request, byte[] wire, UpdateIdentity who, int udpSize);

  /**
   * A NOTIFY for this zone arrived from {@code from} (allowed by {@code allow-notify}); called on
   * any event loop.
   */
  void notified(InetAddress from);

  /**
   * Tells the zone's NOTIFY targets of the version served: a zone loaded for the first time (the
   * node's start, a zone added: {@code firstLoad}, paced by {@code startup-notify-rate}) or read
   * again with another serial (a reload, a changed configuration), as named notifies at start and
   * after a reload.
   */
  void announce(boolean firstLoad);

  /**
   * What {@code vxdns zone-status} shows, as named's {@code rndc zonestatus}: the zone's type,
   * files, the version served and, for a secondary, its primaries and refresh timers.
   */
  JsonObject status();

  /**
   * {@code vxdns zone-refresh} (named's {@code rndc refresh}): a secondary asks its primaries for a
   * newer version now.
   *
   * @throws UnsupportedOperationException for a primary zone
   */
  void refresh();

  /**
   * {@code vxdns zone-retransfer} (named's {@code rndc retransfer}): a secondary transfers the
   * whole zone again, whatever its serial, and keeps asking for it until a primary gives it.
   *
   * @throws UnsupportedOperationException for a primary zone
   */
  void retransfer();

  /**
   * The status both types share: name, type, the serial served and its records (null and 0 when
   * nothing is served), how many changes are kept for IXFR, and the zone's files.
   */
  static JsonObject status(ZoneConfig config, Zone served) {
    return new JsonObject()
        .put("name", config.name())
        .put("type", config.type().name().toLowerCase(java.util.Locale.ROOT))
        .put("serial", served == null ? null : served.serial())
        .put("records", served == null ? 0 : served.recordCount())
        .put("changes-for-ixfr", served == null ? 0 : served.history().size())
        .put("file", config.file() == null ? null : config.file().toString())
        .put("journal", config.journal() == null ? null : config.journal().toString());
  }

  /** Writes the served version to the zone file (primary: folds the journal in). */
  Future<Void> sync();

  /** Syncs and releases files and timers. */
  Future<Void> stop();
}
