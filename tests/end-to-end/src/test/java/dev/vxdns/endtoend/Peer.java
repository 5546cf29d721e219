package dev.vxdns.endtoend;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real DNS peer (dnsdist, haproxy...) run for an interop test, always stopped afterwards. */
final class Peer implements AutoCloseable {
  /**
   * BIND 9.20's named: the private build of {@code .ci/install-bind.sh 9.20}, else the system's.
   */
  static final String NAMED =
      Files.isExecutable(Dig920.prefix().resolve("usr/sbin/named"))
          ? Dig920.prefix().resolve("usr/sbin/named").toString()
          : "/usr/sbin/named";

  /** What {@link #NAMED} needs to find its own libraries. */
  static final Map<String, String> NAMED_ENVIRONMENT =
      Map.of("LD_LIBRARY_PATH", Dig920.privateLibraries());

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

  /** Skips the calling test (fails it in CI) when {@link #NAMED} is missing. */
  static void requireNamed920() {
    Requires.that(
        Files.isExecutable(Path.of(NAMED)),
        "BIND 9.20's named not found (run .ci/install-bind.sh 9.20)");
  }

  static Peer start(Path folder, List<String> command) throws IOException {
    return start(folder, command, Map.of());
  }

  /**
   * Starts {@link #NAMED} on {@code conf} in the foreground with one worker, logging into {@code
   * folder}; {@link #awaitNamed} waits until it serves.
   */
  static Peer named(Path folder, Path conf) throws IOException {
    return start(folder, List.of(NAMED, "-g", "-n", "1", "-c", conf.toString()), NAMED_ENVIRONMENT);
  }

  /** Starts {@code command} with {@code environment} added to this JVM's. */
  static Peer start(Path folder, List<String> command, Map<String, String> environment)
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

  /** SIGHUP: named reloads its configuration and every zone file edited since (rndc reload). */
  void hangUp() throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -HUP " + process.pid() + " failed");
    }
  }

  /** SIGKILL, as kill -9: the process leaves its files as they are at that instant. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("process " + process.pid() + " did not die on SIGKILL");
    }
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /**
   * Waits until the log holds {@code text}; fails with the log when the process exits first or
   * {@code seconds} pass.
   */
  void awaitLog(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!log().contains(text)) {
      if (!alive()) {
        throw new AssertionError(
            log.getFileName() + ": exited before '" + text.strip() + "':\n" + log());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            log.getFileName() + ": no '" + text.strip() + "' within " + seconds + " s:\n" + log());
      }
      Thread.sleep(20);
    }
  }

  /** Waits (30 s at most) until named runs, and checks that it loaded each of {@code zones}. */
  void awaitNamed(List<String> zones) throws InterruptedException {
    awaitLog(" running\n", 30);
    for (String zone : zones) {
      if (!log().contains("zone " + zone + "/IN: loaded serial")) {
        throw new AssertionError("named did not load " + zone + ":\n" + log());
      }
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
