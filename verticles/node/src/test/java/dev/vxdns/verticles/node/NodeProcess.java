package dev.vxdns.verticles.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The launcher run as its own JVM, as an operator runs it, with its output collected. */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final CountDownLatch started = new CountDownLatch(1);
  private final Thread reader;

  private NodeProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::collect, "node-output");
    reader.setDaemon(true);
    reader.start();
  }

  static NodeProcess launch(String... args) throws IOException {
    return launch(List.of(), args);
  }

  /**
   * Runs the launcher under {@code prefix} (e.g. {@code ip netns exec NS}: a node in a network
   * namespace of its own).
   */
  static NodeProcess launch(List<String> prefix, String... args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName()));
    command.addAll(List.of(args));
    return new NodeProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  private void collect() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        if (line.contains("vxdns started")) {
          started.countDown();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  boolean awaitStarted(long seconds) throws InterruptedException {
    return started.await(seconds, TimeUnit.SECONDS);
  }

  /** Waits for the exit status; -1 if it did not exit in time (the process is then killed). */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    reader.join(5000);
    return process.exitValue();
  }

  /**
   * SIGTERM, as systemd or kill send it. Through the handle: Process.destroy() would also close our
   * end of the output.
   */
  void terminate() {
    process.toHandle().destroy();
  }

  /** The node's process id, to look at its sockets in /proc. */
  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
