package dev.vxdns.verticles.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.InMemoryKeyStore;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsExchangeBinary;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** The auth stage's way back: the response is signed with the key that verified the request. */
class AuthStageTest {
  private static final String SECRET =
      Base64.getEncoder()
          .encodeToString("vxdns-auth-stage-test-hmac-key!!".getBytes(StandardCharsets.US_ASCII));
  private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 5300);
  private static final InetSocketAddress SERVER = new InetSocketAddress("192.0.2.53", 53);
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

  private static TSIG client(String keyName) {
    return new TSIG(
        TSIG.HMAC_SHA256,
        Name.fromConstantString(keyName),
        new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(SECRET), "HmacSHA256"),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static Message answer(Message request) throws Exception {
    Message r = DnsResponses.responseTo(request, 1232);
    r.addRecord(
        new ARecord(
            request.getQuestion().getName(), DClass.IN, 3600, InetAddress.getByName("192.0.2.10")),
        Section.ANSWER);
    return r;
  }

  /** The query as sent (the key name as the client spells it) and its TSIG client. */
  private record Signed(Message query, byte[] wire, TSIG tsig) {}

  private static Signed signed(String keyNameAsSent) {
    Message q =
        Message.newQuery(
            Record.newRecord(Name.fromConstantString("www.example.test."), Type.A, DClass.IN));
    TSIG tsig = client(keyNameAsSent);
    tsig.apply(q, null);
    return new Signed(q, q.toWire(), tsig);
  }

  @ParameterizedTest
  @ValueSource(strings = {"stage-key.", "STAGE-Key."})
  void responseIsSignedWithTheRequestsKey(String keyNameAsSent) throws Exception {
    TsigKey key = TsigKey.parse("stage-key.", "hmac-sha256", SECRET);
    InMemoryKeyStore keys = new InMemoryKeyStore(Clock.fixed(NOW, ZoneOffset.UTC), List.of(key));
    AuthStage stage = new AuthStage(keys, null, null, Clock.fixed(NOW, ZoneOffset.UTC), 1232, 1232);
    Signed s = signed(keyNameAsSent);

    DnsExchange forward =
        stage.apply(DnsExchange.received(Transport.UDP, "test", CLIENT, SERVER, s.wire()));
    assertFalse(forward.isFinished());
    assertEquals("stage-key.", forward.verdicts().keyName());

    DnsExchange back = stage.onResponse(forward.respond(answer(forward.request()))).result();
    byte[] wire = back.reply().wire();
    assertNotNull(wire);
    Message response = new Message(wire);
    assertNotNull(response.getTSIG());
    assertEquals(Rcode.NOERROR, s.tsig().verify(response, wire, s.query().getTSIG()));
    assertTrue(response.isVerified());
  }

  /** A request signed with {@code keyName}, shaped by {@code shape} before it is signed. */
  private static byte[] signedAs(String keyName, java.util.function.Consumer<Message> shape) {
    Message q =
        Message.newQuery(
            Record.newRecord(Name.fromConstantString("www.example.test."), Type.A, DClass.IN));
    shape.accept(q);
    client(keyName).apply(q, null);
    return q.toWire();
  }

  private static Message applied(AuthStage stage, byte[] query) throws Exception {
    DnsExchange result =
        stage.apply(DnsExchange.received(Transport.UDP, "test", CLIENT, SERVER, query));
    if (!result.isFinished()) {
      return null;
    }
    // An error the stage signed is rendered here; any other is signed on the way back.
    byte[] wire = result.reply().wire();
    return wire != null ? new Message(wire) : result.responseMessage();
  }

  /**
   * BIND 9.20's order (RequestShapesBindDifferentialTest): the class before the signature, the
   * opcode after it; an UPDATE with an unknown key has its zone section checked first.
   */
  @Test
  void checksInBindsOrderAroundTheSignature() throws Exception {
    TsigKey key = TsigKey.parse("stage-key.", "hmac-sha256", SECRET);
    InMemoryKeyStore keys = new InMemoryKeyStore(Clock.fixed(NOW, ZoneOffset.UTC), List.of(key));
    AuthStage stage = new AuthStage(keys, null, null, Clock.fixed(NOW, ZoneOffset.UTC), 1232, 1232);
    // An unknown opcode: NOTIMP with a good signature (signed), NOTAUTH with an unknown key.
    Message iquery = applied(stage, signedAs("stage-key.", q -> q.getHeader().setOpcode(1)));
    assertEquals(Rcode.NOTIMP, iquery.getRcode());
    Message unknown = applied(stage, signedAs("other-key.", q -> q.getHeader().setOpcode(1)));
    assertEquals(Rcode.NOTAUTH, unknown.getRcode());
    assertNotNull(unknown.getTSIG());
    // Class HS before the signature: REFUSED, with a TSIG all the same.
    byte[] hs = signedAs("other-key.", q -> {});
    hs[12 + 18 + 3] = 4; // the question's class (after www.example.test's 18 octets and the type)
    Message refused = applied(stage, hs);
    assertEquals(Rcode.REFUSED, refused.getRcode());
    assertNotNull(refused.getTSIG());
    // An UPDATE with an unknown key whose zone section asks for A: FORMERR, with a TSIG.
    Message update = applied(stage, signedAs("other-key.", q -> q.getHeader().setOpcode(5)));
    assertEquals(Rcode.FORMERR, update.getRcode());
    assertNotNull(update.getTSIG());
    // The positive control: the same query, unchanged and signed well, passes.
    assertNull(applied(stage, signedAs("stage-key.", q -> {})));
  }

  /**
   * An UPDATE with a well-formed zone section and a key this server lacks goes on, marked, for a
   * secondary to forward (BIND's ns_update_start); on the way back a primary's signed answer passes
   * as it is and any other answer gets the BADKEY TSIG.
   */
  @Test
  void anUpdateWithAnUnknownKeyGoesOnForASecondaryToForward() throws Exception {
    TsigKey key = TsigKey.parse("stage-key.", "hmac-sha256", SECRET);
    InMemoryKeyStore keys = new InMemoryKeyStore(Clock.fixed(NOW, ZoneOffset.UTC), List.of(key));
    AuthStage stage = new AuthStage(keys, null, null, Clock.fixed(NOW, ZoneOffset.UTC), 1232, 1232);
    org.xbill.DNS.Update update =
        new org.xbill.DNS.Update(Name.fromConstantString("example.test."));
    update.add(Name.fromConstantString("www.example.test."), Type.A, 300, "192.0.2.7");
    client("other-key.").apply(update, null);
    DnsExchange forward =
        stage.apply(DnsExchange.received(Transport.TCP, "test", CLIENT, SERVER, update.toWire()));
    assertFalse(forward.isFinished());
    assertTrue(forward.verdicts().keyUnknown());
    assertNull(forward.verdicts().keyName());
    assertTrue(forward.reply().steps().contains(Addresses.AUTH));
    // Refused further on (NOTAUTH for a primary zone): the BADKEY TSIG comes with it.
    Message refused =
        new Message(
            stage
                .onResponse(
                    forward.respond(DnsResponses.error(forward.request(), Rcode.NOTAUTH, 1232)))
                .result()
                .reply()
                .wire());
    assertEquals(Rcode.NOTAUTH, refused.getRcode());
    assertEquals(Rcode.BADKEY, refused.getTSIG().getError());
    // The primary's answer as it sent it: untouched.
    byte[] primarys = refused.toWire();
    assertSame(
        primarys,
        stage.onResponse(forward.respondRendered(primarys)).result().reply().wire(),
        "passed as received");
    // The control: a known key is verified, not marked.
    org.xbill.DNS.Update known = new org.xbill.DNS.Update(Name.fromConstantString("example.test."));
    known.add(Name.fromConstantString("www.example.test."), Type.A, 300, "192.0.2.7");
    client("stage-key.").apply(known, null);
    DnsExchange verified =
        stage.apply(DnsExchange.received(Transport.TCP, "test", CLIENT, SERVER, known.toWire()));
    assertEquals("stage-key.", verified.verdicts().keyName());
    assertFalse(verified.verdicts().keyUnknown());
  }

  /**
   * The key is deleted (control channel, TKEY) between the request's verification and the response:
   * the response is still signed, with the key that verified the request.
   */
  @Test
  void keyDeletedBeforeTheResponseStillSignsWithTheVerifyingKey() throws Exception {
    TsigKey key = TsigKey.parse("stage-key.", "hmac-sha256", SECRET);
    InMemoryKeyStore keys = new InMemoryKeyStore(Clock.fixed(NOW, ZoneOffset.UTC), List.of(key));
    AuthStage stage = new AuthStage(keys, null, null, Clock.fixed(NOW, ZoneOffset.UTC), 1232, 1232);
    Signed s = signed("stage-key.");

    DnsExchange forward =
        stage.apply(DnsExchange.received(Transport.UDP, "test", CLIENT, SERVER, s.wire()));
    assertEquals("stage-key.", forward.verdicts().keyName());
    assertTrue(keys.remove(key.name()));
    DnsExchange back = stage.onResponse(forward.respond(answer(forward.request()))).result();
    byte[] wire = back.reply().wire();
    assertNotNull(wire, "signed although the key is gone from the store");
    Message response = new Message(wire);
    assertEquals(Rcode.NOERROR, s.tsig().verify(response, wire, s.query().getTSIG()));
    assertTrue(response.isVerified());
  }

  /**
   * The verifying key never travels: after a hop over the event bus the exchange carries only the
   * key's name, and the stage looks the key up again (unsigned, with a warning, once it is gone).
   */
  @Test
  void afterABusHopTheKeyIsLookedUpByName() throws Exception {
    TsigKey key = TsigKey.parse("stage-key.", "hmac-sha256", SECRET);
    InMemoryKeyStore keys = new InMemoryKeyStore(Clock.fixed(NOW, ZoneOffset.UTC), List.of(key));
    AuthStage stage = new AuthStage(keys, null, null, Clock.fixed(NOW, ZoneOffset.UTC), 1232, 1232);
    Signed s = signed("stage-key.");

    DnsExchange forward =
        stage.apply(DnsExchange.received(Transport.UDP, "test", CLIENT, SERVER, s.wire()));
    DnsExchange answered = forward.respond(answer(forward.request()));
    byte[] encoded = DnsExchangeBinary.encode(answered);
    assertFalse(
        new String(encoded, StandardCharsets.ISO_8859_1)
            .contains(new String(key.secret(), StandardCharsets.ISO_8859_1)),
        "no secret on the wire");
    DnsExchange hopped = DnsExchangeBinary.decode(encoded);
    assertNull(hopped.responseSigner());

    byte[] wire = stage.onResponse(hopped).result().reply().wire();
    assertNotNull(wire, "found by name");
    assertEquals(Rcode.NOERROR, s.tsig().verify(new Message(wire), wire, s.query().getTSIG()));

    assertTrue(keys.remove(key.name()));
    DnsExchange gone = stage.onResponse(DnsExchangeBinary.decode(encoded)).result();
    assertNull(gone.reply().wire(), "the key went away before the response was signed");
  }

  /**
   * A zone transfer: the first message and every streamed one are signed with one chained signer
   * (RFC 8945 5.3.1), locally and after a bus hop, as dnsjava's stream verifier checks them.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyMessageOfAStreamedResponseIsSignedInOneChain(boolean busHop) throws Exception {
    TsigKey key = TsigKey.parse("stage-key.", "hmac-sha256", SECRET);
    InMemoryKeyStore keys = new InMemoryKeyStore(Clock.fixed(NOW, ZoneOffset.UTC), List.of(key));
    AuthStage stage = new AuthStage(keys, null, null, Clock.fixed(NOW, ZoneOffset.UTC), 1232, 1232);
    Signed s = signed("stage-key.");
    DnsExchange forward =
        stage.apply(DnsExchange.received(Transport.TCP, "test", CLIENT, SERVER, s.wire()));
    List<Message> further = List.of(answer(forward.request()), answer(forward.request()));
    further.forEach(m -> m.removeAllRecords(Section.QUESTION));
    DnsExchange answered =
        forward.respond(
            answer(forward.request()), dev.vxdns.message.ResponseStream.of(further.iterator()));
    if (busHop) {
      answered =
          DnsExchangeBinary.decode(DnsExchangeBinary.encode(answered))
              .withResponseStream(answered.responseStream());
      assertNull(answered.responseSigner());
    }
    DnsExchange back = stage.onResponse(answered).result();
    TSIG.StreamVerifier verifier = new TSIG.StreamVerifier(s.tsig(), s.query().getTSIG());
    byte[] first = back.reply().wire();
    assertEquals(Rcode.NOERROR, verifier.verify(new Message(first), first));
    int count = 0;
    dev.vxdns.message.ResponseStream.Part part;
    while ((part = back.responseStream().next().result()) != null) {
      assertNotNull(part.wire(), "each streamed message carries its signed wire form");
      Message parsed = new Message(part.wire());
      assertNotNull(parsed.getTSIG());
      assertEquals(Rcode.NOERROR, verifier.verify(parsed, part.wire()), "message " + count);
      count++;
    }
    assertEquals(2, count);
  }

  @Test
  void diffieHellmanRunsOnAWorkerNeverOnTheEventLoop() throws Exception {
    Clock clock = Clock.systemUTC();
    TsigKey key = TsigKey.parse("stage-key.", "hmac-sha256", SECRET);
    InMemoryKeyStore keys = new InMemoryKeyStore(clock, List.of(key));
    java.security.SecureRandom random = new java.security.SecureRandom();
    dev.vxdns.auth.TkeyServer server =
        new dev.vxdns.auth.TkeyServer(
            dev.vxdns.auth.DhKey.generate(
                Name.fromConstantString("server-dh."), dev.vxdns.auth.DhGroup.MODP768, random),
            Name.fromConstantString("tkey.test."),
            java.time.Duration.ofHours(1),
            keys,
            random,
            clock,
            10,
            10);
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.WorkerExecutor workers = vertx.createSharedWorkerExecutor("test-tkey", 1);
      java.util.List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.List<Boolean> onEventLoop = new java.util.concurrent.CopyOnWriteArrayList<>();
      TkeyWorker tkey =
          new TkeyWorker(
              workers,
              (request, signer) -> {
                threads.add(Thread.currentThread().getName());
                onEventLoop.add(io.vertx.core.Context.isOnEventLoopThread());
                return server.process(request, signer);
              });
      AuthStage stage = new AuthStage(keys, tkey, null, clock, 1232, 1232);
      dev.vxdns.auth.TkeyClient client =
          new dev.vxdns.auth.TkeyClient(
              dev.vxdns.auth.DhKey.generate(
                  Name.fromConstantString("client-dh."), dev.vxdns.auth.DhGroup.MODP768, random),
              random,
              clock);
      Message query =
          client
              .buildDhQuery(Name.fromConstantString("session."), java.time.Duration.ofMinutes(5))
              .message();
      key.toDnsjava().apply(query, null);
      byte[] wire = query.toWire();

      java.util.concurrent.CompletableFuture<DnsExchange> done =
          new java.util.concurrent.CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            assertTrue(io.vertx.core.Context.isOnEventLoopThread(), "the stage runs on a loop");
            stage
                .handle(DnsExchange.received(Transport.UDP, "test", CLIENT, SERVER, wire))
                .onComplete(
                    result -> {
                      if (result.succeeded()) {
                        done.complete(result.result());
                      } else {
                        done.completeExceptionally(result.cause());
                      }
                    });
          });
      DnsExchange answered = done.get(30, java.util.concurrent.TimeUnit.SECONDS);

      assertEquals(List.of(false), onEventLoop, "ran on " + threads);
      assertTrue(threads.get(0).startsWith("test-tkey"), threads.toString());
      Message response = answered.responseMessage();
      assertEquals(Rcode.NOERROR, response.getRcode());
      Record tkeyRecord = response.getSection(Section.ANSWER).get(2);
      assertEquals(Type.TKEY, tkeyRecord.getType());
      assertEquals(0, ((org.xbill.DNS.TKEYRecord) tkeyRecord).getError());
      assertTrue(keys.find(Name.fromConstantString("session.tkey.test.")).isPresent());
      assertEquals("stage-key.", answered.verdicts().keyName(), "signed on the way back");
    } finally {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
