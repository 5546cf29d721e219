package dev.vxdns.verticles.zone;

import dev.vxdns.journal.JournalException;
import dev.vxdns.journal.ZoneFileWriter;
import dev.vxdns.journal.ZoneJournal;
import dev.vxdns.journal.ZoneReplay;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.Progress;
import dev.vxdns.message.ProgressBoard;
import dev.vxdns.secondary.Primary;
import dev.vxdns.secondary.PrimaryTransport;
import dev.vxdns.secondary.RefreshState;
import dev.vxdns.secondary.TransferClient;
import dev.vxdns.update.UpdateIdentity;
import dev.vxdns.zone.Serials;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneFiles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * A secondary zone: transferred from its primaries (IXFR, falling back to AXFR), checked on the
 * SOA's refresh and retry timers and at once on NOTIFY, written to its file after each transfer so
 * that a restart serves it at once, and withdrawn when it expires (its queries then get SERVFAIL).
 * As BIND refreshes: an SOA query first, and a transfer (in its turn, {@link TransfersIn}) only
 * when the primary's serial is newer, or when the SOA query got no answer at all (BIND's {@code
 * try-tcp-refresh}) or REFUSED: the IXFR carries the serial check. Updates sent to it are forwarded
 * to the first primary reached over TCP ({@code allow-update-forwarding}).
 *
 * <p>Runs on the zone verticle's event loop ({@link #notified} hops onto it); transfers and file
 * writes do not block it.
 */
final class SecondaryZone implements ManagedZone {
  private static final System.Logger LOG = System.getLogger(SecondaryZone.class.getName());

  private final ZoneConfig config;
  private final Name origin;
  private final ServedZones served;
  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final TransferClient client;
  private final TransfersIn transfersIn;
  private final Pacer serialQueries;
  private final UpdateForwarder forwarder;
  private final Notifications notifications;

  /** {@code vxdns_transfers_in_total{zone, result}}: changed, unchanged or failed (per primary). */
  private final Counter transfersChanged;

  private final Counter transfersUnchanged;
  private final Counter transfersFailed;
  private RefreshState state;
  private long timer = -1;
  private boolean checking;
  private boolean checkAgain;
  private boolean stopped;
  // vxdns zone-retransfer: the next transfer is of the whole zone, whatever the serials say, until
  // one succeeds (named's DNS_ZONEFLG_FORCEXFER).
  private boolean retransfer;

  SecondaryZone(
      ZoneConfig config,
      ServedZones served,
      Vertx vertx,
      Context context,
      Clock clock,
      TransferClient client,
      TransfersIn transfersIn,
      Pacer serialQueries,
      UpdateForwarder forwarder,
      Notifications notifications) {
    this.config = config;
    this.origin = PrimaryZone.nameOf(config);
    this.served = served;
    this.vertx = vertx;
    MeterRegistry registry = NodeMetrics.of(vertx).registry();
    this.transfersChanged = transferCounter(registry, config.name(), "changed");
    this.transfersUnchanged = transferCounter(registry, config.name(), "unchanged");
    this.transfersFailed = transferCounter(registry, config.name(), "failed");
    this.context = context;
    this.clock = clock;
    this.client = client.withLimits(config.transferLimits()).withSource(config.transferSource());
    this.transfersIn = transfersIn;
    this.serialQueries = serialQueries;
    this.forwarder = forwarder;
    this.notifications = notifications;
  }

  /**
   * The copy saved by an earlier transfer, or null when there is none or it does not load (the zone
   * is transferred again). Blocking: runs on a worker.
   */
  static Zone loadSaved(ZoneConfig config, LongConsumer progress) {
    if (config.file() == null || !Files.exists(config.file())) {
      return null;
    }
    try {
      return withJournal(
          config,
          ZoneFiles.load(config.file(), PrimaryZone.nameOf(config), config.rules(), progress));
    } catch (ZoneException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "zone {0}: saved copy not loaded, transferring again: {1}",
          config.name(),
          e.getMessage());
      return null;
    }
  }

  /**
   * The saved copy with the changes its journal keeps (those that lead to its serial, as named's
   * secondary journals what it receives), so that IXFR from an older serial still gets just the
   * change after a restart. A journal that does not load is logged and the copy served without
   * history: the copy itself is whole.
   */
  private static Zone withJournal(ZoneConfig config, Zone saved) {
    if (config.journal() == null || !Files.exists(config.journal())) {
      return saved;
    }
    try (ZoneJournal journal =
        ZoneJournal.open(config.journal(), saved.origin(), PrimaryZone.NO_TRIM)) {
      return ZoneReplay.replay(saved, journal.read());
    } catch (JournalException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "zone {0}: journal not read, the saved copy is served without its changes: {1}",
          config.name(),
          e.getMessage());
      return saved;
    }
  }

  /**
   * Makes the journal hold {@code zone}'s history: the changes after the journal's last serial are
   * appended, those older than the history dropped; a journal that the history does not continue (a
   * whole zone received without differences, say) starts afresh. Blocking: a worker's.
   */
  private static void journal(ZoneConfig config, Zone zone) throws JournalException {
    List<ZoneDiff> history = zone.history();
    if (history.isEmpty() && !Files.exists(config.journal())) {
      return;
    }
    try (ZoneJournal journal =
        ZoneJournal.open(config.journal(), zone.origin(), PrimaryZone.NO_TRIM)) {
      OptionalLong last = journal.lastSerial();
      if (last.isPresent() && last.getAsLong() == zone.serial()) {
        journal.dropThrough(history.isEmpty() ? zone.serial() : history.get(0).fromSerial());
        return;
      }
      int next = 0;
      if (last.isPresent()) {
        while (next < history.size() && history.get(next).fromSerial() != last.getAsLong()) {
          next++;
        }
        if (next == history.size()) {
          journal.restart();
          next = 0;
        }
      }
      journal.appendAll(history.subList(next, history.size()));
      if (!history.isEmpty()) {
        journal.dropThrough(history.get(0).fromSerial());
      }
    }
  }

  @Override
  public void start() {
    Instant now = clock.instant();
    Zone saved = served.zone(origin);
    state =
        saved == null
            ? RefreshState.initial(now, config.refreshLimits())
            : RefreshState.loaded(
                saved.soa(), lastModified(config.file(), now), now, config.refreshLimits());
    if (saved != null && state.isExpired(now)) {
      withdraw(); // not served until a primary answers
    }
    check();
  }

  private static Instant lastModified(Path file, Instant fallback) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (java.io.IOException e) {
      return fallback;
    }
  }

  @Override
  public void announce(boolean firstLoad) {
    notifications.announce(firstLoad);
  }

  @Override
  public void notified(InetAddress from) {
    // Called on the loop of the transport that received it; the zone's state lives on ours.
    context.runOnContext(
        v -> {
          LOG.log(System.Logger.Level.INFO, "zone {0}: NOTIFY from {1}", config.name(), from);
          state = state.onNotify(clock.instant());
          check();
        });
  }

  @Override
  public JsonObject status() {
    Zone zone = served.zone(origin);
    JsonArray primaries = new JsonArray();
    config.primaries().forEach(primary -> primaries.add(primary.toString()));
    return ManagedZone.status(config, zone)
        .put("primaries", primaries)
        .put("checking", checking)
        .put("next-check", state.nextCheck().toString())
        .put("expires", state.hasData() ? state.expiresAt().toString() : null)
        .put("retransfer-queued", retransfer);
  }

  @Override
  public void refresh() {
    context.runOnContext(v -> check());
  }

  @Override
  public void retransfer() {
    context.runOnContext(
        v -> {
          retransfer = true;
          check();
        });
  }

  /** Asks the primaries, one after the other, for a newer version. */
  private void check() {
    if (stopped) {
      return;
    }
    if (checking) {
      checkAgain = true;
      return;
    }
    cancelTimer();
    checking = true;
    checkAgain = false;
    tryPrimary(0);
  }

  private static Counter transferCounter(MeterRegistry registry, String zone, String result) {
    return Counter.builder("vxdns_transfers_in")
        .description("incoming zone transfers (and SOA checks) of secondary zones, by result")
        .tag("zone", zone.endsWith(".") ? zone : zone + ".")
        .tag("result", result)
        .register(registry);
  }

  private void tryPrimary(int index) {
    if (stopped) {
      return;
    }
    if (index == config.primaries().size()) {
      finished(false);
      return;
    }
    Primary primary = config.primaries().get(index);
    Zone current = served.zone(origin);
    boolean whole = retransfer;
    (whole ? Future.succeededFuture(true) : hasNewer(primary, current))
        .compose(
            newer ->
                newer
                    ? transfer(primary, whole ? null : current)
                        .compose(next -> journaled(current, next))
                    : Future.succeededFuture(current))
        .onSuccess(
            next -> {
              (next != current ? transfersChanged : transfersUnchanged).increment();
              if (next != current) {
                served.put(next);
                LOG.log(
                    System.Logger.Level.INFO,
                    "zone {0}: serial {1} transferred from {2}, {3} records",
                    config.name(),
                    Long.toString(next.serial()),
                    primary,
                    Integer.toString(next.recordCount()));
                notifications.changed();
                save(next);
              } else {
                touch();
              }
              if (whole) {
                retransfer = false;
              }
              state = state.onSuccess(next.soa(), clock.instant(), jitter());
              finished(true);
            })
        .onFailure(
            error -> {
              if (stopped) {
                return;
              }
              transfersFailed.increment();
              LOG.log(
                  System.Logger.Level.WARNING,
                  "zone {0}: transfer from {1} failed: {2}",
                  config.name(),
                  primary,
                  error.getMessage());
              tryPrimary(index + 1);
            });
  }

  /**
   * Whether {@code primary} has a newer version than {@code current}: its SOA serial, asked over
   * UDP in its turn ({@code serial-query-rate}) without waiting for a transfer slot. Without a copy
   * a transfer is due anyway; when the SOA query gets no answer at all, or REFUSED, the transfer is
   * tried (over TCP, where IXFR checks the serial itself), as named does. Any other bad answer (an
   * error RCODE, not authoritative) or a serial lower than ours fails the check, as in named, so
   * the next primary is asked.
   */
  private Future<Boolean> hasNewer(Primary primary, Zone current) {
    if (current == null) {
      return Future.succeededFuture(true);
    }
    long ours = current.serial();
    return serialQueries
        .turn()
        .compose(turn -> client.soaSerialForRefresh(primary, origin))
        .compose(
            serial -> {
              if (serial == null) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "zone {0}: the SOA query to {1} got no answer or REFUSED; trying a transfer",
                    config.name(),
                    primary);
                return Future.succeededFuture(true);
              }
              if (Serials.isNewer(serial, ours)) {
                return Future.succeededFuture(true);
              }
              if (serial == ours) {
                return Future.succeededFuture(false);
              }
              return Future.failedFuture(
                  "serial number ("
                      + serial
                      + ") received from primary is lower than ours ("
                      + ours
                      + ")");
            });
  }

  /** The transfer from {@code primary}, once {@link TransfersIn} gives it a turn. */
  private Future<Zone> transfer(Primary primary, Zone current) {
    return transfersIn
        .take(primary.address().getAddress())
        .compose(
            slot -> {
              if (stopped) {
                slot.release();
                return Future.failedFuture("zone " + config.name() + " stopped");
              }
              ProgressBoard board = NodeMetrics.of(vertx).progress();
              Progress progress =
                  board.begin("transfer-in", config.name() + " from " + primary, -1);
              // Without a copy, or with request-ixfr no, the whole zone.
              Zone base = config.requestIxfr() ? current : null;
              Future<Zone> transfer;
              try {
                transfer =
                    client.transfer(primary, origin, base, config.rules(), progress::advanceTo);
              } catch (RuntimeException e) {
                transfer = Future.failedFuture(e); // the slot must come back all the same
              }
              return transfer.onComplete(
                  done -> {
                    board.end(progress);
                    slot.release();
                  });
            })
        .compose(next -> withDifferences(current, next));
  }

  /**
   * named's {@code ixfr-from-differences} for a secondary: a whole zone received over an older copy
   * keeps the change from it (and the copy's history), so that this server's own secondaries can
   * still get it by IXFR. As in named, only for a secondary with a file (named keeps the
   * differences in the zone's journal, which a secondary without a file has not). Found on a
   * worker.
   */
  private Future<Zone> withDifferences(Zone current, Zone next) {
    if (!config.ixfrFromDifferences()
        || config.file() == null
        || current == null
        || next == current) {
      return Future.succeededFuture(next);
    }
    return vertx.executeBlocking(
        () -> PrimaryZone.withDifferences(current, next, config.maxJournalBytes()), false);
  }

  private void finished(boolean succeeded) {
    checking = false;
    Instant now = clock.instant();
    if (!succeeded) {
      state = state.onFailure(now, jitter());
      if (state.isExpired(now) && served.zone(origin) != null) {
        withdraw();
      }
    }
    if (checkAgain) {
      check();
      return;
    }
    schedule();
  }

  private void withdraw() {
    served.remove(origin);
    LOG.log(
        System.Logger.Level.ERROR,
        "zone {0}: expired, no primary answered; answering SERVFAIL",
        config.name());
  }

  /**
   * The next check, or the expiry if it comes first. A timer may fire a little before its time (the
   * delay is whole milliseconds): then it only waits again, as neither has come.
   */
  private void schedule() {
    if (stopped) {
      return;
    }
    Instant now = clock.instant();
    long delay = roundedUp(state.untilNextCheck(now));
    if (state.hasData() && served.zone(origin) != null) {
      delay = Math.min(delay, roundedUp(Duration.between(now, state.expiresAt())));
    }
    timer =
        vertx.setTimer(
            Math.max(1, delay),
            id -> {
              timer = -1;
              Instant at = clock.instant();
              if (state.isDue(at)) {
                check();
                return;
              }
              if (state.isExpired(at) && served.zone(origin) != null) {
                withdraw();
              }
              schedule();
            });
  }

  /** Whole milliseconds, rounded up; 0 for a time that has passed. */
  private static long roundedUp(Duration wait) {
    return wait.isNegative() ? 0 : (wait.toNanos() + 999_999) / 1_000_000;
  }

  private static double jitter() {
    return ThreadLocalRandom.current().nextDouble();
  }

  /**
   * {@code next}, once its changes are in the journal (off the event loop, in turn with the file
   * writes), as named's secondary commits a transfer to its journal before it serves it: a restart,
   * even after kill -9, then finds the version and its history whether or not its file was written
   * yet. A journal that cannot be written is logged; the version is served all the same.
   */
  private Future<Zone> journaled(Zone current, Zone next) {
    if (next == current || config.journal() == null) {
      return Future.succeededFuture(next);
    }
    return vertx
        .executeBlocking(
            () -> {
              journal(config, next);
              return next;
            })
        .recover(
            error -> {
              LOG.log(
                  System.Logger.Level.ERROR,
                  "zone {0}: journal {1} not written: {2}",
                  config.name(),
                  config.journal(),
                  error.getMessage());
              return Future.succeededFuture(next);
            });
  }

  /** Writes the transferred version to the zone file, off the event loop. */
  private Future<Void> save(Zone zone) {
    if (config.file() == null) {
      return Future.succeededFuture();
    }
    return vertx
        .<Void>executeBlocking(
            () -> {
              ZoneFileWriter.write(zone, config.file());
              return null;
            })
        .onFailure(
            error ->
                LOG.log(
                    System.Logger.Level.ERROR,
                    "zone {0}: writing {1} failed: {2}",
                    config.name(),
                    config.file(),
                    error.getMessage()));
  }

  /**
   * Records an up-to-date check in the file's modification time, which a restart reads as the last
   * refresh (as BIND's setmodtime): without it a copy that did not change for EXPIRE would load as
   * expired. Off the event loop.
   */
  private void touch() {
    if (config.file() == null) {
      return;
    }
    FileTime now = FileTime.from(clock.instant());
    vertx
        .<Void>executeBlocking(
            () -> {
              if (Files.exists(config.file())) {
                Files.setLastModifiedTime(config.file(), now);
              }
              return null;
            })
        .onFailure(
            error ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "zone {0}: marking {1} as refreshed failed: {2}",
                    config.name(),
                    config.file(),
                    error.getMessage()));
  }

  @Override
  public Future<Message> update(Message request, byte[] wire, UpdateIdentity who, int udpSize) {
    return forward(request, wire, udpSize).map(UpdateForwarder.Answer::response);
  }

  /**
   * Forwards the update as received to the first primary reached over TCP, as {@link #update} does;
   * the answer also as the primary sent it (null after a failure, answered SERVFAIL).
   */
  Future<UpdateForwarder.Answer> forward(Message request, byte[] wire, int udpSize) {
    // Forwarding speaks plain DNS over TCP: the first primary reached that way takes the update.
    Primary primary =
        config.primaries().stream()
            .filter(candidate -> candidate.transport() == PrimaryTransport.TCP)
            .findFirst()
            .orElse(null);
    if (primary == null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "zone {0}: an update cannot be forwarded: no primary is reached over TCP",
          config.name());
      return Future.succeededFuture(failed(request, udpSize));
    }
    return forwarder
        .forward(request, wire, primary.address(), config.transferSource())
        .recover(
            error -> {
              LOG.log(
                  System.Logger.Level.WARNING,
                  "zone {0}: forwarding an update to {1} failed: {2}",
                  config.name(),
                  primary,
                  error.getMessage());
              return Future.succeededFuture(failed(request, udpSize));
            });
  }

  private static UpdateForwarder.Answer failed(Message request, int udpSize) {
    return new UpdateForwarder.Answer(DnsResponses.error(request, Rcode.SERVFAIL, udpSize), null);
  }

  @Override
  public Future<Void> sync() {
    Zone zone = served.zone(origin);
    return zone == null ? Future.succeededFuture() : save(zone);
  }

  @Override
  public Future<Void> stop() {
    notifications.stop();
    stopped = true;
    cancelTimer();
    return Future.succeededFuture();
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
