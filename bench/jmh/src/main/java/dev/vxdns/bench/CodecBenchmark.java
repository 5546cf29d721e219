package dev.vxdns.bench;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.DnsExchangeBinary;
import dev.vxdns.message.DnsRequests;
import dev.vxdns.verticles.zone.ZoneStage;
import java.io.IOException;
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
import org.xbill.DNS.Message;

/**
 * Codecs on a typical exchange: an EDNS query for an existing A name and its answered response (two
 * A records, OPT).
 *
 * <ul>
 *   <li>{@code exchangeEncode}/{@code exchangeDecode}/{@code exchangeRoundTrip}: the cluster
 *       event-bus codec {@link DnsExchangeBinary} (decode parses the request and the response again
 *       with dnsjava, so it includes two {@code new Message(byte[])});
 *   <li>{@code dnsjavaParseQuery}/{@code dnsjavaParseResponse}: {@code new Message(byte[])};
 *   <li>{@code dnsjavaQueryToWire}/{@code dnsjavaResponseToWire}: {@code Message.toWire()}.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CodecBenchmark {
  private DnsExchange finished;
  private byte[] encoded;
  private byte[] queryBytes;
  private byte[] responseBytes;
  private Message query;
  private Message response;

  @Setup
  public void setUp() throws IOException {
    ZoneStage stage = new ZoneStage(BenchData.zones(1000), BenchData.EDNS_UDP_SIZE);
    queryBytes = BenchData.queryBytes(BenchData.Kind.EXISTING);
    finished =
        stage.answer(DnsRequests.parse(BenchData.received(queryBytes), BenchData.EDNS_UDP_SIZE));
    QueryPathBenchmark.check(BenchData.Kind.EXISTING, finished);
    encoded = DnsExchangeBinary.encode(finished);
    query = new Message(queryBytes);
    response = finished.responseMessage();
    responseBytes = response.toWire();
    DnsExchange back = DnsExchangeBinary.decode(encoded);
    if (back.reply().outcome() != finished.reply().outcome()
        || back.responseMessage() == null
        || !java.util.Arrays.equals(back.responseMessage().toWire(), responseBytes)) {
      throw new IllegalStateException("DnsExchangeBinary round trip changed the exchange");
    }
  }

  @Benchmark
  public byte[] exchangeEncode() {
    return DnsExchangeBinary.encode(finished);
  }

  @Benchmark
  public DnsExchange exchangeDecode() {
    return DnsExchangeBinary.decode(encoded);
  }

  @Benchmark
  public DnsExchange exchangeRoundTrip() {
    return DnsExchangeBinary.decode(DnsExchangeBinary.encode(finished));
  }

  @Benchmark
  public Message dnsjavaParseQuery() throws IOException {
    return new Message(queryBytes);
  }

  @Benchmark
  public Message dnsjavaParseResponse() throws IOException {
    return new Message(responseBytes);
  }

  @Benchmark
  public byte[] dnsjavaQueryToWire() {
    return query.toWire();
  }

  @Benchmark
  public byte[] dnsjavaResponseToWire() {
    return response.toWire();
  }
}
