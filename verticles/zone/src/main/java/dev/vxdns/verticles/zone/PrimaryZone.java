package dev.vxdns.verticles.zone;

import dev.vxdns.journal.JournalException;
import dev.vxdns.journal.JournalSizes;
import dev.vxdns.journal.ZoneFileWriter;
import dev.vxdns.journal.ZoneJournal;
import dev.vxdns.journal.ZoneReplay;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.update.DynamicUpdate;
import dev.vxdns.update.UpdateIdentity;
import dev.vxdns.update.UpdateResult;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * A primary zone: read from its file, brought up to date from its journal, changed by dynamic
 * updates.
 *
 * <p>One writer thread per zone applies updates in arrival order. For each: the update is checked
 * and turned into a {@link ZoneDiff} against the served version, the next version is built beside
 * it, the diff is appended to the journal and forced to disk, and only then is the new version
 * served and the update acknowledged. So an acknowledged change survives a kill -9, and a query
 * never waits: it answers from whichever version is served when it starts. The journal is folded
 * into the zone file {@code sync-interval} after a change, on {@code vxdns zone-sync} and at stop.
 */
final class PrimaryZone implements ManagedZone {
  private static final System.Logger LOG = System.getLogger(PrimaryZone.class.getName());

  /**
   * The journal itself never drops diffs by size: a diff the zone file does not have yet is the
   * only copy of an acknowledged change. {@code max-journal-size} is applied after each fold
   * ({@link #compact}), to diffs the file has, as BIND compacts its journal after a dump.
   */
  private static final long NO_TRIM = Long.MAX_VALUE;

  /** History kept for IXFR beyond what the journal's limit says, as a guard on memory. */
  private static final int MAX_HISTORY = 10_000;

  private final ZoneConfig config;
  private final Name origin;
  private final ServedZones served;
  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final Notifications notifications;
  private final ExecutorService writer;
  private ZoneJournal journal;
  private long syncTimer = -1;
  private long unsyncedSerial = -1;

  private PrimaryZone(
      ZoneConfig config,
      ServedZones served,
      ZoneJournal journal,
      Vertx vertx,
      Context context,
      Clock clock,
      Notifications notifications) {
    this.config = config;
    this.origin = nameOf(config);
    this.served = served;
    this.journal = journal;
    this.vertx = vertx;
    this.context = context;
    this.clock = clock;
    this.notifications = notifications;
    this.writer =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "vxdns-zone-writer " + config.name());
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A loaded zone and its open journal (null when it has none yet). Blocking. */
  record Loaded(Zone zone, ZoneJournal journal) {}

  /** Reads the file and replays the journal over it. Blocking: runs on a worker. */
  static Loaded load(ZoneConfig config) throws ZoneException {
    Zone fromFile = ZoneFiles.load(config.file(), nameOf(config));
    if (config.journal() == null || !Files.exists(config.journal())) {
      return new Loaded(fromFile, null);
    }
    try {
      ZoneJournal journal = ZoneJournal.open(config.journal(), fromFile.origin(), NO_TRIM);
      Zone replayed = ZoneReplay.replay(fromFile, journal.read());
      return new Loaded(replayed, journal);
    } catch (JournalException e) {
      throw new ZoneException("zone " + config.name() + ": journal: " + e.getMessage(), e);
    }
  }

  static PrimaryZone of(
      ZoneConfig config,
      ServedZones served,
      ZoneJournal journal,
      Vertx vertx,
      Context context,
      Clock clock,
      Notifications notifications) {
    return new PrimaryZone(config, served, journal, vertx, context, clock, notifications);
  }

  @Override
  public void start() {
    Zone zone = served.zone(origin);
    if (zone != null && !zone.history().isEmpty()) {
      // Changes replayed from the journal are not in the file yet.
      changed(zone);
    }
  }

  @Override
  public Future<Message> update(Message request, byte[] wire, UpdateIdentity who, int udpSize) {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<Message> done =
        CompletableFuture.supplyAsync(() -> apply(request, who, udpSize), writer);
    return Future.fromCompletionStage(done, caller);
  }

  /** On the writer thread: check, build, journal, serve. */
  private Message apply(Message request, UpdateIdentity who, int udpSize) {
    Zone current = served.zone(origin);
    UpdateResult result =
        DynamicUpdate.apply(
            current,
            request,
            who,
            config.updatePolicy(),
            config.serialUpdateMethod(),
            clock.instant());
    if (result.diff() != null) {
      try {
        Zone next = trimmed(current.apply(result.diff()));
        journal(current).append(result.diff());
        served.put(next);
        context.runOnContext(v -> changed(next));
      } catch (ZoneException | JournalException e) {
        LOG.log(
            System.Logger.Level.ERROR,
            "zone {0}: update not applied: {1}",
            config.name(),
            e.getMessage());
        return DnsResponses.error(request, Rcode.SERVFAIL, udpSize);
      }
    }
    log(result, who);
    return DnsResponses.error(request, result.rcode(), udpSize);
  }

  private void log(UpdateResult result, UpdateIdentity who) {
    String client = (who.keyName() == null ? "" : "key " + who.keyName() + " ") + who.source();
    if (result.rcode() == Rcode.NOERROR) {
      LOG.log(
          System.Logger.Level.INFO,
          "zone {0}: update from {1}: {2}",
          config.name(),
          client,
          result.diff() == null
              ? "no change"
              : "serial "
                  + result.diff().fromSerial()
                  + " -> "
                  + result.diff().toSerial()
                  + ", "
                  + result.diff().deleted().size()
                  + " deleted, "
                  + result.diff().added().size()
                  + " added");
    } else {
      LOG.log(
          System.Logger.Level.INFO,
          "zone {0}: update from {1}: {2} ({3})",
          config.name(),
          client,
          Rcode.string(result.rcode()),
          result.reason());
    }
  }

  /** The journal, created at the first change. */
  private ZoneJournal journal(Zone zone) throws JournalException {
    if (journal == null) {
      journal = ZoneJournal.open(config.journal(), origin, NO_TRIM);
    }
    return journal;
  }

  /**
   * Keeps the in-memory history (what IXFR serves) within the journal's limit, newest changes
   * first.
   */
  private Zone trimmed(Zone zone) {
    List<ZoneDiff> history = zone.history();
    long limit = JournalSizes.limit(config.maxJournalBytes(), zone);
    long bytes = 0;
    int keep = 0;
    for (int i = history.size() - 1; i >= 0 && keep < MAX_HISTORY; i--) {
      bytes += approximateBytes(history.get(i));
      if (bytes > limit && keep > 0) {
        break;
      }
      keep++;
    }
    return keep == history.size()
        ? zone
        : zone.withHistory(new ArrayList<>(history.subList(history.size() - keep, history.size())));
  }

  private static long approximateBytes(ZoneDiff diff) {
    long bytes = 2L * diff.to().toWire(org.xbill.DNS.Section.ANSWER).length;
    for (Record record : diff.deleted()) {
      bytes += record.toWire(org.xbill.DNS.Section.ANSWER).length;
    }
    for (Record record : diff.added()) {
      bytes += record.toWire(org.xbill.DNS.Section.ANSWER).length;
    }
    return bytes;
  }

  /** On the verticle's event loop, after a change was served. */
  private void changed(Zone next) {
    unsyncedSerial = next.serial();
    notifications.changed();
    if (syncTimer == -1) {
      syncTimer =
          vertx.setTimer(
              config.syncInterval().toMillis(),
              id -> {
                syncTimer = -1;
                sync();
              });
    }
  }

  @Override
  public void notified(InetAddress from) {
    // A primary has nothing to fetch; BIND logs and answers NOTAUTH before this is reached.
  }

  @Override
  public Future<Void> sync() {
    if (unsyncedSerial == -1) {
      return Future.succeededFuture();
    }
    unsyncedSerial = -1;
    CompletableFuture<Void> written =
        CompletableFuture.runAsync(
            () -> {
              Zone zone = served.zone(origin);
              try {
                long started = System.nanoTime();
                ZoneFileWriter.write(zone, config.file());
                compact(zone);
                LOG.log(
                    System.Logger.Level.INFO,
                    "zone {0}: serial {1} written to {2} in {3} ms",
                    config.name(),
                    Long.toString(zone.serial()),
                    config.file(),
                    (System.nanoTime() - started) / 1_000_000);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (JournalException e) {
                // The file has every change; a journal longer than the limit is harmless.
                LOG.log(
                    System.Logger.Level.WARNING,
                    "zone {0}: journal not compacted: {1}",
                    config.name(),
                    e.getMessage());
              }
            },
            writer);
    return Future.fromCompletionStage(written, context)
        .onFailure(
            error ->
                LOG.log(
                    System.Logger.Level.ERROR,
                    "zone {0}: writing {1} failed (the journal still has every change): {2}",
                    config.name(),
                    config.file(),
                    error.getMessage()));
  }

  /**
   * On the writer thread, after {@code written} is in the zone file: drops the journal's diffs
   * older than the history kept for IXFR ({@code max-journal-size}); all of them are in the file.
   */
  private void compact(Zone written) throws JournalException {
    List<ZoneDiff> kept = trimmed(written).history();
    if (journal != null && !kept.isEmpty()) {
      journal.dropThrough(kept.get(0).fromSerial());
    }
  }

  @Override
  public Future<Void> stop() {
    if (syncTimer != -1) {
      vertx.cancelTimer(syncTimer);
      syncTimer = -1;
    }
    return sync()
        .eventually(
            () -> {
              CompletableFuture<Void> closed =
                  CompletableFuture.runAsync(
                      () -> {
                        if (journal != null) {
                          journal.close();
                        }
                      },
                      writer);
              return Future.fromCompletionStage(closed, context).onComplete(v -> writer.shutdown());
            });
  }

  static Name nameOf(ZoneConfig config) {
    return Name.fromConstantString(config.name());
  }
}
