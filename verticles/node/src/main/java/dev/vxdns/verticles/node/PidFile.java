package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * BIND's {@code pid-file}: where a node writes its process id once it serves, for init scripts and
 * supervisors, and which it removes when it stops. Read at start only (named's default is {@code
 * /run/named/named.pid}; a node writes none unless asked).
 *
 * @param file the file, relative to the config's directory; null for none ({@code "none"} or unset)
 */
record PidFile(Path file) {
  static final ConfigPart<PidFile> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options("pid-file");
        }

        @Override
        public PidFile parse(ConfigSource source) throws ConfigException {
          String name = source.options().string("pid-file", "none");
          return new PidFile(
              name.equals("none") ? null : source.directory().resolve(name).normalize());
        }
      };

  /** Writes this process's id, creating the file's folder if needed (nothing without a file). */
  void write() throws IOException {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, ProcessHandle.current().pid() + "\n");
    } catch (IOException e) {
      // A bare path is what the JDK says on a denied write: say what was being done.
      throw new IOException("cannot write pid-file " + file + ": " + e, e);
    }
  }

  /** Removes the file, if this process still owns it (another node may have started since). */
  void remove() {
    if (file == null) {
      return;
    }
    try {
      if (Files.readString(file).strip().equals(Long.toString(ProcessHandle.current().pid()))) {
        Files.delete(file);
      }
    } catch (IOException e) {
      // Gone already, or unreadable: nothing of ours to remove.
    }
  }
}
