package dev.vxdns.verticles.auth;

import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigKeys;
import dev.vxdns.config.SessionKeyOptions;
import io.vertx.core.shareddata.LocalMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * BIND's session key ({@code update-policy local}, {@code nsupdate -l}): made once per node
 * process, as named makes it at each start, and kept in the node's local map so that every auth
 * verticle, a redeploy and a reload that keeps the session options use the same key; another name,
 * algorithm or file makes a new one. Written to its file (mode 0600, BIND's {@code key} statement,
 * which {@code nsupdate -k} reads) whenever the file does not hold it.
 */
final class SessionKey {
  private SessionKey() {}

  /** The node's session key for {@code options}, written to its file. Blocking: a worker's. */
  static TsigKey ensure(SessionKeyOptions options, LocalMap<String, String> node)
      throws IOException {
    String slot =
        "session-key " + options.file() + " " + options.name() + " " + options.algorithm();
    String name = options.name().toString();
    String algorithm = options.algorithm().bindName();
    String secret =
        node.computeIfAbsent(
            slot, made -> TsigKeys.generate(name, algorithm, new SecureRandom()).secretBase64());
    TsigKey key = TsigKey.parse(name, algorithm, secret);
    try {
      write(key, options.file());
    } catch (IOException e) {
      // An AccessDeniedException's message is the bare path: say what was being done.
      throw new IOException(
          "session-keyfile " + options.file() + ": cannot write the session key: " + e, e);
    }
    return key;
  }

  private static void write(TsigKey key, Path file) throws IOException {
    String text = TsigKeys.toBindConf(key);
    if (Files.isRegularFile(file) && Files.readString(file).equals(text)) {
      return;
    }
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    // Readable by its owner from its first byte, and replaced whole: a reader never sees half.
    Path temporary =
        Files.createTempFile(
            directory,
            ".session-key",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(temporary, text);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
