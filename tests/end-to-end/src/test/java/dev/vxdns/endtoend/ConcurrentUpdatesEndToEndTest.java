package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Many clients updating one zone at once: the zone's writer applies the waiting updates together
 * and syncs the journal once for them (group commit), yet every update gets its own answer and its
 * own serial, none is lost, and all of them are in the journal when the node starts again.
 */
class ConcurrentUpdatesEndToEndTest {
  private static final String ZONE = "many.test.";
  private static final TSIG KEY =
      new TSIG(TSIG.HMAC_SHA256, "many-key.", "bWFueS1rZXktc2VjcmV0LWZvci10ZXN0cy1vbmx5IQ==");
  private static final int CLIENTS = 8;
  private static final int UPDATES_PER_CLIENT = 10;

  @Test
  void concurrentUpdatesAreEachAnsweredAppliedOnceAndJournaled(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("many.test.zone"),
        "$ORIGIN many.test.\n@ 300 IN SOA ns1 h 100 3600 600 86400 300\n@ 300 IN NS ns1\n"
            + "ns1 300 IN A 192.0.2.53\n");
    JsonObject config = config();
    int port;
    try (TestNode node = TestNode.start(config, dir, null)) {
      port = node.port;
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      try {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
          for (int i = 0; i < UPDATES_PER_CLIENT; i++) {
            String label = "c" + client + "-" + i;
            answers.add(clients.submit(add(port, label)));
          }
        }
        for (Future<Integer> answer : answers) {
          assertEquals(Rcode.NOERROR, (int) answer.get(), "every update acknowledged");
        }
      } finally {
        clients.shutdownNow();
      }
      assertAllPresent(port);
    }
    // The journal holds every acknowledged change: a new node on the same files serves them.
    try (TestNode again = TestNode.start(config, dir, null)) {
      assertAllPresent(again.port);
    }
  }

  private static Callable<Integer> add(int port, String label) {
    return () -> {
      Update update = new Update(Name.fromConstantString(ZONE));
      update.add(Name.fromString(label, Name.fromConstantString(ZONE)), Type.A, 300, "192.0.2.1");
      SimpleResolver resolver = resolver(port);
      resolver.setTCP(true);
      return resolver.send(update).getRcode();
    };
  }

  private static SimpleResolver resolver(int port) throws Exception {
    SimpleResolver resolver = new SimpleResolver(InetAddress.getLoopbackAddress());
    resolver.setPort(port);
    resolver.setTSIGKey(KEY);
    resolver.setTimeout(Duration.ofSeconds(20));
    return resolver;
  }

  private static void assertAllPresent(int port) throws Exception {
    SimpleResolver resolver = resolver(port);
    Message soa =
        resolver.send(
            Message.newQuery(Record.newRecord(Name.fromConstantString(ZONE), Type.SOA, DClass.IN)));
    long serial = ((SOARecord) soa.getSection(Section.ANSWER).get(0)).getSerial();
    assertEquals(100 + CLIENTS * UPDATES_PER_CLIENT, serial, "one serial per update");
    for (int client = 0; client < CLIENTS; client++) {
      for (int i = 0; i < UPDATES_PER_CLIENT; i++) {
        Name name = Name.fromString("c" + client + "-" + i, Name.fromConstantString(ZONE));
        Message answer = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
        assertEquals(Rcode.NOERROR, answer.getRcode(), name.toString());
        assertTrue(
            answer.getSection(Section.ANSWER).get(0) instanceof ARecord, name + " is served");
      }
    }
  }

  private static JsonObject config() throws Exception {
    JsonObject config = TestNode.config(TestNode.freePort(), dev.vxdns.message.Delivery.DIRECT);
    config.put(
        "key",
        new JsonObject()
            .put(
                "many-key.",
                new JsonObject()
                    .put("algorithm", "hmac-sha256")
                    .put("secret", "bWFueS1rZXktc2VjcmV0LWZvci10ZXN0cy1vbmx5IQ==")));
    config
        .getJsonObject("zone")
        .put(
            "many.test",
            new JsonObject()
                .put("file", "many.test.zone")
                .put("update-policy", new JsonArray().add("grant many-key. zonesub ANY")));
    return config;
  }
}
