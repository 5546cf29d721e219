package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A vxdns node with secondary zones (the zone verticle's SecondaryZone) following BIND 9.20's named
 * as primary: SERVFAIL before the first transfer, AXFR when named's NOTIFY comes, IXFR after
 * nsupdate changed the zone on named, the saved copy served at once after a restart with named gone
 * and the next IXFR started from its serial; and the same over XoT from named's {@code tls}
 * listener with the test certificate. Each step compares vxdns's copy with named's, record by
 * record.
 */
class SecondaryOfBindInteropTest {
  private static final String ZONE = "sec.test";

  /**
   * named's primary zone: updates with the key, NOTIFY to vxdns signed, IXFR even for a tiny zone.
   */
  private static String namedZone(String zone, String allowTransfer, int vxdnsPort) {
    return String.join(
        "\n",
        "zone \"" + zone + "\" {",
        "  type primary; file \"" + zone + ".zone\";",
        "  allow-transfer " + allowTransfer + ";",
        "  allow-update { key \"xfr-key.\"; };",
        "  notify explicit;",
        "  also-notify { 127.0.0.1 port " + vxdnsPort + " key \"xfr-key.\"; };",
        // Each change told at once: named's default waits 5 s after its last NOTIFY.
        "  notify-delay 0;",
        // named answers an IXFR whose diffs outweigh the zone AXFR-style; this zone is small.
        "  max-ixfr-ratio unlimited;",
        "};",
        "");
  }

  /** A node serving {@code zone} as a secondary of {@code primary}, saved to {@code saved}. */
  private static JsonObject vxdnsConfig(int port, String zone, Path saved, JsonObject primary) {
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    config.put(
        "zone",
        new JsonObject()
            .put(
                zone,
                new JsonObject()
                    .put("type", "secondary")
                    .put("file", saved.toString())
                    .put("primaries", new JsonArray().add(primary))
                    .put("allow-transfer", new JsonArray().add("key xfr-key."))));
    return config;
  }

  private static Message ask(int port, String name) throws Exception {
    return DnsClient.query(port, name, Type.A, false);
  }

  private static void nsupdate(Path dir, int namedPort, String zone, String... commands)
      throws Exception {
    Path script = Files.createTempFile(dir, "nsupdate", ".txt");
    Files.writeString(
        script,
        "server 127.0.0.1 "
            + namedPort
            + "\nzone "
            + zone
            + ".\n"
            + String.join("\n", commands)
            + "\nsend\n");
    TransferPeers.bind920Tool("nsupdate", "-y", TransferPeers.KEY_ARG, script.toString());
  }

  @Test
  void followsNamedByNotifyAndIxfrAndServesTheSavedCopyAfterARestart(@TempDir Path dir)
      throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int port = ports[0];
    int namedPort = ports[1];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    TransferPeers.writeZone(namedDir, ZONE);
    String namedConf =
        TransferPeers.namedOptions(namedDir, namedPort)
            + namedZone(ZONE, "{ key \"xfr-key.\"; }", port);
    Path saved = Files.createDirectories(dir.resolve("vxdns")).resolve(ZONE + ".saved");
    JsonObject config =
        vxdnsConfig(
            port,
            ZONE,
            saved,
            new JsonObject()
                .put("address", "127.0.0.1")
                .put("port", namedPort)
                .put("key", TransferPeers.KEY_NAME));
    String www = "www." + ZONE + ".";
    Set<String> updated;
    try (TestNode node = TestNode.start(config)) {
      // named is not running: nothing transferred yet, so SERVFAIL (not REFUSED: the zone is ours).
      assertEquals(Rcode.SERVFAIL, ask(port, www).getRcode());
      assertFalse(Files.exists(saved));
      try (Peer named = TransferPeers.startNamed(namedDir, namedConf)) {
        // named NOTIFYs its also-notify targets when it loads the zone; vxdns transfers then.
        TransferPeers.awaitSerial("vxdns's first transfer", port, ZONE, 1, named::log);
        Message answer = ask(port, www);
        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertEquals("192.0.2.80", answer.getSection(Section.ANSWER).get(0).rdataToString());
        assertTrue(
            named.log().contains("transfer of '" + ZONE + "/IN': AXFR started: TSIG xfr-key"),
            named.log());
        assertEquals(TransferPeers.axfr(namedPort, ZONE), TransferPeers.axfr(port, ZONE));

        nsupdate(
            dir,
            namedPort,
            ZONE,
            "update add new." + ZONE + ". 300 IN A 192.0.2.77",
            "update delete " + www + " A");
        TransferPeers.awaitSerial("vxdns's IXFR after named's NOTIFY", port, ZONE, 2, named::log);
        String log = named.log();
        assertTrue(log.contains("sending notify to 127.0.0.1#" + port + " : TSIG"), log);
        assertTrue(
            log.contains(
                "transfer of '" + ZONE + "/IN': IXFR started: TSIG xfr-key (serial 1 -> 2)"),
            log);
        assertFalse(log.contains("AXFR-style IXFR"), log);
        updated = TransferPeers.axfr(namedPort, ZONE);
        assertEquals(updated, TransferPeers.axfr(port, ZONE));
        assertEquals(Rcode.NOERROR, ask(port, "new." + ZONE + ".").getRcode());
        assertNoAddress(port, www);
        TransferPeers.waitFor("the saved copy at serial 2", () -> isSerial2(saved), () -> "");
      }
    }
    // named is gone; a new node on the same config serves the saved copy from its first query.
    try (TestNode restarted = TestNode.start(config)) {
      assertEquals(2, TransferPeers.serial(port, ZONE));
      assertEquals(updated, TransferPeers.axfr(port, ZONE));
      assertNoAddress(port, www);

      // named back (serial 2 from its journal) and changed again: the IXFR starts at the saved
      // copy's serial.
      try (Peer named = TransferPeers.startNamed(namedDir, namedConf)) {
        nsupdate(dir, namedPort, ZONE, "update add after-restart." + ZONE + ". 300 IN A 192.0.2.9");
        TransferPeers.awaitSerial("the restarted node's IXFR", port, ZONE, 3, named::log);
        assertTrue(
            named
                .log()
                .contains(
                    "transfer of '" + ZONE + "/IN': IXFR started: TSIG xfr-key (serial 2 -> 3)"),
            named.log());
        assertEquals(TransferPeers.axfr(namedPort, ZONE), TransferPeers.axfr(port, ZONE));
      }
    }
  }

  /** www keeps its TXT record: NOERROR without an A record (NODATA). */
  private static void assertNoAddress(int port, String name) throws Exception {
    Message answer = ask(port, name);
    assertEquals(Rcode.NOERROR, answer.getRcode(), answer.toString());
    assertTrue(answer.getSection(Section.ANSWER).isEmpty(), answer.toString());
  }

  private static boolean isSerial2(Path saved) throws Exception {
    return Files.exists(saved) && Files.readString(saved).contains("serial 2,");
  }

  @Test
  void followsNamedOverXotWithTheTestCertificate(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    String zone = "xot2.test";
    int[] ports = TransferPeers.freePorts(3);
    int port = ports[0];
    int namedPort = ports[1];
    int namedTlsPort = ports[2];
    TestCertificate certificate = TestCertificate.create(dir.resolve("cert"));
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    TransferPeers.writeZone(namedDir, zone);
    String namedConf =
        TransferPeers.namedOptions(
                namedDir,
                namedPort,
                "  listen-on port " + namedTlsPort + " tls local-tls { 127.0.0.1; };")
            + "tls local-tls { cert-file \""
            + certificate.cert()
            + "\"; key-file \""
            + certificate.key()
            + "\"; };\n"
            + namedZone(zone, "transport tls { key \"xfr-key.\"; }", port);
    Path saved = Files.createDirectories(dir.resolve("vxdns")).resolve(zone + ".saved");
    JsonObject config =
        vxdnsConfig(
            port,
            zone,
            saved,
            new JsonObject()
                .put("address", "127.0.0.1")
                .put("port", namedTlsPort)
                .put("key", TransferPeers.KEY_NAME)
                .put("transport", "tls")
                .put("ca-file", certificate.cert().toString())
                .put("remote-hostname", "localhost"));
    try (Peer named = TransferPeers.startNamed(namedDir, namedConf);
        TestNode node = TestNode.start(config)) {
      TransferPeers.awaitSerial("vxdns's first transfer over XoT", port, zone, 1, named::log);
      // named's allow-transfer admits TLS only: the plain TCP AXFR with the same key is refused.
      String refused =
          XfrInteropTest.runAllowingFailure(
              "dig",
              List.of(
                  "@127.0.0.1",
                  "-p",
                  Integer.toString(namedPort),
                  "+time=5",
                  "+tries=1",
                  "-y",
                  TransferPeers.KEY_ARG,
                  zone + ".",
                  "AXFR"));
      assertTrue(refused.contains("Transfer failed"), refused);
      assertEquals(TransferPeers.axfrOverTls(namedTlsPort, zone), TransferPeers.axfr(port, zone));

      nsupdate(
          dir,
          namedPort,
          zone,
          "update add new." + zone + ". 300 IN A 192.0.2.77",
          "update delete mail." + zone + ". A",
          "update add mail." + zone + ". 300 IN A 192.0.2.26");
      TransferPeers.awaitSerial("vxdns's IXFR over XoT", port, zone, 2, named::log);
      assertTrue(
          named
              .log()
              .contains(
                  "transfer of '" + zone + "/IN': IXFR started: TSIG xfr-key (serial 1 -> 2)"),
          named.log());
      Set<String> updated = TransferPeers.axfrOverTls(namedTlsPort, zone);
      assertEquals(updated, TransferPeers.axfr(port, zone));
      assertTrue(updated.stream().anyMatch(r -> r.contains("192.0.2.26")), updated.toString());
    }
  }
}
