package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Durability of dynamic updates across kill -9: the launcher runs as its own JVM; a client sends
 * TSIG-signed updates over TCP one at a time, each adding one unique name (an A and a TXT record),
 * and notes which were acknowledged NOERROR; the node is killed ({@code Process.destroyForcibly},
 * SIGKILL) at a random moment, at least {@value #KILLS} times. After every restart each
 * acknowledged name is served, each unacknowledged one is there whole (both records) or not at all
 * and stays as it was first seen, and the SOA serial is the initial one plus the number of names
 * applied. The zone file is folded every second (sync-interval 1), so kills also land in the middle
 * of writing it. A last round stops the node with SIGTERM and reads the zone file itself: it holds
 * every change.
 */
class UpdateKillTest {
  private static final int KILLS = 20;
  private static final long INITIAL_SERIAL = 100;
  private static final Name ORIGIN = Name.fromConstantString("kill.test.");
  private static final String KEY = "kill-key.";
  private static final String SECRET = "a2lsbC10ZXN0LWtleS1zZWNyZXQtMDEyMzQ1Njc4OQ==";

  @TempDir Path dir;

  private final TSIG tsig =
      new TSIG(
          TSIG.HMAC_SHA256,
          Name.fromConstantString(KEY),
          new SecretKeySpec(java.util.Base64.getDecoder().decode(SECRET), "HmacSHA256"));

  /** What the client knows of each name it sent: acknowledged or not. */
  private final Map<Integer, Boolean> sent = new ConcurrentHashMap<>();

  /**
   * What a restart showed of an unacknowledged name: present (true) or absent (false), for good.
   */
  private final Map<Integer, Boolean> seen = new HashMap<>();

  @Test
  void acknowledgedUpdatesSurviveKillNineAndTheZoneStaysConsistent() throws Exception {
    int port = LauncherConfig.freePort();
    Path zoneFile = dir.resolve("kill.test.zone");
    Files.writeString(
        zoneFile,
        "$TTL 300\n@ IN SOA ns hostmaster "
            + INITIAL_SERIAL
            + " 3600 600 86400 60\n@ IN NS ns\nns IN A 192.0.2.1\n");
    JsonObject listener =
        new JsonObject()
            .put("address", "127.0.0.1")
            .put("port", port)
            .put("transport", new JsonArray().add("udp").add("tcp"));
    JsonObject config =
        new JsonObject()
            .put(
                "key",
                new JsonObject()
                    .put(
                        KEY,
                        new JsonObject().put("algorithm", "hmac-sha256").put("secret", SECRET)))
            .put("options", new JsonObject().put("listen-on", new JsonArray().add(listener)))
            .put(
                "zone",
                new JsonObject()
                    .put(
                        "kill.test",
                        new JsonObject()
                            .put("file", zoneFile.toString())
                            .put(
                                "update-policy",
                                new JsonArray().add("grant " + KEY + " zonesub ANY"))
                            .put("sync-interval", 1)
                            .put("allow-transfer", new JsonArray().add("127.0.0.1"))));
    Path file = dir.resolve("vxdns.json");
    Files.writeString(file, config.encodePrettily());

    Random random = new Random();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    AtomicInteger next = new AtomicInteger();
    int kills = 0;
    while (kills < KILLS) {
      assertTrue(
          System.nanoTime() < deadline,
          "only " + kills + " kills in 3 minutes; the machine is too slow for this test");
      try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
        assertTrue(node.awaitStarted(60), node.output());
        check(port, "after kill " + kills, node);
        AtomicBoolean stop = new AtomicBoolean();
        Thread client = new Thread(() -> sendUntil(port, next, stop), "update-client");
        client.start();
        Thread.sleep(150 + random.nextInt(1200));
        node.close(); // SIGKILL
        assertTrue(node.awaitExit(30) != 0, "the node was killed");
        stop.set(true);
        client.join(30_000);
        assertFalse(client.isAlive(), "the client stopped");
        kills++;
      }
    }
    assertTrue(
        sent.values().stream().filter(ack -> ack).count() >= KILLS,
        "updates were acknowledged: " + sent.size());

    long acknowledged = sent.values().stream().filter(ack -> ack).count();
    long unacknowledgedPresent = seen.values().stream().filter(present -> present).count();
    System.out.printf(
        "UpdateKillTest: %d kills, %d updates acknowledged, %d not (%d of them applied)%n",
        kills, acknowledged, seen.size(), unacknowledgedPresent);

    // A clean stop folds the journal into the zone file.
    try (NodeProcess node = NodeProcess.launch("--config", file.toString())) {
      assertTrue(node.awaitStarted(60), node.output());
      check(port, "after kill " + kills, node);
      AtomicBoolean stop = new AtomicBoolean();
      Thread client = new Thread(() -> sendUntil(port, next, stop), "update-client");
      client.start();
      Thread.sleep(500);
      stop.set(true);
      client.join(30_000);
      Set<Integer> served = check(port, "before SIGTERM", node);
      node.terminate();
      assertEquals(0, node.awaitExit(60), node.output());
      Set<Integer> inFile = new TreeSet<>();
      long serial = -1;
      try (Master master = new Master(zoneFile.toString(), ORIGIN)) {
        Record record;
        Map<Integer, Integer> parts = new HashMap<>();
        while ((record = master.nextRecord()) != null) {
          if (record instanceof SOARecord soa) {
            serial = soa.getSerial();
          }
          Integer n = number(record.getName());
          if (n != null) {
            parts.merge(n, 1, Integer::sum);
          }
        }
        parts.forEach((n, count) -> assertEquals(2, count, "name r" + n + " whole in the file"));
        inFile.addAll(parts.keySet());
      }
      assertEquals(served, inFile, "the zone file holds what was served");
      assertEquals(INITIAL_SERIAL + served.size(), serial, "the zone file's serial");
    }
  }

  /** Sends updates one at a time over TCP until told to stop or the node is gone. */
  private void sendUntil(int port, AtomicInteger next, AtomicBoolean stop) {
    while (!stop.get()) {
      int n = next.getAndIncrement();
      sent.put(n, false);
      try {
        Update update = new Update(ORIGIN);
        Name name = Name.fromString("r" + n, ORIGIN);
        update.add(
            new ARecord(
                name,
                DClass.IN,
                300,
                InetAddress.getByAddress(
                    new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n})));
        update.add(new TXTRecord(name, DClass.IN, 300, "update " + n));
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        resolver.setTCP(true);
        resolver.setTSIGKey(tsig);
        resolver.setTimeout(Duration.ofSeconds(5));
        Message response = resolver.send(update);
        if (response.getRcode() == Rcode.NOERROR && response.isVerified()) {
          sent.put(n, true);
        }
      } catch (Exception gone) {
        // the node was killed: this one stays unacknowledged
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** The name's number for r{n}.kill.test., else null. */
  private static Integer number(Name name) {
    if (name.labels() != 4) {
      return null;
    }
    String label = name.getLabelString(0);
    return label.startsWith("r") ? Integer.valueOf(label.substring(1)) : null;
  }

  /**
   * The zone by AXFR: every acknowledged name whole, every other one whole or absent and as first
   * seen, the serial counting the names applied. Returns the names served.
   */
  private Set<Integer> check(int port, String when, NodeProcess node) throws Exception {
    ZoneTransferIn transfer =
        ZoneTransferIn.newAXFR(ORIGIN, new InetSocketAddress("127.0.0.1", port), null);
    transfer.setTimeout(Duration.ofSeconds(30));
    transfer.run();
    List<Record> records = transfer.getAXFR();
    Map<Integer, Set<Integer>> types = new HashMap<>();
    long serial = ((SOARecord) records.get(0)).getSerial();
    for (Record record : records) {
      Integer n = number(record.getName());
      if (n != null) {
        types.computeIfAbsent(n, k -> new HashSet<>()).add(record.getType());
      }
    }
    List<String> problems = new ArrayList<>();
    types.forEach(
        (n, t) -> {
          if (!t.equals(Set.of(Type.A, Type.TXT))) {
            problems.add("r" + n + " is not whole: " + t);
          }
        });
    for (Map.Entry<Integer, Boolean> entry : sent.entrySet()) {
      int n = entry.getKey();
      boolean present = types.containsKey(n);
      if (entry.getValue() && !present) {
        problems.add("acknowledged r" + n + " is missing");
      }
      if (!entry.getValue()) {
        Boolean before = seen.putIfAbsent(n, present);
        if (before != null && before != present) {
          problems.add(
              "unacknowledged r"
                  + n
                  + " was "
                  + (before ? "present" : "absent")
                  + " and now is not");
        }
      }
    }
    for (Integer n : types.keySet()) {
      if (!sent.containsKey(n)) {
        problems.add("r" + n + " was never sent");
      }
    }
    if (INITIAL_SERIAL + types.size() != serial) {
      problems.add("serial " + serial + " for " + types.size() + " names applied");
    }
    assertTrue(problems.isEmpty(), when + ": " + problems + "\n" + node.output());
    return new TreeSet<>(types.keySet());
  }
}
