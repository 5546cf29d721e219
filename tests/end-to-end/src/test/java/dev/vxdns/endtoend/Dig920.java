package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * BIND 9.20's dig, the client that speaks PROXY v2 on every transport ({@code +proxy}, {@code
 * +proxy-plain} with {@code +tls}, {@code +https}, {@code +http-plain}). Taken from {@code
 * ${VXDNS_BIND920:-/opt/vxdns/bind920}} (.ci/install-bind.sh 9.20 unpacks it there), else from the
 * PATH when that dig is 9.20 or newer; the test is skipped with a message otherwise.
 */
record Dig920(Path binary, String libraryPath) {

  /**
   * Where .ci/install-bind.sh 9.20 unpacks BIND 9.20: {@code ${VXDNS_BIND920:-/opt/vxdns/bind920}}.
   */
  static Path prefix() {
    String configured = System.getenv("VXDNS_BIND920");
    return Path.of(configured == null || configured.isBlank() ? "/opt/vxdns/bind920" : configured);
  }

  /** The private BIND 9.20's shared libraries, for LD_LIBRARY_PATH. */
  static String privateLibraries() {
    return prefix().resolve("usr/lib/x86_64-linux-gnu").toString();
  }

  static Dig920 find() throws Exception {
    Path prefix = prefix();
    Path privateDig = prefix.resolve("usr/bin/dig");
    if (Files.isExecutable(privateDig)) {
      Dig920 dig = new Dig920(privateDig, privateLibraries());
      if (dig.isAtLeast920()) {
        return dig;
      }
    }
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(directory, "dig");
      if (Files.isExecutable(candidate)) {
        Dig920 dig = new Dig920(candidate, null);
        if (dig.isAtLeast920()) {
          return dig;
        }
      }
    }
    Requires.that(
        false,
        "BIND 9.20's dig not found in "
            + prefix
            + " nor on the PATH (run .ci/install-bind.sh 9.20)");
    return null;
  }

  private boolean isAtLeast920() throws Exception {
    String version = run(List.of("-v"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("DiG 9\\.(\\d+)\\.").matcher(version);
    return m.find() && Integer.parseInt(m.group(1)) >= 20;
  }

  /**
   * dig's output (stdout and stderr); dig's exit status is not checked, as failures are expected
   * too.
   */
  String run(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (libraryPath != null) {
      builder.environment().put("LD_LIBRARY_PATH", libraryPath);
    }
    Process process = builder.start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "dig did not finish: " + command);
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /**
   * One dig run asking every question ({@code "name type"}) of {@code questions} from a batch file,
   * its output to a file (a pipe would fill up): per question, the header line (without the id),
   * the flags line and the record lines of the sections {@code options} print, normalised in
   * whitespace and sorted, so the order of records within a section does not matter.
   */
  List<String> answers(Path dir, int port, List<String> questions, String... options)
      throws Exception {
    Path batch = Files.createTempFile(dir, "questions", ".txt");
    Path output = Files.createTempFile(dir, "answers", ".txt");
    Files.write(batch, questions);
    List<String> command = new ArrayList<>();
    command.addAll(List.of(binary.toString(), "@127.0.0.1", "-p", Integer.toString(port)));
    command.addAll(List.of(options));
    command.addAll(List.of("-f", batch.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    if (libraryPath != null) {
      builder.environment().put("LD_LIBRARY_PATH", libraryPath);
    }
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("dig did not finish: " + command);
    }
    List<String> answers = new ArrayList<>();
    List<String> current = null;
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      if (line.startsWith(";; ->>HEADER<<-")) {
        if (current != null) {
          answers.add(sorted(current));
        }
        current = new ArrayList<>();
        current.add(line.replaceAll("id: \\d+", "id"));
      } else if (current != null && line.startsWith(";; flags:")) {
        current.add(line);
      } else if (current != null && !line.isBlank() && !line.startsWith(";")) {
        current.add(line.replaceAll("\\s+", " "));
      }
    }
    if (current != null) {
      answers.add(sorted(current));
    }
    return answers;
  }

  private static String sorted(List<String> lines) {
    String[] sorted = lines.toArray(new String[0]);
    java.util.Arrays.sort(sorted);
    return String.join("\n", sorted);
  }
}
