package dev.vxdns.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.util.List;
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
                new InetSocketAddress("2001:db8::7", 1234), new InetSocketAddress("192.0.2.53", 53))
            .withRequest(request)
            .respond(DnsResponses.responseTo(request, 1232));
    JsonObject json = DnsExchangeJson.toJson(original);
    assertEquals(
        "[2001:db8:0:0:0:0:0:7]:1234",
        json.getJsonObject("endpoints").getString("effectiveSource"));
    assertEquals("UDP", json.getJsonObject("endpoints").getString("transport"));
    assertEquals("RESPOND", json.getJsonObject("reply").getString("outcome"));

    DnsExchange copy = DnsExchangeJson.fromJson(new JsonObject(json.encode()));
    assertEquals(original.endpoints().effectiveSource(), copy.endpoints().effectiveSource());
    assertEquals(original.endpoints().realDestination(), copy.endpoints().realDestination());
    assertArrayEquals(original.responseMessage().toWire(), copy.responseMessage().toWire());
    assertEquals(request.getQuestion(), copy.request().getQuestion());
    ExchangeGroups.assertSameGroups(original, copy);
  }

  /** Every component of every group, under its name in its group's object. */
  @Test
  void carriesEveryComponentOfEveryGroupByName() throws Exception {
    DnsExchange original = ExchangeGroups.everyComponentSet();
    JsonObject json = new JsonObject(DnsExchangeJson.toJson(original).encode());
    assertEquals(
        List.of("endpoints", "query", "verdicts", "reply"), List.copyOf(json.fieldNames()));
    for (Record group : ExchangeGroups.groups(original)) {
      String name = group.getClass().getSimpleName();
      JsonObject object =
          json.getJsonObject(Character.toLowerCase(name.charAt(0)) + name.substring(1));
      for (java.lang.reflect.RecordComponent c : group.getClass().getRecordComponents()) {
        assertEquals(true, object.containsKey(c.getName()), name + "." + c.getName());
      }
      assertEquals(group.getClass().getRecordComponents().length, object.size(), name);
    }
    DnsExchange copy = DnsExchangeJson.fromJson(json);
    ExchangeGroups.assertSameGroups(original, copy);
    assertEquals(original.request().getQuestion(), copy.request().getQuestion());
  }

  @Test
  void readsAbsentValuesAsNull() throws Exception {
    JsonObject json =
        DnsExchangeJson.toJson(
            DnsExchange.received(
                Transport.TCP,
                "x",
                new InetSocketAddress("127.0.0.1", 1),
                new InetSocketAddress("127.0.0.1", 53),
                new byte[12]));
    json.getJsonObject("verdicts").remove("keyName");
    json.getJsonObject("reply").remove("steps");
    json.getJsonObject("endpoints").remove("proxied");
    DnsExchange copy = DnsExchangeJson.fromJson(json);
    assertNull(copy.verdicts().keyName());
    assertEquals(List.of(), copy.reply().steps());
    assertEquals(false, copy.endpoints().proxied());
    assertEquals(Transport.TCP, copy.endpoints().transport());
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
    JsonObject hostName = json.copy();
    hostName.getJsonObject("endpoints").put("realSource", "example.com:53");
    assertThrows(IllegalArgumentException.class, () -> DnsExchangeJson.fromJson(hostName));
    JsonObject maybe = json.copy();
    maybe.getJsonObject("reply").put("outcome", "MAYBE");
    assertThrows(IllegalArgumentException.class, () -> DnsExchangeJson.fromJson(maybe));
    JsonObject badHeader = json.copy();
    badHeader.getJsonObject("query").put("proxyHeader", "AAAA");
    assertThrows(IllegalArgumentException.class, () -> DnsExchangeJson.fromJson(badHeader));
    JsonObject noQuery = json.copy();
    noQuery.remove("query");
    assertThrows(IllegalArgumentException.class, () -> DnsExchangeJson.fromJson(noQuery));
    JsonObject noWire = json.copy();
    noWire.getJsonObject("query").remove("wire");
    assertThrows(IllegalArgumentException.class, () -> DnsExchangeJson.fromJson(noWire));
  }
}
