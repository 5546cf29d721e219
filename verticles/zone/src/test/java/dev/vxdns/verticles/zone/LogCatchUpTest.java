package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.journal.ZoneJournal;
import dev.vxdns.message.Transport;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * How a clustered primary zone catches up with the shared log, durably. One the log cannot bring up
 * to date (its serial 3 is not on the log, which runs from 10 to 11) starts again from the
 * cluster's snapshot at serial 10 and follows the log to 11: its zone file is rewritten at 10 and
 * its journal restarted there, so a restart (after kill -9) loads 11, and so does a crash between
 * writing the file and restarting the journal. Without a snapshot it keeps serving serial 3 and
 * refuses updates. One whose last change the log does not have (made on the minority side of a
 * split) undoes it and takes the log's change at the same serial, and a restart loads the log's
 * version, not its own; one whose history cannot be undone (a crash between the undo's file rewrite
 * and its journal restart) starts again from the snapshot.
 */
class LogCatchUpTest extends ZoneVerticleCase {
  private static final Name ORIGIN = Name.fromConstantString("snap.test.");
  private static final String ZONE_CONFIG_FILE = "snap.zone";

  private static SOARecord soa(long serial) {
    return new SOARecord(
        ORIGIN,
        DClass.IN,
        60,
        Name.fromConstantString("ns.snap.test."),
        Name.fromConstantString("admin.snap.test."),
        serial,
        3600,
        600,
        86400,
        60);
  }

  private static Record a(String label, String address) throws Exception {
    return new ARecord(
        Name.fromString(label, ORIGIN), DClass.IN, 60, InetAddress.getByName(address));
  }

  /**
   * The cluster's snapshot at {@code serial}: the apex's SOA and NS, ns's address, and {@code
   * data}.
   */
  private static Zone snapshotAt(long serial, Record... data) throws Exception {
    List<Record> records = new ArrayList<>();
    records.add(soa(serial));
    records.add(new NSRecord(ORIGIN, DClass.IN, 60, Name.fromConstantString("ns.snap.test.")));
    records.add(a("ns", "192.0.2.1"));
    records.addAll(List.of(data));
    return Zone.of(ORIGIN, records);
  }

  private static ZoneDiff adding(long from, Record record) {
    return new ZoneDiff(soa(from), soa(from + 1), List.of(), List.of(record));
  }

  private static ZoneSettings settings(Path in) throws Exception {
    JsonObject json =
        new JsonObject()
            .put(
                "zone",
                new JsonObject().put("snap.test", new JsonObject().put("file", ZONE_CONFIG_FILE)));
    return ConfigSource.of(json, in).parse(ZoneSettings.PART);
  }

  private static ZoneConfig config(Path in) throws Exception {
    return settings(in).zones().get(0);
  }

  /** Serial 1 in the file, the node's own changes to 3 in its journal. */
  private void behind(Path in) throws Exception {
    Files.writeString(
        in.resolve(ZONE_CONFIG_FILE),
        "$TTL 60\n@ IN SOA ns admin 1 3600 600 86400 60\n@ IN NS ns\nns IN A 192.0.2.1\n");
    try (ZoneJournal journal = ZoneJournal.open(config(in).journal(), ORIGIN, Long.MAX_VALUE)) {
      journal.append(adding(1, a("old1", "192.0.2.11")));
      journal.append(adding(2, a("old2", "192.0.2.12")));
    }
  }

  /** What the fake log plans for a node serving a serial with these latest changes. */
  private interface Planner {
    SharedZoneLog.Plan plan(long serial, List<ZoneDiff> history);
  }

  /** A cluster's log as {@code planner} says, with {@code snapshot} its latest snapshot. */
  private static final class Log implements SharedZoneLog {
    final Zone snapshot;
    final Planner planner;
    final AtomicInteger snapshotsTaken = new AtomicInteger();

    Log(Zone snapshot, Planner planner) {
      this.snapshot = snapshot;
      this.planner = planner;
    }

    @Override
    public Appended append(Name zone, long base, List<ZoneDiff> diffs) {
      return Appended.BEHIND;
    }

    @Override
    public Plan plan(Name zone, long serial, List<ZoneDiff> history) {
      return planner.plan(serial, history);
    }

    @Override
    public void publishSnapshot(Zone zone) {}

    @Override
    public Zone snapshot(Name zone) throws SharedLogException {
      snapshotsTaken.incrementAndGet();
      if (snapshot == null) {
        throw new SharedLogException("the cluster has no snapshot of the zone", null);
      }
      return snapshot;
    }

    @Override
    public void applied(Name zone, long serial) {}

    @Override
    public CompletionStage<Boolean> replicated(Name zone, long serial) {
      return CompletableFuture.completedFuture(true);
    }

    @Override
    public AutoCloseable watch(Name zone, Runnable changed) {
      return () -> {};
    }
  }

  private void deploy(Log log) throws Exception {
    await(vertx.deployVerticle(new ZoneVerticle(settings(dir), log)));
  }

  private Message ask(Message request) throws Exception {
    return answer(request, Transport.TCP);
  }

  private long servedSerial() throws Exception {
    Message answer = ask(Message.newQuery(Record.newRecord(ORIGIN, Type.SOA, DClass.IN)));
    return ((SOARecord) answer.getSection(Section.ANSWER).get(0)).getSerial();
  }

  private long awaitSerial(long wanted) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long serial = servedSerial();
    while (serial != wanted && System.nanoTime() < deadline) {
      Thread.sleep(50);
      serial = servedSerial();
    }
    return serial;
  }

  private static List<String> names(Zone zone) {
    List<String> names = new ArrayList<>();
    zone.records().forEach(record -> names.add(record.getName().toString()));
    return names;
  }

  @Test
  void aNodeTheLogCannotBringUpToDateStartsFromTheSnapshotDurably() throws Exception {
    behind(dir);
    Path oldJournal = dir.resolve("old.jnl");
    Files.copy(config(dir).journal(), oldJournal);
    Zone snapshot = snapshotAt(10, a("fresh", "192.0.2.10"));
    ZoneDiff next = adding(10, a("after", "192.0.2.20"));
    Log log =
        new Log(
            snapshot,
            (serial, history) -> {
              if (serial == 11) {
                return new SharedZoneLog.Plan(0, List.of(), false, 11, null);
              }
              if (serial == 10 && history.isEmpty()) {
                return new SharedZoneLog.Plan(0, List.of(next), false, 11, null);
              }
              return new SharedZoneLog.Plan(
                  0, List.of(), false, 11, "serial " + serial + " is not on the log");
            });
    deploy(log);
    assertEquals(11, awaitSerial(11));
    assertEquals(1, log.snapshotsTaken.get());

    // The files as a kill -9 now leaves them: the file at 10, the journal from 10 to 11.
    assertTrue(Files.readString(dir.resolve(ZONE_CONFIG_FILE)).contains("serial 10"));
    PrimaryZone.Loaded loaded = PrimaryZone.load(config(dir));
    try {
      assertEquals(11, loaded.zone().serial());
      assertEquals(1, loaded.journal().read().size());
      List<String> names = names(loaded.zone());
      assertTrue(
          names.contains("fresh.snap.test.") && names.contains("after.snap.test."), "" + names);
      assertFalse(
          names.contains("old1.snap.test.") || names.contains("old2.snap.test."), "" + names);
    } finally {
      loaded.journal().close();
    }

    // A crash after the file was written and before the journal restarted: the snapshot loads.
    Path crashed = Files.createDirectories(dir.resolve("crashed"));
    Files.copy(dir.resolve(ZONE_CONFIG_FILE), crashed.resolve(ZONE_CONFIG_FILE));
    Files.copy(oldJournal, config(crashed).journal());
    PrimaryZone.Loaded between = PrimaryZone.load(config(crashed));
    try {
      assertEquals(10, between.zone().serial());
      assertTrue(names(between.zone()).contains("fresh.snap.test."));
      assertFalse(names(between.zone()).contains("old2.snap.test."));
    } finally {
      between.journal().close();
    }
  }

  @Test
  void withoutASnapshotTheNodeKeepsWhatItHasAndRefusesUpdates() throws Exception {
    behind(dir);
    Log log =
        new Log(
            null,
            (serial, history) ->
                new SharedZoneLog.Plan(
                    0, List.of(), false, 11, "serial " + serial + " is not on the log"));
    deploy(log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (log.snapshotsTaken.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(log.snapshotsTaken.get() > 0, "the node looked for a snapshot");
    assertEquals(3, servedSerial(), "it serves what it has");
    Update update = new Update(ORIGIN);
    update.add(a("refused", "192.0.2.30"));
    assertEquals(Rcode.SERVFAIL, ask(update).getRcode(), "it refuses updates");
  }

  /**
   * The zone file at serial 3 holding {@code third} (with old1 from serial 2), and the journal with
   * this node's own changes 1 to 2 (old1) and 2 to 3 (own); returns those two changes.
   */
  private List<ZoneDiff> fileAtThreeWithOwnChangeJournaled(String third) throws Exception {
    Files.writeString(
        dir.resolve(ZONE_CONFIG_FILE),
        "$TTL 60\n@ IN SOA ns admin 3 3600 600 86400 60\n@ IN NS ns\nns IN A 192.0.2.1\n"
            + "old1 IN A 192.0.2.11\n"
            + third
            + "\n");
    List<ZoneDiff> changes =
        List.of(adding(1, a("old1", "192.0.2.11")), adding(2, a("own", "192.0.2.12")));
    try (ZoneJournal journal = ZoneJournal.open(config(dir).journal(), ORIGIN, Long.MAX_VALUE)) {
      for (ZoneDiff change : changes) {
        journal.append(change);
      }
    }
    return changes;
  }

  /** What a kill -9 now leaves loads at serial 4 with {@code present} and without own. */
  private void restartLoadsSerialFourWith(String... present) throws Exception {
    PrimaryZone.Loaded loaded = PrimaryZone.load(config(dir));
    try {
      assertEquals(4, loaded.zone().serial());
      List<String> names = names(loaded.zone());
      for (String name : present) {
        assertTrue(names.contains(name + ".snap.test."), name + " in " + names);
      }
      assertFalse(names.contains("own.snap.test."), "" + names);
    } finally {
      if (loaded.journal() != null) {
        loaded.journal().close();
      }
    }
  }

  @Test
  void aChangeTheLogDoesNotHaveIsUndoneAndARestartLoadsTheLogsVersion() throws Exception {
    // The zone file already holds this node's own serial 3 (written before the split healed);
    // the log has another change from 2 to 3, then one to 4.
    List<ZoneDiff> mine = fileAtThreeWithOwnChangeJournaled("own IN A 192.0.2.12");
    List<ZoneDiff> logChanges =
        List.of(adding(2, a("theirs", "192.0.2.13")), adding(3, a("later", "192.0.2.14")));
    Log log =
        new Log(
            null,
            (serial, history) -> {
              if (serial == 4) {
                return new SharedZoneLog.Plan(0, List.of(), false, 4, null);
              }
              assertEquals(3, serial);
              assertEquals(mine, history);
              return new SharedZoneLog.Plan(1, logChanges, false, 4, null);
            });
    deploy(log);
    assertEquals(4, awaitSerial(4));
    Message undone =
        ask(
            Message.newQuery(
                Record.newRecord(a("own", "192.0.2.12").getName(), Type.A, DClass.IN)));
    assertEquals(Rcode.NXDOMAIN, undone.getRcode(), "the undone change is not served");
    Message theirs =
        ask(
            Message.newQuery(
                Record.newRecord(a("theirs", "192.0.2.13").getName(), Type.A, DClass.IN)));
    assertEquals(1, theirs.getSection(Section.ANSWER).size(), "the log's change is served");
    restartLoadsSerialFourWith("theirs", "later");
  }

  @Test
  void aHistoryThatCannotBeUndoneStartsAgainFromTheSnapshot() throws Exception {
    // As a crash right after an undo's file rewrite leaves it: the file at 3 with the log's
    // change, the journal still ending with this node's own change to 3.
    fileAtThreeWithOwnChangeJournaled("theirs IN A 192.0.2.13");
    Zone snapshot =
        snapshotAt(4, a("old1", "192.0.2.11"), a("theirs", "192.0.2.13"), a("later", "192.0.2.14"));
    ZoneDiff next = adding(3, a("later", "192.0.2.14"));
    Log log =
        new Log(
            snapshot,
            (serial, history) -> {
              if (serial == 4) {
                return new SharedZoneLog.Plan(0, List.of(), false, 4, null);
              }
              // The node's history claims its own change to 3: undo it, then apply 3 to 4.
              return new SharedZoneLog.Plan(1, List.of(next), false, 4, null);
            });
    deploy(log);
    assertEquals(4, awaitSerial(4));
    assertEquals(1, log.snapshotsTaken.get(), "the undo failed, so the snapshot was taken");
    restartLoadsSerialFourWith("theirs", "later");
  }
}
