package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What a server answers to a NOTIFY, against BIND 9.20 on the same zones and options: a primary
 * zone's apex acknowledges it (and ignores it), a name that is no zone's apex is NOTAUTH, and only
 * a secondary zone's apex consults {@code allow-notify} (its own, else the options', and its
 * primaries always). Each NOTIFY is sent from its own loopback address; rcode and AA are compared.
 */
class NotifyReceiveBindDifferentialTest {
  private static final String ZONE =
      "$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n";

  /** The secondary's primary (nothing listens there) and who else may NOTIFY (the options'). */
  private static final String PRIMARY = "127.0.0.1";

  private static final String ALLOWED = "127.0.0.2";
  private static final String STRANGER = "127.0.0.3";

  record Probe(String name, String source) {}

  private static final List<Probe> PROBES =
      List.of(
          new Probe("primary.test.", STRANGER),
          new Probe("www.primary.test.", STRANGER),
          new Probe("nowhere.test.", STRANGER),
          new Probe("secondary.test.", PRIMARY),
          new Probe("secondary.test.", ALLOWED),
          new Probe("secondary.test.", STRANGER),
          new Probe("www.secondary.test.", STRANGER));

  @Test
  void notifyIsAnsweredAsNamedAnswersIt(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Path zoneFile = Files.writeString(dir.resolve("primary.test.zone"), ZONE);
    int deadPort = TestNode.freePort();
    int namedPort = TestNode.freePort();
    String conf =
        TransferPeers.namedOptions(
                dir, namedPort, "  notify no;", "  allow-notify { " + ALLOWED + "; };")
            + String.join(
                "\n",
                "zone \"primary.test\" { type primary; file \"" + zoneFile + "\"; };",
                "zone \"secondary.test\" { type secondary; file \"secondary.db\";",
                "  primaries { " + PRIMARY + " port " + deadPort + "; }; };",
                "");
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config
        .getJsonObject("options")
        .put("notify", "no")
        .put("allow-notify", new JsonArray().add(ALLOWED));
    config.put(
        "zone",
        new JsonObject()
            .put("primary.test", new JsonObject().put("file", zoneFile.toString()))
            .put(
                "secondary.test",
                new JsonObject()
                    .put("type", "secondary")
                    .put(
                        "primaries",
                        new JsonArray()
                            .add(new JsonObject().put("address", PRIMARY).put("port", deadPort)))));
    List<String> differences = new ArrayList<>();
    Set<String> rcodes = new TreeSet<>();
    try (Peer named = TransferPeers.startNamed(dir, conf);
        TestNode vxdns = TestNode.start(config)) {
      named.awaitNamed(List.of("primary.test"));
      for (Probe probe : PROBES) {
        String theirs = notify(namedPort, probe);
        String ours = notify(vxdns.port, probe);
        rcodes.add(theirs.split(" ")[0]);
        if (!theirs.equals(ours)) {
          differences.add(probe + ": named " + theirs + ", vxdns " + ours);
        }
      }
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
    assertEquals(Set.of("NOERROR", "NOTAUTH", "REFUSED"), rcodes, "every kind of answer is seen");
  }

  /**
   * The answer's rcode and whether it is authoritative, for a NOTIFY sent from the probe's source.
   */
  private static String notify(int port, Probe probe) throws Exception {
    Message notify =
        Message.newQuery(Record.newRecord(Name.fromString(probe.name()), Type.SOA, DClass.IN));
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().unsetFlag(Flags.RD);
    notify.getHeader().setFlag(Flags.AA);
    byte[] wire = notify.toWire();
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName(probe.source()), 0))) {
      socket.setSoTimeout(3000);
      socket.send(new DatagramPacket(wire, wire.length, InetAddress.getByName("127.0.0.1"), port));
      byte[] buffer = new byte[4096];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      socket.receive(packet);
      Message response = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
      return Rcode.string(response.getRcode())
          + (response.getHeader().getFlag(Flags.AA) ? " aa" : "");
    }
  }
}
