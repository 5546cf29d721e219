package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * allow-update-forwarding between two vxdns nodes: nsupdate (9.18 and 9.20) sends a TSIG-signed
 * update to the secondary, which forwards it byte for byte to its primary; the primary applies it
 * and NOTIFYs the secondary ({@code also-notify}), which transfers the change; nsupdate gets
 * NOERROR with a TSIG it verifies (signed again by the secondary for the client's request). An
 * unsigned update is forwarded too and refused by the primary's update-policy, changing nothing.
 */
class UpdateForwardingInteropTest {
  @TempDir Path dir;

  private static final String ZONE = UpdateInteropTest.ZONE;
  private static final String KEY = UpdateInteropTest.KEY;
  private static final String SECRET = UpdateInteropTest.SECRET;

  private static JsonObject keys() {
    return new JsonObject()
        .put(KEY, new JsonObject().put("algorithm", "hmac-sha256").put("secret", SECRET));
  }

  private static long serial(int port) throws Exception {
    Message response = DnsClient.query(port, ZONE, Type.SOA, false);
    assertEquals(Rcode.NOERROR, response.getRcode(), response.toString());
    return ((SOARecord) response.getSection(Section.ANSWER).get(0)).getSerial();
  }

  private static TreeSet<String> data(int port, String name, int type) throws Exception {
    TreeSet<String> rdata = new TreeSet<>();
    for (Record record : DnsClient.query(port, name, type, false).getSection(Section.ANSWER)) {
      if (record.getType() == type) {
        rdata.add(record.rdataToString());
      }
    }
    return rdata;
  }

  /** Polls until the secondary serves {@code serial} (NOTIFY, then a transfer), at most 20 s. */
  private static void awaitSerial(int port, long serial) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long seen = -1;
    while (System.nanoTime() < deadline) {
      Message response = DnsClient.query(port, ZONE, Type.SOA, false);
      // SERVFAIL until the secondary's first transfer.
      if (response.getRcode() == Rcode.NOERROR) {
        seen = ((SOARecord) response.getSection(Section.ANSWER).get(0)).getSerial();
        if (seen == serial) {
          return;
        }
      }
      Thread.sleep(100);
    }
    assertEquals(serial, seen, "the secondary's serial");
  }

  private UpdateInteropTest.Run nsupdate(
      UpdateInteropTest.Nsupdate client, int port, List<String> options, String line)
      throws Exception {
    Path file = Files.createTempFile(dir, "script", ".txt");
    Files.writeString(
        file, "server 127.0.0.1 " + port + "\nzone " + ZONE + "\n" + line + "\nsend\n");
    List<String> command = new ArrayList<>(List.of(client.binary(), "-t", "10"));
    command.addAll(options);
    command.add(file.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(client.environment());
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "nsupdate did not finish: " + command);
    return new UpdateInteropTest.Run(
        process.exitValue(),
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.vxdns.endtoend.UpdateInteropTest#clients")
  void anUpdateSentToTheSecondaryIsAppliedByThePrimaryAndTransferredBack(
      UpdateInteropTest.Nsupdate client) throws Exception {
    UpdateInteropTest.requireInstalled(client);
    int primaryPort = TestNode.freePort();
    int secondaryPort;
    do {
      secondaryPort = TestNode.freePort();
    } while (secondaryPort == primaryPort);
    Files.copy(
        Path.of("../../config/zones/dyn.test.zone").toAbsolutePath(), dir.resolve("dyn.test.zone"));

    JsonObject primary =
        new JsonObject()
            .put("key", keys())
            .put(
                "options",
                new JsonObject()
                    .put("listen-on", new JsonArray().add(TestNode.do53Listener(primaryPort))))
            .put(
                "zone",
                new JsonObject()
                    .put(
                        "dyn.test",
                        new JsonObject()
                            .put("file", "dyn.test.zone")
                            .put(
                                "update-policy",
                                new JsonArray().add("grant " + KEY + " zonesub ANY"))
                            .put("allow-transfer", new JsonArray().add("127.0.0.1"))
                            .put("notify", "explicit")
                            // Each update's NOTIFY at once (NotifyDelayBindDifferentialTest).
                            .put("notify-delay", 0)
                            .put(
                                "also-notify",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("address", "127.0.0.1")
                                            .put("port", secondaryPort)))));
    JsonObject secondary =
        new JsonObject()
            .put("key", keys())
            .put(
                "options",
                new JsonObject()
                    .put("listen-on", new JsonArray().add(TestNode.do53Listener(secondaryPort))))
            .put(
                "zone",
                new JsonObject()
                    .put(
                        "dyn.test",
                        new JsonObject()
                            .put("type", "secondary")
                            .put("file", "secondary/dyn.test.zone")
                            .put(
                                "primaries",
                                new JsonArray()
                                    .add(
                                        new JsonObject()
                                            .put("address", "127.0.0.1")
                                            .put("port", primaryPort)))
                            .put("allow-update-forwarding", new JsonArray().add("127.0.0.1"))));
    Files.createDirectories(dir.resolve("secondary"));
    String y = "hmac-sha256:" + KEY + ":" + SECRET;
    try (TestNode primaryNode = TestNode.start(primary, dir, null);
        TestNode secondaryNode = TestNode.start(secondary, dir, null)) {
      long initial = serial(primaryPort);
      awaitSerial(secondaryPort, initial);

      UpdateInteropTest.Run signed =
          nsupdate(
              client, secondaryPort, List.of("-y", y), "update add fwd.dyn.test. 300 A 192.0.2.77");
      assertEquals("NOERROR", signed.rcode(), signed.output());
      assertEquals(0, signed.exit(), "nsupdate accepted the answer's TSIG:\n" + signed.output());
      assertEquals(initial + 1, serial(primaryPort));
      assertEquals(
          new TreeSet<>(List.of("192.0.2.77")), data(primaryPort, "fwd.dyn.test.", Type.A));
      awaitSerial(secondaryPort, initial + 1);
      assertEquals(
          new TreeSet<>(List.of("192.0.2.77")), data(secondaryPort, "fwd.dyn.test.", Type.A));

      // Over TCP too, and a delete.
      UpdateInteropTest.Run overTcp =
          nsupdate(client, secondaryPort, List.of("-v", "-y", y), "update delete fwd.dyn.test. A");
      assertEquals("NOERROR", overTcp.rcode(), overTcp.output());
      awaitSerial(secondaryPort, initial + 2);
      assertEquals(
          Rcode.NXDOMAIN,
          DnsClient.query(secondaryPort, "fwd.dyn.test.", Type.A, false).getRcode());

      // Unsigned: forwarded, refused by the primary's update-policy, nothing changes.
      UpdateInteropTest.Run unsigned =
          nsupdate(client, secondaryPort, List.of(), "update add no.dyn.test. 300 A 192.0.2.78");
      assertEquals("REFUSED", unsigned.rcode(), unsigned.output());
      assertEquals(initial + 2, serial(primaryPort));
      assertEquals(
          Rcode.NXDOMAIN, DnsClient.query(primaryPort, "no.dyn.test.", Type.A, false).getRcode());
    }
  }
}
