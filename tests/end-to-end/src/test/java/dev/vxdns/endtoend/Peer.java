package dev.vxdns.endtoend;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real DNS peer (dnsdist, haproxy...) run for an interop test, always stopped afterwards. */
final class Peer implements AutoCloseable {
  private final Process process;
  private final Path log;

  private Peer(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Skips the calling test (fails it in CI), with a message, when a tool is not installed. */
  static void assumeInstalled(String tool, String debianPackage) {
    boolean installed =
        List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .anyMatch(dir -> new File(dir, tool).canExecute())
            || new File("/usr/sbin/" + tool).canExecute();
    Requires.that(
        installed,
        tool + " is not installed (Debian package " + debianPackage + "); .ci/run installs it");
  }

  static String path(String tool) {
    return new File("/usr/sbin/" + tool).canExecute() ? "/usr/sbin/" + tool : tool;
  }

  static Peer start(Path folder, List<String> command) throws IOException {
    return start(folder, command, java.util.Map.of());
  }

  /** Starts {@code command} with {@code environment} added to this JVM's. */
  static Peer start(Path folder, List<String> command, java.util.Map<String, String> environment)
      throws IOException {
    Path log = folder.resolve(new File(command.get(0)).getName() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    return new Peer(process, log);
  }

  boolean alive() {
    return process.isAlive();
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
