package dev.vxdns.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class TsigStreamSignerTest {
  @ParameterizedTest
  @CsvSource({
    "HMAC_SHA256, 0, 3",
    "HMAC_SHA1, 0, 5",
    "HMAC_MD5, 0, 4",
    "HMAC_SHA512, 0, 7",
    "HMAC_SHA256, 128, 3"
  })
  void everyMessageVerifiesWithDnsjavaStreamVerifier(TsigAlgorithm alg, int bits, int messages)
      throws Exception {
    TsigKey full = TsigVerifierTest.key(alg);
    TsigKey k = bits == 0 ? full : TsigKey.of(full.name(), alg, full.secret(), bits);
    TSIG client = TsigVerifierTest.client(full, Clock.systemUTC());
    Name zone = Name.fromConstantString("example.test.");
    Message q = Message.newQuery(Record.newRecord(zone, Type.AXFR, DClass.IN));
    client.apply(q, null);
    byte[] wire = q.toWire();
    TsigResult r =
        TsigVerifier.verify(
            wire, new InMemoryKeyStore(Clock.systemUTC(), java.util.List.of(k)), Instant.now());
    assertTrue(r.isVerified(), r.reason());

    TsigStreamSigner signer =
        new TsigStreamSigner(r.verifiedRequest().orElseThrow(), Clock.systemUTC());
    TSIG.StreamVerifier verifier = new TSIG.StreamVerifier(client, q.getTSIG());
    for (int i = 0; i < messages; i++) {
      Message m = new Message(q.getHeader().getID());
      m.getHeader().setFlag(Flags.QR);
      if (i == 0) {
        m.addRecord(q.getQuestion(), Section.QUESTION);
      }
      for (int j = 0; j < 20; j++) {
        m.addRecord(
            new ARecord(
                Name.fromString("h" + i + "-" + j, zone),
                DClass.IN,
                60,
                InetAddress.getByAddress(new byte[] {10, 0, (byte) i, (byte) j})),
            Section.ANSWER);
      }
      byte[] out = signer.sign(m);
      Message parsed = new Message(out);
      int rc = verifier.verify(parsed, out, i == messages - 1);
      assertEquals(Rcode.NOERROR, rc, "message " + i + ": " + verifier.getErrorMessage());
      assertTrue(parsed.isVerified(), "message " + i);
    }
    assertEquals(messages, signer.messagesSigned());
  }
}
