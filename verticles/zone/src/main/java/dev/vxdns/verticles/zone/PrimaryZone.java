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
import dev.vxdns.zone.Serials;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneFiles;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
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
   * ({@link #compact}), to diffs the file has, as BIND compacts its journal after a dump. A
   * secondary's journal mirrors its history, which is within the limit already.
   */
  static final long NO_TRIM = Long.MAX_VALUE;

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
  private final SharedZoneLog shared;
  private final AtomicBoolean following = new AtomicBoolean();
  private AutoCloseable watch;
  private long followTimer = -1;
  // The writer thread's own: why this node cannot follow the shared log (null: it follows).
  private volatile String diverged;
  // The writer thread's; volatile for zone-status, which reads it on the verticle's event loop.
  private volatile ZoneJournal journal;
  // Told, on the zone verticle's context, the stamp of the file after each write: a reload then
  // tells the node's own writes from an operator's edits.
  private final Consumer<FileStamp> written;
  // Set on the writer thread when a reload takes the zone back from its edited file: the updates
  // after that are refused, since the version they would change is being replaced.
  private boolean reloading;
  // vxdns zone-freeze (named's rndc freeze), set on the writer thread: updates are REFUSED until
  // zone-thaw reads the file again.
  private volatile boolean frozen;
  // The serial the zone file holds: as read, then as this node last wrote it (on the writer).
  private volatile long fileSerial;
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
      Notifications notifications,
      SharedZoneLog shared,
      Consumer<FileStamp> written) {
    this.shared = shared;
    this.written = written;
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

  /**
   * A primary's file read again while {@code served} is served (null: its first load): with {@code
   * ixfr-from-differences}, {@link #withDifferences(Loaded, Zone, ZoneConfig)}; without, a journal
   * that does not end at the version read (a frozen zone's file edited) starts afresh, as named
   * removes a journal that is "out of date", so that the next change can be journaled after it.
   * Blocking: a worker's.
   */
  static Loaded readAgain(Loaded loaded, Zone served, ZoneConfig config) throws ZoneException {
    if (served == null) {
      return loaded;
    }
    if (config.ixfrFromDifferences()) {
      return withDifferences(loaded, served, config);
    }
    ZoneJournal journal = loaded.journal();
    OptionalLong last = journal == null ? OptionalLong.empty() : journal.lastSerial();
    if (last.isPresent() && last.getAsLong() != loaded.zone().serial()) {
      try {
        journal.restart();
      } catch (JournalException e) {
        journal.close();
        throw new ZoneException("zone " + config.name() + ": journal: " + e.getMessage(), e);
      }
      LOG.log(
          System.Logger.Level.INFO,
          "zone {0}: journal ended at serial {1}, the file read is at {2}: journal started afresh",
          config.name(),
          Long.toString(last.getAsLong()),
          Long.toString(loaded.zone().serial()));
    }
    return loaded;
  }

  /**
   * named's {@code ixfr-from-differences}: a file read again keeps the history of the version
   * {@code served} and the change from it ({@link #withDifferences(Zone, Zone, long)}), and the
   * change is appended to the zone's journal before it is served, as named writes it there, so IXFR
   * can still send it after a restart ({@link ZoneReplay} keeps the journal's changes that lead to
   * the file's serial); a journal that does not lead to the served version starts afresh. As in
   * named, a file whose serial is not newer than the served one is an error (the served version
   * stays), unless its content is the served version's. Nothing changes when no version is served
   * or a journal took the file beyond its serial. Blocking: a worker's.
   *
   * @throws ZoneException for a serial that is not newer, or a journal that cannot be written;
   *     {@code loaded}'s journal is then closed
   */
  static Loaded withDifferences(Loaded loaded, Zone served, ZoneConfig config)
      throws ZoneException {
    Zone next = loaded.zone();
    if (served == null || next.serial() != loaded.fileSerial()) {
      return loaded;
    }
    try {
      if (!Serials.isNewer(next.serial(), served.serial())) {
        ZoneDiff change = ZoneDiff.between(served, next);
        if (next.serial() != served.serial()
            || !change.deleted().isEmpty()
            || !change.added().isEmpty()) {
          throw new ZoneException(
              String.format(
                  "ixfr-from-differences: new serial (%d) out of range [%d - %d]",
                  next.serial(),
                  (served.serial() + 1) & 0xffffffffL,
                  (served.serial() + 0x7fffffffL) & 0xffffffffL));
        }
        // named: "ixfr-from-differences: unchanged", the served version stays.
        return new Loaded(
            next.withHistory(served.history()), loaded.journal(), loaded.fileSerial());
      }
      Zone kept = withDifferences(served, next.withHistory(List.of()), config.maxJournalBytes());
      return new Loaded(kept, journaled(loaded.journal(), config, kept), loaded.fileSerial());
    } catch (ZoneException | RuntimeException e) {
      if (loaded.journal() != null) {
        loaded.journal().close();
      }
      throw e;
    }
  }

  /**
   * The journal, opened if {@code open} is null, with the last change of {@code kept}'s history
   * appended (a journal that does not end where that change starts starts afresh first) and the
   * changes older than the history dropped.
   */
  private static ZoneJournal journaled(ZoneJournal open, ZoneConfig config, Zone kept)
      throws ZoneException {
    List<ZoneDiff> history = kept.history();
    ZoneDiff change = history.get(history.size() - 1);
    try {
      ZoneJournal journal =
          open != null ? open : ZoneJournal.open(config.journal(), kept.origin(), NO_TRIM);
      if (journal.lastSerial().isPresent()
          && journal.lastSerial().getAsLong() != change.fromSerial()) {
        journal.restart();
      }
      journal.append(change);
      journal.dropThrough(history.get(0).fromSerial());
      return journal;
    } catch (JournalException e) {
      throw new ZoneException(
          "zone " + config.name() + ": ixfr-from-differences: journal: " + e.getMessage(), e);
    }
  }

  /**
   * named's {@code ixfr-from-differences}, for a primary's file read again and a secondary's whole
   * zone received: {@code next} with the history of {@code served} and the change from it, within
   * {@code max-journal-size} (oldest dropped first), so that IXFR can send the change. {@code next}
   * itself when it has a history of its own (a journal replayed, an IXFR applied), when its serial
   * is not newer, or when nothing was served ({@code served} null). Blocking: a worker's.
   */
  static Zone withDifferences(Zone served, Zone next, long maxJournalBytes) {
    if (served == null
        || !next.history().isEmpty()
        || !Serials.isNewer(next.serial(), served.serial())) {
      return next;
    }
    List<ZoneDiff> history = new ArrayList<>(served.history());
    history.add(ZoneDiff.between(served, next));
    List<Long> sizes = history.stream().map(PrimaryZone::approximateBytes).toList();
    long bytes = sizes.stream().mapToLong(Long::longValue).sum();
    int drop = oldestBeyond(sizes, bytes, JournalSizes.limit(maxJournalBytes, next));
    return next.withHistory(history.subList(drop, history.size()));
  }

  /** Reads the file and replays the journal over it. Blocking: runs on a worker. */
  static Loaded load(ZoneConfig config) throws ZoneException {
    return load(config, records -> {}, false);
  }

  /**
   * Like {@link #load(ZoneConfig)}, telling {@code progress} the file's records read so far. With
   * {@code checkJournal}, as named's first load of a zone, a journal that ends before the file's
   * serial fails the load ("journal out of sync with zone"): the file was edited beyond the
   * journal's changes, which it may lack, and no change could be journaled after it; the journal is
   * left as it is for the operator. Not when the zone is read again (with {@code
   * ixfr-from-differences} its journal ends at the served version, before the edited file's), nor
   * for a zone that follows the cluster's log, whose version the log decides (a crash while a node
   * takes the cluster's version leaves the new file beside the old journal).
   */
  static Loaded load(ZoneConfig config, LongConsumer progress, boolean checkJournal)
      throws ZoneException {
    Zone fromFile = ZoneFiles.load(config.file(), nameOf(config), config.rules(), progress);
    ZoneFiles.checkAsPrimary(fromFile, config.file(), config.rules());
    if (config.journal() == null || !Files.exists(config.journal())) {
      return new Loaded(fromFile, null, fromFile.serial());
    }
    ZoneJournal journal = null;
    try {
      journal = ZoneJournal.open(config.journal(), fromFile.origin(), NO_TRIM);
      OptionalLong last = journal.lastSerial();
      if (checkJournal
          && last.isPresent()
          && !Serials.atLeast(last.getAsLong(), fromFile.serial())) {
        throw new JournalException(
            "journal rollforward failed: journal out of sync with zone (the journal "
                + config.journal()
                + " ends at serial "
                + last.getAsLong()
                + ", before the zone file's serial "
                + fromFile.serial()
                + ": the file was edited without the journal's changes; merge them into it, or"
                + " move the journal away to serve the file as it is)");
      }
      Zone replayed = ZoneReplay.replay(fromFile, journal.read());
      return new Loaded(replayed, journal, fromFile.serial());
    } catch (JournalException e) {
      if (journal != null) {
        journal.close();
      }
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
      Notifications notifications,
      SharedZoneLog shared,
      Consumer<FileStamp> written) {
    return new PrimaryZone(
        config, served, loaded, vertx, context, clock, notifications, shared, written);
  }

  @Override
  public void start() {
    Zone zone = served.zone(origin);
    if (zone != null && zone.serial() != fileSerial) {
      // Changes replayed from the journal are not in the file yet. (The zone verticle announces a
      // first load, so no NOTIFY here.)
      unsynced(zone);
    }
    if (shared != null) {
      watch = shared.watch(origin, this::followSoon);
      // A safety net for a lost change event (after a split heals, say): look every second.
      followTimer = vertx.setPeriodic(FOLLOW_PERIOD_MILLIS, id -> followSoon());
      followSoon();
    }
  }

  /** How often a clustered zone checks the shared log even without a change event. */
  private static final long FOLLOW_PERIOD_MILLIS = 1000;

  /** How often an update is evaluated again when other nodes extend the log meanwhile. */
  private static final int MAX_ATTEMPTS = 20;

  /** Asks the writer to follow the shared log, once however often it is asked meanwhile. */
  private void followSoon() {
    if (following.compareAndSet(false, true)) {
      try {
        writer.execute(
            () -> {
              following.set(false);
              try {
                follow();
              } catch (SharedZoneLog.SharedLogException | RuntimeException e) {
                LOG.log(
                    System.Logger.Level.DEBUG,
                    "zone {0}: cannot follow the shared log: {1}",
                    config.name(),
                    e.getMessage());
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        following.set(false);
      }
    }
  }

  /**
   * On the writer thread: brings the served version to the shared log's (undoing first the changes
   * the log does not have), journaling each change as this node's own; or, when the log ends at a
   * version this node went beyond, appends its later changes; then tells the cluster which version
   * this node serves.
   */
  private void follow() throws SharedZoneLog.SharedLogException {
    Zone current = served.zone(origin);
    SharedZoneLog.Plan plan = shared.plan(origin, current.serial(), current.history());
    if (plan.diverged() != null) {
      String why = fromSnapshot(current, plan.diverged());
      if (why == null) {
        current = served.zone(origin);
        plan = shared.plan(origin, current.serial(), current.history());
        why = plan.diverged();
      }
      if (why != null) {
        cannotFollow(current, why);
        return;
      }
    }
    diverged = null;
    Zone zone = current;
    try {
      if (plan.rollback() > 0) {
        List<ZoneDiff> history = current.history();
        int keep = history.size() - plan.rollback();
        try {
          for (int i = history.size() - 1; i >= keep; i--) {
            zone = zone.apply(inverse(history.get(i)));
          }
        } catch (ZoneException undone) {
          // The history does not describe the data (a crash between an undo's file rewrite and
          // its journal restart): the cluster's snapshot is a version the log has.
          String why =
              fromSnapshot(
                  current, "this node's own last changes cannot be undone: " + undone.getMessage());
          if (why != null) {
            cannotFollow(current, why);
          }
          return;
        }
      }
      for (ZoneDiff diff : plan.apply()) {
        zone = zone.apply(diff);
      }
      if (plan.rollback() > 0) {
        // The undone serials come again with the log's content: journaled after the undone
        // changes, a restart would replay from the wrong one. The file and journal start afresh.
        rebase(zone, "rollback");
        LOG.log(
            System.Logger.Level.WARNING,
            "zone {0}: {1} changes the cluster''s log does not have were undone and {2} of its"
                + " changes applied (serial {3} -> {4}); zone file rewritten, journal restarted",
            config.name(),
            plan.rollback(),
            plan.apply().size(),
            Long.toString(current.serial()),
            Long.toString(zone.serial()));
      } else if (!plan.apply().isEmpty()) {
        journal(zone).appendAll(plan.apply());
        Zone next = trimmed(zone, plan.apply());
        served.put(next);
        context.runOnContext(v -> changed(next));
        LOG.log(
            System.Logger.Level.DEBUG,
            "zone {0}: followed the cluster''s log to serial {1}",
            config.name(),
            Long.toString(next.serial()));
      }
    } catch (ZoneException | JournalException | IOException e) {
      diverged = "the log's changes do not apply here: " + e.getMessage();
      LOG.log(System.Logger.Level.ERROR, "zone {0}: {1}", config.name(), diverged);
      return;
    }
    if (plan.pushFrom()) {
      push(served.zone(origin), plan.logSerial());
    }
    shared.applied(origin, served.zone(origin).serial());
  }

  /**
   * This zone cannot follow the shared log, for {@code why}: updates are refused until it can, and
   * a new reason is logged once (the log is looked at every second).
   */
  private void cannotFollow(Zone current, String why) {
    if (!why.equals(diverged)) {
      LOG.log(
          System.Logger.Level.ERROR,
          "zone {0}: cannot follow the cluster''s log (serving serial {1}, updates refused): {2}",
          config.name(),
          Long.toString(current.serial()),
          why);
    }
    diverged = why;
  }

  /**
   * Appends this node's changes after {@code logSerial} (or its whole history when the cluster has
   * no log for the zone, {@code logSerial} -1), so that a restarted cluster continues from the most
   * recent journal among its nodes. Another node extending the log first wins; this node then
   * follows it.
   */
  private void push(Zone zone, long logSerial) throws SharedZoneLog.SharedLogException {
    List<ZoneDiff> history = zone.history();
    int from = 0;
    long base = history.isEmpty() ? zone.serial() : history.get(0).fromSerial();
    if (logSerial != -1) {
      from = -1;
      for (int i = history.size() - 1; i >= 0; i--) {
        if (history.get(i).fromSerial() == logSerial) {
          from = i;
          break;
        }
      }
      if (from == -1) {
        return;
      }
      base = logSerial;
    }
    List<ZoneDiff> mine = history.subList(from, history.size());
    SharedZoneLog.Appended appended = shared.append(origin, base, mine);
    if (appended == SharedZoneLog.Appended.APPENDED_SNAPSHOT_DUE) {
      publishSnapshot(zone);
    }
    LOG.log(
        System.Logger.Level.INFO,
        "zone {0}: the cluster''s log {1} from serial {2} with this node''s {3} changes: {4}",
        config.name(),
        logSerial == -1 ? "started" : "extended",
        Long.toString(base),
        mine.size(),
        appended);
  }

  /**
   * On the writer thread, when the log cannot bring this node up to date ({@code why}): starts
   * again from the cluster's latest snapshot, a version the log has. It becomes this node's durable
   * version before it is served: the zone file is replaced by it (atomically) and the journal
   * restarted from it, so a crash at any point leaves a file and journal that load as the old
   * version or the snapshot's. Returns null once it serves the snapshot, else why not.
   */
  private String fromSnapshot(Zone current, String why) {
    Zone snapshot;
    try {
      snapshot = shared.snapshot(origin);
    } catch (SharedZoneLog.SharedLogException e) {
      return why
          + "; no snapshot to start from: "
          + e.getMessage()
          + " (a later one may come; or copy the zone file and journal from a node that follows)";
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "zone {0}: serving serial {1}, which the cluster''s log cannot bring up to date ({2});"
            + " starting again from the cluster''s snapshot at serial {3} ({4} records)",
        config.name(),
        Long.toString(current.serial()),
        why,
        Long.toString(snapshot.serial()),
        snapshot.recordCount());
    long started = System.nanoTime();
    try {
      rebase(snapshot, "snapshot-in");
    } catch (IOException | JournalException e) {
      return why + "; the snapshot at serial " + snapshot.serial() + " was not written: " + e;
    }
    LOG.log(
        System.Logger.Level.WARNING,
        "zone {0}: caught up from the cluster''s snapshot: serving serial {1} (was {2}), zone file"
            + " {3} rewritten and journal restarted in {4} ms; following the log from there",
        config.name(),
        Long.toString(snapshot.serial()),
        Long.toString(current.serial()),
        config.file(),
        (System.nanoTime() - started) / 1_000_000);
    return null;
  }

  /**
   * On the writer thread: serves {@code zone} without history, as the zone file's content with an
   * empty journal. For a version that did not come from this node's journal (the cluster's
   * snapshot, or its own changes undone): a serial it served before may now stand for other
   * content, so neither a replay nor an IXFR may start from the old diffs.
   */
  private void rebase(Zone zone, String work) throws IOException, JournalException {
    ProgressBoard board = NodeMetrics.of(vertx).progress();
    Progress progress = board.begin(work, config.name(), zone.recordCount());
    try {
      // A journal that goes beyond the new version would not continue from the new file: it goes
      // first (a crash then leaves the old file alone, a version this node served before).
      boolean journalBeyond =
          journal != null
              && journal.lastSerial().isPresent()
              && !Serials.atLeast(zone.serial(), journal.lastSerial().getAsLong());
      if (journalBeyond) {
        journal.restart();
      }
      ZoneFileWriter.write(zone, config.file(), progress::advanceTo);
      fileSerial = zone.serial();
      // A crash before this leaves the new file and the old journal, whose diffs all end at or
      // before the new serial: a restart skips them.
      if (journal != null) {
        journal.restart();
      }
    } finally {
      board.end(progress);
    }
    historySizes.clear();
    historyBytes = 0;
    Zone fresh = zone.withHistory(List.of());
    served.put(fresh);
    context.runOnContext(v -> notifications.changed());
  }

  /**
   * After this node extended the log and the log asked for a snapshot: publishes the version it
   * serves now (a version on the log). A failure only delays it to the next append.
   */
  private void publishSnapshot(Zone zone) {
    long started = System.nanoTime();
    try {
      shared.publishSnapshot(zone);
      LOG.log(
          System.Logger.Level.INFO,
          "zone {0}: snapshot at serial {1} ({2} records) published to the cluster in {3} ms",
          config.name(),
          Long.toString(zone.serial()),
          zone.recordCount(),
          (System.nanoTime() - started) / 1_000_000);
    } catch (SharedZoneLog.SharedLogException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "zone {0}: snapshot at serial {1} not published (the next change tries again): {2}",
          config.name(),
          Long.toString(zone.serial()),
          e.getMessage());
    }
  }

  private static ZoneDiff inverse(ZoneDiff diff) {
    return new ZoneDiff(diff.to(), diff.from(), diff.added(), diff.deleted());
  }

  /** Whether this zone refuses updates because it cannot follow the shared log, and why. */
  String diverged() {
    return diverged;
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
    if (frozen) {
      LOG.log(
          System.Logger.Level.INFO,
          "zone {0}: {1} updates refused: the zone is frozen (vxdns zone-thaw)",
          config.name(),
          group.size());
      for (Pending pending : group) {
        pending
            .answer()
            .complete(DnsResponses.error(pending.request(), Rcode.REFUSED, pending.udpSize()));
      }
      return;
    }
    if (reloading) {
      failed(group, "the zone is being read again from its edited file");
      return;
    }
    if (shared != null) {
      drainShared(group);
      return;
    }
    Zone current = served.zone(origin);
    try {
      Evaluated evaluated = evaluate(current, group);
      if (!evaluated.diffs().isEmpty()) {
        commit(current, evaluated);
      }
      answer(group, evaluated.answers());
    } catch (ZoneException | JournalException | RuntimeException e) {
      failed(group, e.toString());
    }
  }

  /**
   * A clustered zone's group: evaluated against the version this node serves once it followed the
   * shared log, appended to the log only if the log still ends there (else followed again and
   * evaluated again), journaled here and served; answered once enough nodes serve it.
   */
  private void drainShared(List<Pending> group) {
    try {
      for (int attempt = 1; ; attempt++) {
        follow();
        if (diverged != null) {
          failed(group, "this node cannot follow the cluster's log: " + diverged);
          return;
        }
        Zone current = served.zone(origin);
        Evaluated evaluated = evaluate(current, group);
        if (evaluated.diffs().isEmpty()) {
          answer(group, evaluated.answers());
          return;
        }
        SharedZoneLog.Appended appended =
            shared.append(origin, current.serial(), evaluated.diffs());
        if (appended.extended()) {
          Zone next = commit(current, evaluated);
          shared.applied(origin, next.serial());
          shared
              .replicated(origin, next.serial())
              .whenComplete(
                  (enough, error) -> {
                    if (Boolean.TRUE.equals(enough)) {
                      answer(group, evaluated.answers());
                    } else {
                      failed(
                          group,
                          "serial "
                              + next.serial()
                              + " is in the cluster's log but too few nodes serve it yet");
                    }
                  });
          if (appended == SharedZoneLog.Appended.APPENDED_SNAPSHOT_DUE) {
            publishSnapshot(next);
          }
          return;
        }
        if (attempt == MAX_ATTEMPTS) {
          failed(group, "the cluster's log kept moving ahead of this node");
          return;
        }
      }
    } catch (SharedZoneLog.SharedLogException e) {
      failed(group, "the cluster's log refused the change: " + e.getMessage());
    } catch (ZoneException | JournalException | RuntimeException e) {
      failed(group, e.toString());
    }
  }

  /** A group of updates evaluated one after the other: the last version, the diffs, the answers. */
  private record Evaluated(Zone working, List<ZoneDiff> diffs, List<Message> answers) {}

  private Evaluated evaluate(Zone current, List<Pending> group) throws ZoneException {
    Zone working = current;
    List<ZoneDiff> diffs = new ArrayList<>();
    List<Message> answers = new ArrayList<>();
    for (Pending pending : group) {
      UpdateResult result =
          DynamicUpdate.apply(
              working,
              pending.request(),
              pending.who(),
              config.updatePolicy(),
              config.serialUpdateMethod(),
              config.rules(),
              clock.instant());
      if (result.diff() != null) {
        working = working.apply(result.diff());
        diffs.add(result.diff());
      }
      log(result, pending.who());
      answers.add(DnsResponses.error(pending.request(), result.rcode(), pending.udpSize()));
    }
    return new Evaluated(working, diffs, answers);
  }

  /** Journals the diffs (forced to disk), then serves the version they lead to. */
  private Zone commit(Zone current, Evaluated evaluated) throws JournalException {
    journal(current).appendAll(evaluated.diffs());
    Zone next = trimmed(evaluated.working(), evaluated.diffs());
    served.put(next);
    context.runOnContext(v -> changed(next));
    return next;
  }

  private static void answer(List<Pending> group, List<Message> answers) {
    for (int i = 0; i < group.size(); i++) {
      group.get(i).answer().complete(answers.get(i));
    }
  }

  /**
   * Nothing of the group is served or journaled here (or, clustered, acknowledged): later updates
   * of it were checked against changes that are now gone, so none of them may be acknowledged.
   */
  private void failed(List<Pending> group, String why) {
    LOG.log(
        System.Logger.Level.ERROR,
        "zone {0}: {1} updates not applied: {2}",
        config.name(),
        group.size(),
        why);
    for (Pending pending : group) {
      pending
          .answer()
          .complete(DnsResponses.error(pending.request(), Rcode.SERVFAIL, pending.udpSize()));
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
    for (int drop = oldestBeyond(historySizes, historyBytes, journalLimit(zone));
        drop > 0;
        drop--) {
      historyBytes -= historySizes.removeFirst();
    }
    int skip = history.size() - historySizes.size();
    return skip == 0 ? zone : zone.withHistory(history.subList(skip, history.size()));
  }

  /**
   * How many of the oldest changes go so that the rest, of {@code sizes} (oldest first, {@code
   * bytes} in all), fit {@code limit} bytes and {@link #MAX_HISTORY} changes; the newest always
   * stays.
   */
  static int oldestBeyond(Collection<Long> sizes, long bytes, long limit) {
    int keep = sizes.size();
    Iterator<Long> oldest = sizes.iterator();
    while (keep > 1 && (bytes > limit || keep > MAX_HISTORY)) {
      bytes -= oldest.next();
      keep--;
    }
    return sizes.size() - keep;
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
    unsynced(next);
    notifications.changed();
  }

  /** The served version is not in the file yet: it is written within {@code sync-interval}. */
  private void unsynced(Zone next) {
    unsyncedSerial = next.serial();
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
  public void announce(boolean firstLoad) {
    notifications.announce(firstLoad);
  }

  @Override
  public JsonObject status() {
    return ManagedZone.status(config, served.zone(origin))
        .put("dynamic", journal != null)
        .put("frozen", frozen)
        .put("unsynced", unsyncedSerial != -1);
  }

  @Override
  public void refresh() {
    throw new UnsupportedOperationException("not a secondary, mirror, or stub zone");
  }

  @Override
  public void retransfer() {
    throw new UnsupportedOperationException("retransfer: inappropriate zone type: primary");
  }

  @Override
  public void notified(InetAddress from) {
    // A primary has nothing to fetch: the NOTIFY is acknowledged and ignored, as BIND does.
  }

  @Override
  public Future<Void> sync() {
    if (unsyncedSerial == -1) {
      return Future.succeededFuture();
    }
    unsyncedSerial = -1;
    CompletableFuture<FileStamp> writing =
        CompletableFuture.supplyAsync(
            () -> {
              Zone zone = served.zone(origin);
              try {
                long started = System.nanoTime();
                ProgressBoard board = NodeMetrics.of(vertx).progress();
                Progress progress = board.begin("zone-write", config.name(), zone.recordCount());
                try {
                  ZoneFileWriter.write(zone, config.file(), progress::advanceTo);
                  fileSerial = zone.serial();
                } finally {
                  board.end(progress);
                }
                FileStamp stamp = FileStamp.of(config.file());
                try {
                  compact(zone);
                } catch (JournalException e) {
                  // The file has every change; a journal longer than the limit is harmless.
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "zone {0}: journal not compacted: {1}",
                      config.name(),
                      e.getMessage());
                }
                LOG.log(
                    System.Logger.Level.INFO,
                    "zone {0}: serial {1} written to {2} in {3} ms",
                    config.name(),
                    Long.toString(zone.serial()),
                    config.file(),
                    (System.nanoTime() - started) / 1_000_000);
                return stamp;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            writer);
    return Future.fromCompletionStage(writing, context)
        .<Void>map(
            stamp -> {
              written.accept(stamp);
              return null;
            })
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
  private void compact(Zone inFile) throws JournalException {
    List<ZoneDiff> kept = trimmed(inFile, List.of()).history();
    if (journal != null && !kept.isEmpty()) {
      journal.dropThrough(kept.get(0).fromSerial());
    }
  }

  /**
   * {@code vxdns zone-freeze} (named's {@code rndc freeze}): on the writer thread, between updates,
   * the zone stops taking them (REFUSED, as named answers them), then the served version is written
   * to the file with the journal folded in, so that an operator can edit the file; {@code
   * zone-thaw} reads it again ({@link #stopIfFrozen}). Completes with false when it was frozen
   * already.
   */
  Future<Boolean> freeze() {
    CompletableFuture<Boolean> froze =
        CompletableFuture.supplyAsync(
            () -> {
              boolean was = frozen;
              frozen = true;
              return !was;
            },
            writer);
    return Future.fromCompletionStage(froze, context)
        .compose(first -> first ? sync().map(true) : Future.succeededFuture(false));
  }

  /**
   * For {@code vxdns zone-thaw}: stops the zone if it is frozen, so that its file is read again
   * (the new version takes updates); completes with whether it stopped.
   */
  Future<Boolean> stopIfFrozen() {
    return stopIf(() -> frozen);
  }

  /**
   * For a reload of the edited zone file: decides on the writer thread, between updates, whether
   * the zone still comes from its file alone (it has no journal, or with {@code
   * ixfr-from-differences} a journal whose changes the file has: named journals the differences of
   * a file read again); if so refuses the updates that follow and stops, so that none lands in the
   * version being replaced or is synced over the edited file. An update applied before keeps the
   * zone, now dynamic, with its writer until it is in the file: named leaves its dynamic zones out
   * of a reload too. Completes with whether it stopped.
   */
  Future<Boolean> stopIfFileOnly() {
    return stopIf(
        () ->
            journal == null
                ? config.journal() == null || !Files.exists(config.journal())
                : config.ixfrFromDifferences()
                    && journal.lastSerial().stream()
                        .allMatch(last -> Serials.atLeast(fileSerial, last)));
  }

  /**
   * For a reload: {@code decide} runs on the writer thread, between updates; when it holds, the
   * updates after it are refused ({@link #reloading}) and the zone stops, for its file to be read
   * again. Completes with whether it stopped.
   */
  private Future<Boolean> stopIf(java.util.function.BooleanSupplier decide) {
    CompletableFuture<Boolean> decided =
        CompletableFuture.supplyAsync(
            () -> {
              reloading = decide.getAsBoolean();
              return reloading;
            },
            writer);
    return Future.fromCompletionStage(decided, context)
        .compose(stops -> stops ? stop().map(true) : Future.succeededFuture(false));
  }

  @Override
  public Future<Void> stop() {
    notifications.stop();
    if (syncTimer != -1) {
      vertx.cancelTimer(syncTimer);
      syncTimer = -1;
    }
    if (followTimer != -1) {
      vertx.cancelTimer(followTimer);
      followTimer = -1;
    }
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.DEBUG, "zone {0}: watch not closed: {1}", config.name(), e);
      }
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
