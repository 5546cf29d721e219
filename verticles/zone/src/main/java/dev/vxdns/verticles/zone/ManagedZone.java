package dev.vxdns.verticles.zone;

import dev.vxdns.update.UpdateIdentity;
import io.vertx.core.Future;
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

  /** Writes the served version to the zone file (primary: folds the journal in). */
  Future<Void> sync();

  /** Syncs and releases files and timers. */
  Future<Void> stop();
}
