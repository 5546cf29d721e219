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
import dev.vxdns.zone.ZoneDiff;
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
 * and, in {@value #APPLIED_MAP}, the serial each member serves per zone.
 */
public final class HazelcastZoneLog implements SharedZoneLog {
  static final String LOG_MAP = "vxdns.zone.log";
  static final String APPLIED_MAP = "vxdns.zone.applied";

  /** How long an update waits for enough nodes to serve it before it is answered SERVFAIL. */
  private static final long REPLICATED_TIMEOUT_MILLIS = 5000;

  private static final long REPLICATED_POLL_MILLIS = 5;

  /** The node's latest changes sent along with a plan request, to find the common version. */
  private static final int PLAN_HISTORY = 256;

  private final HazelcastInstance hazelcast;
  private final int minimumSize;
  private final ScheduledExecutorService poller;

  public HazelcastZoneLog(HazelcastInstance hazelcast, int minimumSize) {
    this.hazelcast = hazelcast;
    this.minimumSize = minimumSize;
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
    Boolean appended =
        call(() -> log().executeOnKey(key(zone), new AppendProcessor(base, entries)));
    return Boolean.TRUE.equals(appended) ? Appended.APPENDED : Appended.BEHIND;
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

  /** Where the zone's log ends, -1 without a log. */
  long logSerial(Name zone) {
    ZoneLogState state = log().get(key(zone));
    return state == null ? -1 : state.last();
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
