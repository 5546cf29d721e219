package dev.vxdns.verticles.zone;

import dev.vxdns.message.ListenAddresses;
import dev.vxdns.secondary.NotifySender;
import dev.vxdns.secondary.NotifyTargets;
import dev.vxdns.verticles.zone.ZoneConfig.NotifyMode;
import dev.vxdns.verticles.zone.ZoneConfig.Target;
import dev.vxdns.zone.Zone;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * NOTIFY (RFC 1996) after a zone changed: to the NS hosts (their addresses from the zone, or for
 * names outside it from the system's resolver), but not to this node's own listen addresses
 * (named's {@code notify_isself}), and to {@code also-notify} ({@code notify yes}), only to the
 * latter ({@code explicit}), or to nobody. One NOTIFY at a time per target: changes while one is in
 * flight are told in one more NOTIFY with the newest version, so a burst of updates sends a few
 * NOTIFYs, not one per update. Each NOTIFY waits for its turn under the node's rate, as named's
 * {@code notify-rate} and {@code startup-notify-rate}. As named's {@code notify-delay}, a change
 * within that time of the last set of NOTIFYs waits for it, and one set then tells of every change
 * since. Targets are independent, as in BIND: one that does not answer (retried for about 30 s)
 * does not hold back the others.
 *
 * <p>Runs on the zone verticle's event loop.
 */
final class Notifications {
  private static final System.Logger LOG = System.getLogger(Notifications.class.getName());

  private final Vertx vertx;
  private final WorkerExecutor lookups;
  private final NotifySender sender;
  private final ZoneConfig config;
  private final Supplier<Zone> served;
  private final Pacer changes;
  private final Pacer firstLoads;
  private final Set<InetSocketAddress> sending = new HashSet<>();
  private final Set<InetSocketAddress> changedSince = new HashSet<>();
  // named's notifytime: when the last set of NOTIFYs began plus notify-delay (System.nanoTime).
  private long nextSetAt;
  // A change waits for nextSetAt: its set is on a timer.
  private boolean deferred;
  // Set by the zone's stop: NOTIFYs still waiting for their turn are not sent (a redeploy's
  // successor announces the zone itself).
  private boolean stopped;

  /**
   * @param lookups where NS hosts outside the zone are looked up (blocking calls)
   * @param changes the node's {@code notify-rate}, which every NOTIFY after a change waits for
   * @param firstLoads the node's {@code startup-notify-rate}, for those after a first load
   */
  Notifications(
      Vertx vertx,
      WorkerExecutor lookups,
      NotifySender sender,
      ZoneConfig config,
      Supplier<Zone> served,
      Pacer changes,
      Pacer firstLoads) {
    this.vertx = vertx;
    this.lookups = lookups;
    this.sender = sender.withSource(config.notifySource());
    this.nextSetAt = System.nanoTime();
    this.config = config;
    this.served = served;
    this.changes = changes;
    this.firstLoads = firstLoads;
  }

  /**
   * The zone changed: tell each target, in its turn or after the NOTIFY in flight to it, once
   * {@code notify-delay} has passed since the last set.
   */
  void changed() {
    long wait = nextSetAt - System.nanoTime();
    if (wait <= 0) {
      announce(false);
    } else if (!deferred) {
      deferred = true;
      vertx.setTimer(
          Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)),
          id -> {
            deferred = false;
            if (!stopped) {
              changed();
            }
          });
    }
  }

  /**
   * Tells each target of the version served, after a change or, paced by {@code
   * startup-notify-rate}, after the zone's first load.
   */
  void announce(boolean firstLoad) {
    if (config.notifyMode() == NotifyMode.NO) {
      return;
    }
    Zone zone = served.get();
    if (zone == null) {
      return;
    }
    // One NOTIFY per address; an also-notify entry (maybe with a key) wins over an NS host.
    Map<InetSocketAddress, Target> targets = new LinkedHashMap<>();
    List<InetSocketAddress> nsHosts =
        config.notifyMode() == NotifyMode.YES
            ? NotifyTargets.of(zone, "yes", config.notifyToSoa(), List.of())
            : List.of();
    nsHosts.forEach(address -> targets.put(address, new Target(address, null)));
    config.alsoNotify().forEach(target -> targets.put(target.address(), target));
    nextSetAt = System.nanoTime() + config.notifyDelay().toNanos();
    Pacer pacer = firstLoad ? firstLoads : changes;
    Set<InetSocketAddress> alsoNotify = new HashSet<>();
    config.alsoNotify().forEach(target -> alsoNotify.add(target.address()));
    List<InetSocketAddress> nsOnly =
        nsHosts.stream().filter(address -> !alsoNotify.contains(address)).toList();
    // Which NS hosts are this node is asked on a worker: whether an address is the machine's.
    lookups
        .executeBlocking(() -> thisNode(nsOnly), false)
        .onComplete(
            selves -> {
              if (stopped) {
                return;
              }
              Set<InetSocketAddress> self = selves.succeeded() ? selves.result() : Set.of();
              targets.forEach(
                  (address, target) -> {
                    if (!self.contains(address)) {
                      notify(target, pacer);
                    }
                  });
              if (config.notifyMode() == NotifyMode.YES) {
                Set<InetSocketAddress> told = new HashSet<>(targets.keySet());
                NotifyTargets.outOfZoneHosts(zone, config.notifyToSoa())
                    .forEach(host -> lookUp(host, told, pacer));
              }
            });
  }

  /**
   * Of {@code addresses} (NS hosts), those this node listens on, as named's {@code notify_isself}
   * leaves them out: a node listed in its own zone's NS set does not NOTIFY itself. Logged.
   * Blocking (is an address the machine's): a worker's.
   */
  private Set<InetSocketAddress> thisNode(List<InetSocketAddress> addresses) {
    ListenAddresses listening = ListenAddresses.of(vertx);
    Set<InetSocketAddress> self = new HashSet<>();
    for (InetSocketAddress address : addresses) {
      if (listening.listensOn(address, Notifications::isLocal)) {
        self.add(address);
        LOG.log(
            System.Logger.Level.INFO,
            "zone {0}: no NOTIFY to {1}#{2}: an NS host of the zone, and this node listens there",
            config.name(),
            address.getAddress().getHostAddress(),
            Integer.toString(address.getPort()));
      }
    }
    return self;
  }

  /** Whether {@code address} is one of this machine's. Blocking. */
  private static boolean isLocal(InetAddress address) {
    try {
      return address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  /**
   * An NS host outside the zone, looked up as BIND looks every NS name up (here with the system's
   * resolver, on the lookup workers: it may block): each of its addresses not told already gets a
   * NOTIFY on port 53. A name without an address is logged and skipped; the other targets are not
   * held up.
   */
  private void lookUp(Name host, Set<InetSocketAddress> told, Pacer pacer) {
    String name = host.toString(true);
    lookups
        .executeBlocking(
            () -> {
              List<InetSocketAddress> found = new ArrayList<>();
              for (InetAddress address : InetAddress.getAllByName(name)) {
                found.add(new InetSocketAddress(address, 53));
              }
              Set<InetSocketAddress> self = thisNode(found);
              return found.stream().filter(address -> !self.contains(address)).toList();
            },
            false)
        .onComplete(
            found -> {
              if (stopped) {
                return;
              }
              if (found.failed()) {
                LOG.log(
                    System.Logger.Level.WARNING,
                    "zone {0}: no NOTIFY to NS {1}: no address found ({2})",
                    config.name(),
                    name,
                    found.cause().toString());
                return;
              }
              for (InetSocketAddress target : found.result()) {
                if (told.add(target)) {
                  notify(new Target(target, null), pacer);
                }
              }
            });
  }

  private void notify(Target target, Pacer pacer) {
    InetSocketAddress address = target.address();
    if (!sending.add(address)) {
      changedSince.add(address);
      return;
    }
    pacer.turn().onComplete(turn -> send(target));
  }

  /** The zone stopped (a reconfiguration removed it, a redeploy or the node's stop). */
  void stop() {
    stopped = true;
  }

  private void send(Target target) {
    InetSocketAddress address = target.address();
    Zone zone = served.get();
    if (zone == null || stopped) {
      sending.remove(address);
      return;
    }
    sender
        .notify(address, zone.origin(), zone.soa(), target.key())
        .onFailure(
            error ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "zone {0}: NOTIFY of serial {1} to {2} failed: {3}",
                    config.name(),
                    Long.toString(zone.serial()),
                    address,
                    error.getMessage()))
        .onComplete(
            done -> {
              sending.remove(address);
              if (changedSince.remove(address)) {
                notify(target, changes);
              }
            });
  }
}
