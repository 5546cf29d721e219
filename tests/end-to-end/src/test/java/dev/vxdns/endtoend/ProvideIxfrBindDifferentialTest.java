package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * BIND's {@code provide-ixfr no}: an IXFR over TCP from an older serial is answered with the whole
 * zone even where the changes are at hand, and over UDP with the SOA alone. A named and a vxdns
 * primary with {@code provide-ixfr no} take the same update, then are asked IXFR from the serial
 * before it (over TCP and UDP) and from the current one; a vxdns primary without the option (the
 * control) answers the first incrementally.
 */
class ProvideIxfrBindDifferentialTest {
  private static final String ZONE = "provide.test";

  @Test
  void withoutProvideIxfrAnIxfrGetsTheWholeZoneAsFromNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(3);
    int namedPort = ports[0];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    TransferPeers.writeZone(namedDir, ZONE);
    String conf =
        TransferPeers.namedOptions(
                namedDir,
                namedPort,
                "  notify no;",
                "  allow-transfer { any; };",
                "  provide-ixfr no;")
            + TransferPeers.namedPrimary(ZONE, TransferPeers.NAMED_ALLOW_UPDATE);
    List<String> theirs;
    List<String> ours;
    List<String> control;
    try (Peer named = TransferPeers.startNamed(namedDir, conf);
        TestNode node = TestNode.start(nodeConfig(ports[1], dir.resolve("node"), false));
        TestNode plain = TestNode.start(nodeConfig(ports[2], dir.resolve("plain"), true))) {
      named.awaitNamed(List.of(ZONE));
      theirs = answers(namedPort);
      ours = answers(ports[1]);
      control = answers(ports[2]);
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of(
            "TCP from the last serial: whole",
            "UDP from the last serial: SOA alone",
            "TCP from now: up to date"),
        theirs,
        "named's answers");
    assertEquals("TCP from the last serial: incremental", control.get(0), "the control");
  }

  private static JsonObject nodeConfig(int port, Path directory, boolean provideIxfr)
      throws Exception {
    Files.createDirectories(directory);
    TransferPeers.writeZone(directory, ZONE);
    JsonObject config =
        TestNode.config(port, Delivery.DIRECT).put("key", TransferPeers.keyConfig());
    if (!provideIxfr) {
      config.getJsonObject("options").put("provide-ixfr", "no");
    }
    return config.put(
        "zone",
        new JsonObject()
            .put(ZONE, TransferPeers.updatablePrimaryOf(directory.resolve(ZONE + ".zone"))));
  }

  /** One update, then the IXFR answers from the serial before it (TCP, UDP) and from now. */
  private static List<String> answers(int port) throws Exception {
    long before = TransferPeers.serial(port, ZONE);
    Name host = TransferPeers.name("added." + ZONE + ".");
    TransferPeers.update(port, ZONE, u -> u.add(host, Type.A, 300, "192.0.2.99"));
    long now = TransferPeers.serial(port, ZONE);
    List<String> seen = new ArrayList<>();
    seen.add("TCP from the last serial: " + IxfrRatioBindDifferentialTest.ixfr(port, ZONE, before));
    seen.add("UDP from the last serial: " + ixfrOverUdp(port, before));
    seen.add("TCP from now: " + IxfrRatioBindDifferentialTest.ixfr(port, ZONE, now));
    return seen;
  }

  /** What an IXFR over UDP from {@code serial} gets: the SOA alone, or more records. */
  private static String ixfrOverUdp(int port, long serial) throws Exception {
    Name apex = TransferPeers.name(ZONE + ".");
    Message query = Message.newQuery(Record.newRecord(apex, Type.IXFR, DClass.IN));
    query.addRecord(
        new SOARecord(apex, DClass.IN, 0, apex, apex, serial, 0, 0, 0, 0), Section.AUTHORITY);
    List<Record> answer = DnsClient.ask(port, query).getSection(Section.ANSWER);
    return answer.size() == 1 && answer.get(0).getType() == Type.SOA
        ? "SOA alone"
        : answer.size() + " records";
  }
}
