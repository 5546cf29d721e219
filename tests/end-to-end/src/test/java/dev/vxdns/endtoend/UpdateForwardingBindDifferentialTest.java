package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * An update signed with a key only the primary has, sent to a secondary, against BIND 9.20: a named
 * and a vxdns secondary of a named primary, neither of which has the key. Where {@code
 * allow-update-forwarding} admits the client, both forward the update as received, the primary
 * verifies and applies it, and the client gets the primary's answer, signed with its key (BIND's
 * ns_update_start forwards for a secondary zone whatever the signature, and sends the answer back
 * as it came); where it does not, both answer REFUSED with a BADKEY TSIG. Before, vxdns answered
 * every update with an unknown key NOTAUTH.
 */
class UpdateForwardingBindDifferentialTest {
  private static final String KEY = "only-primary.";
  private static final String SECRET = "c2VjcmV0LW9mLXRoZS1wcmltYXJ5LW9ubHktMzItYnl0ZXM=";

  @Test
  void anUpdateSignedWithTheOnlyPrimarysKeyIsForwardedAsNamedForwardsIt(@TempDir Path dir)
      throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(3);
    int primaryPort = ports[0];
    int namedPort = ports[1];
    int port = ports[2];
    Path primaryDir = Files.createDirectories(dir.resolve("primary"));
    Path secondaryDir = Files.createDirectories(dir.resolve("secondary"));
    for (String zone : List.of("fwd.test", "closed.test")) {
      TransferPeers.writeZone(primaryDir, zone);
    }
    String primaryConf =
        TransferPeers.namedOptions(
                primaryDir, primaryPort, "  notify no;", "  allow-transfer { any; };")
            + "key \""
            + KEY
            + "\" { algorithm hmac-sha256; secret \""
            + SECRET
            + "\"; };\n"
            + "zone \"fwd.test\" { type primary; file \"fwd.test.zone\"; allow-update { key \""
            + KEY
            + "\"; }; };\n"
            + "zone \"closed.test\" { type primary; file \"closed.test.zone\"; allow-update { key \""
            + KEY
            + "\"; }; };\n";
    String primaries = "primaries { 127.0.0.1 port " + primaryPort + "; };";
    String secondaryConf =
        TransferPeers.namedOptions(secondaryDir, namedPort, "  notify no;")
            + "zone \"fwd.test\" { type secondary; "
            + primaries
            + " allow-update-forwarding { 127.0.0.1; }; };\n"
            + "zone \"closed.test\" { type secondary; "
            + primaries
            + " };\n";
    JsonObject config =
        TestNode.config(port, Delivery.DIRECT)
            .put(
                "zone",
                new JsonObject()
                    .put(
                        "fwd.test",
                        TransferPeers.secondaryOf(primaryPort)
                            .put("allow-update-forwarding", new JsonArray().add("127.0.0.1")))
                    .put("closed.test", TransferPeers.secondaryOf(primaryPort)));
    TSIG key = new TSIG(TSIG.HMAC_SHA256, KEY, SECRET);
    List<String> differences = new ArrayList<>();
    try (Peer named = TransferPeers.startNamed(primaryDir, primaryConf);
        Peer secondaryNamed = TransferPeers.startNamed(secondaryDir, secondaryConf);
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(List.of("fwd.test", "closed.test"));
      for (int secondary : new int[] {namedPort, port}) {
        for (String zone : List.of("fwd.test", "closed.test")) {
          long loaded = TransferPeers.serial(primaryPort, zone);
          TransferPeers.awaitSerial(
              zone + " on " + secondary, secondary, zone, loaded, secondaryNamed::log);
        }
      }
      long before = TransferPeers.serial(primaryPort, "fwd.test");
      String theirs = update(namedPort, "fwd.test", "by-named", key);
      String ours = update(port, "fwd.test", "by-vxdns", key);
      if (!theirs.equals(ours)) {
        differences.add("forwarded: named " + theirs + ", vxdns " + ours);
      }
      assertEquals(
          "NOERROR tsig NOERROR checked NOERROR",
          theirs,
          "named's positive control\n" + secondaryNamed.log());
      assertEquals(before + 2, TransferPeers.serial(primaryPort, "fwd.test"), "both applied");
      for (String host : List.of("by-named", "by-vxdns")) {
        assertEquals(
            1,
            DnsClient.query(primaryPort, host + ".fwd.test.", Type.A, false)
                .getSection(Section.ANSWER)
                .size(),
            host);
      }
      String closedTheirs = update(namedPort, "closed.test", "refused", key);
      String closedOurs = update(port, "closed.test", "refused", key);
      if (!closedTheirs.equals(closedOurs)) {
        differences.add("not forwarded: named " + closedTheirs + ", vxdns " + closedOurs);
      }
      assertTrue(closedTheirs.startsWith("REFUSED tsig BADKEY"), closedTheirs);
      assertTrue(named.alive() && secondaryNamed.alive(), secondaryNamed.log());
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
  }

  /**
   * The update signed with {@code key}, sent over TCP: the answer's rcode and what checking its
   * TSIG against the key gives (or "unsigned").
   */
  private static String update(int port, String zone, String host, TSIG key) throws Exception {
    org.xbill.DNS.Update update = new org.xbill.DNS.Update(TransferPeers.name(zone + "."));
    update.add(TransferPeers.name(host + "." + zone + "."), Type.A, 300, "192.0.2.44");
    key.apply(update, null);
    byte[] wire;
    try (java.net.Socket socket = DnsClient.tcp(port, 5000)) {
      DnsClient.writeFramed(socket, update.toWire());
      wire = DnsClient.readFramed(socket);
    }
    Message response = new Message(wire);
    TSIGRecord tsig = response.getTSIG();
    if (tsig == null) {
      return Rcode.string(response.getRcode()) + " unsigned";
    }
    // RFC 8945 §5.3: the MAC covers the message with its original ID (named's forwarder gives the
    // update an ID of its own, then the answer the client's); dnsjava checks the ID as received.
    byte[] asSigned = wire.clone();
    asSigned[0] = (byte) (tsig.getOriginalID() >> 8);
    asSigned[1] = (byte) tsig.getOriginalID();
    int checked = key.verify(new Message(asSigned), asSigned, update.getTSIG());
    String signature =
        "tsig " + Rcode.TSIGstring(tsig.getError()) + " checked " + Rcode.TSIGstring(checked);
    return Rcode.string(response.getRcode()) + " " + signature;
  }
}
