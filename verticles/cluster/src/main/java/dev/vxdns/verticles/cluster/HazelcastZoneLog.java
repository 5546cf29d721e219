package dev.vxdns.verticles.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import dev.vxdns.verticles.zone.SharedZoneLog;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import dev.vxdns.zone.ZoneException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;

/**
 * The zones' shared log in Hazelcast: one {@link ZoneLogState} per zone in the map {@value
 * #LOG_MAP} (one owner and one synchronous backup, under split-brain protection so that a minority
 * refuses to write), changed only by {@link AppendProcessor}'s compare-and-set on the zone's key;
 * in {@value #SNAPSHOT_MAP}, the latest snapshot of each zone ({@link ZoneSnapshot}); and, in
 * {@value #APPLIED_MAP}, the serial each member serves per zone.
 */
public final class HazelcastZoneLog implements SharedZoneLog {
  static final String LOG_MAP = "vxdns.zone.log";
  static final String APPLIED_MAP = "vxdns.zone.applied";
  static final String SNAPSHOT_MAP = "vxdns.zone.snapshot";

  /** How long an update waits for enough nodes to serve it before it is answered SERVFAIL. */
  private static final long REPLICATED_TIMEOUT_MILLIS = 5000;

  private static final long REPLICATED_POLL_MILLIS = 5;

  /** The node's latest changes sent along with a plan request, to find the common version. */
  private static final int PLAN_HISTORY = 256;

  private final HazelcastInstance hazelcast;
  private final int minimumSize;
  private final int capacity;
  private final ScheduledExecutorService poller;

  /**
   * @param capacity the changes a zone's log keeps ({@code cluster.log-size}); a snapshot is due
   *     every half of it
   */
  public HazelcastZoneLog(HazelcastInstance hazelcast, int minimumSize, int capacity) {
    this.hazelcast = hazelcast;
    this.minimumSize = minimumSize;
    this.capacity = capacity;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "vxdns-zone-log");
              thread.setDaemon(true);
              return thread;
            });
  }

  private IMap<String, ZoneLogState> log() {
    return hazelcast.getMap(LOG_MAP);
  }

  private IMap<String, ZoneSnapshot> snapshots() {
    return hazelcast.getMap(SNAPSHOT_MAP);
  }

  private IMap<String, Long> applied() {
    return hazelcast.getMap(APPLIED_MAP);
  }

  static String key(Name zone) {
    return zone.toString().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public Appended append(Name zone, long base, List<ZoneDiff> diffs) throws SharedLogException {
    List<ZoneLogState.Entry> entries = new ArrayList<>(diffs.size());
    for (ZoneDiff diff : diffs) {
      byte[] encoded = DiffCodec.encode(diff);
      entries.add(
          new ZoneLogState.Entry(
              diff.fromSerial(), diff.toSerial(), DiffCodec.fingerprint(encoded), encoded));
    }
    Integer pastSnapshot =
        call(() -> log().executeOnKey(key(zone), new AppendProcessor(base, entries, capacity)));
    if (pastSnapshot == null || pastSnapshot < 0) {
      return Appended.BEHIND;
    }
    return snapshotDue(pastSnapshot, capacity) ? Appended.APPENDED_SNAPSHOT_DUE : Appended.APPENDED;
  }

  /**
   * Whether a log {@code pastSnapshot} entries beyond its latest snapshot wants a new one: at half
   * its capacity, so that the latest snapshot is still on the log when it is needed.
   */
  static boolean snapshotDue(int pastSnapshot, int capacity) {
    return pastSnapshot >= Math.max(1, capacity / 2);
  }

  @Override
  public void publishSnapshot(Zone zone) throws SharedLogException {
    List<ZoneDiff> history = zone.history();
    long fingerprint =
        history.isEmpty() ? 0 : DiffCodec.fingerprint(history.get(history.size() - 1));
    ZoneSnapshot snapshot =
        new ZoneSnapshot(zone.serial(), fingerprint, SnapshotCodec.encode(zone));
    String key = key(zone.origin());
    call(
        () -> {
          snapshots().set(key, snapshot);
          return log().executeOnKey(key, new SnapshotMark(zone.serial()));
        });
  }

  @Override
  public Zone snapshot(Name zone) throws SharedLogException {
    String key = key(zone);
    // The version first: a node that cannot use it does not fetch the whole zone (every second).
    ZoneSnapshot version = call(() -> snapshots().executeOnKey(key, new SnapshotVersion()));
    if (version == null) {
      throw new SharedLogException("the cluster has no snapshot of the zone", null);
    }
    String unusable =
        call(
            () ->
                log()
                    .executeOnKey(key, new SnapshotCheck(version.serial(), version.fingerprint())));
    if (unusable != null) {
      throw new SharedLogException(unusable, null);
    }
    ZoneSnapshot snapshot = call(() -> snapshots().get(key));
    if (snapshot == null || snapshot.serial() != version.serial()) {
      throw new SharedLogException("the snapshot changed meanwhile; trying again", null);
    }
    try {
      return Zone.of(zone, SnapshotCodec.decode(snapshot.records()));
    } catch (ZoneException | IllegalArgumentException e) {
      throw new SharedLogException(
          "the snapshot at serial " + snapshot.serial() + " is not a valid zone: " + e.getMessage(),
          e);
    }
  }

  @Override
  public Plan plan(Name zone, long serial, List<ZoneDiff> history) throws SharedLogException {
    List<ZoneDiff> recent =
        history.subList(Math.max(0, history.size() - PLAN_HISTORY), history.size());
    long[] from = new long[recent.size()];
    long[] fingerprints = new long[recent.size()];
    for (int i = 0; i < recent.size(); i++) {
      from[i] = recent.get(i).fromSerial();
      fingerprints[i] = DiffCodec.fingerprint(recent.get(i));
    }
    LogPlan plan =
        call(() -> log().executeOnKey(key(zone), new PlanProcessor(serial, from, fingerprints)));
    List<ZoneDiff> apply = new ArrayList<>(plan.apply().size());
    plan.apply().forEach(entry -> apply.add(DiffCodec.decode(entry.diff())));
    return new Plan(plan.rollback(), apply, plan.push(), plan.logSerial(), plan.diverged());
  }

  @Override
  public void applied(Name zone, long serial) {
    try {
      applied().setAsync(appliedKey(zone, hazelcast.getCluster().getLocalMember()), serial);
    } catch (RuntimeException e) {
      // On the minority side, or stopping: the others see this node's last report.
    }
  }

  private static String appliedKey(Name zone, Member member) {
    return key(zone) + " " + member.getUuid();
  }

  @Override
  public CompletionStage<Boolean> replicated(Name zone, long serial) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPLICATED_TIMEOUT_MILLIS);
    poller.execute(() -> poll(zone, serial, deadline, done));
    return done;
  }

  private void poll(Name zone, long serial, long deadline, CompletableFuture<Boolean> done) {
    try {
      if (serving(zone, serial) >= minimumSize) {
        done.complete(true);
        return;
      }
    } catch (RuntimeException e) {
      // a member leaving, a split: look again until the deadline
    }
    if (System.nanoTime() > deadline) {
      done.complete(false);
    } else {
      poller.schedule(
          () -> poll(zone, serial, deadline, done), REPLICATED_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** How many current members serve {@code serial} of the zone or a later one. */
  private int serving(Name zone, long serial) {
    Set<String> keys = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      keys.add(appliedKey(zone, member));
    }
    int count = 0;
    for (Long at : applied().getAll(keys).values()) {
      if (at != null && atOrAfter(at, serial)) {
        count++;
      }
    }
    return count;
  }

  /** RFC 1982: whether {@code a} is {@code b} or after it. */
  static boolean atOrAfter(long a, long b) {
    return a == b || ((a - b) & 0xFFFFFFFFL) < 0x80000000L;
  }

  /** The serial each member reports for a zone, for the health report. */
  Map<String, Long> servingBy(Name zone) {
    Map<String, Long> result = new java.util.TreeMap<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      Long at = applied().get(appliedKey(zone, member));
      result.put(member.getAddress().toString(), at);
    }
    return result;
  }

  /** The zone's log, null without one. */
  ZoneLogState state(Name zone) {
    return log().get(key(zone));
  }

  @Override
  public AutoCloseable watch(Name zone, Runnable changed) {
    UUID id = log().addEntryListener(new Changes(changed), key(zone), false);
    return () -> log().removeEntryListener(id);
  }

  /** A change event on a zone's key: added, updated, or merged after a split healed. */
  private record Changes(Runnable changed)
      implements EntryAddedListener<String, ZoneLogState>,
          EntryUpdatedListener<String, ZoneLogState>,
          EntryMergedListener<String, ZoneLogState> {
    @Override
    public void entryAdded(EntryEvent<String, ZoneLogState> event) {
      changed.run();
    }

    @Override
    public void entryUpdated(EntryEvent<String, ZoneLogState> event) {
      changed.run();
    }

    @Override
    public void entryMerged(EntryEvent<String, ZoneLogState> event) {
      changed.run();
    }
  }

  void close() {
    poller.shutdownNow();
  }

  private interface Call<T> {
    T run();
  }

  private static <T> T call(Call<T> call) throws SharedLogException {
    try {
      return call.run();
    } catch (SplitBrainProtectionException e) {
      throw new SharedLogException(
          "this node is on the minority side of a split (split-brain protection)", e);
    } catch (RuntimeException e) {
      throw new SharedLogException(e.toString(), e);
    }
  }
}
