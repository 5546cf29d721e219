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

  /** Withdraws {@code log}, unless another one has replaced it meanwhile. */
  public void withdrawQueryLog(QueryLog log) {
    queryLog.compareAndSet(log, null);
  }
}
