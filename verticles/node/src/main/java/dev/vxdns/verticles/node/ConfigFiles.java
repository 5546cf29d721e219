package dev.vxdns.verticles.node;

import dev.vxdns.verticles.transport.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded default configuration, and the one-line messages of config failures. The file itself
 * is read by {@link ConfigStore}.
 */
final class ConfigFiles {
  /**
   * Classpath folder holding a copy of the repository's config/ (vxdns.json and the zone files it
   * names).
   */
  static final String EMBEDDED = "vxdns-default/";

  static final String EMBEDDED_CONFIG = "vxdns.json";

  private ConfigFiles() {}

  /**
   * Copies the embedded default configuration and the files it names into a new temporary folder,
   * so that zone files are ordinary files for dnsjava's parser. The folder is removed at exit.
   */
  static Path extractEmbeddedDefault(Iterable<String> files) {
    try {
      Path folder = Files.createTempDirectory("vxdns-default-config");
      for (String name : files) {
        Path target = folder.resolve(name).normalize();
        if (!target.startsWith(folder)) {
          throw new IllegalStateException("embedded file outside the config folder: " + name);
        }
        Files.createDirectories(target.getParent());
        try (InputStream in =
            ConfigFiles.class.getClassLoader().getResourceAsStream(EMBEDDED + name)) {
          if (in == null) {
            throw new IllegalStateException("the jar lacks the embedded file " + EMBEDDED + name);
          }
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(folder)));
      return folder.resolve(EMBEDDED_CONFIG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the embedded default configuration", e);
    }
  }

  /**
   * Where the embedded default config keeps the generated {@code tls "ephemeral"}: not in its
   * temporary folder, which goes at exit (clients could never keep trusting the certificate), but
   * where {@code --config config/vxdns.json} would put it, {@code config/tls/generated} under the
   * working directory. Run from a clone (as {@code bin/vxdns} is), that is the clone's git-ignored
   * {@code config/tls/generated/}.
   */
  static Path embeddedTlsGeneratedDirectory() {
    return Path.of(System.getProperty("user.dir"), "config")
        .resolve(TlsConfig.GENERATED_DIRECTORY)
        .toAbsolutePath()
        .normalize();
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder left behind is harmless
    }
  }

  /** A failure's own message on one line: the operator reads it in a terminal or a journal. */
  static String oneLine(Throwable failure) {
    String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
