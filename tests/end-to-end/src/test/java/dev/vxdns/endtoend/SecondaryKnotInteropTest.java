package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.secondary.Primary;
import dev.vxdns.secondary.TransferClient;
import dev.vxdns.secondary.TransferException;
import dev.vxdns.zone.Zone;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The secondary's TransferClient against Knot DNS (knotd) as primary: a TSIG-signed AXFR compared
 * record by record with kdig's, and an IXFR after knotc changed the zone (Knot's journal).
 */
class SecondaryKnotInteropTest {
  static final String KEY_NAME = SecondaryInteropTest.KEY_NAME;
  static final String KEY_SECRET = SecondaryInteropTest.KEY_SECRET;

  @TempDir static Path dir;
  static Vertx vertx;
  static Peer knot;
  static int port;
  static Path conf;

  @BeforeAll
  static void startKnot() throws Exception {
    Peer.assumeInstalled("knotd", "knot");
    Peer.assumeInstalled("knotc", "knot");
    Peer.assumeInstalled("kdig", "knot-dnsutils");
    port = TestNode.freePort();
    Files.writeString(dir.resolve("knot.test.zone"), SecondaryInteropTest.zoneFile("knot.test"));
    // knotd 3.2 does not create its database folder, and a commit fails without it.
    Files.createDirectories(dir.resolve("db"));
    conf = dir.resolve("knot.conf");
    String d = dir.toString();
    Files.writeString(
        conf,
        String.join(
            "\n",
            "server:",
            "    rundir: \"" + d + "\"",
            "    listen: 127.0.0.1@" + port,
            "log:",
            "  - target: stderr",
            "    any: info",
            "database:",
            "    storage: \"" + d + "/db\"",
            "control:",
            "    listen: \"" + d + "/knot.sock\"",
            "key:",
            "  - id: " + KEY_NAME,
            "    algorithm: hmac-sha256",
            "    secret: " + KEY_SECRET,
            "acl:",
            "  - id: transfer",
            "    key: " + KEY_NAME,
            "    action: transfer",
            "zone:",
            "  - domain: knot.test",
            "    storage: \"" + d + "\"",
            "    file: \"knot.test.zone\"",
            "    acl: transfer",
            ""));
    knot = Peer.start(dir, List.of(Peer.path("knotd"), "-c", conf.toString()));
    knot.awaitLog("loaded, serial", 30);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (knot != null) {
      knot.close();
    }
  }

  static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "did not finish: " + command);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), command + " failed:\n" + out);
    return out;
  }

  static void knotc(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of(Peer.path("knotc"), "-c", conf.toString()));
    command.addAll(List.of(args));
    run(command);
  }

  static Set<String> kdigAxfr() throws Exception {
    String out =
        run(
            List.of(
                "kdig",
                "-p",
                String.valueOf(port),
                "@127.0.0.1",
                "-y",
                "hmac-sha256:" + KEY_NAME + ":" + KEY_SECRET,
                "knot.test",
                "AXFR",
                "+noall",
                "+answer"));
    Set<String> records = new TreeSet<>();
    try (Master master =
        new Master(new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8)))) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        records.add(r.toString());
      }
    }
    assertTrue(records.size() > 5, "kdig axfr gave too little:\n" + out);
    return records;
  }

  static Set<String> presentation(Zone zone) {
    Set<String> records = new TreeSet<>();
    zone.records().forEach(r -> records.add(r.toString()));
    return records;
  }

  @Test
  void signedAxfrThenIxfrAfterKnotcMatchesKdig() throws Exception {
    Name origin = Name.fromString("knot.test.");
    TransferClient client = new TransferClient(vertx, Duration.ofSeconds(10));
    Primary primary =
        Primary.tcp(new InetSocketAddress("127.0.0.1", port), SecondaryInteropTest.KEY);
    Zone zone = SecondaryInteropTest.await(client.transfer(primary, origin, null));
    assertEquals(kdigAxfr(), presentation(zone));
    assertSame(zone, SecondaryInteropTest.await(client.transfer(primary, origin, zone)));

    TransferException unsigned =
        assertThrows(
            TransferException.class,
            () ->
                SecondaryInteropTest.await(
                    client.transfer(
                        Primary.tcp(new InetSocketAddress("127.0.0.1", port), null),
                        origin,
                        null)));
    assertTrue(!unsigned.getMessage().isEmpty());

    knotc("zone-begin", "knot.test");
    knotc("zone-set", "knot.test", "new", "300", "A", "192.0.2.77");
    knotc("zone-unset", "knot.test", "mail", "A");
    knotc("zone-commit", "knot.test");
    long serial = SecondaryInteropTest.await(client.soaSerial(primary, origin));
    assertTrue(serial > zone.serial(), "knot did not bump the serial: " + serial);

    Zone next = SecondaryInteropTest.await(client.transfer(primary, origin, zone));
    assertEquals(serial, next.serial());
    assertEquals(1, next.history().size(), "not applied as an IXFR diff: " + next.history());
    assertEquals(kdigAxfr(), presentation(next));
  }
}
