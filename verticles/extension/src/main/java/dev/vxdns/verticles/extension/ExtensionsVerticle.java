package dev.vxdns.verticles.extension;

import dev.vxdns.message.Addresses;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The extensions directory: each {@code NAME.groovy} or {@code NAME.jar} is served as a stage at
 * {@code vxdns.ext.NAME} by its own {@link ExtensionStageVerticle}. The directory is scanned every
 * {@code scan-period-ms}; a changed file is loaded with a fresh class loader (on a worker) and its
 * new verticle deployed before the old one is undeployed, so the address never lacks a stage. A
 * file that does not load keeps the old version serving and logs why; at start-up it fails the
 * start. A removed file's stage is withdrawn.
 *
 * <p>All state is touched on this verticle's context only.
 */
public final class ExtensionsVerticle extends AbstractVerticle {
  private static final System.Logger LOG = System.getLogger(ExtensionsVerticle.class.getName());

  /** How long an old version's class loader stays open after it stopped serving. */
  private static final long RELEASE_DELAY_MILLIS = 30_000;

  private final ExtensionSettings settings;
  private final Map<String, Served> served = new HashMap<>();
  private final Map<String, ExtensionFile> seen = new HashMap<>();
  private Path snapshots;
  private long timer = -1;
  private boolean stopped;

  /** A loaded version and the verticle serving it. */
  private record Served(LoadedExtension extension, String deploymentId) {}

  public ExtensionsVerticle(ExtensionSettings settings) {
    this.settings = settings;
  }

  @Override
  public void start(Promise<Void> started) {
    vertx
        .executeBlocking(() -> Files.createTempDirectory("vxdns-ext"), false)
        // Set in the step that scans, not in a listener beside it: a future that completes on the
        // worker while listeners are being added may run the later one first (CI saw the scan's
        // load read a null folder).
        .compose(
            made -> {
              snapshots = made;
              return scan(true);
            })
        .onSuccess(done -> scheduleScan())
        .compose(
            done ->
                vertx
                    .eventBus()
                    .<String>localConsumer(Addresses.EXTENSION_REDEPLOY, this::redeploy)
                    .completion())
        .onComplete(started);
  }

  /**
   * {@code vxdns redeploy NAME} for an extension: loads its file again with a fresh class loader
   * and serves the new instance before the old one stops, as a change of the file would; replies
   * with the new deployment ID.
   */
  private void redeploy(io.vertx.core.eventbus.Message<String> request) {
    ExtensionFile file = seen.get(request.body());
    if (file == null) {
      request.fail(404, "no extension named " + request.body());
      return;
    }
    Served before = served.get(file.name());
    deploy(file, true)
        .onSuccess(
            done -> {
              Served now = served.get(file.name());
              if (now == null || now == before) {
                request.fail(500, "extension " + file.name() + " was not redeployed");
              } else {
                request.reply(now.deploymentId());
              }
            })
        .onFailure(error -> request.fail(500, error.getMessage()));
  }

  @Override
  public void stop(Promise<Void> stopped) {
    this.stopped = true;
    vertx.cancelTimer(timer);
    List<Future<Void>> undeployed = new ArrayList<>();
    for (Served each : served.values()) {
      undeployed.add(
          vertx.undeploy(each.deploymentId()).eventually(() -> release(each.extension())));
    }
    served.clear();
    Future.join(undeployed)
        .<Void>mapEmpty()
        .eventually(
            () -> vertx.executeBlocking(() -> deleteTree(snapshots), false).<Void>mapEmpty())
        .onComplete(done -> stopped.complete());
  }

  private void scheduleScan() {
    if (!stopped) {
      timer =
          vertx.setTimer(
              settings.scanPeriodMillis(),
              id ->
                  scan(false)
                      .onFailure(
                          e ->
                              LOG.log(
                                  System.Logger.Level.WARNING,
                                  "extensions: scanning " + settings.directory() + " failed",
                                  e))
                      .onComplete(done -> scheduleScan()));
    }
  }

  /**
   * One scan: (re)loads what is new or changed, withdraws what is gone. At start-up ({@code
   * failFast}) a file that does not load fails the scan; later it is logged and the old version
   * keeps serving.
   */
  private Future<Void> scan(boolean failFast) {
    return vertx
        .executeBlocking(this::listFiles, false)
        .compose(
            files -> {
              Future<Void> chain = Future.succeededFuture();
              Set<String> present = new HashSet<>();
              for (ExtensionFile file : files) {
                if (!present.add(file.name())) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "extensions: {0} ignored: another file already serves {1}",
                      file.path(),
                      file.address());
                  continue;
                }
                if (file.sameVersion(seen.get(file.name()))) {
                  continue;
                }
                seen.put(file.name(), file);
                chain = chain.compose(v -> deploy(file, failFast));
              }
              // Gone files: withdraw what serves, and forget versions that never loaded.
              for (String name : new ArrayList<>(seen.keySet())) {
                if (!present.contains(name)) {
                  seen.remove(name);
                  chain = chain.compose(v -> withdraw(name));
                }
              }
              return chain;
            });
  }

  private List<ExtensionFile> listFiles() throws IOException {
    List<ExtensionFile> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(settings.directory())) {
      for (Path entry : entries) {
        ExtensionFile file = ExtensionFile.of(entry);
        if (file != null) {
          files.add(file);
        }
      }
    }
    files.sort((a, b) -> a.path().getFileName().compareTo(b.path().getFileName()));
    return files;
  }

  /** Loads a file's version and serves it, replacing the version served before. */
  private Future<Void> deploy(ExtensionFile file, boolean failFast) {
    Future<Void> done =
        vertx
            .executeBlocking(() -> LoadedExtension.load(file, snapshots), false)
            .compose(
                loaded ->
                    vertx
                        .deployVerticle(new ExtensionStageVerticle(file.address(), loaded.stage()))
                        .onFailure(e -> release(loaded))
                        .compose(id -> replaced(file.name(), new Served(loaded, id))));
    return done.recover(
        failure -> {
          Throwable cause = LoadedExtension.cause(failure);
          String message =
              "extensions: "
                  + file.path()
                  + " does not load"
                  + (served.containsKey(file.name())
                      ? "; the previous version keeps serving " + file.address()
                      : "")
                  + ": "
                  + cause;
          if (failFast) {
            return Future.failedFuture(new IllegalStateException(message, cause));
          }
          LOG.log(System.Logger.Level.ERROR, message);
          return Future.succeededFuture();
        });
  }

  /** The new version serves (it replaced the local stage as it registered): stop the old one. */
  private Future<Void> replaced(String name, Served next) {
    Served previous = served.put(name, next);
    LOG.log(
        System.Logger.Level.INFO,
        "extensions: {0} serves {1}{2}",
        next.extension().file().address(),
        next.extension().file().path(),
        previous == null ? "" : " (redeployed)");
    if (previous == null) {
      return Future.succeededFuture();
    }
    return vertx
        .undeploy(previous.deploymentId())
        .onComplete(done -> releaseLater(previous.extension()));
  }

  private Future<Void> withdraw(String name) {
    Served gone = served.remove(name);
    if (gone == null) {
      return Future.succeededFuture();
    }
    LOG.log(
        System.Logger.Level.INFO,
        "extensions: {0} removed; {1} withdrawn",
        gone.extension().file().path(),
        gone.extension().file().address());
    return vertx.undeploy(gone.deploymentId()).onComplete(done -> releaseLater(gone.extension()));
  }

  /**
   * Closes an old version's class loader once exchanges it may still be finishing are surely done
   * (a stage may complete a future later, and its classes must still load then).
   */
  private void releaseLater(LoadedExtension old) {
    if (stopped) {
      release(old);
    } else {
      vertx.setTimer(RELEASE_DELAY_MILLIS, id -> release(old));
    }
  }

  private Future<Void> release(LoadedExtension old) {
    return vertx.executeBlocking(
        () -> {
          old.release();
          return null;
        },
        false);
  }

  private static Void deleteTree(Path directory) throws IOException {
    if (directory == null || !Files.exists(directory)) {
      return null;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        Files.deleteIfExists(entry);
      }
    }
    Files.deleteIfExists(directory);
    return null;
  }
}
