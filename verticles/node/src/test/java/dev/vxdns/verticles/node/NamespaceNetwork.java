package dev.vxdns.verticles.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * Hosts simulated on one machine: one Linux network namespace per node, each with its own address
 * on a veth pair whose host end is on one bridge (the test's own address is the bridge's). Cutting
 * a node's link splits it from the others and from the test; {@link #run} reaches it from inside
 * its namespace. Needs root and {@code ip}; made and removed by the test itself.
 */
final class NamespaceNetwork implements AutoCloseable {
  private final String tag;
  private final int subnet;
  private final int size;
  private final List<String> made = new ArrayList<>();

  private NamespaceNetwork(String tag, int subnet, int size) {
    this.tag = tag;
    this.subnet = subnet;
    this.size = size;
  }

  /** Skips outside CI (fails in CI) without root or {@code ip}. */
  static NamespaceNetwork create(int size) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean ip =
        Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"));
    if (!root || !ip) {
      String why = "network namespaces need root and ip (Debian: iproute2)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    int id = ThreadLocalRandom.current().nextInt(0x1000, 0x10000);
    NamespaceNetwork network = new NamespaceNetwork(Integer.toHexString(id), 100 + id % 150, size);
    try {
      network.build();
    } catch (IOException | RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  private String bridge() {
    return "vxb" + tag;
  }

  private String namespace(int i) {
    return "vxns" + tag + "-" + (i + 1);
  }

  private String hostEnd(int i) {
    return "vxh" + tag + (i + 1);
  }

  String address(int i) {
    return "10." + subnet + ".77." + (i + 1);
  }

  private void build() throws IOException, InterruptedException {
    ip("link", "add", bridge(), "type", "bridge");
    made.add("link:" + bridge());
    ip("addr", "add", "10." + subnet + ".77.254/24", "dev", bridge());
    ip("link", "set", bridge(), "up");
    for (int i = 0; i < size; i++) {
      String peer = "vxp" + tag + (i + 1);
      ip("netns", "add", namespace(i));
      made.add("netns:" + namespace(i));
      ip("link", "add", hostEnd(i), "type", "veth", "peer", "name", peer);
      ip("link", "set", peer, "netns", namespace(i));
      ip("link", "set", hostEnd(i), "master", bridge(), "up");
      ip("-n", namespace(i), "addr", "add", address(i) + "/24", "dev", peer);
      ip("-n", namespace(i), "link", "set", peer, "up");
      ip("-n", namespace(i), "link", "set", "lo", "up");
    }
  }

  List<String> addresses() {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      addresses.add(address(i));
    }
    return addresses;
  }

  /** What starts a process in node i's namespace. */
  List<String> prefix(int i) {
    return List.of("ip", "netns", "exec", namespace(i));
  }

  List<List<String>> prefixes() {
    List<List<String>> prefixes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      prefixes.add(prefix(i));
    }
    return prefixes;
  }

  /** Splits node i away: its link to the bridge goes down. */
  void cut(int i) throws IOException, InterruptedException {
    ip("link", "set", hostEnd(i), "down");
  }

  void heal(int i) throws IOException, InterruptedException {
    ip("link", "set", hostEnd(i), "up");
  }

  /** Runs a command in node i's namespace: its exit status and output. */
  Result run(int i, List<String> command, String input) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(prefix(i));
    all.addAll(command);
    Process process = new ProcessBuilder(all).redirectErrorStream(true).start();
    if (input != null) {
      process.getOutputStream().write(input.getBytes());
    }
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes());
    return new Result(process.waitFor(), output);
  }

  record Result(int status, String output) {}

  private static void ip(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + ": " + output);
    }
  }

  @Override
  public void close() {
    for (int i = made.size() - 1; i >= 0; i--) {
      String[] thing = made.get(i).split(":", 2);
      try {
        if (thing[0].equals("netns")) {
          ip("netns", "del", thing[1]);
        } else {
          ip("link", "del", thing[1]);
        }
      } catch (IOException | InterruptedException e) {
        // best effort: the next run uses other names
      }
    }
  }
}
