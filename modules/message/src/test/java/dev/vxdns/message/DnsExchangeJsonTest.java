package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

class DnsExchangeJsonTest {
  @Test
  void roundTripsThroughJson() throws Exception {
    byte[] wire = DnsExchangeBinaryTest.query("www.example.test.", Type.A);
    Message request = new Message(wire);
    DnsExchange original =
        DnsExchange.received(
                Transport.UDP,
                "lo",
                new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("::1", 5300),
                wire)
            .withProxied(
                new InetSocketAddress("2001:db8::7", 1234),
                new InetSocketAddress("192.0.2.53", 53),
                wire)
            .withRequest(request)
            .respond(DnsResponses.responseTo(request, 1232));
    JsonObject json = DnsExchangeJson.toJson(original);
    assertEquals("[2001:db8:0:0:0:0:0:7]:1234", json.getString("effectiveSource"));
    assertEquals("RESPOND", json.getString("outcome"));

    DnsExchange copy = DnsExchangeJson.fromJson(new JsonObject(json.encode()));
    assertEquals(original.effectiveSource(), copy.effectiveSource());
    assertEquals(original.realDestination(), copy.realDestination());
    assertArrayEquals(original.response().toWire(), copy.response().toWire());
    assertEquals(request.getQuestion(), copy.request().getQuestion());
  }

  @Test
  void rejectsHostNamesAndBrokenFields() {
    JsonObject json =
        DnsExchangeJson.toJson(
            DnsExchange.received(
                Transport.TCP,
                "x",
                new InetSocketAddress("127.0.0.1", 1),
                new InetSocketAddress("127.0.0.1", 53),
                new byte[12]));
    assertThrows(
        IllegalArgumentException.class,
        () -> DnsExchangeJson.fromJson(json.copy().put("realSource", "example.com:53")));
    assertThrows(
        IllegalArgumentException.class,
        () -> DnsExchangeJson.fromJson(json.copy().put("outcome", "MAYBE")));
    JsonObject noQuery = json.copy();
    noQuery.remove("query");
    assertThrows(IllegalArgumentException.class, () -> DnsExchangeJson.fromJson(noQuery));
  }
}
