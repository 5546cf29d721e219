package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/** Every TSIG record the server writes carries a fudge of 300 seconds (as BIND). */
class TsigFudgeTest {
  private static final Duration FIVE_MINUTES = Duration.ofSeconds(300);

  @Test
  void signedResponseHasFudge300() throws Exception {
    TsigKey k = TsigVerifierTest.key(TsigAlgorithm.HMAC_SHA256);
    byte[] wire = TsigVerifierTest.signedWire(k);
    TsigResult r = TsigVerifier.verify(wire, TsigVerifierTest.store(k), Instant.now());
    assertTrue(r.isVerified(), r.reason());
    byte[] resp =
        TsigSigner.signResponse(
            TsigVerifierTest.answerFor(new Message(wire)),
            r.verifiedRequest().orElseThrow(),
            Instant.now(),
            512);
    assertEquals(FIVE_MINUTES, new Message(resp).getTSIG().getFudge());
  }

  @Test
  void badtimeAndBadkeyResponsesHaveFudge300() throws Exception {
    TsigKey k = TsigVerifierTest.key(TsigAlgorithm.HMAC_SHA256);
    byte[] wire = TsigVerifierTest.signedWire(k);
    Instant late = Instant.now().plusSeconds(3600);
    TsigResult badtime = TsigVerifier.verify(wire, TsigVerifierTest.store(k), late);
    assertEquals(SignatureStatus.BADTIME, badtime.status());
    Message parsed = new Message(wire);
    byte[] resp =
        TsigSigner.signResponse(TsigSigner.errorResponse(parsed, badtime), badtime, late, 512);
    TSIGRecord t = new Message(resp).getTSIG();
    assertEquals(Rcode.BADTIME, t.getError());
    assertEquals(FIVE_MINUTES, t.getFudge());

    TsigKey other = TsigKey.of(Name.fromConstantString("other."), k.algorithm(), k.secret());
    TsigResult badkey = TsigVerifier.verify(wire, TsigVerifierTest.store(other), Instant.now());
    assertEquals(SignatureStatus.BADKEY, badkey.status());
    byte[] resp2 =
        TsigSigner.signResponse(
            TsigSigner.errorResponse(parsed, badkey), badkey, Instant.now(), 512);
    TSIGRecord t2 = new Message(resp2).getTSIG();
    assertEquals(Rcode.BADKEY, t2.getError());
    assertEquals(FIVE_MINUTES, t2.getFudge());
  }

  @Test
  void streamMessagesHaveFudge300() throws Exception {
    TsigKey k = TsigVerifierTest.key(TsigAlgorithm.HMAC_SHA256);
    byte[] wire = TsigVerifierTest.signedWire(k);
    TsigResult r = TsigVerifier.verify(wire, TsigVerifierTest.store(k), Instant.now());
    TsigStreamSigner signer =
        new TsigStreamSigner(r.verifiedRequest().orElseThrow(), Clock.systemUTC());
    for (int i = 0; i < 2; i++) {
      byte[] out = signer.sign(TsigVerifierTest.answerFor(new Message(wire)));
      assertEquals(FIVE_MINUTES, new Message(out).getTSIG().getFudge(), "message " + i);
    }
  }
}
