package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.journal.ZoneJournal;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.StageRegistry;
import dev.vxdns.message.Transport;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * A clustered primary zone the shared log cannot bring up to date (its serial 3 is not on the log,
 * which runs from 10 to 11) starts again from the cluster's snapshot at serial 10 and follows the
 * log to 11: its zone file is rewritten at 10 and its journal restarted there, so a restart (after
 * kill -9) loads 11, and so does a crash between writing the file and restarting the journal.
 * Without a snapshot it keeps serving serial 3 and refuses updates.
 */
class SnapshotCatchUpTest {
  private static final Name ORIGIN = Name.fromConstantString("snap.test.");
  private static final String ZONE_CONFIG_FILE = "snap.zone";

  @TempDir Path dir;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

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

  /** The cluster's log runs from serial 10 to 11; its latest snapshot is at 10. */
  private static final class Log implements SharedZoneLog {
    final Zone snapshot;
    final ZoneDiff next;
    final AtomicInteger snapshotsTaken = new AtomicInteger();

    Log(Zone snapshot, ZoneDiff next) {
      this.snapshot = snapshot;
      this.next = next;
    }

    @Override
    public Appended append(Name zone, long base, List<ZoneDiff> diffs) {
      return Appended.BEHIND;
    }

    @Override
    public Plan plan(Name zone, long serial, List<ZoneDiff> history) {
      if (serial == 11) {
        return new Plan(0, List.of(), false, 11, null);
      }
      if (serial == 10 && history.isEmpty()) {
        return new Plan(0, List.of(next), false, 11, null);
      }
      return new Plan(0, List.of(), false, 11, "serial " + serial + " is not on the log");
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
    DnsExchange exchange =
        DnsExchange.received(
            Transport.TCP,
            "t",
            new InetSocketAddress("127.0.0.1", 1),
            new InetSocketAddress("127.0.0.1", 53),
            request.toWire());
    return await(StageRegistry.of(vertx).find(Addresses.ZONE_QUERY).handle(exchange))
        .reply()
        .response();
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
    Zone snapshot =
        Zone.of(
            ORIGIN,
            List.of(
                soa(10),
                new NSRecord(ORIGIN, DClass.IN, 60, Name.fromConstantString("ns.snap.test.")),
                a("ns", "192.0.2.1"),
                a("fresh", "192.0.2.10")));
    Log log = new Log(snapshot, adding(10, a("after", "192.0.2.20")));
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
    Log log = new Log(null, null);
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
}
