package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;

/**
 * Editing a dynamic zone by hand, as BIND's operators do it: {@code rndc freeze}, edit the file,
 * {@code rndc thaw}; with vxdns {@code zone-freeze} and {@code zone-thaw}. named 9.20 and a node
 * take an update, are frozen (an update then is REFUSED by both), get the same edited file (serial
 * 5), are thawed and take one more update: the same answers and exit statuses, the same serials,
 * and the same zone by AXFR at the end.
 */
class FreezeThawBindDifferentialTest {
  private static final String ZONE = "dyn.test";

  @Test
  void aDynamicZoneIsEditedByHandBetweenAFreezeAndAThaw(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(4);
    int namedPort = ports[0];
    int rndcPort = ports[1];
    int port = ports[2];
    int controlPort = ports[3];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    TransferPeers.writeZone(namedDir, ZONE);
    String conf =
        TransferPeers.namedOptions(
                    namedDir, namedPort, "  notify no;", "  allow-transfer { any; };")
                .replace(
                    "controls { };",
                    "controls { inet 127.0.0.1 port "
                        + rndcPort
                        + " allow { 127.0.0.1; } keys { \""
                        + TransferPeers.KEY_NAME
                        + "\"; }; };")
            + TransferPeers.namedPrimary(ZONE, TransferPeers.NAMED_ALLOW_UPDATE);
    Path rndcKey = namedDir.resolve("rndc.key");
    Files.writeString(
        rndcKey,
        "key \""
            + TransferPeers.KEY_NAME
            + "\" { algorithm hmac-sha256; secret \""
            + TransferPeers.KEY_SECRET
            + "\"; };\n");
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    config.put(
        "zone",
        new JsonObject()
            .put(ZONE, TransferPeers.updatablePrimaryOf(TransferPeers.writeZone(nodeDir, ZONE))));
    List<String> tool = TestNode.controlled(config, nodeDir, controlPort);
    String rndc = Dig920.prefix().resolve("usr/sbin/rndc").toString();
    List<String> theirs;
    List<String> ours;
    try (Peer named = TransferPeers.startNamed(namedDir, conf);
        TestNode node = TestNode.start(config, nodeDir, null)) {
      theirs =
          editedByHand(
              namedDir,
              namedPort,
              op ->
                  Commands.run(
                      List.of(
                          rndc,
                          "-s",
                          "127.0.0.1",
                          "-p",
                          Integer.toString(rndcPort),
                          "-k",
                          rndcKey.toString(),
                          "-y",
                          TransferPeers.KEY_NAME,
                          op,
                          ZONE)),
              named::log);
      ours =
          editedByHand(
              nodeDir, port, op -> Commands.vxdns(tool, "zone-" + op, ZONE), () -> "vxdns");
      assertEquals(TransferPeers.axfr(namedPort, ZONE), TransferPeers.axfr(port, ZONE));
    }
    assertEquals(
        List.of(
            "update NOERROR",
            "freeze 0",
            "update REFUSED",
            "thaw 0",
            "serial 5",
            "update NOERROR",
            "serial 6"),
        theirs,
        "named's");
    assertEquals(theirs, ours);
  }

  /** A freeze or thaw of the zone; the command's outcome. */
  private interface Control {
    Commands.Run run(String op) throws Exception;
  }

  /**
   * An update, a freeze, an update, the file edited by hand (serial 5, www moved, the update's
   * record kept, one more added), a thaw, an update: each step's outcome.
   */
  private static List<String> editedByHand(
      Path dir, int port, Control control, Supplier<String> log) throws Exception {
    List<String> steps = new ArrayList<>();
    steps.add("update " + update(port, "added", "192.0.2.7"));
    Commands.Run freeze = control.run("freeze");
    steps.add("freeze " + freeze.status());
    steps.add("update " + update(port, "refused", "192.0.2.8"));
    Files.writeString(
        dir.resolve(ZONE + ".zone"),
        SecondaryInteropTest.zoneFile(ZONE)
                .replace("hostmaster 1 3600", "hostmaster 5 3600")
                .replace("www IN A 192.0.2.80", "www IN A 192.0.2.85")
            + "added IN A 192.0.2.7\nedited IN A 192.0.2.9\n");
    Commands.Run thaw = control.run("thaw");
    steps.add("thaw " + thaw.status());
    TransferPeers.waitFor(
        "the edited file served", () -> TransferPeers.serial(port, ZONE) == 5, log);
    steps.add("serial " + TransferPeers.serial(port, ZONE));
    steps.add("update " + update(port, "later", "192.0.2.10"));
    steps.add("serial " + TransferPeers.serial(port, ZONE));
    return steps;
  }

  private static String update(int port, String name, String address) throws Exception {
    return Rcode.string(
        TransferPeers.signedUpdate(
                port,
                ZONE,
                update ->
                    update.add(
                        new ARecord(
                            TransferPeers.name(name + "." + ZONE + "."),
                            DClass.IN,
                            300,
                            InetAddress.getByName(address))))
            .getRcode());
  }
}
