package dev.vxdns.verticles.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.vxdns.message.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Name;

/**
 * A clustered node's pieces: the Hazelcast configuration (TCP-IP member list, no multicast, fast
 * failure detection, split-brain protection on the zones' log), the TLS event bus, the shared zone
 * log, and the {@value Addresses#CLUSTER_HEALTH} report.
 */
public final class Clustering {
  private static final System.Logger LOG = System.getLogger(Clustering.class.getName());

  /** The split-brain protection the zones' maps use. */
  static final String QUORUM = "vxdns-quorum";

  private final ClusterSettings settings;
  private final HazelcastClusterManager manager;
  private HazelcastZoneLog log;
  private SharedConfigStore sharedConfig;

  public Clustering(ClusterSettings settings) {
    this.settings = settings;
    this.manager = new HazelcastClusterManager(hazelcastConfig(settings));
  }

  public ClusterSettings settings() {
    return settings;
  }

  /**
   * Wraps a node's key store so that its TKEY keys are shared with the cluster ({@link
   * SharedKeyStore}); the node must have joined.
   */
  public dev.vxdns.auth.KeyStore sharedKeys(dev.vxdns.auth.KeyStore local) {
    return new SharedKeyStore(manager.getHazelcastInstance(), local);
  }

  /** The cluster manager to build the node's Vert.x with. */
  public HazelcastClusterManager manager() {
    return manager;
  }

  /** The zones' shared log; the node must have joined (its Vert.x built). */
  public synchronized HazelcastZoneLog zoneLog() {
    if (log == null) {
      log =
          new HazelcastZoneLog(
              manager.getHazelcastInstance(), settings.minimumSize(), settings.logSize());
    }
    return log;
  }

  /** The cluster's shared config document; the node must have joined. */
  public synchronized SharedConfigStore sharedConfig() {
    if (sharedConfig == null) {
      sharedConfig = new SharedConfigStore(manager.getHazelcastInstance());
    }
    return sharedConfig;
  }

  /**
   * Hazelcast's configuration: the file named by {@code hazelcast-config} (XML or YAML) or Vert.x's
   * default (its own maps), then the {@code cluster} keys over it.
   */
  static Config hazelcastConfig(ClusterSettings settings) {
    Config config;
    if (settings.hazelcastConfig() != null) {
      try {
        config = Config.loadFromFile(settings.hazelcastConfig().toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      config = ConfigUtil.loadConfig();
    }
    config.setClusterName(settings.name());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    if (!settings.interfaces().isEmpty()) {
      network.getInterfaces().setEnabled(true).setInterfaces(settings.interfaces());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    // Failure detection within seconds, not Hazelcast's 60 s; quick merges after a split heals.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty(
        "hazelcast.max.no.heartbeat.seconds", Integer.toString(settings.failureSeconds()));
    config.setProperty("hazelcast.operation.call.timeout.millis", "5000");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster when the node stops; Hazelcast's own hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.addSplitBrainProtectionConfig(
        new SplitBrainProtectionConfig(QUORUM, true, settings.minimumSize())
            .setProtectOn(SplitBrainProtectionOn.READ_WRITE));
    for (String map :
        List.of(
            HazelcastZoneLog.LOG_MAP,
            HazelcastZoneLog.APPLIED_MAP,
            HazelcastZoneLog.SNAPSHOT_MAP,
            SharedConfigStore.MAP,
            SharedConfigStore.APPLIED_MAP)) {
      MapConfig mapConfig =
          new MapConfig(map)
              .setBackupCount(1)
              .setAsyncBackupCount(0)
              // appends work on the stored object: a long log is not copied twice per change
              .setInMemoryFormat(InMemoryFormat.OBJECT)
              .setSplitBrainProtectionName(QUORUM);
      // After a split heals the larger side's log (and config) stays: the minority never wrote.
      mapConfig.getMergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName());
      config.addMapConfig(mapConfig);
    }
    return config;
  }

  /**
   * The clustered event bus: TLS both ways, a certificate from the cluster's CA required of every
   * peer, so that a host that reaches the port cannot put messages on the bus.
   */
  public static EventBusOptions eventBusOptions(ClusterSettings settings) {
    ClusterSettings.EventBus bus = settings.eventBus();
    return new EventBusOptions()
        .setHost(bus.host())
        .setPort(bus.port())
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(bus.certFile().toString())
                .setKeyPath(bus.keyFile().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(bus.caFile().toString()))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  /**
   * How long a health report waits for the cluster's maps: less than the 2 s that {@code /ready}
   * gives the report, so that a stalled member does not make every node look unready.
   */
  static final long SHARED_STATE_WAIT_MILLIS = 1000;

  /** The read of the cluster's maps under way; reports asked meanwhile share it. */
  private Future<JsonObject> sharedStateRead;

  private io.vertx.core.WorkerExecutor sharedStateReader;

  /**
   * Answers {@value Addresses#CLUSTER_HEALTH} on this node: the members it sees, whether its side
   * has the minimum size (it takes updates), and per zone where the log ends and which serial each
   * member serves. What this node knows by itself is always in the report; what the cluster's maps
   * hold only when they answer within {@link #SHARED_STATE_WAIT_MILLIS}: while a member is silent
   * but not yet declared gone, or while a healed split merges, a read of a partition that member
   * owns waits for it, for seconds.
   */
  public Future<MessageConsumer<Object>> serveHealth(Vertx vertx, List<Name> zones) {
    MessageConsumer<Object> consumer =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.CLUSTER_HEALTH,
                request ->
                    health(vertx, zones)
                        .onSuccess(request::reply)
                        .onFailure(error -> request.fail(500, error.toString())));
    return consumer.completion().map(consumer);
  }

  private Future<JsonObject> health(Vertx vertx, List<Name> zones) {
    // What the node knows itself is read from Hazelcast's local view (members, the quorum) without
    // waiting: answered on the event loop, it cannot queue behind blocked cluster calls in the
    // worker pool, as it could while a healed split merged (ClusterSplitTest found that).
    JsonObject report;
    try {
      report = localHealth();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (sharedStateRead == null) {
      // Its own thread: a read that waits for a silent member holds no thread of the pool.
      if (sharedStateReader == null) {
        sharedStateReader = vertx.createSharedWorkerExecutor("vxdns-cluster-health", 1);
      }
      sharedStateRead = sharedStateReader.executeBlocking(() -> sharedHealth(zones), false);
      sharedStateRead.onComplete(done -> sharedStateRead = null);
    }
    Future<JsonObject> shared =
        sharedStateRead
            .timeout(SHARED_STATE_WAIT_MILLIS, TimeUnit.MILLISECONDS)
            .otherwise(
                error ->
                    new JsonObject()
                        .put(
                            "shared-state",
                            "the cluster's maps did not answer within "
                                + SHARED_STATE_WAIT_MILLIS
                                + " ms (a member stalled or a healed split merging): "
                                + error.getMessage()));
    return shared.map(
        read -> {
          JsonObject sharedPart = read.copy(); // other reports share the read
          JsonObject config = sharedPart.getJsonObject("config");
          if (config != null) {
            report.getJsonObject("config").mergeIn(config);
            sharedPart.remove("config");
          }
          return report.mergeIn(sharedPart);
        });
  }

  /** The report's part this node knows without asking the cluster. */
  private JsonObject localHealth() {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    JsonObject report = new JsonObject();
    report.put("cluster", settings.name());
    report.put("member", hazelcast.getCluster().getLocalMember().getAddress().toString());
    io.vertx.core.json.JsonArray members = new io.vertx.core.json.JsonArray();
    hazelcast.getCluster().getMembers().forEach(m -> members.add(m.getAddress().toString()));
    report.put("members", members);
    report.put("min-cluster-size", settings.minimumSize());
    boolean quorum =
        hazelcast.getSplitBrainProtectionService().getSplitBrainProtection(QUORUM).hasMinimumSize();
    report.put("quorum", quorum);
    report.put(
        "updates",
        quorum ? "accepted" : "refused: fewer than " + settings.minimumSize() + " members here");
    report.put("config", sharedConfig().localHealth());
    return report;
  }

  /** The report's part read from the cluster's maps. */
  private JsonObject sharedHealth(List<Name> zones) {
    JsonObject zoneReport = new JsonObject();
    for (Name zone : zones) {
      JsonObject entry = new JsonObject();
      try {
        ZoneLogState state = zoneLog().state(zone);
        entry.put("log-serial", state == null ? -1 : state.last());
        entry.put(
            "snapshot-serial",
            state == null || state.snapshot() == ZoneLogState.NO_SNAPSHOT
                ? null
                : state.snapshot());
        JsonObject serving = new JsonObject();
        zoneLog().servingBy(zone).forEach(serving::put);
        entry.put("serving", serving);
      } catch (RuntimeException e) {
        entry.put("error", e.getMessage());
      }
      zoneReport.put(zone.toString(), entry);
    }
    return new JsonObject().put("zones", zoneReport).put("config", sharedConfig().clusterHealth());
  }

  /** Each member's counters as it last shared them, by member address (entries expire). */
  static final String STATS_MAP = "vxdns.stats";

  /** How often a node shares its counters; a member silent for {@link #STATS_TTL_SECONDS} drops. */
  private static final long STATS_PERIOD_MILLIS = 2000;

  private static final int STATS_TTL_SECONDS = 30;

  /**
   * Shares this node's counters ({@code /stats}) with the cluster every two seconds, and answers
   * {@value Addresses#CLUSTER_STATS} with every member's and their sum.
   */
  public Future<MessageConsumer<Object>> serveStats(Vertx vertx) {
    HazelcastInstance hazelcast = manager.getHazelcastInstance();
    String member = hazelcast.getCluster().getLocalMember().getAddress().toString();
    vertx.setPeriodic(
        1,
        STATS_PERIOD_MILLIS,
        id ->
            dev.vxdns.message.NodeStats.gather(vertx)
                .onSuccess(
                    stats -> {
                      try {
                        hazelcast
                            .<String, String>getMap(STATS_MAP)
                            .setAsync(
                                member,
                                stats.encode(),
                                STATS_TTL_SECONDS,
                                java.util.concurrent.TimeUnit.SECONDS);
                      } catch (RuntimeException e) {
                        // stopping, or cut off: the others keep this node's last counters a while
                      }
                    }));
    MessageConsumer<Object> consumer =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.CLUSTER_STATS,
                request ->
                    vertx
                        .executeBlocking(() -> clusterStats(hazelcast), false)
                        .onSuccess(request::reply)
                        .onFailure(error -> request.fail(500, error.toString())));
    return consumer.completion().map(consumer);
  }

  private static JsonObject clusterStats(HazelcastInstance hazelcast) {
    JsonObject members = new JsonObject();
    JsonObject total = new JsonObject();
    for (java.util.Map.Entry<String, String> entry :
        new java.util.TreeMap<>(hazelcast.<String, String>getMap(STATS_MAP)).entrySet()) {
      JsonObject stats = new JsonObject(entry.getValue());
      members.put(entry.getKey(), stats);
      total = dev.vxdns.message.NodeStats.sum(total, stats);
    }
    return new JsonObject().put("total", total).put("members", members);
  }

  /** Stops the log's poller; the node's Vert.x leaves the cluster when it closes. */
  public void close() {
    if (log != null) {
      log.close();
    }
    if (sharedStateReader != null) {
      sharedStateReader.close();
    }
    LOG.log(System.Logger.Level.DEBUG, "cluster pieces closed");
  }
}
