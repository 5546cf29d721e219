package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A secondary zone serves the copy its last transfer saved, until the SOA's EXPIRE has passed since
 * that transfer without a primary answering (RFC 1034 4.3.5); then its names answer SERVFAIL, as
 * BIND's do. The saved file's modification time is when the copy was last refreshed: a copy loaded
 * already expired is not served at all until a primary answers (named's zone maintenance expires it
 * at once), while a recent one is.
 */
class SecondaryExpiryEndToEndTest {
  private static final String ZONE =
      "$ORIGIN sec.test.\n"
          + "@ 300 IN SOA ns1.sec.test. h.sec.test. 7 3600 600 1209600 300\n"
          + "@ 300 IN NS ns1.sec.test.\n"
          + "ns1 300 IN A 192.0.2.53\n"
          + "www 300 IN A 192.0.2.80\n";

  @Test
  void anExpiredCopyAnswersServfailWhileAFreshOneIsServed(@TempDir Path dir) throws Exception {
    int deadPrimary = TestNode.freePort();
    Path expired = dir.resolve("expired");
    Path fresh = dir.resolve("fresh");
    Files.createDirectories(expired);
    Files.createDirectories(fresh);
    Files.writeString(expired.resolve("sec.test.zone"), ZONE);
    Files.writeString(fresh.resolve("sec.test.zone"), ZONE);
    // Refreshed a year ago: far beyond EXPIRE (two weeks).
    Files.setLastModifiedTime(
        expired.resolve("sec.test.zone"), FileTime.from(Instant.now().minus(Duration.ofDays(365))));
    try (TestNode old = TestNode.start(config(deadPrimary), expired, null);
        TestNode recent = TestNode.start(config(deadPrimary), fresh, null)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int rcode = -1;
      while (System.nanoTime() < deadline) {
        rcode = DnsClient.query(old.port, "www.sec.test.", Type.A, false).getRcode();
        if (rcode == Rcode.SERVFAIL) {
          break;
        }
        Thread.sleep(50);
      }
      assertEquals(Rcode.SERVFAIL, rcode, "the expired copy is withdrawn once no primary answers");

      // Positive control: the same data refreshed just now is served, its primary as dead.
      Message answer = DnsClient.query(recent.port, "www.sec.test.", Type.A, false);
      assertEquals(Rcode.NOERROR, answer.getRcode());
      assertTrue(answer.getHeader().getFlag(Flags.AA));
      assertEquals(
          "192.0.2.80", answer.getSection(Section.ANSWER).get(0).rdataToString(), "saved data");
    }
  }

  private static JsonObject config(int primaryPort) throws Exception {
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config
        .getJsonObject("zone")
        .put(
            "sec.test",
            new JsonObject()
                .put("type", "secondary")
                .put("file", "sec.test.zone")
                .put(
                    "primaries",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("address", "127.0.0.1")
                                .put("port", primaryPort))));
    return config;
  }
}
