package dev.vxdns.secondary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.TsigKey;
import dev.vxdns.zone.CheckNames;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * TransferClient against a scripted primary on 127.0.0.1: complete AXFR and IXFR streams (the
 * positive controls), and every way a stream can go wrong, each of which must fail with a
 * TransferException, yield no zone, and leave no connection open.
 */
class TransferClientTest {
  static final Name ORIGIN = name("example.test.");
  static final TsigKey KEY =
      TsigKey.parse("xfr-key.", "hmac-sha256", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static SOARecord soa(long serial) {
    return new SOARecord(
        ORIGIN,
        DClass.IN,
        300,
        name("ns.example.test."),
        name("hostmaster.example.test."),
        serial,
        3600,
        600,
        86400,
        300);
  }

  static Record a(String owner, String address) {
    try {
      return new ARecord(name(owner), DClass.IN, 300, InetAddress.getByName(address));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static final Record NS = new NSRecord(ORIGIN, DClass.IN, 300, name("ns.example.test."));
  static final Record NS_A = a("ns.example.test.", "192.0.2.1");
  static final Record WWW = a("www.example.test.", "192.0.2.80");
  static final Record MAIL = a("mail.example.test.", "192.0.2.25");

  /** The zone at serial 1, as a secondary holds it. */
  static Zone zoneAt1() throws Exception {
    return Zone.of(ORIGIN, List.of(soa(1), NS, NS_A, WWW, MAIL));
  }

  /** An AXFR of serial {@code serial} in three messages. */
  static FakePrimary.Script axfr(long serial) {
    return (query, out) -> {
      out.send(FakePrimary.response(query, List.of(soa(serial), NS, NS_A)));
      out.send(FakePrimary.continuation(query, List.of(WWW, MAIL)));
      out.send(FakePrimary.continuation(query, List.of(soa(serial))));
    };
  }

  Primary primary(FakePrimary fake, TsigKey key) {
    return Primary.tcp(new InetSocketAddress("127.0.0.1", fake.port()), key);
  }

  TransferClient client() {
    return new TransferClient(vertx, Duration.ofSeconds(5));
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  /** The transfer fails with a TransferException whose message has {@code expected}. */
  /** An unsigned transfer from a primary that plays {@code script} fails with {@code expected}. */
  void assertAxfrFails(FakePrimary.Script script, String expected) throws Exception {
    try (FakePrimary fake = new FakePrimary(vertx, null, script)) {
      assertFails(fake, client().transfer(primary(fake, null), ORIGIN, null), expected);
    }
  }

  void assertFails(FakePrimary fake, Future<Zone> transfer, String expected) throws Exception {
    TransferException e = assertThrows(TransferException.class, () -> await(transfer));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(fake.awaitAllClosed(), "a connection stayed open after: " + e.getMessage());
  }

  @Test
  void signedAxfrOverThreeMessagesBuildsTheZone() throws Exception {
    try (FakePrimary fake = new FakePrimary(vertx, KEY, axfr(7))) {
      Zone zone = await(client().transfer(primary(fake, KEY), ORIGIN, null));
      assertEquals(7, zone.serial());
      assertEquals(5, zone.recordCount());
      assertTrue(zone.history().isEmpty());
      assertEquals(Type.AXFR, fake.queries().get(0).getQuestion().getType());
      assertTrue(fake.awaitAllClosed());
    }
  }

  @Test
  void badTsigOnMessageTwoFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> {
          out.send(FakePrimary.response(query, List.of(soa(7), NS, NS_A)));
          byte[] second = out.render(FakePrimary.continuation(query, List.of(WWW, MAIL)));
          // The MAC ends 6 octets before the end (original ID, error, other length follow it).
          second[second.length - 7] ^= 0x01;
          out.sendRaw(second);
          out.send(FakePrimary.continuation(query, List.of(soa(7))));
        };
    try (FakePrimary fake = new FakePrimary(vertx, KEY, script)) {
      assertFails(
          fake,
          client().transfer(primary(fake, KEY), ORIGIN, null),
          "the TSIG of message 2 does not verify");
    }
  }

  @Test
  void unsignedMessageTwoFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> {
          out.send(FakePrimary.response(query, List.of(soa(7), NS, NS_A)));
          out.sendRaw(
              FakePrimary.continuation(query, List.of(WWW, MAIL)).toWire(Message.MAXLENGTH));
        };
    try (FakePrimary fake = new FakePrimary(vertx, KEY, script)) {
      assertFails(
          fake, client().transfer(primary(fake, KEY), ORIGIN, null), "message 2 is not signed");
    }
  }

  @Test
  void signedAnswerToAnUnsignedQueryFails() throws Exception {
    // The fake signs only answers to signed queries: sign this one by hand.
    FakePrimary.Script script =
        (query, out) -> {
          Message m = FakePrimary.response(query, List.of(soa(7)));
          KEY.toDnsjava().apply(m, null);
          out.sendRaw(m.toWire(Message.MAXLENGTH));
        };
    try (FakePrimary signing = new FakePrimary(vertx, KEY, script)) {
      assertFails(
          signing,
          client().transfer(primary(signing, null), ORIGIN, null),
          "is signed, but the query was not");
    }
  }

  @Test
  void connectionCutMidTransferFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> {
          out.send(FakePrimary.response(query, List.of(soa(7), NS, NS_A)));
          out.close();
        };
    assertAxfrFails(script, "closed the connection before the end");
  }

  @Test
  void connectionCutInsideAMessageFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> {
          byte[] first =
              FakePrimary.response(query, List.of(soa(7), NS, NS_A)).toWire(Message.MAXLENGTH);
          byte[] framed = new byte[2 + first.length / 2];
          framed[0] = (byte) (first.length >>> 8);
          framed[1] = (byte) first.length;
          System.arraycopy(first, 0, framed, 2, first.length / 2);
          out.sendBytes(framed);
          out.close();
        };
    assertAxfrFails(script, "closed the connection before the end");
  }

  @Test
  void endingSoaMismatchFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> {
          out.send(FakePrimary.response(query, List.of(soa(7), NS, NS_A, WWW)));
          out.send(FakePrimary.continuation(query, List.of(soa(8))));
        };
    try (FakePrimary fake = new FakePrimary(vertx, KEY, script)) {
      assertFails(
          fake,
          client().transfer(primary(fake, KEY), ORIGIN, null),
          "start and ending SOA records mismatch");
    }
  }

  @Test
  void firstRecordNotSoaFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> out.send(FakePrimary.response(query, List.of(NS, soa(7), NS_A, soa(7))));
    assertAxfrFails(script, "the first record is not the zone's SOA");
  }

  @Test
  void garbageFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> {
          byte[] junk = new byte[64];
          new java.util.Random(1).nextBytes(junk);
          junk[0] = (byte) (query.getHeader().getID() >>> 8);
          junk[1] = (byte) query.getHeader().getID();
          out.sendRaw(junk);
        };
    try (FakePrimary fake = new FakePrimary(vertx, null, script)) {
      TransferException e =
          assertThrows(
              TransferException.class,
              () -> await(client().transfer(primary(fake, null), ORIGIN, null)));
      assertTrue(e.getMessage().startsWith("AXFR of example.test. from"), e.getMessage());
      assertTrue(fake.awaitAllClosed());
    }
  }

  @Test
  void tinyFrameFails() throws Exception {
    FakePrimary.Script script = (query, out) -> out.sendRaw(new byte[] {1, 2, 3});
    assertAxfrFails(script, "a message of 3 bytes");
  }

  @Test
  void recordOutsideTheZoneFails() throws Exception {
    FakePrimary.Script script =
        (query, out) ->
            out.send(
                FakePrimary.response(
                    query, List.of(soa(7), NS, NS_A, a("www.elsewhere.test.", "192.0.2.9"))));
    assertAxfrFails(script, "record outside the zone");
  }

  @Test
  void wrongQuestionFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> {
          Message m = FakePrimary.response(query, List.of(soa(7), NS, NS_A, soa(7)));
          m.removeAllRecords(org.xbill.DNS.Section.QUESTION);
          m.addRecord(
              Record.newRecord(name("other.test."), Type.AXFR, DClass.IN),
              org.xbill.DNS.Section.QUESTION);
          out.send(m);
        };
    assertAxfrFails(script, "answers another question");
  }

  @Test
  void wrongIdFails() throws Exception {
    FakePrimary.Script script =
        (query, out) -> {
          Message m = FakePrimary.response(query, List.of(soa(7), NS, NS_A, soa(7)));
          m.getHeader().setID((query.getHeader().getID() + 1) & 0xFFFF);
          out.send(m);
        };
    assertAxfrFails(script, "has ID");
  }

  @Test
  void dataAfterTheEndFails() throws Exception {
    FakePrimary.Script script =
        (query, out) ->
            out.send(FakePrimary.response(query, List.of(soa(7), NS, NS_A, soa(7), WWW)));
    assertAxfrFails(script, "data after the end of the transfer");
  }

  @Test
  void silentPrimaryTimesOut() throws Exception {
    FakePrimary.Script script = (query, out) -> {};
    try (FakePrimary fake = new FakePrimary(vertx, null, script)) {
      TransferClient quick = client().withLimits(timed(Duration.ofMinutes(1), IDLE));
      TransferException e =
          assertThrows(
              TransferException.class,
              () -> await(quick.transfer(primary(fake, null), ORIGIN, null)));
      assertTrue(e.getMessage().contains("nothing received for"), e.getMessage());
      assertTrue(fake.awaitAllClosed());
    }
  }

  /**
   * max-transfer-idle-in bounds the wait for each message, not the client's query timeout: a
   * primary that pauses 1 s before each message completes within an idle time of 3 s, even with a
   * query timeout of 500 ms, and fails within one of 500 ms.
   */
  @Test
  void eachMessageMustComeWithinTheIdleTime() throws Exception {
    assertPacedTransfer(
        Duration.ofSeconds(1),
        new TransferClient(vertx, Duration.ofMillis(500))
            .withLimits(timed(Duration.ofMinutes(1), Duration.ofSeconds(3))),
        client().withLimits(timed(Duration.ofMinutes(1), IDLE)),
        "nothing received for");
  }

  /**
   * max-transfer-time-in bounds the whole transfer: one whose messages come every 400 ms (1.2 s in
   * all) fails within 800 ms and completes within 5 s.
   */
  @Test
  void aTransferMustEndWithinItsTime() throws Exception {
    assertPacedTransfer(
        Duration.ofMillis(400),
        client().withLimits(timed(Duration.ofSeconds(5), Duration.ofMinutes(1))),
        client().withLimits(timed(Duration.ofMillis(800), Duration.ofMinutes(1))),
        "no complete answer within");
  }

  /**
   * min-transfer-rate-in: a primary that sends its three messages 400 ms apart (about 100 bytes in
   * each 400 ms) is cut off when it must send 10,000 bytes every 500 ms, and completes when 10
   * bytes are enough.
   */
  @Test
  void aTransferSlowerThanTheMinimumRateFails() throws Exception {
    assertPacedTransfer(
        Duration.ofMillis(400),
        client().withLimits(rate(new TransferLimits.MinRate(10, Duration.ofMillis(500)))),
        client().withLimits(rate(new TransferLimits.MinRate(10_000, Duration.ofMillis(500)))),
        "minimum transfer rate reached");
  }

  /**
   * From a primary that sends each message {@code pause} after the one before, {@code allowed}
   * transfers the zone and {@code bounded} fails with {@code problem}.
   */
  private void assertPacedTransfer(
      Duration pause, TransferClient allowed, TransferClient bounded, String problem)
      throws Exception {
    try (FakePrimary fake = new FakePrimary(vertx, null, paced(pause, 7))) {
      assertEquals(7, await(allowed.transfer(primary(fake, null), ORIGIN, null)).serial());
      assertFails(fake, bounded.transfer(primary(fake, null), ORIGIN, null), problem);
    }
  }

  private static TransferLimits rate(TransferLimits.MinRate rate) {
    return timed(Duration.ofMinutes(1), Duration.ofMinutes(1)).withMinRate(rate);
  }

  private static final Duration IDLE = Duration.ofMillis(500);

  private static TransferLimits timed(Duration transferTime, Duration idleTime) {
    return TransferLimits.defaults().withTimes(transferTime, idleTime);
  }

  /**
   * {@link #axfr}'s three messages, each sent {@code pause} after the one before (or the query).
   */
  private FakePrimary.Script paced(Duration pause, long serial) {
    return (query, out) -> {
      List<Message> messages =
          List.of(
              FakePrimary.response(query, List.of(soa(serial), NS, NS_A)),
              FakePrimary.continuation(query, List.of(WWW, MAIL)),
              FakePrimary.continuation(query, List.of(soa(serial))));
      for (int i = 0; i < messages.size(); i++) {
        Message message = messages.get(i);
        vertx.setTimer(pause.toMillis() * (i + 1), t -> out.send(message));
      }
    };
  }

  @Test
  void oversizedTransferFails() throws Exception {
    try (FakePrimary fake = new FakePrimary(vertx, null, axfr(7))) {
      TransferClient bounded =
          new TransferClient(
              vertx, Duration.ofSeconds(5), TransferLimits.defaults().withMaxSizes(4, 1 << 20));
      assertFails(fake, bounded.transfer(primary(fake, null), ORIGIN, null), "more than 4 records");
      TransferClient fewBytes =
          new TransferClient(
              vertx, Duration.ofSeconds(5), TransferLimits.defaults().withMaxSizes(100, 50));
      assertFails(fake, fewBytes.transfer(primary(fake, null), ORIGIN, null), "more than 50 bytes");
    }
  }

  @Test
  void invalidZoneFails() throws Exception {
    // A complete, well-formed stream whose data is no zone (no NS at the apex).
    FakePrimary.Script script =
        (query, out) -> out.send(FakePrimary.response(query, List.of(soa(7), WWW, soa(7))));
    assertAxfrFails(script, "is invalid");
  }

  /** IXFR from 1: diffs 1 to 2 (www changes address) and 2 to 3 (mail removed). */
  static FakePrimary.Script ixfrFrom1To3() {
    Record www2 = a("www.example.test.", "192.0.2.81");
    return (query, out) -> {
      assertEquals(Type.IXFR, query.getQuestion().getType());
      out.send(FakePrimary.response(query, List.of(soa(3), soa(1), WWW, soa(2), www2)));
      out.send(FakePrimary.continuation(query, List.of(soa(2), MAIL, soa(3), soa(3))));
    };
  }

  @Test
  void ixfrAppliesEachDiff() throws Exception {
    try (FakePrimary fake = new FakePrimary(vertx, KEY, ixfrFrom1To3())) {
      Zone current = zoneAt1();
      Zone next = await(client().transfer(primary(fake, KEY), ORIGIN, current));
      assertEquals(3, next.serial());
      assertEquals(2, next.history().size());
      assertEquals(1, next.history().get(0).fromSerial());
      assertEquals(3, next.history().get(1).toSerial());
      assertTrue(next.records().contains(a("www.example.test.", "192.0.2.81")));
      assertTrue(!next.records().contains(MAIL) && !next.records().contains(WWW));
      // The IXFR query carries the current SOA in its authority section (RFC 1995 section 3).
      assertEquals(
          List.of(soa(1)), fake.queries().get(0).getSection(org.xbill.DNS.Section.AUTHORITY));
      assertTrue(fake.awaitAllClosed());
    }
  }

  @Test
  void ixfrUpToDateReturnsTheCurrentZone() throws Exception {
    FakePrimary.Script script =
        (query, out) -> out.send(FakePrimary.response(query, List.of(soa(1))));
    try (FakePrimary fake = new FakePrimary(vertx, KEY, script)) {
      Zone current = zoneAt1();
      assertSame(current, await(client().transfer(primary(fake, KEY), ORIGIN, current)));
      assertTrue(fake.awaitAllClosed());
    }
  }

  @Test
  void ixfrRefusedFallsBackToAxfr() throws Exception {
    List<Integer> types = new ArrayList<>();
    FakePrimary.Script script =
        (query, out) -> {
          types.add(query.getQuestion().getType());
          if (query.getQuestion().getType() == Type.IXFR) {
            Message refused = FakePrimary.response(query, List.of());
            refused.getHeader().setRcode(Rcode.NOTIMP);
            out.send(refused);
          } else {
            axfr(5).answer(query, out);
          }
        };
    try (FakePrimary fake = new FakePrimary(vertx, KEY, script)) {
      Zone next = await(client().transfer(primary(fake, KEY), ORIGIN, zoneAt1()));
      assertEquals(5, next.serial());
      assertTrue(next.history().isEmpty());
      assertEquals(List.of(Type.IXFR, Type.AXFR), types);
      assertTrue(fake.awaitAllClosed());
    }
  }

  @Test
  void ixfrAnsweredWithTheFullZone() throws Exception {
    FakePrimary.Script script =
        (query, out) -> out.send(FakePrimary.response(query, List.of(soa(4), NS, NS_A, soa(4))));
    try (FakePrimary fake = new FakePrimary(vertx, null, script)) {
      Zone next = await(client().transfer(primary(fake, null), ORIGIN, zoneAt1()));
      assertEquals(4, next.serial());
      assertEquals(3, next.recordCount());
    }
  }

  /** Answers IXFR with {@code ixfr}, AXFR with the full zone at serial 5; records the types. */
  static FakePrimary.Script ixfrThenAxfr(FakePrimary.Script ixfr, List<Integer> types) {
    return (query, out) -> {
      types.add(query.getQuestion().getType());
      if (query.getQuestion().getType() == Type.IXFR) {
        ixfr.answer(query, out);
      } else {
        axfr(5).answer(query, out);
      }
    };
  }

  @Test
  void anIxfrDiffThatDoesNotApplyIsRetriedWithAxfr() throws Exception {
    List<Integer> types = new ArrayList<>();
    FakePrimary.Script badDiff =
        (query, out) ->
            out.send(
                FakePrimary.response(
                    query,
                    List.of(soa(2), soa(1), a("gone.example.test.", "192.0.2.4"), soa(2), soa(2))));
    try (FakePrimary fake = new FakePrimary(vertx, KEY, ixfrThenAxfr(badDiff, types))) {
      Zone next = await(client().transfer(primary(fake, KEY), ORIGIN, zoneAt1()));
      assertEquals(5, next.serial());
      assertEquals(List.of(Type.IXFR, Type.AXFR), types);
      assertTrue(fake.awaitAllClosed());
    }
  }

  @Test
  void maxRecordsBoundsTheZoneAfterEachIxfrChangeAndAfterAnAxfr() throws Exception {
    // Two changes, each adding a record: 6 records at serial 2, 7 at serial 3.
    FakePrimary.Script growing =
        (query, out) ->
            out.send(
                FakePrimary.response(
                    query,
                    List.of(
                        soa(3),
                        soa(1),
                        soa(2),
                        a("one.example.test.", "192.0.2.6"),
                        soa(2),
                        soa(3),
                        a("two.example.test.", "192.0.2.7"),
                        soa(3))));
    List<Integer> types = new ArrayList<>();
    ZoneRules six = new ZoneRules(0, 0, 6, CheckNames.Mode.IGNORE);
    try (FakePrimary fake = new FakePrimary(vertx, KEY, ixfrThenAxfr(growing, types))) {
      // The second change is refused; the AXFR retried (5 records) fits.
      Zone next =
          await(client().transfer(primary(fake, KEY), ORIGIN, zoneAt1(), six, records -> {}));
      assertEquals(5, next.serial());
      assertEquals(List.of(Type.IXFR, Type.AXFR), types);
      ZoneRules four = new ZoneRules(0, 0, 4, CheckNames.Mode.IGNORE);
      assertFails(
          fake,
          client().transfer(primary(fake, KEY), ORIGIN, zoneAt1(), four, records -> {}),
          "records in zone (5) exceeds max-records (4)");
      ZoneRules seven = new ZoneRules(0, 0, 7, CheckNames.Mode.IGNORE);
      assertEquals(
          3,
          await(client().transfer(primary(fake, KEY), ORIGIN, zoneAt1(), seven, records -> {}))
              .serial());
    }
  }

  @Test
  void aBadTsigInsideAnIxfrIsRetriedWithAxfr() throws Exception {
    List<Integer> types = new ArrayList<>();
    FakePrimary.Script forged =
        (query, out) -> {
          out.send(FakePrimary.response(query, List.of(soa(3), soa(1), WWW, soa(2))));
          byte[] second =
              out.render(FakePrimary.continuation(query, List.of(soa(2), MAIL, soa(3), soa(3))));
          second[second.length - 7] ^= 0x01;
          out.sendRaw(second);
        };
    try (FakePrimary fake = new FakePrimary(vertx, KEY, ixfrThenAxfr(forged, types))) {
      Zone next = await(client().transfer(primary(fake, KEY), ORIGIN, zoneAt1()));
      assertEquals(5, next.serial());
      assertEquals(List.of(Type.IXFR, Type.AXFR), types);
    }
  }

  @Test
  void anEmptyIxfrAnswerIsRetriedWithAxfr() throws Exception {
    List<Integer> types = new ArrayList<>();
    FakePrimary.Script empty = (query, out) -> out.send(FakePrimary.response(query, List.of()));
    try (FakePrimary fake = new FakePrimary(vertx, null, ixfrThenAxfr(empty, types))) {
      assertEquals(5, await(client().transfer(primary(fake, null), ORIGIN, zoneAt1())).serial());
      assertEquals(List.of(Type.IXFR, Type.AXFR), types);
    }
  }

  @Test
  void aBrokenIxfrWhoseAxfrAlsoFailsReportsBoth() throws Exception {
    FakePrimary.Script script =
        (query, out) ->
            out.send(
                FakePrimary.response(
                    query, List.of(soa(3), soa(1), soa(2), soa(9), soa(3), soa(3))));
    try (FakePrimary fake = new FakePrimary(vertx, null, script)) {
      TransferException e =
          assertThrows(
              TransferException.class,
              () -> await(client().transfer(primary(fake, null), ORIGIN, zoneAt1())));
      assertTrue(
          e.getMessage().contains("an IXFR diff starts at serial 9, expected 2"), e.getMessage());
      assertTrue(e.getMessage().contains("; retried with AXFR: AXFR of"), e.getMessage());
      assertEquals(2, fake.queries().size());
      assertTrue(fake.awaitAllClosed());
    }
  }

  @Test
  void anIxfrFailureBeforeTheAnswerIsKnownToBeDiffsIsNotRetried() throws Exception {
    FakePrimary.Script script =
        (query, out) -> out.send(FakePrimary.response(query, List.of(NS, soa(3))));
    try (FakePrimary fake = new FakePrimary(vertx, null, script)) {
      assertFails(
          fake,
          client().transfer(primary(fake, null), ORIGIN, zoneAt1()),
          "the first record is not the zone's SOA");
      assertEquals(1, fake.queries().size());
    }
  }
}
