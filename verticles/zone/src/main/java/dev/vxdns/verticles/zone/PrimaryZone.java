package dev.vxdns.verticles.zone;

import dev.vxdns.journal.JournalException;
import dev.vxdns.journal.JournalSizes;
import dev.vxdns.journal.ZoneFileWriter;
import dev.vxdns.journal.ZoneJournal;
import dev.vxdns.journal.ZoneReplay;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.Progress;
import dev.vxdns.message.ProgressBoard;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

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

  /** Updates applied and synced together at most. */
  private static final int MAX_GROUP = 256;

  private final ZoneConfig config;
  private final Name origin;
  private final ServedZones served;
  private final Vertx vertx;
  private final Context context;
  private final Clock clock;
  private final Notifications notifications;
  private final ExecutorService writer;
  private ZoneJournal journal;
  private final long fileSerial;
  private final Queue<Pending> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  // The writer thread's own: the journal limit and the sizes of the served history's changes.
  private long journalLimit;
  private final ArrayDeque<Long> historySizes = new ArrayDeque<>();
  private long historyBytes;
  private long syncTimer = -1;
  private long unsyncedSerial = -1;

  private PrimaryZone(
      ZoneConfig config,
      ServedZones served,
      Loaded loaded,
      Vertx vertx,
      Context context,
      Clock clock,
      Notifications notifications) {
    this.journal = loaded.journal();
    this.fileSerial = loaded.fileSerial();
    this.config = config;
    this.origin = nameOf(config);
    this.served = served;
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

  /**
   * A loaded zone, its open journal (null when it has none yet) and the serial its file holds: a
   * zone the journal took beyond it is written back and announced once it is served.
   */
  record Loaded(Zone zone, ZoneJournal journal, long fileSerial) {}

  /** Reads the file and replays the journal over it. Blocking: runs on a worker. */
  static Loaded load(ZoneConfig config) throws ZoneException {
    return load(config, records -> {});
  }

  /** Like {@link #load(ZoneConfig)}, telling {@code progress} the file's records read so far. */
  static Loaded load(ZoneConfig config, LongConsumer progress) throws ZoneException {
    Zone fromFile = ZoneFiles.load(config.file(), nameOf(config), progress);
    if (config.journal() == null || !Files.exists(config.journal())) {
      return new Loaded(fromFile, null, fromFile.serial());
    }
    try {
      ZoneJournal journal = ZoneJournal.open(config.journal(), fromFile.origin(), NO_TRIM);
      Zone replayed = ZoneReplay.replay(fromFile, journal.read());
      return new Loaded(replayed, journal, fromFile.serial());
    } catch (JournalException e) {
      throw new ZoneException("zone " + config.name() + ": journal: " + e.getMessage(), e);
    }
  }

  static PrimaryZone of(
      ZoneConfig config,
      ServedZones served,
      Loaded loaded,
      Vertx vertx,
      Context context,
      Clock clock,
      Notifications notifications) {
    return new PrimaryZone(config, served, loaded, vertx, context, clock, notifications);
  }

  @Override
  public void start() {
    Zone zone = served.zone(origin);
    if (zone != null && zone.serial() != fileSerial) {
      // Changes replayed from the journal are not in the file yet.
      changed(zone);
    }
  }

  @Override
  public Future<Message> update(Message request, byte[] wire, UpdateIdentity who, int udpSize) {
    Pending pending = new Pending(request, who, udpSize, new CompletableFuture<>());
    Context caller = vertx.getOrCreateContext();
    waiting.add(pending);
    if (draining.compareAndSet(false, true)) {
      writer.execute(this::drain);
    }
    return Future.fromCompletionStage(pending.answer(), caller);
  }

  /** An update waiting for the writer, and where its answer goes. */
  private record Pending(
      Message request, UpdateIdentity who, int udpSize, CompletableFuture<Message> answer) {}

  /**
   * On the writer thread: applies every waiting update in arrival order, each to the version the
   * ones before it made, journals all their changes with one sync, then serves the last version and
   * answers them all. Under load many updates share one sync (group commit); alone, an update is
   * its own group.
   */
  private void drain() {
    draining.set(false);
    List<Pending> group = new ArrayList<>();
    for (Pending next; group.size() < MAX_GROUP && (next = waiting.poll()) != null; ) {
      group.add(next);
    }
    if (!waiting.isEmpty() && draining.compareAndSet(false, true)) {
      writer.execute(this::drain);
    }
    if (group.isEmpty()) {
      return;
    }
    Zone current = served.zone(origin);
    Zone working = current;
    List<ZoneDiff> diffs = new ArrayList<>();
    List<Message> answers = new ArrayList<>();
    try {
      for (Pending pending : group) {
        UpdateResult result =
            DynamicUpdate.apply(
                working,
                pending.request(),
                pending.who(),
                config.updatePolicy(),
                config.serialUpdateMethod(),
                clock.instant());
        if (result.diff() != null) {
          working = working.apply(result.diff());
          diffs.add(result.diff());
        }
        log(result, pending.who());
        answers.add(DnsResponses.error(pending.request(), result.rcode(), pending.udpSize()));
      }
      if (!diffs.isEmpty()) {
        journal(current).appendAll(diffs);
        Zone next = trimmed(working, diffs);
        served.put(next);
        context.runOnContext(v -> changed(next));
      }
    } catch (ZoneException | JournalException | RuntimeException e) {
      // Nothing of the group is served or journaled: later updates of it were checked against
      // changes that are now gone, so none of them may be acknowledged.
      LOG.log(
          System.Logger.Level.ERROR,
          "zone {0}: {1} updates not applied: {2}",
          config.name(),
          group.size(),
          e.toString());
      for (Pending pending : group) {
        pending
            .answer()
            .complete(DnsResponses.error(pending.request(), Rcode.SERVFAIL, pending.udpSize()));
      }
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).answer().complete(answers.get(i));
    }
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

  /** max-journal-size in bytes; BIND's default (twice the zone) measured once, at first need. */
  private long journalLimit(Zone zone) {
    if (journalLimit == 0) {
      journalLimit = JournalSizes.limit(config.maxJournalBytes(), zone);
    }
    return journalLimit;
  }

  /**
   * Keeps the in-memory history (what IXFR serves) within the journal's limit, oldest changes going
   * first; the sizes are kept as the changes come, so no change is measured twice.
   */
  private Zone trimmed(Zone zone, List<ZoneDiff> added) {
    List<ZoneDiff> history = zone.history();
    // Changes served before this writer measured any (replayed from the journal): measured once.
    for (int i = history.size() - added.size() - historySizes.size() - 1; i >= 0; i--) {
      long size = approximateBytes(history.get(i));
      historySizes.addFirst(size);
      historyBytes += size;
    }
    for (ZoneDiff diff : added) {
      long size = approximateBytes(diff);
      historySizes.addLast(size);
      historyBytes += size;
    }
    int drop = 0;
    long limit = journalLimit(zone);
    while (historySizes.size() - drop > 1
        && (historyBytes > limit || historySizes.size() - drop > MAX_HISTORY)) {
      historyBytes -= historySizes.removeFirst();
      drop++;
    }
    int skip = history.size() - historySizes.size();
    return skip == 0 ? zone : zone.withHistory(history.subList(skip, history.size()));
  }

  private static long approximateBytes(ZoneDiff diff) {
    long bytes = 2L * diff.to().toWire(Section.ANSWER).length;
    for (Record record : diff.deleted()) {
      bytes += record.toWire(Section.ANSWER).length;
    }
    for (Record record : diff.added()) {
      bytes += record.toWire(Section.ANSWER).length;
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
                ProgressBoard board = NodeMetrics.of(vertx).progress();
                Progress progress = board.begin("zone-write", config.name(), zone.recordCount());
                try {
                  ZoneFileWriter.write(zone, config.file(), progress::advanceTo);
                } finally {
                  board.end(progress);
                }
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
    List<ZoneDiff> kept = trimmed(written, List.of()).history();
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
