package dev.vxdns.verticles.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.acl.AclEnvironment;
import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Transport;
import dev.vxdns.proxyprotocol.ProxyEncoder;
import dev.vxdns.proxyprotocol.ProxyHeader;
import dev.vxdns.proxyprotocol.TransportProtocol;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyStageTest {
  private static final byte[] DNS = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
  private static final InetSocketAddress PROXY_PEER = new InetSocketAddress("127.0.0.1", 40000);
  private static final InetSocketAddress LISTENER = new InetSocketAddress("127.0.0.1", 5301);

  private static AddressMatchList list(String... elements) throws Exception {
    return AddressMatchList.compile(List.of((Object[]) elements), Map.of(), AclEnvironment.empty());
  }

  private static ProxyStage stage() throws Exception {
    return new ProxyStage(512, list("127.0.0.0/8", "::1"), list("any"));
  }

  private static byte[] datagram(ProxyHeader header) {
    return ProxyEncoder.prepend(header, DNS);
  }

  private static DnsExchange udp(byte[] datagram) {
    return DnsExchange.received(Transport.UDP, "proxied", PROXY_PEER, LISTENER, datagram);
  }

  private static ProxyHeader proxy(
      String source, int sourcePort, String destination, int destinationPort) {
    return ProxyHeader.proxy(
        TransportProtocol.DGRAM,
        new InetSocketAddress(source, sourcePort),
        new InetSocketAddress(destination, destinationPort));
  }

  @Test
  void aProxyHeaderFromAnAllowedPeerSetsTheEffectiveAddresses() throws Exception {
    ProxyStage stage = stage();
    DnsExchange result = stage.apply(udp(datagram(proxy("192.0.2.7", 1234, "198.51.100.53", 53))));
    assertFalse(result.isFinished());
    assertTrue(result.endpoints().proxied());
    assertEquals(new InetSocketAddress("192.0.2.7", 1234), result.endpoints().effectiveSource());
    assertEquals(
        new InetSocketAddress("198.51.100.53", 53), result.endpoints().effectiveDestination());
    assertEquals(
        PROXY_PEER,
        result.endpoints().realSource(),
        "the real addresses stay for the response path");
    assertArrayEquals(DNS, result.query().wire(), "the header is stripped");
    assertEquals(1L, stage.counters().get("accepted"));
  }

  @Test
  void ipv6HeadersWorkOverIpv4Connections() throws Exception {
    DnsExchange result =
        stage().apply(udp(datagram(proxy("2001:db8::7", 5353, "2001:db8::53", 53))));
    assertEquals(new InetSocketAddress("2001:db8::7", 5353), result.endpoints().effectiveSource());
  }

  @Test
  void localKeepsTheRealAddresses() throws Exception {
    ProxyStage stage = stage();
    DnsExchange result = stage.apply(udp(datagram(ProxyHeader.local())));
    assertFalse(result.isFinished());
    assertFalse(result.endpoints().proxied());
    assertEquals(PROXY_PEER, result.endpoints().effectiveSource());
    assertArrayEquals(DNS, result.query().wire());
    assertEquals(1L, stage.counters().get("accepted-local"));
  }

  /**
   * The spec (2.2): a LOCAL header that carries a block (here AF_UNSPEC, length 12, twelve
   * arbitrary bytes) is accepted with the real endpoints and its block skipped. BIND 9.20 drops it.
   */
  @Test
  void localWithABlockOfArbitraryBytesIsAcceptedAndSkipped() throws Exception {
    ProxyStage stage = stage();
    byte[] header =
        java.util.HexFormat.of()
            .parseHex("0d0a0d0a000d0a515549540a" + "2000000c" + "0123456789abcdef01234567");
    byte[] datagram = java.util.Arrays.copyOf(header, header.length + DNS.length);
    System.arraycopy(DNS, 0, datagram, header.length, DNS.length);
    DnsExchange result = stage.apply(udp(datagram));
    assertFalse(result.isFinished());
    assertFalse(result.endpoints().proxied());
    assertEquals(PROXY_PEER, result.endpoints().effectiveSource());
    assertArrayEquals(DNS, result.query().wire(), "the header and its whole block are stripped");
    assertEquals(1L, stage.counters().get("accepted-local"));
  }

  @Test
  void aSourcePortOfZeroIsAccepted() throws Exception {
    assertTrue(
        stage()
            .apply(udp(datagram(proxy("192.0.2.7", 0, "198.51.100.53", 53))))
            .endpoints()
            .proxied());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "unspecified source,      0.0.0.0,     1234, 198.51.100.53, 53, unspecified-address",
    "unspecified destination, 192.0.2.7,   1234, 0.0.0.0,       53, unspecified-address",
    "unspecified v6 destination, 2001:db8::7, 1234, ::,       53, unspecified-address",
    "unspecified v6 source,   ::,          1234, 2001:db8::53,  53, unspecified-address",
    "destination port zero,   192.0.2.7,   1234, 198.51.100.53, 0,  zero-port",
  })
  void headersBindRejectsAreDropped(
      String name, String source, int sourcePort, String destination, int port, String reason)
      throws Exception {
    ProxyStage stage = stage();
    assertEquals(
        Outcome.DROP,
        stage.apply(udp(datagram(proxy(source, sourcePort, destination, port)))).reply().outcome());
    assertEquals(1L, stage.counters().get(reason));
  }

  @Test
  void aPeerOutsideAllowProxyIsDroppedBeforeDecoding() throws Exception {
    ProxyStage stage = stage();
    DnsExchange fromOutside =
        DnsExchange.received(
            Transport.UDP,
            "p",
            new InetSocketAddress("192.0.2.99", 1),
            LISTENER,
            datagram(proxy("192.0.2.7", 1234, "198.51.100.53", 53)));
    assertEquals(Outcome.DROP, stage.apply(fromOutside).reply().outcome());
    assertEquals(1L, stage.counters().get("not-allowed"));
  }

  @Test
  void allowProxyOnIsMatchedOnTheRealDestination() throws Exception {
    ProxyStage stage = new ProxyStage(512, list("any"), list("!127.0.0.1", "any"));
    assertEquals(
        Outcome.DROP,
        stage.apply(udp(datagram(proxy("192.0.2.7", 1, "198.51.100.53", 53)))).reply().outcome());
    assertEquals(1L, stage.counters().get("not-allowed-on"));
  }

  @Test
  void theDefaultAllowProxyOfNoneRejectsEveryone() throws Exception {
    ProxyStage stage = new ProxyStage(512, list("none"), list("any"));
    assertEquals(Outcome.DROP, stage.apply(udp(datagram(ProxyHeader.local()))).reply().outcome());
  }

  @Test
  void queriesWithoutAHeaderOrWithV1OrOversizedHeadersAreDropped() throws Exception {
    ProxyStage stage = stage();
    assertEquals(Outcome.DROP, stage.apply(udp(DNS)).reply().outcome());
    byte[] v1 = "PROXY TCP4 192.0.2.7 127.0.0.1 1234 53\r\n".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Outcome.DROP, stage.apply(udp(v1)).reply().outcome());
    ProxyHeader big =
        ProxyHeader.builder()
            .protocol(TransportProtocol.DGRAM)
            .addresses(
                new InetSocketAddress("192.0.2.7", 1), new InetSocketAddress("198.51.100.53", 53))
            .noop(600)
            .build();
    assertEquals(Outcome.DROP, stage.apply(udp(datagram(big))).reply().outcome());
    Map<String, Long> counters = stage.counters();
    assertEquals(1L, counters.get("proxy-v1-not-supported"), counters.toString());
    assertEquals(1L, counters.get("header-too-large"), counters.toString());
  }

  @Test
  void streamsCarryTheConnectionsHeaderAndCloseWithoutOne() throws Exception {
    ProxyStage stage = stage();
    ProxyHeader header =
        ProxyHeader.proxy(
            TransportProtocol.STREAM,
            new InetSocketAddress("192.0.2.7", 1234),
            new InetSocketAddress("198.51.100.53", 53));
    DnsExchange withHeader =
        DnsExchange.received(Transport.TCP, "p", PROXY_PEER, LISTENER, header, DNS);
    DnsExchange result = stage.apply(withHeader);
    assertFalse(result.isFinished());
    assertTrue(result.endpoints().proxied());
    assertEquals(new InetSocketAddress("192.0.2.7", 1234), result.endpoints().effectiveSource());
    assertEquals(
        new InetSocketAddress("198.51.100.53", 53), result.endpoints().effectiveDestination());
    assertArrayEquals(DNS, result.query().wire());
    assertEquals(1L, stage.counters().get("accepted"));
    DnsExchange without = DnsExchange.received(Transport.TCP, "p", PROXY_PEER, LISTENER, DNS);
    assertEquals(Outcome.CLOSE, stage.apply(without).reply().outcome());
    assertEquals(1L, stage.counters().get("missing"));
  }

  /** The stage judges a stream's header by the same rules as a datagram's, without decoding it. */
  @Test
  void streamHeadersAreJudgedByTheSameRules() throws Exception {
    ProxyStage stage = stage();
    DnsExchange local =
        stage.apply(
            DnsExchange.received(
                Transport.DOT, "p", PROXY_PEER, LISTENER, ProxyHeader.local(), DNS));
    assertFalse(local.isFinished());
    assertFalse(local.endpoints().proxied());
    assertEquals(PROXY_PEER, local.endpoints().effectiveSource());
    assertArrayEquals(DNS, local.query().wire());
    assertEquals(1L, stage.counters().get("accepted-local"));
    ProxyHeader unspecified =
        ProxyHeader.proxy(
            TransportProtocol.STREAM,
            new InetSocketAddress("0.0.0.0", 1234),
            new InetSocketAddress("198.51.100.53", 53));
    assertEquals(
        Outcome.CLOSE,
        stage
            .apply(DnsExchange.received(Transport.TCP, "p", PROXY_PEER, LISTENER, unspecified, DNS))
            .reply()
            .outcome());
    assertEquals(1L, stage.counters().get("unspecified-address"));
    ProxyHeader portZero =
        ProxyHeader.proxy(
            TransportProtocol.STREAM,
            new InetSocketAddress("192.0.2.7", 1234),
            new InetSocketAddress("198.51.100.53", 0));
    assertEquals(
        Outcome.CLOSE,
        stage
            .apply(DnsExchange.received(Transport.DOH, "p", PROXY_PEER, LISTENER, portZero, DNS))
            .reply()
            .outcome());
    assertEquals(1L, stage.counters().get("zero-port"));
    DnsExchange outside =
        DnsExchange.received(
            Transport.TCP,
            "p",
            new InetSocketAddress("192.0.2.99", 1),
            LISTENER,
            ProxyHeader.local(),
            DNS);
    assertEquals(Outcome.CLOSE, stage.apply(outside).reply().outcome());
    assertEquals(1L, stage.counters().get("not-allowed"));
  }

  /**
   * The debug line of each rejection, with its count and detail, as before the detail was built
   * lazily.
   */
  @Test
  void rejectionsAreLoggedAtDebugWithTheirCountAndDetail() throws Exception {
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger(ProxyStage.class.getName());
    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord record) {
            lines.add(formatter.formatMessage(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Level level = logger.getLevel();
    logger.setLevel(java.util.logging.Level.FINE);
    logger.addHandler(handler);
    try {
      ProxyStage stage = stage();
      DnsExchange fromOutside =
          DnsExchange.received(
              Transport.UDP,
              "p",
              new InetSocketAddress("192.0.2.99", 1),
              LISTENER,
              datagram(proxy("192.0.2.7", 1234, "198.51.100.53", 53)));
      stage.apply(fromOutside);
      stage.apply(fromOutside);
      InetSocketAddress unspecified = new InetSocketAddress("0.0.0.0", 1234);
      InetSocketAddress destination = new InetSocketAddress("198.51.100.53", 53);
      stage.apply(udp(datagram(proxy("0.0.0.0", 1234, "198.51.100.53", 53))));
      stage.apply(udp(datagram(proxy("192.0.2.7", 1234, "198.51.100.53", 0))));
      stage.apply(udp(DNS));
      stage.apply(DnsExchange.received(Transport.TCP, "p", PROXY_PEER, LISTENER, DNS));
      dev.vxdns.proxyprotocol.DecodeResult.Invalid invalid =
          (dev.vxdns.proxyprotocol.DecodeResult.Invalid)
              dev.vxdns.proxyprotocol.ProxyDecoder.withMaxHeaderSize(512).decodeDatagram(DNS);
      String reason = invalid.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      assertEquals(
          List.of(
              "proxy p: rejected udp from "
                  + fromOutside.endpoints().realSource()
                  + " (not-allowed; 1 so far): allow-proxy does not allow "
                  + fromOutside.endpoints().realSource(),
              "proxy p: rejected udp from "
                  + fromOutside.endpoints().realSource()
                  + " (not-allowed; 2 so far): allow-proxy does not allow "
                  + fromOutside.endpoints().realSource(),
              "proxy proxied: rejected udp from "
                  + PROXY_PEER
                  + " (unspecified-address; 1 so far): header addresses "
                  + unspecified
                  + " -> "
                  + destination,
              "proxy proxied: rejected udp from "
                  + PROXY_PEER
                  + " (zero-port; 1 so far): header destination port 0",
              "proxy proxied: rejected udp from "
                  + PROXY_PEER
                  + " ("
                  + reason
                  + "; 1 so far): "
                  + invalid,
              "proxy p: rejected tcp from "
                  + PROXY_PEER
                  + " (missing; 1 so far): the connection sent no PROXY header"),
          lines);
    } finally {
      logger.removeHandler(handler);
      logger.setLevel(level);
    }
  }
}
