package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Jazzer fuzz target of TSIG, SIG(0) and TKEY: any bytes verified as a request get a status, never
 * an exception, and a TKEY query gets a response that renders. {@code mvn verify} replays the
 * corpus in {@code AuthFuzzTestInputs/}; {@code bench/fuzz.sh auth MINUTES} fuzzes for real.
 *
 * <p>Everything is deterministic so that an entry replays the same way: the time is fixed (the
 * seeds are signed at {@link #NOW}), the keys are those of {@code config/examples/tsig.json}, and
 * the SIG(0) and Diffie-Hellman keys come from a seeded generator.
 */
class AuthFuzzTest {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Name SIG0_SIGNER = Name.fromConstantString("sig0.example.test.");
  static final Name TKEY_DOMAIN = Name.fromConstantString("tkey.example.test.");

  /** The keys of config/examples/tsig.json. */
  static final List<TsigKey> TSIG_KEYS =
      List.of(
          TsigKey.parse(
              "host1-host2.", "hmac-sha256", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="),
          TsigKey.parse(
              "transfer.",
              "hmac-sha512",
              "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTBmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMA=="));

  static final KeyPair ED25519 = keyPair("Ed25519", null, 1);
  static final KeyPair P256 = keyPair("EC", "secp256r1", 2);
  static final List<KEYRecord> SIG0_KEYS =
      List.of(
          keyRecord(DNSSEC.Algorithm.ED25519, ED25519),
          keyRecord(DNSSEC.Algorithm.ECDSAP256SHA256, P256));
  static final DhKey SERVER_DH =
      DhKey.generate(Name.fromConstantString("server."), DhGroup.MODP768, seeded(3));

  @FuzzTest(maxDuration = "10m")
  void everyRequestGetsAStatus(byte[] wire) {
    InMemoryKeyStore keys = new InMemoryKeyStore(CLOCK, TSIG_KEYS);
    TsigResult tsig = TsigVerifier.verify(wire, keys, NOW);
    assertNotNull(tsig.status());
    assertNotNull(tsig.reason());
    Message parsed;
    try {
      parsed = new Message(wire);
    } catch (IOException | RuntimeException unparseable) {
      assertEquals(SignatureStatus.FORMERR, tsig.status(), tsig::toString);
      return;
    }
    assertEquals(tsig.status(), TsigVerifier.verify(wire, parsed, keys, NOW).status());
    if (tsig.isVerified()) {
      assertFalse(tsig.key().isEmpty(), tsig::toString);
    }
    // The response the status calls for (signed, unsigned error, or bare) renders.
    assertNotNull(TsigSigner.signResponse(TsigSigner.errorResponse(parsed, tsig), tsig, NOW, 512));

    Sig0Result sig0 = Sig0Verifier.verify(wire, parsed, SIG0_KEYS, NOW);
    assertNotNull(sig0.status());
    assertNotNull(sig0.reason());

    if (parsed.getQuestion() != null && parsed.getQuestion().getType() == Type.TKEY) {
      TkeyServer server =
          new TkeyServer(
              SERVER_DH, TKEY_DOMAIN, Duration.ofHours(1), keys, seeded(4), CLOCK, 1000, 10);
      // Also as if verified, whatever the signature: the fuzzer reaches the negotiation itself.
      for (TsigKey signer : new TsigKey[] {null, TSIG_KEYS.get(0)}) {
        TkeyOutcome outcome = server.process(parsed, signer);
        assertNotNull(outcome.response(), outcome::toString);
        assertNotNull(outcome.response().toWire());
      }
    }
  }

  /** A generator that gives the same bytes in every run. */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed);
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair(String algorithm, String curve, long seed) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
      if (curve != null) {
        generator.initialize(new ECGenParameterSpec(curve), seeded(seed));
      } else {
        generator.initialize(255, seeded(seed));
      }
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KEYRecord keyRecord(int algorithm, KeyPair pair) {
    try {
      return new KEYRecord(
          SIG0_SIGNER,
          DClass.IN,
          3600,
          KEYRecord.Flags.HOST,
          KEYRecord.Protocol.DNSSEC,
          algorithm,
          pair.getPublic());
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException(e);
    }
  }
}
