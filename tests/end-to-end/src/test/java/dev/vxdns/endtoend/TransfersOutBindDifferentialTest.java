package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * BIND 9.20's {@code transfers-out}: with a limit of 1, a client that starts the transfer of a
 * large zone and stops reading holds the only slot; another AXFR, and an IXFR that would be the SOA
 * alone, get SERVFAIL (named takes the slot before it looks at the serial); once that client is
 * gone the next transfer runs whole. A named and a vxdns primary of the same zone take the same
 * steps.
 */
class TransfersOutBindDifferentialTest {
  private static final String ZONE = "big.test";

  /** More than the loopback socket buffers hold (4 MiB for the sender), so the transfer waits. */
  private static final int HOSTS = 300_000;

  @Test
  void aTransferBeyondTransfersOutIsServfailAsInNamed(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    int[] ports = TransferPeers.freePorts(2);
    int namedPort = ports[0];
    int port = ports[1];
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    String zoneFile = zoneFile();
    Files.writeString(namedDir.resolve(ZONE + ".zone"), zoneFile);
    Files.writeString(nodeDir.resolve(ZONE + ".zone"), zoneFile);
    String conf =
        TransferPeers.namedOptions(
                namedDir,
                namedPort,
                "  notify no;",
                "  allow-transfer { any; };",
                "  transfers-out 1;")
            + TransferPeers.namedPrimary(ZONE, "");
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.getJsonObject("options").put("transfers-out", 1);
    config.put(
        "zone",
        new JsonObject().put(ZONE, TransferPeers.primaryOf(nodeDir.resolve(ZONE + ".zone"))));
    List<String> theirs;
    List<String> ours;
    try (Peer named = TransferPeers.startNamed(namedDir, conf);
        TestNode node = TestNode.start(config)) {
      named.awaitNamed(List.of(ZONE));
      theirs = steps(namedPort);
      ours = steps(port);
    }
    assertEquals(theirs, ours);
    assertEquals(
        List.of(
            "first message: NOERROR",
            "AXFR meanwhile: SERVFAIL",
            "IXFR meanwhile: SERVFAIL",
            "AXFR after: " + (HOSTS + 4) + " records"), // both SOAs
        theirs,
        "named's answers");
  }

  private static String zoneFile() {
    StringBuilder zone =
        new StringBuilder(
            "$TTL 300\n@ SOA ns.big.test. admin.big.test. 1 3600 900 604800 300\n"
                + "@ NS ns.big.test.\nns A 192.0.2.1\n");
    for (int i = 0; i < HOSTS; i++) {
      zone.append("h")
          .append(i)
          .append(" A 10.")
          .append(i >> 16)
          .append('.')
          .append((i >> 8) & 255)
          .append('.')
          .append(i & 255)
          .append('\n');
    }
    return zone.toString();
  }

  /** The steps against the primary on {@code port}, each as what it saw. */
  private static List<String> steps(int port) throws Exception {
    List<String> seen = new ArrayList<>();
    try (Socket stalled = new Socket()) {
      // A small receive window keeps the rest of the zone in the server's buffers.
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      stalled.setSoTimeout(10_000);
      DnsClient.writeFramed(stalled, query(Type.AXFR).toWire());
      Message first = new Message(DnsClient.readFramed(stalled));
      seen.add("first message: " + Rcode.string(first.getRcode()));
      // It reads no more: the transfer waits for it and keeps its slot.
      seen.add("AXFR meanwhile: " + firstRcode(port, query(Type.AXFR)));
      seen.add("IXFR meanwhile: " + firstRcode(port, query(Type.IXFR)));
    }
    // The server notices the close when it writes next; the slot is free a moment later.
    int[] records = {0};
    TransferPeers.waitFor(
        "a whole transfer after the first client left",
        () -> (records[0] = wholeAxfr(port)) > 0,
        () -> "the last AXFR failed");
    seen.add("AXFR after: " + records[0] + " records");
    return seen;
  }

  /** The zone's AXFR query, or its IXFR query from the current serial (1): the SOA alone. */
  private static Message query(int type) throws Exception {
    Name apex = Name.fromString(ZONE + ".");
    Message query = Message.newQuery(Record.newRecord(apex, type, DClass.IN));
    if (type == Type.IXFR) {
      query.addRecord(
          new SOARecord(apex, DClass.IN, 0, apex, apex, 1, 0, 0, 0, 0), Section.AUTHORITY);
    }
    return query;
  }

  /** The RCODE of the first message a transfer query gets, on a connection of its own. */
  private static String firstRcode(int port, Message query) throws IOException {
    try (Socket socket = DnsClient.tcp(port, 10_000)) {
      DnsClient.writeFramed(socket, query.toWire());
      byte[] answer = DnsClient.readFramed(socket);
      return answer == null ? "closed" : Rcode.string(new Message(answer).getRcode());
    }
  }

  /** The records of a whole AXFR (both SOAs counted once), or 0 when it fails. */
  private static int wholeAxfr(int port) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(
            Name.fromString(ZONE + "."), new InetSocketAddress("127.0.0.1", port), null);
    xfr.setTimeout(java.time.Duration.ofSeconds(30));
    try {
      xfr.run();
      return xfr.getAXFR().size();
    } catch (ZoneTransferException failed) {
      return 0;
    }
  }
}
