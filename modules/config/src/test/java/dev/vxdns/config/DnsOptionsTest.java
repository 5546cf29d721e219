package dev.vxdns.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Transport;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** max-udp-size, edns-udp-size and nocookie-udp-size, as BIND 9.20 reads and bounds them. */
class DnsOptionsTest {
  @TempDir Path dir;

  private DnsOptions parse(JsonObject options) throws ConfigException {
    return ConfigSource.of(new JsonObject().put("options", options), dir).parse(DnsOptions.PART);
  }

  private static DnsExchange exchange() {
    return DnsExchange.received(
        Transport.UDP,
        "test",
        new InetSocketAddress("127.0.0.1", 1000),
        new InetSocketAddress("127.0.0.1", 53),
        new byte[12]);
  }

  @Test
  void nocookieUdpSizeBindsQueriesWithoutAValidServerCookie() throws Exception {
    DnsOptions dns = parse(new JsonObject().put("nocookie-udp-size", 512));
    assertEquals(512, dns.maxUdpSize(exchange()));
    assertEquals(1232, dns.maxUdpSize(exchange().withCookieVerified()));
  }

  @Test
  void nocookieUdpSizeIsKeptBetween128AndMaxUdpSizeAsInBind() throws Exception {
    // BIND's default, 4096, is above max-udp-size: no effect.
    assertEquals(1232, parse(new JsonObject()).maxUdpSize(exchange()));
    assertEquals(128, parse(new JsonObject().put("nocookie-udp-size", 10)).nocookieUdpSize());
    assertEquals(
        1400,
        parse(new JsonObject().put("max-udp-size", 1400).put("nocookie-udp-size", 9000))
            .nocookieUdpSize());
    ConfigException bad =
        assertThrows(
            ConfigException.class, () -> parse(new JsonObject().put("nocookie-udp-size", "small")));
    assertEquals("options.nocookie-udp-size", bad.key());
  }
}
