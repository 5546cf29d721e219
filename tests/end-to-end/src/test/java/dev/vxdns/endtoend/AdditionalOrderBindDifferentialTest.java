package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The additional addresses of an MX answer when the answer is too small for all of them, against
 * BIND 9.20 on the same zone: named renders every target's address of the client's family first (A
 * over IPv4, AAAA over IPv6), so the same types in the same order must fit. (A referral's glue
 * differs: named puts one name server's A record first whatever the family, README.)
 */
class AdditionalOrderBindDifferentialTest {

  private static String zone() {
    StringBuilder text =
        new StringBuilder(
            "$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\n"
                + "ns1 IN A 192.0.2.1\n");
    for (int i = 1; i <= 12; i++) {
      text.append("mx IN MX ").append(i).append(" mail").append(i).append('\n');
      text.append("mail").append(i).append(" IN A 192.0.2.").append(10 + i).append('\n');
      text.append("mail").append(i).append(" IN AAAA 2001:db8::").append(i).append('\n');
    }
    return text.toString();
  }

  @Test
  void theClientsAddressFamilyComesFirstAsInNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Path zoneFile = Files.writeString(dir.resolve("add.test.zone"), zone());
    int namedPort = TestNode.freePort();
    String conf =
        TransferPeers.namedOptions(dir, namedPort, "  notify no;")
                .replace("listen-on-v6 { none; };", "listen-on-v6 port " + namedPort + " { ::1; };")
            + "zone \"add.test\" { type primary; file \""
            + zoneFile
            + "\"; };\n";
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    JsonArray listeners = config.getJsonObject("options").getJsonArray("listen-on");
    listeners.add(listeners.getJsonObject(0).copy().put("address", "::1"));
    config.put(
        "zone",
        new JsonObject()
            .put(
                "add.test", new JsonObject().put("file", zoneFile.toString()).put("notify", "no")));
    List<String> differences = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode vxdns = TestNode.start(config)) {
      named.awaitNamed(List.of("add.test"));
      for (String server : List.of("127.0.0.1", "::1")) {
        for (int size : new int[] {0, 700, 1232}) {
          String probe = server + " MX " + (size == 0 ? "no EDNS" : "EDNS " + size);
          String theirs = additionalTypes(server, namedPort, size);
          String ours = additionalTypes(server, vxdns.port, size);
          seen.add(probe + ": " + theirs);
          if (!theirs.equals(ours)) {
            differences.add(probe + "\n  named: " + theirs + "\n  vxdns: " + ours);
          }
        }
      }
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
    String all = String.join("\n", seen);
    assertTrue(all.contains("127.0.0.1 MX no EDNS: A A A"), "positive control:\n" + all);
    assertTrue(all.contains("::1 MX no EDNS: AAAA AAAA AAAA"), "positive control:\n" + all);
  }

  /** The types of the additional section's records, in order (OPT left out). */
  private static String additionalTypes(String server, int port, int size) throws Exception {
    Message request =
        Message.newQuery(Record.newRecord(Name.fromString("mx.add.test."), Type.MX, DClass.IN));
    if (size > 0) {
      request.addRecord(new OPTRecord(size, 0, 0), Section.ADDITIONAL);
    }
    byte[] wire = request.toWire();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(3000);
      socket.send(new DatagramPacket(wire, wire.length, InetAddress.getByName(server), port));
      byte[] buffer = new byte[65535];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      Message response = new Message(Arrays.copyOf(buffer, packet.getLength()));
      return response.getSection(Section.ADDITIONAL).stream()
          .filter(record -> record.getType() != Type.OPT)
          .map(record -> Type.string(record.getType()))
          .collect(Collectors.joining(" "));
    }
  }
}
