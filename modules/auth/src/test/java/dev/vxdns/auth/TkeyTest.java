package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TKEYRecord;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class TkeyTest {
  static final SecureRandom RANDOM = new SecureRandom();
  static final Name DOMAIN = Name.fromConstantString("tkey.example.test.");
  static final Name SERVER_KEY = Name.fromConstantString("server.");
  static final Name CLIENT_KEY = Name.fromConstantString("client.");
  static final DhKey SERVER_DH = DhKey.generate(SERVER_KEY, DhGroup.MODP768, RANDOM);
  static final DhKey CLIENT_DH = DhKey.generate(CLIENT_KEY, DhGroup.MODP768, RANDOM);

  MutableClock clock;
  InMemoryKeyStore keys;
  TsigKey bootstrap;
  TkeyServer server;
  TkeyClient client;

  @BeforeEach
  void setUp() {
    clock = new MutableClock(Instant.now());
    bootstrap = TsigKeys.generate("tkey-bootstrap.", "hmac-sha256", RANDOM);
    keys = new InMemoryKeyStore(clock, List.of(bootstrap));
    server = new TkeyServer(SERVER_DH, DOMAIN, Duration.ofHours(1), keys, RANDOM, clock, 1000, 10);
    client = new TkeyClient(CLIENT_DH, RANDOM, clock);
  }

  /** Client signs and sends, server verifies and answers, client verifies the response. */
  private Message exchange(Message query, TsigKey signingKey, TkeyOutcome[] out) throws Exception {
    TSIG tsig = TsigVerifierTest.client(signingKey, clock);
    tsig.apply(query, null);
    byte[] wire = query.toWire();
    Message parsed = new Message(wire);
    TsigResult v = TsigVerifier.verify(wire, parsed, keys, clock.instant());
    assertTrue(v.isVerified(), v.reason());
    TkeyOutcome outcome = server.process(parsed, v.key().orElseThrow());
    out[0] = outcome;
    byte[] resp = TsigSigner.signResponse(outcome.response(), v, clock.instant(), 65535);
    Message rm = new Message(resp);
    assertEquals(Rcode.NOERROR, tsig.verify(rm, resp, query.getTSIG()));
    return rm;
  }

  /** Found by AuthFuzzTest: a DH KEY whose RDATA ends after the algorithm has no key at all. */
  @Test
  void aDhKeyWithoutKeyDataIsRefusedNotAnException() {
    KEYRecord empty =
        new KEYRecord(
            CLIENT_KEY,
            DClass.ANY,
            0,
            KEYRecord.Flags.HOST,
            KEYRecord.Protocol.DNSSEC,
            DNSSEC.Algorithm.DH,
            (byte[]) null);
    assertThrows(IllegalArgumentException.class, () -> DhPublicValue.fromKeyRecord(empty));
  }

  /** Found by AuthFuzzTest: dnsjava reads a TKEY without RDATA in an UPDATE as an EmptyRecord. */
  @Test
  void aTkeyWithoutRdataInTheAnswerIsFormerrNotAnException() throws Exception {
    Name qname = Name.fromConstantString("k.example.test.");
    // An UPDATE (dnsjava makes EmptyRecords there only) whose zone section asks for TKEY.
    Message query = Message.newQuery(Record.newRecord(qname, Type.TKEY, DClass.ANY));
    query.getHeader().setOpcode(Opcode.UPDATE);
    query.addRecord(Record.newRecord(qname, Type.TKEY, DClass.ANY, 0), Section.PREREQ);
    TkeyOutcome outcome = server.process(new Message(query.toWire()), bootstrap);
    assertEquals(Rcode.FORMERR, outcome.rcode(), outcome::toString);
  }

  @Test
  void anUnverifiedAnswerIsNeverTrusted() throws Exception {
    TkeyClient.DhQuery q =
        client.buildDhQuery(Name.fromConstantString("forged."), Duration.ofMinutes(30));
    TkeyOutcome[] out = new TkeyOutcome[1];
    Message verified = exchange(q.message(), bootstrap, out);
    Message unverified = new Message(verified.toWire());
    TkeyException error =
        assertThrows(TkeyException.class, () -> client.processDhResponse(q, unverified));
    assertEquals(Rcode.NOTAUTH, error.rcode());
  }

  @Test
  void negotiatesSameSecretAndKeyWorks() throws Exception {
    TkeyClient.DhQuery q =
        client.buildDhQuery(Name.fromConstantString("mykey."), Duration.ofMinutes(30));
    TkeyOutcome[] out = new TkeyOutcome[1];
    Message resp = exchange(q.message(), bootstrap, out);
    assertEquals(0, out[0].tkeyError(), out[0].reason());
    TsigKey serverSide = out[0].createdKey().orElseThrow();
    TsigKey clientSide = client.processDhResponse(q, resp);

    assertEquals(Name.fromConstantString("mykey.tkey.example.test."), clientSide.name());
    assertEquals(serverSide.name(), clientSide.name());
    assertEquals(TsigAlgorithm.HMAC_MD5, clientSide.algorithm());
    assertArrayEquals(serverSide.secret(), clientSide.secret());
    assertEquals(96, serverSide.secret().length); // 768-bit DH value, XORed with 2 x MD5
    assertEquals(bootstrap.name(), serverSide.creator().orElseThrow());
    assertEquals(
        clock.instant().plus(Duration.ofMinutes(30)).getEpochSecond(),
        clientSide.expires().orElseThrow().getEpochSecond());

    // answer section: client KEY, server KEY, TKEY (BIND's order)
    List<Record> answer = resp.getSection(Section.ANSWER);
    assertEquals(3, answer.size());
    assertEquals(CLIENT_KEY, answer.get(0).getName());
    assertEquals(SERVER_KEY, answer.get(1).getName());
    assertEquals(Type.TKEY, answer.get(2).getType());
    assertEquals(TkeyServer.NONCE_LENGTH, ((TKEYRecord) answer.get(2)).getKey().length);

    // A message signed with the negotiated key verifies; so does the response.
    Message query = TsigVerifierTest.query();
    TSIG neg = TsigVerifierTest.client(clientSide, clock);
    neg.apply(query, null);
    byte[] wire = query.toWire();
    TsigResult r = TsigVerifier.verify(wire, keys, clock.instant());
    assertTrue(r.isVerified(), r.reason());
    byte[] signed =
        TsigSigner.signResponse(
            TsigVerifierTest.answerFor(new Message(wire)), r, clock.instant(), 512);
    assertEquals(Rcode.NOERROR, neg.verify(new Message(signed), signed, query.getTSIG()));

    // Expiry through the injected clock.
    clock.advance(Duration.ofMinutes(30));
    assertTrue(keys.find(clientSide.name()).isEmpty());
    Message late = TsigVerifierTest.query();
    TsigVerifierTest.client(clientSide, clock).apply(late, null);
    assertEquals(
        SignatureStatus.BADKEY, TsigVerifier.verify(late.toWire(), keys, clock.instant()).status());
  }

  @Test
  void lifetimeIsBoundedAndRootQnameGetsRandomName() throws Exception {
    TkeyClient.DhQuery q = client.buildDhQuery(Name.root, Duration.ofDays(30));
    TkeyOutcome[] out = new TkeyOutcome[1];
    Message resp = exchange(q.message(), bootstrap, out);
    TsigKey k = client.processDhResponse(q, resp);
    assertEquals(
        clock.instant().plus(Duration.ofHours(1)).getEpochSecond(),
        k.expires().orElseThrow().getEpochSecond());
    assertTrue(k.name().subdomain(DOMAIN));
    assertEquals(DOMAIN.labels() + 1, k.name().labels());
    assertEquals(32, k.name().getLabelString(0).length());
  }

  @Test
  void everyAnswerCarriesTheSameServerKeyRecord() throws Exception {
    TkeyOutcome[] out = new TkeyOutcome[1];
    for (String qname : new String[] {"one.", "two."}) {
      TkeyClient.DhQuery q =
          client.buildDhQuery(Name.fromConstantString(qname), Duration.ofMinutes(10));
      Message resp = exchange(q.message(), bootstrap, out);
      assertEquals(0, out[0].tkeyError(), out[0].reason());
      Record serverKey = resp.getSection(Section.ANSWER).get(1);
      assertEquals(SERVER_DH.toKeyRecord(0), serverKey);
      assertEquals(0, serverKey.getTTL());
      assertEquals(DClass.ANY, serverKey.getDClass());
    }
  }

  @Test
  void deletionBySignerOrKeyItself() throws Exception {
    TkeyClient.DhQuery q =
        client.buildDhQuery(Name.fromConstantString("gone."), Duration.ofMinutes(10));
    TkeyOutcome[] out = new TkeyOutcome[1];
    TsigKey k = client.processDhResponse(q, exchange(q.message(), bootstrap, out));
    assertTrue(keys.find(k.name()).isPresent());

    // Deletion signed with the negotiated key itself (its identity is the creator).
    Message del = TkeyClient.buildDeleteQuery(k);
    Message resp = exchange(del, k, out);
    TkeyClient.checkDeleteResponse(resp);
    assertEquals(k.name(), out[0].deletedKey().orElseThrow());
    assertFalse(keys.find(k.name()).isPresent());

    // Deleting it again: BADNAME.
    Message again = TkeyClient.buildDeleteQuery(k);
    Message resp2 = exchange(again, bootstrap, out);
    assertEquals(Rcode.BADNAME, out[0].tkeyError());
    TkeyException e =
        assertThrows(TkeyException.class, () -> TkeyClient.checkDeleteResponse(resp2));
    assertEquals(Rcode.BADNAME, e.tkeyError());
  }

  @Test
  void configuredKeysCannotBeDeleted() throws Exception {
    TkeyOutcome[] out = new TkeyOutcome[1];
    Message resp = exchange(TkeyClient.buildDeleteQuery(bootstrap), bootstrap, out);
    assertEquals(Rcode.REFUSED, resp.getRcode());
    assertTrue(keys.find(bootstrap.name()).isPresent());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 6, 65535})
  void otherModesGetBadmode(int mode) throws Exception {
    Name qname = Name.fromConstantString("m.");
    Message m = new Message();
    m.addRecord(Record.newRecord(qname, Type.TKEY, DClass.ANY), Section.QUESTION);
    m.addRecord(
        new TKEYRecord(
            qname,
            DClass.ANY,
            0,
            TsigAlgorithm.HMAC_MD5.wireName(),
            clock.instant(),
            clock.instant().plusSeconds(60),
            mode,
            0,
            null,
            null),
        Section.ADDITIONAL);
    TkeyOutcome[] out = new TkeyOutcome[1];
    Message resp = exchange(m, bootstrap, out);
    assertEquals(Rcode.NOERROR, resp.getRcode());
    TKEYRecord t = (TKEYRecord) resp.getSection(Section.ANSWER).get(0);
    assertEquals(Rcode.BADMODE, t.getError());
    assertEquals(mode, t.getMode());
  }

  @Test
  void unsignedQueryIsFormerr() {
    TkeyClient.DhQuery q =
        client.buildDhQuery(Name.fromConstantString("x."), Duration.ofMinutes(10));
    TkeyOutcome o = server.process(q.message(), null);
    assertEquals(Rcode.FORMERR, o.rcode());
    assertEquals(Rcode.FORMERR, o.response().getRcode());
    assertTrue(o.createdKey().isEmpty());
  }

  @Test
  void badNameWhenKeyExistsAndBadalg() throws Exception {
    TkeyOutcome[] out = new TkeyOutcome[1];
    TkeyClient.DhQuery q =
        client.buildDhQuery(Name.fromConstantString("dup."), Duration.ofMinutes(10));
    client.processDhResponse(q, exchange(q.message(), bootstrap, out));
    TkeyClient.DhQuery q2 =
        client.buildDhQuery(Name.fromConstantString("dup."), Duration.ofMinutes(10));
    Message resp = exchange(q2.message(), bootstrap, out);
    assertEquals(Rcode.BADNAME, out[0].tkeyError());
    assertThrows(TkeyException.class, () -> client.processDhResponse(q2, resp));

    Message sha =
        client.buildDhQuery(Name.fromConstantString("sha."), Duration.ofMinutes(10)).message();
    TKEYRecord t = (TKEYRecord) sha.getSection(Section.ADDITIONAL).get(0);
    sha.removeRecord(t, Section.ADDITIONAL);
    sha.getSection(Section.ADDITIONAL);
    Message rebuilt = new Message(sha.getHeader().getID());
    rebuilt.addRecord(sha.getQuestion(), Section.QUESTION);
    rebuilt.addRecord(
        new TKEYRecord(
            t.getName(),
            DClass.ANY,
            0,
            TsigAlgorithm.HMAC_SHA256.wireName(),
            t.getTimeInception(),
            t.getTimeExpire(),
            TKEYRecord.DIFFIEHELLMAN,
            0,
            t.getKey(),
            null),
        Section.ADDITIONAL);
    rebuilt.addRecord(CLIENT_DH.toKeyRecord(0), Section.ADDITIONAL);
    exchange(rebuilt, bootstrap, out);
    assertEquals(Rcode.BADALG, out[0].tkeyError());
  }

  @Test
  void incompatibleGroupIsBadkey() throws Exception {
    DhKey other = DhKey.generate(CLIENT_KEY, DhGroup.MODP1024, RANDOM);
    TkeyClient c = new TkeyClient(other, RANDOM, clock);
    TkeyOutcome[] out = new TkeyOutcome[1];
    exchange(
        c.buildDhQuery(Name.fromConstantString("g."), Duration.ofMinutes(5)).message(),
        bootstrap,
        out);
    assertEquals(Rcode.BADKEY, out[0].tkeyError());
  }

  @ParameterizedTest
  @EnumSource(DhGroup.class)
  void dhKeyRecordRoundTripsWithWellKnownGroup(DhGroup group) {
    DhKey k = DhKey.generate(CLIENT_KEY, group, RANDOM);
    byte[] data = k.toKeyRecord(0).getKey();
    assertEquals(0, data[0]);
    assertEquals(1, data[1]); // prime length 1: well-known group index
    assertEquals(group.index(), data[2]);
    assertEquals(0, data[3] | data[4]); // generator length 0
    DhPublicValue v = DhPublicValue.fromKeyRecord(k.toKeyRecord(0));
    assertEquals(k.publicValue().publicValue(), v.publicValue());
    assertEquals(group.prime(), v.prime());
  }

  @Test
  void bindPrivateKeyFileLoads() {
    DhKey k = DhKey.generate(SERVER_KEY, DhGroup.MODP768, RANDOM);
    // Re-derive a BIND-style private file from an independent agreement check.
    java.math.BigInteger p = DhGroup.MODP768.prime();
    java.math.BigInteger x = new java.math.BigInteger(512, RANDOM);
    java.math.BigInteger y = java.math.BigInteger.TWO.modPow(x, p);
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    String file =
        "Private-key-format: v1.3\nAlgorithm: 2 (DH)\n"
            + "Prime(p): "
            + b64.encodeToString(DhPublicValue.unsigned(p))
            + "\n"
            + "Generator(g): Ag==\n"
            + "Private_value(x): "
            + b64.encodeToString(DhPublicValue.unsigned(x))
            + "\n"
            + "Public_value(y): "
            + b64.encodeToString(DhPublicValue.unsigned(y))
            + "\n";
    DhKey loaded = DhKey.fromBindPrivateKey(SERVER_KEY, file);
    assertEquals(y, loaded.publicValue().publicValue());
    assertArrayEquals(loaded.agree(k.publicValue()), k.agree(loaded.publicValue()));
    // The shared value is unpadded, as OpenSSL returns it.
    java.math.BigInteger expected = k.publicValue().publicValue().modPow(x, p);
    assertArrayEquals(DhPublicValue.unsigned(expected), loaded.agree(k.publicValue()));
  }

  @Test
  void secretDerivationMatchesBindComputeSecret() throws Exception {
    byte[] qn = {1, 2, 3};
    byte[] sn = {4, 5};
    java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
    // short DH value (<= 32 octets): D with its first |DH| octets XORed
    byte[] shortDh = {(byte) 0xAA, (byte) 0xBB};
    md5.update(qn);
    byte[] d1 = md5.digest(shortDh);
    md5.update(sn);
    byte[] d2 = md5.digest(shortDh);
    byte[] expected = new byte[32];
    System.arraycopy(d1, 0, expected, 0, 16);
    System.arraycopy(d2, 0, expected, 16, 16);
    expected[0] ^= (byte) 0xAA;
    expected[1] ^= (byte) 0xBB;
    assertArrayEquals(expected, TkeyDh.deriveSecret(shortDh, qn, sn));
    // long DH value: DH with its first 32 octets XORed
    byte[] longDh = new byte[40];
    for (int i = 0; i < 40; i++) {
      longDh[i] = (byte) i;
    }
    md5.update(qn);
    d1 = md5.digest(longDh);
    md5.update(sn);
    d2 = md5.digest(longDh);
    byte[] out = TkeyDh.deriveSecret(longDh, qn, sn);
    assertEquals(40, out.length);
    for (int i = 0; i < 40; i++) {
      byte d = i < 16 ? d1[i] : i < 32 ? d2[i - 16] : 0;
      assertEquals((byte) (longDh[i] ^ d), out[i], "octet " + i);
    }
  }

  /** Negotiates {@code qname} signed with {@code signer}: the server's outcome. */
  private TkeyOutcome negotiate(TsigKey signer, String qname, Duration lifetime) throws Exception {
    TkeyClient.DhQuery q = client.buildDhQuery(Name.fromConstantString(qname), lifetime);
    TkeyOutcome[] out = new TkeyOutcome[1];
    exchange(q.message(), signer, out);
    return out[0];
  }

  @Test
  void negotiatedKeysAreCappedPerCreatorAndInTotal() throws Exception {
    TsigKey other = TsigKeys.generate("other-client.", "hmac-sha256", RANDOM);
    TsigKey third = TsigKeys.generate("third-client.", "hmac-sha256", RANDOM);
    keys.add(other);
    keys.add(third);
    server = new TkeyServer(SERVER_DH, DOMAIN, Duration.ofHours(1), keys, RANDOM, clock, 3, 2);

    assertTrue(negotiate(bootstrap, "a1.", Duration.ofMinutes(10)).createdKey().isPresent());
    TsigKey second = negotiate(bootstrap, "a2.", Duration.ofMinutes(10)).createdKey().orElseThrow();
    TkeyOutcome overClientCap = negotiate(bootstrap, "a3.", Duration.ofMinutes(10));
    assertEquals(Rcode.REFUSED, overClientCap.rcode(), overClientCap.reason());
    assertTrue(overClientCap.createdKey().isEmpty());
    assertTrue(keys.find(Name.fromConstantString("a3.tkey.example.test.")).isEmpty());
    assertEquals(1, server.refusedOverCap());
    // A key negotiated with a negotiated key counts for the original signer.
    assertEquals(Rcode.REFUSED, negotiate(second, "a4.", Duration.ofMinutes(10)).rcode());

    assertTrue(negotiate(other, "b1.", Duration.ofMinutes(10)).createdKey().isPresent());
    TkeyOutcome overTotal = negotiate(third, "c1.", Duration.ofMinutes(10));
    assertEquals(Rcode.REFUSED, overTotal.rcode(), "3 negotiated keys alive: the total cap");
    assertEquals(3, server.refusedOverCap());

    keys.remove(second.name());
    assertTrue(
        negotiate(third, "c2.", Duration.ofMinutes(10)).createdKey().isPresent(),
        "a deleted key frees its place");
  }

  @Test
  void expiredKeysLeaveTheCapAndTheSweepRemovesThem() throws Exception {
    server = new TkeyServer(SERVER_DH, DOMAIN, Duration.ofHours(1), keys, RANDOM, clock, 1000, 1);
    TsigKey shortLived =
        negotiate(bootstrap, "short.", Duration.ofMinutes(5)).createdKey().orElseThrow();
    assertEquals(Rcode.REFUSED, negotiate(bootstrap, "next.", Duration.ofMinutes(5)).rcode());

    clock.advance(Duration.ofMinutes(5));
    assertEquals(1, keys.removeExpired(), "the sweep removes the expired key");
    assertEquals(0, keys.removeExpired());
    assertEquals(List.of(bootstrap), keys.list());
    assertTrue(keys.find(shortLived.name()).isEmpty());
    assertTrue(negotiate(bootstrap, "next.", Duration.ofMinutes(5)).createdKey().isPresent());
  }

  @Test
  void theSweepLeavesLiveAndConfiguredKeys() {
    TsigKey live =
        TsigKey.negotiated(
            Name.fromConstantString("live."),
            TsigAlgorithm.HMAC_MD5,
            new byte[16],
            clock.instant().plus(Duration.ofMinutes(10)),
            bootstrap.name());
    TsigKey dead =
        TsigKey.negotiated(
            Name.fromConstantString("dead."),
            TsigAlgorithm.HMAC_MD5,
            new byte[16],
            clock.instant().plus(Duration.ofMinutes(1)),
            bootstrap.name());
    assertTrue(keys.addNegotiated(live, 10, 10));
    assertTrue(keys.addNegotiated(dead, 10, 10));
    assertFalse(
        keys.addNegotiated(
            TsigKey.negotiated(
                Name.fromConstantString("third."),
                TsigAlgorithm.HMAC_MD5,
                new byte[16],
                clock.instant().plus(Duration.ofMinutes(10)),
                bootstrap.name()),
            10,
            2),
        "the per-creator cap");
    clock.advance(Duration.ofMinutes(2));
    assertEquals(1, keys.removeExpired());
    assertEquals(List.of(live, bootstrap), keys.list());
  }
}
