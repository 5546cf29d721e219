package dev.vxdns.verticles.zone;

import dev.vxdns.secondary.NotifySender;
import dev.vxdns.secondary.NotifyTargets;
import dev.vxdns.verticles.zone.ZoneConfig.NotifyMode;
import dev.vxdns.verticles.zone.ZoneConfig.Target;
import dev.vxdns.zone.Zone;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * NOTIFY (RFC 1996) after a zone changed: to the NS hosts found in the zone and to {@code
 * also-notify} ({@code notify yes}), only to the latter ({@code explicit}), or to nobody. One round
 * at a time per zone: changes during a round are told in one more round with the newest version, so
 * a burst of updates sends a few NOTIFYs, not one per update.
 *
 * <p>Runs on the zone verticle's event loop.
 */
final class Notifications {
  private static final System.Logger LOG = System.getLogger(Notifications.class.getName());

  private final NotifySender sender;
  private final ZoneConfig config;
  private final Supplier<Zone> served;
  private boolean sending;
  private boolean changedSince;

  Notifications(NotifySender sender, ZoneConfig config, Supplier<Zone> served) {
    this.sender = sender;
    this.config = config;
    this.served = served;
  }

  /** The zone changed: tell the targets, now or after the round in flight. */
  void changed() {
    if (config.notifyMode() == NotifyMode.NO) {
      return;
    }
    if (sending) {
      changedSince = true;
      return;
    }
    Zone zone = served.get();
    if (zone == null) {
      return;
    }
    sending = true;
    changedSince = false;
    List<Future<Void>> round = new ArrayList<>();
    List<Target> targets = new ArrayList<>();
    if (config.notifyMode() == NotifyMode.YES) {
      for (var address : NotifyTargets.of(zone, "yes", List.of())) {
        targets.add(new Target(address, null));
      }
    }
    targets.addAll(config.alsoNotify());
    for (Target target : targets) {
      round.add(
          sender
              .notify(target.address(), zone.origin(), zone.soa(), target.key())
              .onFailure(
                  error ->
                      LOG.log(
                          System.Logger.Level.WARNING,
                          "zone {0}: NOTIFY of serial {1} to {2} failed: {3}",
                          config.name(),
                          Long.toString(zone.serial()),
                          target.address(),
                          error.getMessage())));
    }
    Future.join(round)
        .onComplete(
            done -> {
              sending = false;
              if (changedSince) {
                changed();
              }
            });
  }
}
