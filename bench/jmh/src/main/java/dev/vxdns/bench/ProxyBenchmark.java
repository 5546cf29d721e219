package dev.vxdns.bench;

import dev.vxdns.acl.AclEnvironment;
import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Transport;
import dev.vxdns.proxyprotocol.DecodeResult;
import dev.vxdns.proxyprotocol.ProxyDecoder;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import dev.vxdns.verticles.proxy.ProxyStage;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
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

/**
 * PROXY v2 on the query path: decoding a v4 and a v6 header carrying TLVs as dnsdist and HAProxy
 * send them (UNIQUE_ID, ALPN, AUTHORITY, CRC32C), and the whole proxy stage on a UDP datagram
 * (allow-proxy and allow-proxy-on checks, decode, strip, new exchange).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProxyBenchmark {
  private final ProxyDecoder decoder = ProxyDecoder.defaults();
  private byte[] v4Datagram;
  private byte[] v6Datagram;
  private DnsExchange v4Exchange;
  private ProxyStage stage;

  static ProxyHeader header(String source, String destination) {
    return ProxyHeader.builder()
        .protocol(TransportProtocol.DGRAM)
        .addresses(new InetSocketAddress(source, 40123), new InetSocketAddress(destination, 53))
        .uniqueId(new byte[16])
        .alpn("dot")
        .authority("ns1.example.test")
        .crc32c()
        .build();
  }

  @Setup
  public void setUp() throws Exception {
    byte[] query = BenchData.queryBytes(BenchData.Kind.EXISTING);
    v4Datagram = ProxyEncoder.prepend(header("192.0.2.7", "198.51.100.53"), query);
    v6Datagram = ProxyEncoder.prepend(header("2001:db8::7", "2001:db8::53"), query);
    AclEnvironment none = AclEnvironment.empty();
    stage =
        new ProxyStage(
            512,
            AddressMatchList.compile(List.of("127.0.0.0/8", "::1"), Map.of(), none),
            AddressMatchList.compile(List.of("any"), Map.of(), none));
    v4Exchange =
        DnsExchange.received(
            Transport.UDP,
            "bench",
            new InetSocketAddress("127.0.0.1", 40000),
            new InetSocketAddress("127.0.0.1", 5301),
            v4Datagram);
    if (!(decoder.decodeDatagram(v4Datagram) instanceof DecodeResult.Complete)
        || !(decoder.decodeDatagram(v6Datagram) instanceof DecodeResult.Complete)
        || !stage.apply(v4Exchange).endpoints().proxied()) {
      throw new IllegalStateException("the benchmark headers do not decode");
    }
  }

  @Benchmark
  public DecodeResult decodeV4WithTlvs() {
    return decoder.decodeDatagram(v4Datagram);
  }

  @Benchmark
  public DecodeResult decodeV6WithTlvs() {
    return decoder.decodeDatagram(v6Datagram);
  }

  @Benchmark
  public DnsExchange proxyStageV4() {
    return stage.apply(v4Exchange);
  }
}
