package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigException;
import dev.vxdns.message.Addresses;
import dev.vxdns.verticles.cluster.SharedConfigStore;
import dev.vxdns.verticles.cluster.SharedConfigStore.Versioned;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Keeps a running node in step with its config store: reads it again when the store changes (every
 * scan period), on SIGHUP and on {@code vxdns reconfig} ({@link Addresses#CONFIG_RELOAD});
 * validates the whole candidate with {@link NodeConfig#parse}, exactly as at start-up; and hands a
 * valid one to {@link Node#reconfigure}. An invalid candidate is logged and returned, and the
 * running configuration keeps serving untouched.
 *
 * <p>A clustered node builds each candidate from the cluster's latest shared config ({@link
 * SharedConfig}) and its own file's node-local part, applies every new cluster version as it hears
 * of it, and takes pushes of the next version ({@code vxdns push-config}).
 */
public final class LiveConfig implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LiveConfig.class.getName());

  private final Node node;
  private final ConfigStore store;
  private final Path tlsGenerated;
  private MessageConsumer<Object> requests;

  /** The cluster's shared config; null for a node alone. */
  private final SharedConfigStore cluster;

  /** The latest cluster version this node knows of (null: none pushed), and the one it runs. */
  private Versioned latest;

  private long applied;
  private MessageConsumer<JsonObject> pushes;
  private AutoCloseable watching;
  private long poll = -1;

  private LiveConfig(Node node, ConfigStore store, Path tlsGenerated, SharedConfigStore cluster) {
    this.node = node;
    this.store = store;
    this.tlsGenerated = tlsGenerated;
    this.cluster = cluster;
  }

  /**
   * Watches {@code file} for {@code node} (started from it).
   *
   * @param scanPeriod how often the store is read again; zero: only on SIGHUP and {@code reconfig}
   * @param overrides the {@code VXDNS_} overrides, applied to every candidate
   */
  static Future<LiveConfig> start(
      Node node, Path file, Path tlsGenerated, Duration scanPeriod, ConfigOverrides overrides) {
    return start(
        node, file, tlsGenerated, scanPeriod, overrides, null, null, node.config().source());
  }

  /**
   * Like the above for a clustered node: it also applies every new version of the cluster's shared
   * config ({@code cluster}) and takes pushes ({@link Addresses#CONFIG_PUSH}).
   *
   * @param startedOn the cluster version the node started on, null when none
   * @param fileDocument the store's document the node started from (before the cluster's part)
   */
  static Future<LiveConfig> start(
      Node node,
      Path file,
      Path tlsGenerated,
      Duration scanPeriod,
      ConfigOverrides overrides,
      SharedConfigStore cluster,
      Versioned startedOn,
      JsonObject fileDocument) {
    LiveConfig live =
        new LiveConfig(node, new ConfigStore(node.vertx(), file, overrides), tlsGenerated, cluster);
    live.requests =
        node.vertx().eventBus().localConsumer(Addresses.CONFIG_RELOAD, live::reloadRequested);
    live.store.watch(scanPeriod, fileDocument, changed -> live.reload("file changed"));
    if (cluster == null) {
      return live.requests.completion().map(live);
    }
    live.latest = startedOn;
    if (startedOn != null) {
      live.noteApplied(startedOn);
    }
    live.pushes = node.vertx().eventBus().localConsumer(Addresses.CONFIG_PUSH, live::pushRequested);
    io.vertx.core.Context context = node.vertx().getOrCreateContext();
    return node.vertx()
        .executeBlocking(
            () -> cluster.watch(version -> context.runOnContext(v -> live.clusterVersion(version))),
            false)
        .map(
            watching -> {
              live.watching = watching;
              // A safety net for a lost event, and how a node that started before the cluster had
              // its quorum (reads refused) finds the version.
              live.poll = node.vertx().setPeriodic(CLUSTER_POLL_MILLIS, id -> live.pollCluster());
              return live;
            })
        .compose(started -> Future.all(live.requests.completion(), live.pushes.completion()))
        .map(live);
  }

  /** How often a clustered node looks at the cluster's config version. */
  private static final long CLUSTER_POLL_MILLIS = 2000;

  /** For tests: overrides from the given maps, not the process's. */
  public static Future<LiveConfig> start(
      Node node,
      Path file,
      Path tlsGenerated,
      Duration scanPeriod,
      java.util.Map<String, String> environment) {
    return start(
        node, file, tlsGenerated, scanPeriod, new ConfigOverrides(environment, java.util.Map.of()));
  }

  /**
   * The cluster version a clustered node starts on: the cluster's latest; when the cluster has none
   * or an older one than this node saved (the whole cluster restarted), the saved one, put back
   * into the cluster; the saved one when the cluster's cannot be read (no quorum yet). Null when
   * there is none. Blocking.
   */
  static Versioned versionAtStart(SharedConfigStore cluster, Path configDirectory) {
    Versioned saved = SharedConfig.readSaved(configDirectory);
    try {
      Versioned latest = cluster.latest();
      if (saved != null && (latest == null || saved.version() > latest.version())) {
        latest = cluster.seed(saved);
      }
      return latest;
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot read the cluster''s config ({0}); starting on {1}",
          ConfigFiles.oneLine(e),
          saved == null ? "the file alone" : "cluster config version " + saved.version());
      return saved;
    }
  }

  /**
   * Reads, validates and applies the store (for a clustered node, its node-local part over the
   * cluster's latest version). Completes with {@link Node#reconfigure}'s report, or fails with
   * {@link InvalidConfig} (nothing changed) or with what failed while applying.
   */
  public Future<JsonObject> reload(String cause) {
    return node.serialized(
        () -> {
          Versioned shared = current();
          String label =
              shared == null
                  ? store.file().toString()
                  : store.file() + " with cluster config version " + shared.version();
          return store
              .read()
              .compose(
                  json -> {
                    if (shared == null) {
                      return validate(json);
                    }
                    if (cause.equals("file changed")
                        && !SharedConfig.sharedPart(json)
                            .equals(SharedConfig.sharedPart(shared.document()))) {
                      LOG.log(
                          System.Logger.Level.WARNING,
                          "reload ({0}): only the node-local part of {1} is used; its shared part"
                              + " differs from cluster config version {2} and is ignored (push it"
                              + " with vxdns push-config)",
                          cause,
                          store.file(),
                          shared.version());
                    }
                    return validate(SharedConfig.merge(shared.document(), json));
                  })
              .recover(
                  failure ->
                      LiveConfig.<NodeConfig>refused(cause, label, failure)
                          .onFailure(
                              invalid -> {
                                if (shared != null && shared.version() != applied()) {
                                  cluster.refused(shared.version(), invalid.getMessage());
                                }
                              }))
              .compose(
                  parsed -> {
                    LOG.log(System.Logger.Level.INFO, "reload ({0}): configuration valid", cause);
                    return node.apply(parsed).compose(report -> applied(report, shared));
                  });
        });
  }

  /**
   * A push: {@code document} (the shared part only) over this node's own node-local part is
   * validated as at start-up; a valid one becomes the cluster's next version and is applied here
   * (the other nodes apply it when they hear of it). Completes with the report and the version.
   */
  Future<JsonObject> push(String label, JsonObject document) {
    List<String> local = SharedConfig.localKeysIn(document);
    if (!local.isEmpty()) {
      InvalidConfig refused =
          new InvalidConfig(
              "config push refused: "
                  + String.join(", ", local)
                  + (local.size() == 1 ? " is" : " are")
                  + " node-local (each node keeps its own, from its own file); push only the"
                  + " shared part");
      LOG.log(System.Logger.Level.ERROR, refused.getMessage());
      return Future.failedFuture(refused);
    }
    return node.serialized(
        () ->
            store
                .read()
                .compose(json -> validate(SharedConfig.merge(document, json)))
                .recover(failure -> refused("push", label, failure))
                .compose(
                    parsed ->
                        node.vertx()
                            .executeBlocking(() -> cluster.push(document), false)
                            .recover(
                                failure -> {
                                  parsed.close();
                                  LOG.log(
                                      System.Logger.Level.ERROR,
                                      "push: not stored: {0}",
                                      ConfigFiles.oneLine(failure));
                                  return Future.failedFuture(
                                      new NotStored(ConfigFiles.oneLine(failure)));
                                })
                            .compose(
                                version -> {
                                  LOG.log(
                                      System.Logger.Level.INFO,
                                      "push: configuration valid, cluster config version {0}",
                                      version.version());
                                  newer(version);
                                  return node.apply(parsed)
                                      .compose(report -> applied(report, version));
                                })));
  }

  private Future<NodeConfig> validate(JsonObject json) {
    return node.vertx()
        .executeBlocking(
            () -> withZoneFiles(NodeConfig.parse(json, store.directory(), tlsGenerated)), false);
  }

  private static <T> Future<T> refused(String cause, String label, Throwable failure) {
    InvalidConfig invalid = new InvalidConfig(invalidMessage(label, failure));
    LOG.log(
        System.Logger.Level.ERROR,
        "{0}: {1}; the running configuration is kept",
        cause.equals("push") ? "push" : "reload (" + cause + ")",
        invalid.getMessage());
    return Future.failedFuture(invalid);
  }

  /** Notes an applied cluster version (saved beside the config) and adds it to the report. */
  private Future<JsonObject> applied(JsonObject report, Versioned shared) {
    if (cluster == null) {
      return Future.succeededFuture(report);
    }
    if (shared == null || shared.version() == applied()) {
      return Future.succeededFuture(report.put("config-version", applied()));
    }
    return node.vertx()
        .executeBlocking(
            () -> {
              noteApplied(shared);
              return report.put("config-version", shared.version());
            },
            false);
  }

  /** Blocking: the cluster's map and the saved file. */
  private void noteApplied(Versioned shared) {
    synchronized (this) {
      applied = shared.version();
    }
    cluster.applied(shared.version());
    try {
      SharedConfig.save(store.directory(), shared);
    } catch (java.io.IOException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "cannot save cluster config version {0} beside {1}: {2}",
          shared.version(),
          store.file(),
          ConfigFiles.oneLine(e));
    }
  }

  private synchronized long applied() {
    return applied;
  }

  private synchronized Versioned current() {
    return latest;
  }

  /** Whether {@code version} is newer than the latest known; it becomes the latest. */
  private synchronized boolean newer(Versioned version) {
    if (version == null || (latest != null && version.version() <= latest.version())) {
      return false;
    }
    latest = version;
    return true;
  }

  private void clusterVersion(Versioned version) {
    if (newer(version)) {
      reload("cluster config version " + version.version());
    }
  }

  /**
   * Looks at the cluster's version; when the cluster holds none or an older one than this node
   * knows (the whole cluster restarted while no node could read it yet), puts this node's back, so
   * that versions never go back and the next push follows the one the nodes run.
   */
  private void pollCluster() {
    Versioned known = current();
    node.vertx()
        .executeBlocking(
            () -> {
              cluster.shareApplied();
              Versioned there = cluster.latest();
              if (known != null && (there == null || there.version() < known.version())) {
                LOG.log(
                    System.Logger.Level.INFO,
                    "the cluster holds config version {0}; putting back version {1}",
                    there == null ? 0 : there.version(),
                    known.version());
                there = cluster.seed(known);
              }
              return there;
            },
            false)
        .onSuccess(this::clusterVersion)
        .onFailure(
            failure ->
                LOG.log(
                    System.Logger.Level.DEBUG,
                    "cannot read the cluster''s config: {0}",
                    ConfigFiles.oneLine(failure)));
  }

  private void pushRequested(Message<JsonObject> request) {
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    if (!(body.getValue("document") instanceof JsonObject document)) {
      request.fail(400, "a push needs {\"document\": {...}}");
      return;
    }
    push(body.getString("file", "pushed document"), document)
        .onSuccess(request::reply)
        .onFailure(
            failure ->
                request.fail(
                    failure instanceof InvalidConfig
                        ? 400
                        : failure instanceof NotStored ? 503 : 500,
                    ConfigFiles.oneLine(failure)));
  }

  /**
   * A primary zone's file is read only when the zone verticle loads it; a reload checks up front
   * that each one is there, so that a missing file is refused like any invalid key and never
   * reaches the running zones.
   */
  static NodeConfig withZoneFiles(NodeConfig parsed) throws ConfigException {
    for (dev.vxdns.verticles.zone.ZoneConfig zone : parsed.zone().zones()) {
      if (zone.type() == dev.vxdns.verticles.zone.ZoneConfig.ZoneType.PRIMARY
          && zone.file() != null
          && !java.nio.file.Files.isReadable(zone.file())) {
        parsed.close();
        throw new ConfigException(
            "zone." + zone.name() + ".file", "cannot read the zone file " + zone.file());
      }
    }
    return parsed;
  }

  /** The message for a candidate that cannot be used: the same as at start-up. */
  static String invalidMessage(Path file, Throwable failure) {
    return invalidMessage(file.toString(), failure);
  }

  private static String invalidMessage(String file, Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.ExecutionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ConfigException) {
      return "invalid configuration " + file + ": " + cause.getMessage();
    }
    return "invalid configuration: " + ConfigFiles.oneLine(cause);
  }

  private void reloadRequested(Message<Object> request) {
    reload("reconfig")
        .onSuccess(request::reply)
        .onFailure(
            failure ->
                request.fail(
                    failure instanceof InvalidConfig ? 400 : 500, ConfigFiles.oneLine(failure)));
  }

  @Override
  public void close() {
    store.close();
    if (requests != null) {
      requests.unregister();
    }
    if (pushes != null) {
      pushes.unregister();
    }
    if (poll != -1) {
      node.vertx().cancelTimer(poll);
    }
    if (watching != null) {
      try {
        watching.close();
      } catch (Exception e) {
        // leaving the cluster anyway
      }
    }
  }

  /**
   * A valid push the cluster did not take (this node is on the minority side of a split); nothing
   * changed.
   */
  static final class NotStored extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotStored(String message) {
      super(message, null, false, false);
    }
  }

  /** A candidate that did not validate; the node runs on unchanged. */
  public static final class InvalidConfig extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidConfig(String message) {
      super(message, null, false, false);
    }
  }
}
