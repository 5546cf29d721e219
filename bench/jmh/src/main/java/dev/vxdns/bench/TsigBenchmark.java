package dev.vxdns.bench;

import dev.vxdns.auth.InMemoryKeyStore;
import dev.vxdns.auth.KeyStore;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigResult;
import dev.vxdns.auth.TsigSigner;
import dev.vxdns.auth.TsigVerifier;
import dev.vxdns.auth.VerifiedRequest;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Transport;
import dev.vxdns.verticles.auth.AuthStage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * TSIG (RFC 8945, hmac-sha256) on the query path, for the EXISTING query (www.bench.test. A, RD,
 * EDNS 1232) signed by dnsjava as a client signs it:
 *
 * <ul>
 *   <li>{@code verify}: {@link TsigVerifier#verify(byte[], Message, KeyStore, Instant)} of the
 *       signed query, already parsed (the MAC over the received bytes, key look-up, time check);
 *   <li>{@code sign}: {@link TsigSigner#signResponse(Message, VerifiedRequest, Instant, int)} of
 *       the answer (render with room for the TSIG, MAC over request MAC + body + variables,
 *       append);
 *   <li>{@code stageSigned}: {@link AuthStage#apply} of the signed UDP exchange (parse + verify),
 *       the answer built and {@code respond}ed, then {@link AuthStage#onResponse} (sign + render):
 *       the auth stage's whole forward and back;
 *   <li>{@code stageUnsigned}: {@link AuthStage#apply} of the same query unsigned (parse only);
 *   <li>{@code stageUnsignedRendered}: the unsigned counterpart of {@code stageSigned}: apply, the
 *       same answer, {@link DnsResponses#render} as the transport renders an unsigned response.
 *       {@code stageSigned - stageUnsignedRendered} is what TSIG adds per query.
 * </ul>
 *
 * The answer is {@link DnsResponses#responseTo(Message, int)} with 1232 plus the two A records of
 * www. The stage has no TKEY server and no SIG(0) keys (null, as without {@code tkey-domain}) and
 * its clock is fixed at the signing time (a real clock would leave the 300 s fudge in long runs).
 * Transport, event-bus and kernel costs are not included (bench/tsig.sh measures those).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TsigBenchmark {
  static final String KEY_NAME = "bench-key.";

  /** 32 fixed octets: the benchmark needs a stable key, not a secret one. */
  static final String SECRET =
      Base64.getEncoder()
          .encodeToString(
              "vxdns-bench-tsig-hmac-sha256-key"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));

  private KeyStore keys;
  private AuthStage stage;
  private Instant now;
  private byte[] signedBytes;
  private Message signedParsed;
  private DnsExchange signedExchange;
  private DnsExchange unsignedExchange;
  private Message response;
  private VerifiedRequest verified;

  @Setup
  public void setUp() throws Exception {
    TsigKey key = TsigKey.parse(KEY_NAME, "hmac-sha256", SECRET);
    Message query = BenchData.query(BenchData.Kind.EXISTING.qname, Type.A);
    byte[] unsignedBytes = query.toWire();
    query.setTSIG(new TSIG(TSIG.HMAC_SHA256, KEY_NAME, SECRET), Rcode.NOERROR, null);
    // toWire() ignores setTSIG; only toWire(maxLength) signs (dnsjava 3.6).
    signedBytes = query.toWire(Message.MAXLENGTH);
    now = Instant.now();
    keys = new InMemoryKeyStore(Clock.systemUTC(), List.of(key));
    stage =
        new AuthStage(
            keys,
            null,
            null,
            Clock.fixed(now, ZoneOffset.UTC),
            BenchData.EDNS_UDP_SIZE,
            BenchData.MAX_UDP_SIZE);
    signedParsed = new Message(signedBytes);
    signedExchange = BenchData.received(signedBytes);
    unsignedExchange = BenchData.received(unsignedBytes);
    response = answer(signedParsed);

    TsigResult result = verify();
    if (!result.isVerified()) {
      throw new IllegalStateException("the signed query does not verify: " + result);
    }
    verified = result.verifiedRequest().orElseThrow();
    Message signedResponse = new Message(sign());
    if (signedResponse.getTSIG() == null || signedResponse.getSection(Section.ANSWER).size() != 2) {
      throw new IllegalStateException("the response is not signed: " + signedResponse);
    }
    // dnsjava, as the client, accepts the stage's signature over its own request.
    Message back = new Message(stageSigned().reply().wire());
    int check =
        new TSIG(TSIG.HMAC_SHA256, KEY_NAME, SECRET)
            .verify(back, stageSigned().reply().wire(), signedParsed.getTSIG());
    if (check != Rcode.NOERROR || back.getHeader().getRcode() != Rcode.NOERROR) {
      throw new IllegalStateException(
          "dnsjava rejects the signed response: " + Rcode.TSIGstring(check));
    }
    DnsExchange plain = stageUnsigned();
    if (plain.request() == null
        || plain.request().getTSIG() != null
        || plain.verdicts().keyName() != null
        || stageUnsignedRendered().length == 0) {
      throw new IllegalStateException("the unsigned query is not passed on parsed");
    }
  }

  /** The answer the zone stage would give: the response skeleton plus www's two A records. */
  static Message answer(Message request) {
    Message r = DnsResponses.responseTo(request, BenchData.MAX_UDP_SIZE);
    Name qname = request.getQuestion().getName();
    r.addRecord(
        new ARecord(qname, DClass.IN, 3600, BenchData.address(192, 0, 2, 10)), Section.ANSWER);
    r.addRecord(
        new ARecord(qname, DClass.IN, 3600, BenchData.address(192, 0, 2, 11)), Section.ANSWER);
    return r;
  }

  @Benchmark
  public TsigResult verify() {
    return TsigVerifier.verify(signedBytes, signedParsed, keys, now);
  }

  @Benchmark
  public byte[] sign() {
    return TsigSigner.signResponse(response, verified, now, BenchData.MAX_UDP_SIZE);
  }

  @Benchmark
  public DnsExchange stageSigned() {
    DnsExchange forward = stage.apply(signedExchange);
    return stage.onResponse(forward.respond(answer(forward.request()))).result();
  }

  @Benchmark
  public DnsExchange stageUnsigned() {
    return stage.apply(unsignedExchange);
  }

  @Benchmark
  public byte[] stageUnsignedRendered() {
    DnsExchange forward = stage.apply(unsignedExchange);
    return DnsResponses.render(
        answer(forward.request()), forward.request(), Transport.UDP, BenchData.MAX_UDP_SIZE);
  }
}
