package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Commands the tests run as an operator does: {@code bin/vxdns} and BIND's tools. */
final class Commands {
  static final Path VXDNS = Path.of("../../bin/vxdns").toAbsolutePath().normalize();

  private Commands() {}

  /** What a command printed (standard output and error) and its exit status. */
  record Run(int status, String out) {
    /** The last line printed, or "" when none was. */
    String last() {
      List<String> lines = out.lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  /**
   * Runs {@code command} (BIND 9.20's private libraries on the library path, without the caller's
   * {@code VXDNS_JAVA_OPTS}) and waits up to a minute for it.
   */
  static Run run(List<String> command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(Peer.NAMED_ENVIRONMENT);
    builder.environment().remove("VXDNS_JAVA_OPTS");
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** {@code bin/vxdns ARGS}. */
  static Run vxdns(List<String> args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", VXDNS.toString()));
    command.addAll(args);
    return run(command);
  }

  /** {@code bin/vxdns COMMAND... OPTIONS...}: a control-channel tool and its options. */
  static Run vxdns(List<String> options, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(options);
    return vxdns(args);
  }
}
