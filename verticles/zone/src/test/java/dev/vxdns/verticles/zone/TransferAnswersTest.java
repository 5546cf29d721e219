package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Progress;
import dev.vxdns.message.ProgressBoard;
import dev.vxdns.message.ResponseStream;
import dev.vxdns.message.Transport;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.ZoneSet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class TransferAnswersTest {
  private static final Path EXAMPLE = Path.of("../../config/zones/example.test.zone");

  private static Zone zone() throws Exception {
    return ZoneFiles.load(EXAMPLE, Name.fromString("example.test."));
  }

  private static ZoneStage stage() throws Exception {
    return new ZoneStage(ZoneSet.of(List.of(zone())), 1232);
  }

  private static DnsExchange ask(
      Transport transport, String name, int type, int dclass, Long serial) throws Exception {
    Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
    if (serial != null) {
      Name apex = Name.fromString(name);
      query.addRecord(
          new SOARecord(apex, DClass.IN, 0, apex, apex, serial, 0, 0, 0, 0), Section.AUTHORITY);
    }
    return DnsExchange.received(
        transport,
        "t",
        new InetSocketAddress("127.0.0.1", 1),
        new InetSocketAddress("127.0.0.1", 53),
        query.toWire());
  }

  private static List<Record> everything(DnsExchange answered) {
    List<Record> records = new ArrayList<>(answered.responseMessage().getSection(Section.ANSWER));
    ResponseStream rest = answered.responseStream();
    if (rest != null) {
      ResponseStream.Part part;
      while ((part = rest.next().result()) != null) {
        assertTrue(part.message().getSection(Section.QUESTION).isEmpty());
        records.addAll(part.message().getSection(Section.ANSWER));
      }
    }
    return records;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"TCP", "DOT"})
  void axfrOverStreamsIsTheWholeZoneBetweenTwoSoas(Transport transport) throws Exception {
    DnsExchange answered =
        stage().answer(ask(transport, "example.test.", Type.AXFR, DClass.IN, null));
    Message first = answered.responseMessage();
    assertEquals(Rcode.NOERROR, first.getRcode());
    assertTrue(first.getHeader().getFlag(Flags.AA));
    assertEquals(Type.AXFR, first.getQuestion().getType());
    List<Record> records = everything(answered);
    Zone zone = zone();
    assertEquals(zone.soa(), records.get(0));
    assertEquals(zone.soa(), records.get(records.size() - 1));
    assertEquals(zone.recordCount() + 1, records.size());
    assertEquals(new HashSet<>(zone.records()), new HashSet<>(records));
  }

  /**
   * An outgoing transfer is on the progress board while the client pulls it (records sent of the
   * zone's), and leaves it at its end, or when the transport cancels it (the client went away).
   */
  @Test
  void outgoingTransfersReportProgressUntilTheyEndOrAreCancelled() throws Exception {
    Zone zone = largeZone();
    ProgressBoard board = new ProgressBoard();
    ZoneStage stage = new ZoneStage(ZoneSet.of(List.of(zone)), 1232, null, board);
    DnsExchange answered =
        stage.answer(ask(Transport.TCP, "example.test.", Type.AXFR, DClass.IN, null));
    assertEquals(1, board.running().size());
    Progress task = board.running().get(0);
    assertEquals("transfer-out", task.kind());
    assertEquals("example.test. to 127.0.0.1#1", task.subject());
    assertEquals(zone.recordCount() + 1, task.total());
    long first = answered.responseMessage().getSection(Section.ANSWER).size();
    assertEquals(first, task.done());
    answered.responseStream().next();
    assertTrue(task.done() > first, task.toString());
    everything(answered);
    assertEquals(zone.recordCount() + 1, task.done());
    assertTrue(board.running().isEmpty(), "the transfer ended");

    DnsExchange cut = stage.answer(ask(Transport.TCP, "example.test.", Type.AXFR, DClass.IN, null));
    assertEquals(1, board.running().size());
    cut.responseStream().next();
    cut.responseStream().cancel();
    assertTrue(board.running().isEmpty(), "the cancelled transfer ended");
  }

  /** The example zone and 2,000 more names: a transfer of several messages. */
  private static Zone largeZone() throws Exception {
    List<Record> records = new ArrayList<>(zone().records());
    for (int i = 0; i < 2000; i++) {
      records.add(
          new ARecord(
              Name.fromString("host" + i + ".example.test."),
              DClass.IN,
              300,
              InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i})));
    }
    return Zone.of(Name.fromString("example.test."), records);
  }

  /**
   * {@code transfers-out}: a transfer holds its slot until its stream ends or is cancelled; with
   * every slot taken any transfer request gets SERVFAIL (also an IXFR that would be the SOA alone,
   * or that lacks the client's SOA: named takes the slot before it looks); a transfer of one
   * message gives its slot back at once.
   */
  @Test
  void transfersOutLimitsTheTransfersRunningAtOnce() throws Exception {
    Zone zone = largeZone();
    TransfersOut slots = new TransfersOut(2);
    ZoneStage stage =
        new ZoneStage(ZoneSet.of(List.of(zone)), 1232, null, new ProgressBoard(), slots);
    String apex = "example.test.";
    DnsExchange axfr = stage.answer(ask(Transport.TCP, apex, Type.AXFR, DClass.IN, null));
    DnsExchange ixfr =
        stage.answer(ask(Transport.TCP, apex, Type.IXFR, DClass.IN, zone.serial() - 1));
    assertNotNull(axfr.responseStream());
    assertNotNull(ixfr.responseStream());
    assertEquals(2, slots.running());
    for (Long serial : new Long[] {null, zone.serial(), zone.serial() - 1}) {
      for (int type : new int[] {Type.AXFR, Type.IXFR}) {
        DnsExchange refused = stage.answer(ask(Transport.TCP, apex, type, DClass.IN, serial));
        assertEquals(Rcode.SERVFAIL, refused.responseMessage().getRcode(), refused.toString());
        assertNull(refused.responseStream());
      }
    }
    DnsExchange overUdp =
        stage.answer(ask(Transport.UDP, apex, Type.IXFR, DClass.IN, zone.serial()));
    assertEquals(Rcode.SERVFAIL, overUdp.responseMessage().getRcode());

    axfr.responseStream().next();
    axfr.responseStream().cancel();
    assertEquals(1, slots.running(), "a cancelled transfer gives its slot back");
    everything(ixfr);
    assertEquals(0, slots.running(), "a transfer sent whole gives its slot back");
    DnsExchange upToDate =
        stage.answer(ask(Transport.TCP, apex, Type.IXFR, DClass.IN, zone.serial()));
    assertEquals(List.of(zone.soa()), everything(upToDate));
    assertEquals(0, slots.running(), "one message: no slot kept");
    DnsExchange again = stage.answer(ask(Transport.TCP, apex, Type.AXFR, DClass.IN, null));
    assertEquals(zone.recordCount() + 1, everything(again).size());

    TransfersOut unlimited = new TransfersOut(0);
    ZoneStage open =
        new ZoneStage(ZoneSet.of(List.of(zone)), 1232, null, new ProgressBoard(), unlimited);
    for (int i = 0; i < 20; i++) {
      assertNotNull(
          open.answer(ask(Transport.TCP, apex, Type.AXFR, DClass.IN, null)).responseStream());
    }
    assertEquals(20, unlimited.running());
  }

  @ParameterizedTest(name = "{0} {1} {2} class {3} -> {4}")
  @CsvSource({
    "UDP, example.test., AXFR, IN, FORMERR",
    "DOH, example.test., AXFR, IN, NOTIMP",
    "H2C, example.test., IXFR, IN, NOTIMP",
    "TCP, www.example.test., AXFR, IN, NOTAUTH",
    "TCP, example.com., AXFR, IN, NOTAUTH",
    "TCP, example.test., AXFR, CH, NOTAUTH",
    "TCP, example.test., IXFR, IN, FORMERR",
  })
  void answersWhatItCannotTransferAsBind920Does(
      Transport transport, String name, String type, String dclass, String rcode) throws Exception {
    DnsExchange answered =
        stage().answer(ask(transport, name, Type.value(type), DClass.value(dclass), null));
    assertEquals(Rcode.value(rcode), answered.responseMessage().getRcode());
    assertNull(answered.responseStream());
    assertTrue(answered.responseMessage().getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void ixfrOfAnUpToDateClientIsTheSoaAloneAndAnUnknownSerialGetsTheWholeZone() throws Exception {
    Zone zone = zone();
    DnsExchange current =
        stage().answer(ask(Transport.TCP, "example.test.", Type.IXFR, DClass.IN, zone.serial()));
    assertEquals(List.of(zone.soa()), everything(current));
    DnsExchange older =
        stage()
            .answer(ask(Transport.TCP, "example.test.", Type.IXFR, DClass.IN, zone.serial() - 1));
    assertEquals(zone.recordCount() + 1, everything(older).size());
    DnsExchange overUdp =
        stage()
            .answer(ask(Transport.UDP, "example.test.", Type.IXFR, DClass.IN, zone.serial() - 1));
    assertNull(overUdp.responseStream());
    assertNotNull(overUdp.responseMessage());
    assertTrue(overUdp.responseMessage().getSection(Section.ANSWER).size() >= 1);
  }
}
