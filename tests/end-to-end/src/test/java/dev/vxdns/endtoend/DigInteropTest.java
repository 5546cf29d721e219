package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * BIND's dig and Knot's kdig against a node: the real clients operators use. Skipped with a message
 * when a tool is not installed; .ci/run installs dnsutils and knot-dnsutils.
 */
class DigInteropTest {
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(Delivery.DIRECT);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  static String run(String tool, List<String> args) throws Exception {
    Peer.assumeInstalled(tool, tool.equals("dig") ? "dnsutils" : "knot-dnsutils");
    List<String> command = new ArrayList<>();
    command.add(tool);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(20, TimeUnit.SECONDS), tool + " did not finish");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @CsvSource({
    "dig,  example.test.,      SOA, +notcp, NOERROR",
    "dig,  example.test.,      SOA, +tcp,   NOERROR",
    "dig,  www.example.test.,  A,   +tcp,   NOERROR",
    "dig,  nope.example.test., A,   +notcp, NXDOMAIN",
    "kdig, example.test.,      SOA, +notcp, NOERROR",
    "kdig, example.test.,      SOA, +tcp,   NOERROR",
    "kdig, foo.wild.example.test., TXT, +tcp, NOERROR",
  })
  void answersAreAuthoritativeForRealClients(
      String tool, String name, String type, String transport, String status) throws Exception {
    List<String> limits =
        tool.equals("dig") ? List.of("+time=3", "+tries=1") : List.of("+timeout=3", "+retry=0");
    List<String> args =
        new ArrayList<>(
            List.of(
                "@127.0.0.1", "-p", Integer.toString(node.port), name, type, transport, "+norec"));
    args.addAll(limits);
    String output = run(tool, args);
    // dig writes "status: NOERROR," and "flags: qr aa;", kdig "status: NOERROR;" and "Flags: qr
    // aa;"
    assertTrue(output.contains("status: " + status), output);
    assertTrue(output.toLowerCase(java.util.Locale.ROOT).contains("flags: qr aa;"), output);
  }
}
