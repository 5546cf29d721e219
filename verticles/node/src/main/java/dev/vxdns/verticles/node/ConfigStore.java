package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.Includes;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A node's config store: the JSON file through Vert.x Config's file store, its {@code include}
 * files merged in, then the {@code VXDNS_} overrides ({@link ConfigOverrides}). {@link #watch}
 * reads it again every scan period and reports a document that differs from the last one read: the
 * retriever's own scan would only see the main file, not the files it includes.
 */
final class ConfigStore implements AutoCloseable {
  /** The scan period without {@code --config-scan-period}. */
  static final Duration DEFAULT_SCAN_PERIOD = Duration.ofSeconds(5);

  private static final System.Logger LOG = System.getLogger(ConfigStore.class.getName());

  private final Vertx vertx;
  private final Path file;
  private final ConfigOverrides overrides;
  private final ConfigRetriever retriever;
  private long timer = -1;
  private String lastSeen;

  ConfigStore(Vertx vertx, Path file, ConfigOverrides overrides) {
    this.vertx = vertx;
    this.file = file.toAbsolutePath();
    this.overrides = overrides;
    ConfigStoreOptions store =
        new ConfigStoreOptions()
            .setType("file")
            .setFormat("json")
            .setConfig(new JsonObject().put("path", this.file.toString()));
    this.retriever =
        ConfigRetriever.create(
            vertx, new ConfigRetrieverOptions().setScanPeriod(0).addStore(store));
  }

  Path file() {
    return file;
  }

  Path directory() {
    return file.getParent();
  }

  /**
   * The whole candidate document: the file, its includes, the overrides. Fails with a {@link
   * ConfigException} (a bad include or override) or with the reason the file cannot be read.
   */
  Future<JsonObject> read() {
    return retriever
        .getConfig()
        .recover(
            failure ->
                Future.failedFuture(
                    new IllegalArgumentException(
                        "cannot read " + file + ": " + ConfigFiles.oneLine(rootCause(failure)),
                        failure)))
        .compose(
            json ->
                vertx.executeBlocking(
                    () -> {
                      Includes.Resolved resolved = Includes.resolve(json, directory());
                      resolved
                          .warnings()
                          .forEach(warning -> LOG.log(System.Logger.Level.WARNING, warning));
                      return overrides.apply(resolved.config());
                    },
                    false));
  }

  /**
   * Every {@code period}, reads the store and calls {@code changed} when the document (or the
   * reason it cannot be read) differs from the previous read. The first read only sets the base.
   */
  void watch(Duration period, JsonObject running, Consumer<Void> changed) {
    lastSeen = running.encode();
    if (period.isZero() || period.isNegative()) {
      return;
    }
    timer =
        vertx.setPeriodic(
            period.toMillis(),
            tick ->
                read()
                    .onComplete(
                        done -> {
                          String seen =
                              done.succeeded()
                                  ? done.result().encode()
                                  : "failed: " + ConfigFiles.oneLine(done.cause());
                          if (!seen.equals(lastSeen)) {
                            lastSeen = seen;
                            changed.accept(null);
                          }
                        }));
  }

  @Override
  public void close() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    retriever.close();
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }
}
