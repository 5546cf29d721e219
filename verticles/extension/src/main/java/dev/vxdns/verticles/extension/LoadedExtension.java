package dev.vxdns.verticles.extension;

import dev.vxdns.message.Stage;
import groovy.lang.Closure;
import groovy.lang.GroovyClassLoader;
import groovy.lang.Script;
import io.vertx.core.Future;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/**
 * An extension's stage and the fresh class loader it was loaded with. Each load gets its own
 * loader, so a changed file never sees the classes of its previous version; the loader is closed
 * once the stage it made no longer serves.
 */
record LoadedExtension(ExtensionFile file, Stage stage, Closeable loader, Path snapshot) {
  /** The manifest attribute naming a jar's stage class. */
  static final String MANIFEST_STAGE = "Vxdns-Stage";

  /**
   * Loads (compiles) one file; blocking, run it on a worker. Fails with a message for the log when
   * the file does not compile or holds no stage.
   */
  static LoadedExtension load(ExtensionFile file, Path snapshots) throws Exception {
    return switch (file.kind()) {
      case GROOVY -> groovy(file);
      case JAR -> jar(file, snapshots);
    };
  }

  /**
   * A Groovy file: a class implementing {@link Stage}, or a script whose value is a Stage or a
   * closure taking the exchange (and returning a {@code Future<DnsExchange>}).
   */
  private static LoadedExtension groovy(ExtensionFile file) throws Exception {
    GroovyClassLoader loader = new GroovyClassLoader(parentLoader());
    try {
      Class<?> type = loader.parseClass(file.path().toFile());
      Object made = type.getDeclaredConstructor().newInstance();
      if (made instanceof Script script) {
        made = script.run();
      }
      return new LoadedExtension(file, asStage(file, made), loader, null);
    } catch (Exception | LinkageError e) {
      loader.close();
      throw e;
    }
  }

  /**
   * A jar: the class its manifest names ({@code Vxdns-Stage}) or the one it lists in {@code
   * META-INF/services/dev.vxdns.message.Stage}. Loaded from a copy, so that the file can be
   * overwritten while the old version still serves.
   */
  private static LoadedExtension jar(ExtensionFile file, Path snapshots) throws Exception {
    Files.createDirectories(snapshots);
    Path snapshot = Files.createTempFile(snapshots, file.name() + "-", ".jar");
    Files.copy(file.path(), snapshot, StandardCopyOption.REPLACE_EXISTING);
    URLClassLoader loader =
        new URLClassLoader(
            "vxdns-ext-" + file.name(), new URL[] {snapshot.toUri().toURL()}, parentLoader());
    try {
      String className;
      try (JarFile jar = new JarFile(snapshot.toFile())) {
        className =
            jar.getManifest() == null
                ? null
                : jar.getManifest().getMainAttributes().getValue(MANIFEST_STAGE);
      }
      Object made;
      if (className != null) {
        made = Class.forName(className.trim(), true, loader).getDeclaredConstructor().newInstance();
      } else {
        Iterator<Stage> found = ServiceLoader.load(Stage.class, loader).iterator();
        if (!found.hasNext()) {
          throw new IllegalArgumentException(
              "no stage: name its class in the manifest ("
                  + MANIFEST_STAGE
                  + ") or in META-INF/services/"
                  + Stage.class.getName());
        }
        made = found.next();
      }
      return new LoadedExtension(file, asStage(file, made), loader, snapshot);
    } catch (Exception | LinkageError e) {
      loader.close();
      Files.deleteIfExists(snapshot);
      throw e;
    }
  }

  private static Stage asStage(ExtensionFile file, Object made) {
    if (made instanceof Stage stage) {
      return stage;
    }
    if (made instanceof Closure<?> closure) {
      return exchange -> closureResult(closure.call(exchange));
    }
    throw new IllegalArgumentException(
        file.path()
            + " makes "
            + (made == null ? "null" : made.getClass().getName())
            + ", not a "
            + Stage.class.getName()
            + " (a class implementing it, or a script ending in one or in a closure)");
  }

  @SuppressWarnings("unchecked")
  private static Future<dev.vxdns.message.DnsExchange> closureResult(Object result) {
    if (result instanceof Future<?> future) {
      return (Future<dev.vxdns.message.DnsExchange>) future;
    }
    if (result instanceof dev.vxdns.message.DnsExchange exchange) {
      return Future.succeededFuture(exchange);
    }
    return Future.failedFuture(
        new IllegalStateException("an extension closure returned " + result));
  }

  /** The loader extensions see: the node's classes (the message contract, Vert.x, dnsjava). */
  private static ClassLoader parentLoader() {
    return LoadedExtension.class.getClassLoader();
  }

  /** Releases the class loader and the jar's copy; the stage must no longer serve. */
  void release() {
    try {
      loader.close();
      if (snapshot != null) {
        Files.deleteIfExists(snapshot);
      }
    } catch (IOException e) {
      // Nothing serves from it any more; a leftover copy is harmless.
    }
  }

  /** Unwraps reflection's wrapper so the log shows the extension's own error. */
  static Throwable cause(Throwable failure) {
    return failure instanceof InvocationTargetException wrapped && wrapped.getCause() != null
        ? wrapped.getCause()
        : failure;
  }
}
