package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigException;
import dev.vxdns.message.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Keeps a running node in step with its config store: reads it again when the store changes (every
 * scan period), on SIGHUP and on {@code vxdns reconfig} ({@link Addresses#CONFIG_RELOAD});
 * validates the whole candidate with {@link NodeConfig#parse}, exactly as at start-up; and hands a
 * valid one to {@link Node#reconfigure}. An invalid candidate is logged and returned, and the
 * running configuration keeps serving untouched.
 */
public final class LiveConfig implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LiveConfig.class.getName());

  private final Node node;
  private final ConfigStore store;
  private final Path tlsGenerated;
  private MessageConsumer<Object> requests;

  private LiveConfig(Node node, ConfigStore store, Path tlsGenerated) {
    this.node = node;
    this.store = store;
    this.tlsGenerated = tlsGenerated;
  }

  /**
   * Watches {@code file} for {@code node} (started from it).
   *
   * @param scanPeriod how often the store is read again; zero: only on SIGHUP and {@code reconfig}
   * @param overrides the {@code VXDNS_} overrides, applied to every candidate
   */
  static Future<LiveConfig> start(
      Node node, Path file, Path tlsGenerated, Duration scanPeriod, ConfigOverrides overrides) {
    LiveConfig live =
        new LiveConfig(node, new ConfigStore(node.vertx(), file, overrides), tlsGenerated);
    live.requests =
        node.vertx().eventBus().localConsumer(Addresses.CONFIG_RELOAD, live::reloadRequested);
    live.store.watch(scanPeriod, node.config().source(), changed -> live.reload("file changed"));
    return live.requests.completion().map(live);
  }

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
   * Reads, validates and applies the store. Completes with {@link Node#reconfigure}'s report, or
   * fails with {@link InvalidConfig} (nothing changed) or with what failed while applying.
   */
  public Future<JsonObject> reload(String cause) {
    Path directory = store.directory();
    return store
        .read()
        .compose(
            json ->
                node.vertx()
                    .executeBlocking(
                        () -> withZoneFiles(NodeConfig.parse(json, directory, tlsGenerated)),
                        false))
        .recover(
            failure -> {
              InvalidConfig invalid = new InvalidConfig(invalidMessage(store.file(), failure));
              LOG.log(
                  System.Logger.Level.ERROR,
                  "reload ({0}): {1}; the running configuration is kept",
                  cause,
                  invalid.getMessage());
              return Future.failedFuture(invalid);
            })
        .compose(
            parsed -> {
              LOG.log(System.Logger.Level.INFO, "reload ({0}): configuration valid", cause);
              return node.reconfigure(parsed);
            });
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
  }

  /** A candidate that did not validate; the node runs on unchanged. */
  public static final class InvalidConfig extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidConfig(String message) {
      super(message, null, false, false);
    }
  }
}
