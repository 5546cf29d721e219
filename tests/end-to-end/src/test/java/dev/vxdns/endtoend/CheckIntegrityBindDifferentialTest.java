package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * BIND's {@code check-integrity}, against named 9.20: with it (the default) a primary whose file
 * has a DS RRset off a delegation is not served, and an update adding an MX whose in-zone exchange
 * has no address is refused; with {@code check-integrity no} both pass. The rcodes of an SOA query
 * and of the update are compared zone by zone.
 */
class CheckIntegrityBindDifferentialTest {
  private static final String DS =
      "www 300 IN DS 12345 8 2 "
          + "49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE4B7E6F0C6F3A1E2D3C4B5A69\n";
  private static final List<String> ZONES =
      List.of("ds-on.test", "ds-off.test", "mx-on.test", "mx-off.test");

  @Test
  void checkIntegrityDecidesAsInNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    StringBuilder zones = new StringBuilder();
    for (String zone : ZONES) {
      writeZone(namedDir, zone);
      zones.append(
          TransferPeers.namedPrimary(
              zone,
              TransferPeers.NAMED_ALLOW_UPDATE
                  + (zone.contains("-off") ? " check-integrity no;" : "")));
    }
    List<String> theirs;
    String conf = TransferPeers.namedOptions(namedDir, ports[0], "  notify no;") + zones;
    try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
      theirs = outcomes(ports[0]);
    }
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    JsonObject config = TestNode.config(ports[1], Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    JsonObject entries = new JsonObject();
    for (String zone : ZONES) {
      JsonObject entry = TransferPeers.updatablePrimaryOf(writeZone(nodeDir, zone));
      entries.put(zone, zone.contains("-off") ? entry.put("check-integrity", false) : entry);
    }
    config.put("zone", entries);
    List<String> ours;
    try (TestNode node = TestNode.start(config)) {
      ours = outcomes(ports[1]);
    }
    System.out.printf("CheckIntegrityBindDifferentialTest: named %s, vxdns %s%n", theirs, ours);
    assertEquals(
        List.of(
            "ds-on.test SOA SERVFAIL",
            "ds-off.test SOA NOERROR",
            "mx-on.test MX update REFUSED",
            "mx-off.test MX update NOERROR"),
        theirs,
        "named");
    assertEquals(theirs, ours);
  }

  /** The test zone, with a DS at www (no delegation) in the ds- zones. */
  private static Path writeZone(Path dir, String zone) throws Exception {
    Path file = TransferPeers.writeZone(dir, zone);
    if (zone.startsWith("ds-")) {
      Files.writeString(file, DS, StandardOpenOption.APPEND);
    }
    return file;
  }

  private static List<String> outcomes(int port) throws Exception {
    List<String> outcomes = new ArrayList<>();
    for (String zone : ZONES) {
      if (zone.startsWith("ds-")) {
        int rcode = DnsClient.query(port, zone + ".", Type.SOA, false).getRcode();
        outcomes.add(zone + " SOA " + Rcode.string(rcode));
      } else {
        int rcode =
            TransferPeers.signedUpdate(
                    port,
                    zone,
                    update ->
                        update.add(
                            TransferPeers.name("m." + zone + "."),
                            Type.MX,
                            300,
                            "10 nothere." + zone + "."))
                .getRcode();
        outcomes.add(zone + " MX update " + Rcode.string(rcode));
      }
    }
    return outcomes;
  }
}
