package dev.vxdns.bench;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.message.DnsResponses;
import dev.vxdns.message.Outcome;
import dev.vxdns.verticles.zone.ZoneStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * The per-query work of the zone stage on one event loop, split the way a profile splits it:
 *
 * <ul>
 *   <li>{@code parse}: {@link DnsRequests#parse} of the query bytes (dnsjava {@code Message} + the
 *       FORMERR/BADVERS checks);
 *   <li>{@code answer}: {@link ZoneStage#answer} of an already parsed exchange: zone lookup and
 *       building the response {@code Message} (the lookup path proper);
 *   <li>{@code render}: {@link DnsResponses#render} of that response for UDP (dnsjava toWire with
 *       name compression and truncation);
 *   <li>{@code full}: all three from the bytes a transport receives to the bytes it sends.
 * </ul>
 *
 * for each {@link BenchData.Kind}: an existing name, an NXDOMAIN, a wildcard, a CNAME chain.
 * Transport, event-bus and kernel costs are not included; bench/run.sh measures those.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueryPathBenchmark {

  @Param({"EXISTING", "NXDOMAIN", "WILDCARD", "CNAME"})
  public BenchData.Kind kind;

  /** Records in the zone (the lookup is a hash probe per label, so size should barely matter). */
  @Param({"10000"})
  public int records;

  private ZoneStage stage;
  private byte[] queryBytes;
  private DnsExchange parsed;
  private DnsExchange answered;

  @Setup
  public void setUp() {
    stage = new ZoneStage(BenchData.zones(records), BenchData.EDNS_UDP_SIZE);
    queryBytes = BenchData.queryBytes(kind);
    parsed = DnsRequests.parse(BenchData.received(queryBytes), BenchData.EDNS_UDP_SIZE);
    answered = stage.answer(parsed);
    check(kind, answered);
  }

  @Benchmark
  public DnsExchange parse() {
    return DnsRequests.parse(BenchData.received(queryBytes), BenchData.EDNS_UDP_SIZE);
  }

  @Benchmark
  public DnsExchange answer() {
    return stage.answer(parsed);
  }

  @Benchmark
  public byte[] render() {
    return DnsResponses.render(answered, BenchData.MAX_UDP_SIZE);
  }

  @Benchmark
  public byte[] full() {
    DnsExchange exchange =
        DnsRequests.parse(BenchData.received(queryBytes), BenchData.EDNS_UDP_SIZE);
    DnsExchange done = stage.answer(exchange);
    return DnsResponses.render(done, BenchData.MAX_UDP_SIZE);
  }

  /** Fails the trial when the zone does not give the answer the kind is meant to measure. */
  static void check(BenchData.Kind kind, DnsExchange answered) {
    if (answered.reply().outcome() != Outcome.RESPOND) {
      throw new IllegalStateException(kind + ": outcome " + answered.reply().outcome());
    }
    Message response = answered.responseMessage();
    int rcode = response.getRcode();
    int answers = response.getSection(Section.ANSWER).size();
    boolean aa = response.getHeader().getFlag(Flags.AA);
    int expectedRcode = kind == BenchData.Kind.NXDOMAIN ? Rcode.NXDOMAIN : Rcode.NOERROR;
    int expectedAnswers;
    switch (kind) {
      case EXISTING:
        expectedAnswers = 2;
        break;
      case NXDOMAIN:
        expectedAnswers = 0;
        break;
      case WILDCARD:
        expectedAnswers = 1;
        break;
      default:
        expectedAnswers = 4;
        break;
    }
    if (rcode != expectedRcode || answers != expectedAnswers || !aa || response.getOPT() == null) {
      throw new IllegalStateException(
          kind
              + ": unexpected response "
              + Rcode.string(rcode)
              + ", "
              + answers
              + " answers, AA "
              + aa
              + ", OPT "
              + (response.getOPT() != null)
              + ":\n"
              + response);
    }
  }
}
