package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIG0;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class Sig0VerifierTest {
  static final Name SIGNER = Name.fromConstantString("updater.example.test.");

  static KeyPair keyPair(int alg) throws Exception {
    KeyPairGenerator g;
    switch (alg) {
      case DNSSEC.Algorithm.RSASHA256:
        g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        break;
      case DNSSEC.Algorithm.ECDSAP256SHA256:
        g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        break;
      case DNSSEC.Algorithm.ECDSAP384SHA384:
        g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        break;
      case DNSSEC.Algorithm.ED25519:
        g = KeyPairGenerator.getInstance("Ed25519");
        break;
      default:
        throw new IllegalArgumentException();
    }
    return g.generateKeyPair();
  }

  static KEYRecord keyRecord(int alg, KeyPair kp) throws Exception {
    return new KEYRecord(
        SIGNER,
        DClass.IN,
        3600,
        KEYRecord.Flags.HOST,
        KEYRecord.Protocol.DNSSEC,
        alg,
        kp.getPublic());
  }

  static byte[] signed(int alg, KeyPair kp, KEYRecord key, Instant when) throws Exception {
    Message m = Message.newUpdate(Name.fromConstantString("example.test."));
    SIG0.signMessage(m, key, kp.getPrivate(), null, when);
    return m.toWire();
  }

  @ParameterizedTest
  @ValueSource(
      ints = {
        DNSSEC.Algorithm.RSASHA256,
        DNSSEC.Algorithm.ECDSAP256SHA256,
        DNSSEC.Algorithm.ECDSAP384SHA384,
        DNSSEC.Algorithm.ED25519
      })
  void verifiesEachAlgorithm(int alg) throws Exception {
    KeyPair kp = keyPair(alg);
    KEYRecord key = keyRecord(alg, kp);
    Instant now = Instant.now();
    byte[] wire = signed(alg, kp, key, now);
    Sig0Result r = Sig0Verifier.verify(wire, new Message(wire), List.of(key), now.plusSeconds(1));
    assertEquals(SignatureStatus.VERIFIED, r.status(), r.reason());
    assertEquals(SIGNER, r.signer().orElseThrow());

    // another key of the same name: key tag mismatch -> BADKEY
    KeyPair other = keyPair(alg);
    KEYRecord otherKey = keyRecord(alg, other);
    Sig0Result wrong = Sig0Verifier.verify(wire, new Message(wire), List.of(otherKey), now);
    assertEquals(SignatureStatus.BADKEY, wrong.status(), wrong.reason());
    assertEquals(Rcode.NOTAUTH, wrong.rcode());

    // tampered message -> BADSIG
    byte[] tampered = wire.clone();
    tampered[3] ^= 0x10; // a header flag bit
    Sig0Result bad = Sig0Verifier.verify(tampered, new Message(tampered), List.of(key), now);
    assertEquals(SignatureStatus.BADSIG, bad.status(), bad.reason());

    // expired (dnsjava signs for 300 s) and not yet valid -> BADTIME
    assertEquals(
        SignatureStatus.BADTIME,
        Sig0Verifier.verify(wire, new Message(wire), List.of(key), now.plusSeconds(301)).status());
    assertEquals(
        SignatureStatus.BADTIME,
        Sig0Verifier.verify(wire, new Message(wire), List.of(key), now.minusSeconds(5)).status());
  }

  /** A SIG without RDATA in an UPDATE's section is dnsjava's EmptyRecord: not SIG(0), no crash. */
  @Test
  void aSigWithoutRdataOutsideTheAdditionalSectionIsNotAnException() throws Exception {
    Message update = Message.newUpdate(Name.fromConstantString("example.test."));
    update.addRecord(Record.newRecord(SIGNER, Type.SIG, DClass.ANY, 0), Section.UPDATE);
    byte[] wire = update.toWire();
    assertEquals(
        SignatureStatus.UNSIGNED,
        Sig0Verifier.verify(wire, new Message(wire), List.of(), Instant.now()).status());
  }

  @Test
  void unsignedMessage() throws Exception {
    byte[] wire = Message.newQuery(Record.newRecord(SIGNER, Type.A, DClass.IN)).toWire();
    assertEquals(
        SignatureStatus.UNSIGNED,
        Sig0Verifier.verify(wire, new Message(wire), List.of(), Instant.now()).status());
  }

  /** KEY records with the real key's tag but wrong key material (word sum preserved). */
  static KEYRecord sameTagForgery(KEYRecord real, int variant) {
    byte[] k = real.getKey().clone();
    // rdata = flags(2) proto(1) alg(1) key: key byte i sits at rdata offset 4+i, so even i is a
    // high byte. +1 at one high byte and -1 at another keeps the 16-bit word sum (the tag).
    int i = 2 * variant;
    int j = 2 * variant + 2;
    k[i] = (byte) (k[i] + 1);
    k[j] = (byte) (k[j] - 1);
    if ((k[i] & 0xFF) == 0 || (k[j] & 0xFF) == 0xFF) {
      return sameTagForgery(real, variant + 7); // avoid carries
    }
    return new KEYRecord(
        real.getName(),
        real.getDClass(),
        real.getTTL(),
        real.getFlags(),
        real.getProtocol(),
        real.getAlgorithm(),
        k);
  }

  @Test
  void capsKeysTriedPerMessage() throws Exception {
    int alg = DNSSEC.Algorithm.ED25519;
    KeyPair kp = keyPair(alg);
    KEYRecord key = keyRecord(alg, kp);
    Instant now = Instant.now();
    byte[] wire = signed(alg, kp, key, now);
    List<KEYRecord> keys = new ArrayList<>();
    for (int v = 0; v < 6; v++) {
      KEYRecord f = sameTagForgery(key, v);
      assertEquals(key.getFootprint(), f.getFootprint());
      keys.add(f);
    }
    keys.add(key); // the real key comes 7th: never tried
    Sig0Result r = Sig0Verifier.verify(wire, new Message(wire), keys, now);
    assertEquals(SignatureStatus.BADSIG, r.status(), r.reason());
    assertEquals(Sig0Verifier.MAX_KEYS_TRIED, r.keysTried());

    List<KEYRecord> within = new ArrayList<>(keys.subList(0, 3));
    within.add(key); // 4th: tried
    Sig0Result ok = Sig0Verifier.verify(wire, new Message(wire), within, now);
    assertEquals(SignatureStatus.VERIFIED, ok.status(), ok.reason());
    assertEquals(4, ok.keysTried());
  }
}
