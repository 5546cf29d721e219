package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

class TsigVerifierTest {
  static final Name KEY_NAME = Name.fromConstantString("host1-host2.");
  static final Name QNAME = Name.fromConstantString("www.example.test.");

  static TsigKey key(TsigAlgorithm alg) {
    byte[] secret = new byte[alg.macLength()];
    new SecureRandom().nextBytes(secret);
    return TsigKey.of(KEY_NAME, alg, secret);
  }

  static KeyStore store(TsigKey... keys) {
    return new InMemoryKeyStore(Clock.systemUTC(), List.of(keys));
  }

  static TSIG client(TsigKey k, Clock clock) {
    return new TSIG(
        k.algorithm().wireName(),
        k.name(),
        new SecretKeySpec(k.secret(), k.algorithm().jcaName()),
        clock);
  }

  static Message query() {
    return Message.newQuery(Record.newRecord(QNAME, Type.A, DClass.IN));
  }

  static Message answerFor(Message request) throws IOException {
    Message r = new Message(request.getHeader().getID());
    r.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    r.addRecord(request.getQuestion(), Section.QUESTION);
    r.addRecord(
        new ARecord(QNAME, DClass.IN, 300, java.net.InetAddress.getByName("192.0.2.1")),
        Section.ANSWER);
    return r;
  }

  @ParameterizedTest
  @EnumSource(TsigAlgorithm.class)
  void verifiesDnsjavaSignedRequestAndSignsResponse(TsigAlgorithm alg) throws IOException {
    TsigKey k = key(alg);
    TSIG tsig = client(k, Clock.systemUTC());
    Message q = query();
    tsig.apply(q, null);
    byte[] wire = q.toWire();
    Message parsed = new Message(wire);
    TsigResult r = TsigVerifier.verify(wire, parsed, store(k), Instant.now());
    assertEquals(SignatureStatus.VERIFIED, r.status(), r.reason());
    assertEquals(k, r.key().orElseThrow());

    byte[] resp = TsigSigner.signResponse(answerFor(parsed), r, Instant.now(), 512);
    Message rm = new Message(resp);
    assertEquals(Rcode.NOERROR, tsig.verify(rm, resp, q.getTSIG()));
    assertTrue(rm.isVerified());
  }

  /**
   * Found by AuthFuzzTest: dnsjava rejects such a TTL with a runtime exception, not IOException.
   */
  @Test
  void aTtlAboveTwoToThe31IsFormerrNotAnException() throws IOException {
    Message update = Message.newUpdate(Name.fromConstantString("example.test."));
    // A deletion (a record without RDATA in the update section): dnsjava checks its TTL.
    update.addRecord(Record.newRecord(QNAME, Type.A, DClass.ANY, 0), Section.UPDATE);
    byte[] wire = update.toWire();
    wire[wire.length - 2 - 4] = (byte) 0xC0;
    TsigResult r = TsigVerifier.verify(wire, store(key(TsigAlgorithm.HMAC_SHA256)), Instant.now());
    assertEquals(SignatureStatus.FORMERR, r.status(), r::toString);
    assertEquals(Rcode.FORMERR, r.rcode());
  }

  @Test
  void unknownKeyGivesBadkeyAndUnsignedResponse() throws IOException {
    TsigKey k = key(TsigAlgorithm.HMAC_SHA256);
    TsigKey other =
        TsigKey.of(Name.fromConstantString("other."), TsigAlgorithm.HMAC_SHA256, k.secret());
    Message q = query();
    client(k, Clock.systemUTC()).apply(q, null);
    byte[] wire = q.toWire();
    TsigResult r = TsigVerifier.verify(wire, store(other), Instant.now());
    assertEquals(SignatureStatus.BADKEY, r.status());
    assertEquals(Rcode.NOTAUTH, r.rcode());
    assertEquals(Rcode.BADKEY, r.tsigError());

    Message parsed = new Message(wire);
    byte[] resp =
        TsigSigner.signResponse(TsigSigner.errorResponse(parsed, r), r, Instant.now(), 512);
    Message rm = new Message(resp);
    assertEquals(Rcode.NOTAUTH, rm.getRcode());
    TSIGRecord t = rm.getTSIG();
    assertEquals(Rcode.BADKEY, t.getError());
    assertEquals(0, t.getSignature().length);
    assertEquals(KEY_NAME, t.getName());
  }

  @Test
  void algorithmMismatchIsBadkey() throws IOException {
    TsigKey k = key(TsigAlgorithm.HMAC_SHA256);
    TsigKey asSha1 = TsigKey.of(KEY_NAME, TsigAlgorithm.HMAC_SHA1, k.secret());
    Message q = query();
    client(k, Clock.systemUTC()).apply(q, null);
    assertEquals(
        SignatureStatus.BADKEY,
        TsigVerifier.verify(q.toWire(), store(asSha1), Instant.now()).status());
  }

  @ParameterizedTest
  @EnumSource(TsigAlgorithm.class)
  void flippedSecretGivesBadsig(TsigAlgorithm alg) throws IOException {
    TsigKey k = key(alg);
    byte[] s = k.secret();
    s[0] ^= 1;
    TsigKey wrong = TsigKey.of(KEY_NAME, alg, s);
    Message q = query();
    client(k, Clock.systemUTC()).apply(q, null);
    byte[] wire = q.toWire();
    TsigResult r = TsigVerifier.verify(wire, store(wrong), Instant.now());
    assertEquals(SignatureStatus.BADSIG, r.status());
    assertEquals(Rcode.NOTAUTH, r.rcode());
    byte[] resp =
        TsigSigner.signResponse(
            TsigSigner.errorResponse(new Message(wire), r), r, Instant.now(), 512);
    TSIGRecord t = new Message(resp).getTSIG();
    assertEquals(Rcode.BADSIG, t.getError());
    assertEquals(0, t.getSignature().length);
  }

  @ParameterizedTest
  @CsvSource({"HMAC_SHA256, 301", "HMAC_SHA256, -301", "HMAC_MD5, 3600", "HMAC_SHA512, -7200"})
  void skewBeyondFudgeGivesSignedBadtime(TsigAlgorithm alg, long skewSeconds) throws IOException {
    TsigKey k = key(alg);
    Instant serverNow = Instant.now();
    Clock clientClock = Clock.fixed(serverNow.plusSeconds(skewSeconds), ZoneOffset.UTC);
    TSIG tsig = client(k, clientClock);
    Message q = query();
    tsig.apply(q, null);
    byte[] wire = q.toWire();
    TsigResult r = TsigVerifier.verify(wire, store(k), serverNow);
    assertEquals(SignatureStatus.BADTIME, r.status(), r.reason());
    assertTrue(r.responseSigned());

    byte[] resp =
        TsigSigner.signResponse(TsigSigner.errorResponse(new Message(wire), r), r, serverNow, 512);
    Message rm = new Message(resp);
    assertEquals(Rcode.NOTAUTH, rm.getRcode());
    TSIGRecord t = rm.getTSIG();
    assertEquals(Rcode.BADTIME, t.getError());
    assertEquals(q.getTSIG().getTimeSigned().getEpochSecond(), t.getTimeSigned().getEpochSecond());
    assertArrayEquals(TsigMac.time48(serverNow), t.getOther());
    assertEquals(k.macLength(), t.getSignature().length);
    // The client (same skewed clock) verifies the signed BADTIME response.
    assertEquals(Rcode.NOERROR, tsig.verify(rm, resp, q.getTSIG()));
  }

  @Test
  void withinFudgeVerifies() throws IOException {
    TsigKey k = key(TsigAlgorithm.HMAC_SHA256);
    Instant serverNow = Instant.now();
    Message q = query();
    client(k, Clock.fixed(serverNow.minusSeconds(300), ZoneOffset.UTC)).apply(q, null);
    assertTrue(TsigVerifier.verify(q.toWire(), store(k), serverNow).isVerified());
  }

  /** A dnsjava-signed request whose MAC field is replaced by {@code macLength} octets of it. */
  static byte[] withMacLength(Message q, int macLength, boolean corrupt) {
    TSIGRecord t = q.getTSIG();
    byte[] full = t.getSignature();
    byte[] mac = Arrays.copyOf(full, macLength); // pads with zeros when longer
    if (corrupt) {
      mac[0] ^= 1;
    }
    TSIGRecord n =
        new TSIGRecord(
            t.getName(),
            t.getDClass(),
            t.getTTL(),
            t.getAlgorithm(),
            t.getTimeSigned(),
            t.getFudge(),
            mac,
            t.getOriginalID(),
            t.getError(),
            t.getOther());
    q.removeRecord(t, Section.ADDITIONAL);
    q.addRecord(n, Section.ADDITIONAL);
    return q.toWire();
  }

  @ParameterizedTest(name = "{0} key trunc {1}, MAC {2} octets -> {3}")
  @CsvSource({
    // untruncated keys accept only full MACs (BIND): shorter legal MACs are BADTRUNC
    "HMAC_SHA256, 0, 32, VERIFIED",
    "HMAC_SHA256, 0, 16, BADTRUNC",
    "HMAC_SHA256, 0, 31, BADTRUNC",
    "HMAC_SHA256, 0, 15, FORMERR",
    "HMAC_SHA256, 0, 33, FORMERR",
    "HMAC_SHA256, 128, 16, VERIFIED",
    "HMAC_SHA256, 128, 24, VERIFIED",
    "HMAC_SHA256, 192, 16, BADTRUNC",
    "HMAC_MD5, 80, 10, VERIFIED",
    "HMAC_MD5, 0, 10, BADTRUNC",
    "HMAC_MD5, 80, 9, FORMERR",
    "HMAC_SHA1, 80, 10, VERIFIED",
    "HMAC_SHA1, 80, 9, FORMERR",
    "HMAC_SHA512, 256, 32, VERIFIED",
    "HMAC_SHA512, 256, 31, FORMERR",
    "HMAC_SHA384, 0, 24, BADTRUNC",
  })
  void truncatedMacs(TsigAlgorithm alg, int bits, int macLength, SignatureStatus expected)
      throws IOException {
    TsigKey full = key(alg);
    TsigKey k = bits == 0 ? full : TsigKey.of(KEY_NAME, alg, full.secret(), bits);
    Message q = query();
    client(full, Clock.systemUTC()).apply(q, null);
    byte[] wire = withMacLength(q, macLength, false);
    TsigResult r = TsigVerifier.verify(wire, store(k), Instant.now());
    assertEquals(expected, r.status(), r.reason());
    if (expected == SignatureStatus.VERIFIED || expected == SignatureStatus.BADTRUNC) {
      byte[] resp = TsigSigner.signResponse(answerFor(new Message(wire)), r, Instant.now(), 512);
      TSIGRecord t = new Message(resp).getTSIG();
      assertEquals(k.macLength(), t.getSignature().length);
      assertEquals(r.tsigError(), t.getError());
    }
  }

  @Test
  void corruptTruncatedMacIsBadsig() throws IOException {
    TsigKey full = key(TsigAlgorithm.HMAC_SHA256);
    TsigKey k = TsigKey.of(KEY_NAME, TsigAlgorithm.HMAC_SHA256, full.secret(), 128);
    Message q = query();
    client(full, Clock.systemUTC()).apply(q, null);
    byte[] wire = withMacLength(q, 16, true);
    assertEquals(
        SignatureStatus.BADSIG, TsigVerifier.verify(wire, store(k), Instant.now()).status());
  }

  @Test
  void truncatedKeyResponseVerifiesAtDnsjavaClient() throws IOException {
    TsigKey full = key(TsigAlgorithm.HMAC_SHA256);
    TsigKey k = TsigKey.of(KEY_NAME, TsigAlgorithm.HMAC_SHA256, full.secret(), 128);
    TSIG tsig = client(full, Clock.systemUTC());
    Message q = query();
    tsig.apply(q, null);
    byte[] wire = q.toWire();
    TsigResult r = TsigVerifier.verify(wire, store(k), Instant.now());
    assertTrue(r.isVerified());
    byte[] resp = TsigSigner.signResponse(answerFor(new Message(wire)), r, Instant.now(), 512);
    Message rm = new Message(resp);
    assertEquals(16, rm.getTSIG().getSignature().length);
    assertEquals(Rcode.NOERROR, tsig.verify(rm, resp, q.getTSIG()));
  }

  static byte[] signedWire(TsigKey k) {
    Message q = query();
    client(k, Clock.systemUTC()).apply(q, null);
    return q.toWire();
  }

  @Test
  void malformedTsigIsFormerr() throws IOException {
    TsigKey k = key(TsigAlgorithm.HMAC_SHA256);
    KeyStore keys = store(k);
    Instant now = Instant.now();

    // not the last record
    Message q = query();
    client(k, Clock.systemUTC()).apply(q, null);
    q.addRecord(
        new ARecord(QNAME, DClass.IN, 1, java.net.InetAddress.getByName("192.0.2.9")),
        Section.ADDITIONAL);
    assertEquals(SignatureStatus.FORMERR, TsigVerifier.verify(q.toWire(), keys, now).status());

    // two TSIG records
    Message two = query();
    client(k, Clock.systemUTC()).apply(two, null);
    two.addRecord(two.getTSIG(), Section.ADDITIONAL);
    assertEquals(SignatureStatus.FORMERR, TsigVerifier.verify(two.toWire(), keys, now).status());

    // wrong class
    Message cls = query();
    client(k, Clock.systemUTC()).apply(cls, null);
    TSIGRecord t = cls.getTSIG();
    cls.removeRecord(t, Section.ADDITIONAL);
    cls.addRecord(
        new TSIGRecord(
            t.getName(),
            DClass.IN,
            0,
            t.getAlgorithm(),
            t.getTimeSigned(),
            t.getFudge(),
            t.getSignature(),
            t.getOriginalID(),
            0,
            null),
        Section.ADDITIONAL);
    assertEquals(SignatureStatus.FORMERR, TsigVerifier.verify(cls.toWire(), keys, now).status());

    // truncated record
    byte[] wire = signedWire(k);
    assertEquals(
        SignatureStatus.FORMERR,
        TsigVerifier.verify(Arrays.copyOf(wire, wire.length - 3), keys, now).status());

    // trailing bytes after the TSIG: not covered, ignored, as named 9.20 does
    // (RequestShapesBindDifferentialTest)
    byte[] longer = Arrays.copyOf(wire, wire.length + 2);
    assertEquals(SignatureStatus.VERIFIED, TsigVerifier.verify(longer, keys, now).status());

    // TSIG in the answer section
    Message ans = query();
    client(k, Clock.systemUTC()).apply(ans, null);
    TSIGRecord at = ans.getTSIG();
    ans.removeRecord(at, Section.ADDITIONAL);
    ans.addRecord(at, Section.ANSWER);
    TsigResult inAnswer = TsigVerifier.verify(ans.toWire(), keys, now);
    assertEquals(SignatureStatus.FORMERR, inAnswer.status());

    // algorithm name with a bad label type: unparseable
    byte[] badAlg = wire.clone();
    int algOffset = indexOf(badAlg, KEY_NAME.toWire()) + KEY_NAME.toWire().length + 10;
    badAlg[algOffset] = (byte) 0x80;
    TsigResult r = TsigVerifier.verify(badAlg, keys, now);
    assertEquals(SignatureStatus.FORMERR, r.status());
    assertNull(r.requestTsig().orElse(null));
    byte[] resp = TsigSigner.signResponse(TsigSigner.errorResponse(query(), r), r, now, 512);
    Message rm = new Message(resp);
    assertEquals(Rcode.FORMERR, rm.getRcode());
    assertNull(rm.getTSIG());
  }

  @Test
  void unknownAlgorithmIsBadkey() throws IOException {
    TsigKey k = key(TsigAlgorithm.HMAC_SHA256);
    Message q = query();
    new TSIG(TSIG.HMAC_SHA256_128, KEY_NAME, k.secret()).apply(q, null);
    TsigResult r = TsigVerifier.verify(q.toWire(), store(k), Instant.now());
    assertEquals(SignatureStatus.BADKEY, r.status(), r.reason());
  }

  @Test
  void originalIdIsUsedForForwardedRequests() throws IOException {
    TsigKey k = key(TsigAlgorithm.HMAC_SHA256);
    byte[] wire = signedWire(k);
    wire[0] ^= 0x55; // a forwarder rewrote the message ID
    TsigResult r = TsigVerifier.verify(wire, store(k), Instant.now());
    assertEquals(SignatureStatus.VERIFIED, r.status(), r.reason());
  }

  @Test
  void unsignedRequest() throws IOException {
    byte[] wire = query().toWire();
    TsigResult r = TsigVerifier.verify(wire, store(), Instant.now());
    assertTrue(r.isUnsigned());
    byte[] resp = TsigSigner.signResponse(answerFor(new Message(wire)), r, Instant.now(), 512);
    assertNull(new Message(resp).getTSIG());
  }

  @Test
  void truncatesUdpResponseBeforeSigning() throws IOException {
    TsigKey k = key(TsigAlgorithm.HMAC_SHA256);
    TSIG tsig = client(k, Clock.systemUTC());
    Message q = query();
    tsig.apply(q, null);
    byte[] wire = q.toWire();
    TsigResult r = TsigVerifier.verify(wire, store(k), Instant.now());
    Message big = answerFor(new Message(wire));
    for (int i = 2; i < 60; i++) {
      big.addRecord(
          new ARecord(QNAME, DClass.IN, 300, java.net.InetAddress.getByName("192.0.2." + i)),
          Section.ANSWER);
    }
    byte[] resp = TsigSigner.signResponse(big, r, Instant.now(), 512);
    assertTrue(resp.length <= 512, "length " + resp.length);
    Message rm = new Message(resp);
    assertTrue(rm.getHeader().getFlag(org.xbill.DNS.Flags.TC));
    assertNotNull(rm.getTSIG());
    assertEquals(Rcode.NOERROR, tsig.verify(rm, resp, q.getTSIG()));
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 12; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  static Duration secs(long s) {
    return Duration.ofSeconds(s);
  }
}
