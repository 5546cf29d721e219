package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ports the tests give their nodes are below the kernel's ephemeral range, so no socket bound
 * to port 0 (an outgoing connection while a killed node is down, another test's client) takes one
 * before the node binds it. (They were not: first the range was misread, and a restart failed with
 * "Address already in use"; then the kernel's own picks were used, and a CI run's start failed so.)
 */
class FreePortTest {
  @Test
  void portsComeFromBelowTheEphemeralRange() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    assumeTrue(Files.isReadable(range), "no " + range + " on this machine");
    String text;
    try (InputStream in = Files.newInputStream(range)) {
      text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
    int ephemeralLow = Integer.parseInt(text.trim().split("\\s+")[0]);
    assumeTrue(ephemeralLow > 21000, "the ephemeral range starts at " + ephemeralLow);
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      int port = FreePorts.freePort();
      taken.add(port);
      assertTrue(port >= 20000 && port < ephemeralLow, port + " below " + ephemeralLow);
    }
    assertFalse(taken.size() < 20, "20 distinct ports: " + taken);
  }
}
