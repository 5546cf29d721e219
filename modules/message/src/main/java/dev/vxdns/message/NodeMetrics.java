package dev.vxdns.message;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A node's metrics: one Micrometer registry per Vert.x instance (kept in a local map, like the
 * {@link StageRegistry}, so nodes in one JVM never mix their counts), the query recorders of its
 * listeners and the query log the transports write to when it is on. The launcher builds Vert.x
 * with this registry ({@code MicrometerMetricsFactory}), so Vert.x's own metrics land beside the
 * node's; a Vert.x built otherwise gets a registry of its own at first use.
 */
public final class NodeMetrics implements Shareable {
  private static final String MAP_NAME = "vxdns.metrics";
  private static final String KEY = "node";

  private final PrometheusMeterRegistry registry;
  private final AtomicReference<QueryLog> queryLog = new AtomicReference<>();
  private final ProgressBoard progress = new ProgressBoard();
  private final AtomicReference<QueryLogSwitch> queryLogSwitch = new AtomicReference<>();

  /**
   * {@code vxdns querylog on|off} ({@code enabled}), made while the config said {@code configured}.
   */
  private record QueryLogSwitch(boolean enabled, boolean configured) {}

  private NodeMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** A registry for a new Vert.x: give it to {@link #install} once Vert.x is built on it. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** Makes {@code registry} the metrics of {@code vertx}; before anything asks {@link #of}. */
  public static NodeMetrics install(Vertx vertx, PrometheusMeterRegistry registry) {
    NodeMetrics metrics = new NodeMetrics(registry);
    LocalMap<String, NodeMetrics> map = vertx.sharedData().getLocalMap(MAP_NAME);
    NodeMetrics present = map.putIfAbsent(KEY, metrics);
    return present == null ? metrics : present;
  }

  /** The metrics of {@code vertx}'s node. */
  public static NodeMetrics of(Vertx vertx) {
    LocalMap<String, NodeMetrics> map = vertx.sharedData().getLocalMap(MAP_NAME);
    NodeMetrics metrics = map.get(KEY);
    return metrics != null ? metrics : install(vertx, newRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /** The recorder of one listener's queries. */
  public QueryMetrics queries(String listener, Transport transport) {
    return new QueryMetrics(this, listener, transport);
  }

  /** The node's long tasks (zone loads, journal folds, transfers) in progress. */
  public ProgressBoard progress() {
    return progress;
  }

  /** The query log the transports write to, or null when none is configured. */
  public QueryLog queryLog() {
    return queryLog.get();
  }

  /** Serves {@code log} from now on (a redeployed writer replaces its predecessor's). */
  public void publishQueryLog(QueryLog log) {
    queryLog.set(log);
  }

  /**
   * Remembers the operator's {@code vxdns querylog on|off} for the node, so that a redeployed query
   * log keeps it; {@code configured} is what the config said when the operator switched.
   */
  public void switchQueryLog(boolean enabled, boolean configured) {
    queryLogSwitch.set(new QueryLogSwitch(enabled, configured));
  }

  /**
   * Whether a query log starting with {@code configured} (its config's {@code enabled}) writes: the
   * operator's last switch while the config said the same, else the config (a changed config wins,
   * as a {@code querylog} option does at {@code rndc reconfig}).
   */
  public boolean queryLogEnabled(boolean configured) {
    QueryLogSwitch last = queryLogSwitch.get();
    if (last == null) {
      return configured;
    }
    if (last.configured() != configured) {
      queryLogSwitch.compareAndSet(last, null);
      return configured;
    }
    return last.enabled();
  }

  /** Withdraws {@code log}, unless another one has replaced it meanwhile. */
  public void withdrawQueryLog(QueryLog log) {
    queryLog.compareAndSet(log, null);
  }
}
