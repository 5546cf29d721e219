package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.Delivery;
import dev.vxdns.message.StageRegistry;
import dev.vxdns.update.DynamicUpdate;
import dev.vxdns.verticles.zone.ZoneStage;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * Outgoing zone transfers (AXFR, IXFR) through whole nodes over TCP, in both deliveries: a large
 * generated zone arrives whole and identical, also to a client that reads slowly; a TSIG-signed
 * transfer is signed message by message; allow-transfer refuses the unsigned client.
 */
class XfrEndToEndTest {
  static final Name LARGE = Name.fromConstantString("large.test.");
  static final int LARGE_HOSTS = 25_000;
  private static Path largeZone;

  /** A zone of 2 × {@link #LARGE_HOSTS} + 2 records (A and TXT per host), written once. */
  static synchronized Path largeZone() {
    if (largeZone == null) {
      try {
        Path dir = Files.createTempDirectory("vxdns-xfr");
        StringBuilder text =
            new StringBuilder(
                "$ORIGIN large.test.\n$TTL 300\n"
                    + "@ IN SOA ns admin 2024010101 3600 600 86400 60\n@ IN NS ns\n"
                    + "ns IN A 192.0.2.53\n");
        for (int i = 0; i < LARGE_HOSTS; i++) {
          text.append("h")
              .append(i)
              .append(" IN A 10.")
              .append((i >> 16) & 255)
              .append('.')
              .append((i >> 8) & 255)
              .append('.')
              .append(i & 255)
              .append('\n');
          text.append("h").append(i).append(" IN TXT \"host number ").append(i).append("\"\n");
        }
        largeZone = dir.resolve("large.test.zone");
        Files.writeString(largeZone, text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return largeZone;
  }

  /** The records of a zone file, as a set. */
  static Set<Record> recordsOf(Path file, Name origin) throws IOException {
    Set<Record> records = new HashSet<>();
    try (Master master =
        new Master(new ByteArrayInputStream(Files.readAllBytes(file)), origin, 300)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        records.add(record);
      }
    }
    return records;
  }

  /**
   * The transfer test config: udp/tcp on {@code port}; example.test transferable with the key
   * host1-host2 only, large.test to 127.0.0.1.
   */
  static JsonObject config(int port, Delivery delivery) {
    JsonObject config = TsigEndToEndTest.config(port, delivery);
    config
        .getJsonObject("zone")
        .put(
            "example.test",
            TestNode.exampleZone()
                .put("allow-transfer", new JsonArray().add("key " + TsigEndToEndTest.KEY_256)))
        .put(
            "large.test",
            new JsonObject()
                .put("file", largeZone().toString())
                .put("allow-transfer", new JsonArray().add("127.0.0.1")));
    return config;
  }

  static TSIG transferKey() throws Exception {
    return TsigEndToEndTest.key(
        "hmac-sha256", TsigEndToEndTest.KEY_256, TsigEndToEndTest.SECRET_256, Clock.systemUTC());
  }

  static byte[] axfrQuery(Name zone, int id) {
    Message query = Message.newQuery(Record.newRecord(zone, Type.AXFR, DClass.IN));
    query.getHeader().setID(id);
    return query.toWire();
  }

  /**
   * IXFR from a real history. Updates (which make histories) are not part of this change, so the
   * test publishes, as a redeploy would, a zone stage whose zone went through two changes ({@code
   * Zone.apply}); the direct delivery calls it from the local registry.
   */
  @Test
  void ixfrFromAHistorySendsTheChangesAndAxfrTheNewVersion() throws Exception {
    try (TestNode node = TestNode.start(config(TestNode.freePort(), Delivery.DIRECT))) {
      StageRegistry registry = StageRegistry.of(node.vertx);
      ZoneStage served = (ZoneStage) registry.find(Addresses.ZONE_QUERY);
      Name example = Name.fromString("example.test.");
      Zone v1 = served.zones().find(example, Type.SOA);
      ARecord first =
          new ARecord(
              new Name("ixfr1", example), DClass.IN, 300, InetAddress.getByName("192.0.2.201"));
      ARecord second =
          new ARecord(
              new Name("ixfr2", example), DClass.IN, 300, InetAddress.getByName("192.0.2.202"));
      Zone v2 =
          v1.apply(
              new ZoneDiff(
                  v1.soa(),
                  DynamicUpdate.withSerial(v1.soa(), v1.serial() + 1),
                  List.of(),
                  List.of(first)));
      Zone v3 =
          v2.apply(
              new ZoneDiff(
                  v2.soa(),
                  DynamicUpdate.withSerial(v1.soa(), v1.serial() + 2),
                  List.of(first),
                  List.of(second)));
      registry.publish(Addresses.ZONE_QUERY, new ZoneStage(served.zones().with(v3), 1232));

      ZoneTransferIn ixfr =
          ZoneTransferIn.newIXFR(
              example,
              v1.serial(),
              false,
              new InetSocketAddress("127.0.0.1", node.port),
              transferKey());
      ixfr.setTimeout(Duration.ofSeconds(30));
      ixfr.run();
      assertTrue(ixfr.isIXFR(), "an incremental answer");
      List<ZoneTransferIn.Delta> deltas = ixfr.getIXFR();
      assertEquals(2, deltas.size());
      assertEquals(v1.serial(), deltas.get(0).start);
      assertEquals(List.of(first), deltas.get(0).adds.subList(1, deltas.get(0).adds.size()));
      assertEquals(List.of(first), deltas.get(1).deletes.subList(1, deltas.get(1).deletes.size()));
      assertEquals(List.of(second), deltas.get(1).adds.subList(1, deltas.get(1).adds.size()));
      assertEquals(v3.serial(), deltas.get(1).end);

      ZoneTransferIn middle =
          ZoneTransferIn.newIXFR(
              example,
              v2.serial(),
              false,
              new InetSocketAddress("127.0.0.1", node.port),
              transferKey());
      middle.setTimeout(Duration.ofSeconds(30));
      middle.run();
      assertEquals(1, middle.getIXFR().size());

      ZoneTransferIn axfr =
          ZoneTransferIn.newAXFR(
              example, new InetSocketAddress("127.0.0.1", node.port), transferKey());
      axfr.setTimeout(Duration.ofSeconds(30));
      axfr.run();
      assertEquals(new HashSet<>(v3.records()), new HashSet<>(axfr.getAXFR()));
      assertTrue(axfr.getAXFR().contains(second) && !axfr.getAXFR().contains(first));
    }
  }

  @Nested
  class DirectDelivery extends Cases implements BothDeliveries.Direct {}

  @Nested
  class EventBusDelivery extends Cases implements BothDeliveries.EventBus {}

  abstract static class Cases extends BothDeliveries {
    @Override
    TestNode startNode(Delivery delivery) throws Exception {
      return TestNode.start(config(TestNode.freePort(), delivery));
    }

    private ZoneTransferIn axfr(Name zone, TSIG key) throws Exception {
      ZoneTransferIn xfr =
          ZoneTransferIn.newAXFR(zone, new InetSocketAddress("127.0.0.1", node.port), key);
      xfr.setTimeout(Duration.ofSeconds(60));
      return xfr;
    }

    @Test
    void aLargeZoneArrivesWholeAndIdentical() throws Exception {
      ZoneTransferIn xfr = axfr(LARGE, null);
      xfr.run();
      assertTrue(xfr.isAXFR());
      List<Record> received = xfr.getAXFR();
      Set<Record> expected = recordsOf(largeZone(), LARGE);
      assertEquals(2 * LARGE_HOSTS + 3, expected.size());
      // Every record once, and the closing SOA.
      assertEquals(expected.size() + 1, received.size());
      assertEquals(received.get(0), received.get(received.size() - 1));
      assertEquals(expected, new HashSet<>(received));
    }

    /**
     * A client that does not read for longer than tcp-initial-timeout (2.5 s here) and then reads
     * slowly: the transfer holds the connection open and completes, in order and whole.
     */
    @Test
    void aSlowReaderGetsTheWholeZoneAndTheConnectionStaysOpen() throws Exception {
      try (Socket socket = new Socket()) {
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", node.port), 3000);
        socket.setSoTimeout(30_000);
        DnsClient.writeFramed(socket, axfrQuery(LARGE, 4711));
        Thread.sleep(3500);
        Set<Record> received = new HashSet<>();
        int soas = 0;
        int messages = 0;
        while (soas < 2) {
          Message message = new Message(DnsClient.readFramed(socket));
          assertEquals(4711, message.getHeader().getID());
          assertEquals(Rcode.NOERROR, message.getRcode());
          assertTrue(message.getHeader().getFlag(Flags.AA));
          assertEquals(messages == 0 ? 1 : 0, message.getSection(Section.QUESTION).size());
          for (Record record : message.getSection(Section.ANSWER)) {
            soas += record instanceof SOARecord ? 1 : 0;
            received.add(record);
          }
          if (++messages % 10 == 0) {
            Thread.sleep(20);
          }
        }
        assertTrue(messages > 20, messages + " messages");
        assertEquals(recordsOf(largeZone(), LARGE), received);
        // The connection still serves queries after the transfer.
        DnsClient.writeFramed(
            socket, Message.newQuery(Record.newRecord(LARGE, Type.SOA, DClass.IN)).toWire());
        assertEquals(Rcode.NOERROR, new Message(DnsClient.readFramed(socket)).getRcode());
      }
    }

    @Test
    void aSignedTransferIsSignedMessageByMessageAndTheUnsignedOneIsRefused() throws Exception {
      Name example = Name.fromString("example.test.");
      ZoneTransferIn signed = axfr(example, transferKey());
      signed.run();
      // dnsjava verifies the TSIG of every message (its StreamVerifier) and fails otherwise.
      List<Record> records = signed.getAXFR();
      assertTrue(records.size() > 5, records.toString());
      assertEquals(Type.SOA, records.get(0).getType());

      ZoneTransferException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              ZoneTransferException.class, () -> axfr(example, null).run());
      assertTrue(refused.getMessage().contains("REFUSED"), refused.getMessage());
    }

    @Test
    void ixfrOfAnUpToDateClientIsCurrentAndAnOlderOneGetsTheWholeZone() throws Exception {
      Name example = Name.fromString("example.test.");
      Message soa =
          node.send(Message.newQuery(Record.newRecord(example, Type.SOA, DClass.IN)), true);
      long serial = ((SOARecord) soa.getSection(Section.ANSWER).get(0)).getSerial();
      ZoneTransferIn current =
          ZoneTransferIn.newIXFR(
              example, serial, false, new InetSocketAddress("127.0.0.1", node.port), transferKey());
      current.setTimeout(Duration.ofSeconds(30));
      current.run();
      assertTrue(current.isCurrent(), "the single SOA answer");

      ZoneTransferIn older =
          ZoneTransferIn.newIXFR(
              example,
              serial - 1,
              false,
              new InetSocketAddress("127.0.0.1", node.port),
              transferKey());
      older.setTimeout(Duration.ofSeconds(30));
      older.run();
      assertTrue(older.isAXFR(), "no history: the whole zone, AXFR style");
      assertTrue(older.getAXFR().size() > 5);
    }

    @Test
    void axfrOverUdpIsFormerrAsInBind920() throws Exception {
      Message response = new Message(node.udpRaw(axfrQuery(LARGE, 99), 3000));
      assertEquals(99, response.getHeader().getID());
      assertEquals(Rcode.FORMERR, response.getRcode());
      assertTrue(response.getSection(Section.ANSWER).isEmpty());
      // Positive control: the same zone answers other queries over UDP.
      Message soa = node.query(LARGE.toString(), Type.SOA, false);
      assertEquals(Rcode.NOERROR, soa.getRcode());
      assertEquals(1, soa.getSection(Section.ANSWER).size());
    }
  }
}
