package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * BIND's {@code transfer-source}, against named 9.20: a secondary of a stand-in primary on
 * 127.0.0.1 with {@code transfer-source 127.0.0.2} asks its SOA queries, makes its transfer and
 * forwards an update from 127.0.0.2, in named and in vxdns; the same vxdns secondary without it
 * (the control) does all of that from 127.0.0.1, the system's choice towards 127.0.0.1.
 */
class TransferSourceBindDifferentialTest {
  private static final String ZONE = "source.test";

  @Test
  void aSecondaryAsksItsPrimaryFromTheTransferSourceAsNamedDoes(@TempDir Path dir)
      throws Exception {
    Peer.requireNamed920();
    Set<String> theirs;
    try (StandInPrimary primary = new StandInPrimary(0)) {
      int namedPort = TransferPeers.freePorts(1)[0];
      Path namedDir = Files.createDirectories(dir.resolve("named"));
      String conf =
          TransferPeers.namedOptions(
                  namedDir, namedPort, "  notify no;", "  transfer-source 127.0.0.2;")
              + primary.namedSecondary(ZONE, " allow-update-forwarding { any; };");
      try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
        theirs = loadAndForward(primary, namedPort, named::log);
      }
    }
    Set<String> ours = fromVxdns("127.0.0.2");
    Set<String> control = fromVxdns(null);
    System.out.printf(
        "TransferSourceBindDifferentialTest: named %s, vxdns %s, vxdns without %s%n",
        theirs, ours, control);
    assertEquals(Set.of("127.0.0.2"), addresses(theirs), "named: " + theirs);
    assertEquals(theirs, ours, "vxdns with transfer-source 127.0.0.2");
    assertEquals(Set.of("127.0.0.1"), addresses(control), "the control: " + control);
    assertEquals(kinds(ours), kinds(control), "the control asked the same things");
  }

  /** What the stand-in saw from a vxdns secondary, with {@code transferSource} or without. */
  private static Set<String> fromVxdns(String transferSource) throws Exception {
    try (StandInPrimary primary = new StandInPrimary(0)) {
      int port = TestNode.freePort();
      JsonObject config = TestNode.config(port, Delivery.DIRECT);
      JsonObject zone =
          TransferPeers.secondaryOf(primary.port)
              .put("allow-update-forwarding", new JsonArray().add("any"));
      if (transferSource != null) {
        config.getJsonObject("options").put("transfer-source", transferSource);
      }
      config.put("zone", new JsonObject().put(ZONE, zone));
      try (TestNode node = TestNode.start(config)) {
        return loadAndForward(primary, port, () -> "seen: " + primary.sources);
      }
    }
  }

  /**
   * Waits for the secondary on {@code port} to load the zone, sends it an update to forward and a
   * NOTIFY, and waits for the stand-in to get the update and an SOA query; returns what the
   * stand-in saw from where.
   */
  private static Set<String> loadAndForward(
      StandInPrimary primary, int port, java.util.function.Supplier<String> diagnostics)
      throws Exception {
    TransferPeers.awaitSerial(ZONE + " loaded", port, ZONE, 1, diagnostics);
    TransferPeers.sendUpdate(
        port,
        ZONE,
        null,
        update -> update.add(TransferPeers.name("new." + ZONE + "."), Type.A, 300, "192.0.2.9"));
    TransferPeers.waitFor(
        "the update forwarded",
        () -> primary.sources.stream().anyMatch(seen -> seen.contains(" UPDATE ")),
        diagnostics);
    // A NOTIFY makes both ask the SOA over UDP (named also asks it before its first transfer; a
    // node without a copy transfers at once).
    TransferPeers.notify(port, ZONE);
    TransferPeers.waitFor(
        "an SOA query",
        () -> primary.sources.stream().anyMatch(seen -> seen.startsWith("udp SOA ")),
        diagnostics);
    return new TreeSet<>(primary.sources);
  }

  private static Set<String> addresses(Set<String> seen) {
    Set<String> addresses = new TreeSet<>();
    seen.forEach(entry -> addresses.add(entry.substring(entry.lastIndexOf(' ') + 1)));
    return addresses;
  }

  private static Set<String> kinds(Set<String> seen) {
    Set<String> kinds = new TreeSet<>();
    seen.forEach(entry -> kinds.add(entry.substring(0, entry.lastIndexOf(' '))));
    return kinds;
  }
}
