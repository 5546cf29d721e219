package dev.vxdns.verticles.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class ForwardSettingsTest {
  private static JsonObject config(JsonObject backend, JsonObject zone) {
    return new JsonObject()
        .put(
            "forward",
            new JsonObject()
                .put(
                    "pools",
                    new JsonObject()
                        .put("p", new JsonObject().put("backends", new JsonArray().add(backend)))))
        .put("zone", new JsonObject().put(".", zone));
  }

  private static ForwardSettings parse(JsonObject json) throws ConfigException {
    return ForwardSettings.PART.parse(ConfigSource.of(json, Path.of(".")));
  }

  private static JsonObject backend() {
    return new JsonObject().put("address", "192.0.2.1");
  }

  private static JsonObject forwardZone() {
    return new JsonObject().put("type", "forward").put("pool", "p");
  }

  @Test
  void defaultsAreDnsdistsAndCachingIsOffForProxyBackends() throws Exception {
    ForwardSettings plain = parse(config(backend(), forwardZone()));
    Backend b = plain.forwardZones().get(Name.root).backends().get(0);
    assertEquals(53, b.address().getPort());
    assertEquals(BackendTransport.UDP, b.transport());
    assertEquals(2000, b.timeoutMillis());
    assertEquals(1, b.retries());
    assertTrue(b.cache());
    Backend proxied =
        parse(config(backend().put("proxy-protocol", true).put("transport", "dot"), forwardZone()))
            .forwardZones()
            .get(Name.root)
            .backends()
            .get(0);
    assertEquals(853, proxied.address().getPort());
    assertEquals(false, proxied.cache());
    Backend ecs =
        parse(config(backend().put("client-subnet", true), forwardZone()))
            .forwardZones()
            .get(Name.root)
            .backends()
            .get(0);
    assertEquals(24, ecs.clientSubnet().v4Prefix());
    assertEquals(56, ecs.clientSubnet().v6Prefix());
  }

  @Test
  void mistakesNameTheirKey() {
    assertThrows(
        ConfigException.class,
        () -> parse(config(backend(), new JsonObject().put("type", "forward").put("pool", "q"))));
    assertThrows(
        ConfigException.class,
        () ->
            parse(
                config(
                    backend()
                        .put(
                            "proxy-tlvs",
                            new JsonArray()
                                .add(new JsonObject().put("type", 224).put("value", "x"))),
                    forwardZone())));
    assertThrows(
        ConfigException.class,
        () -> parse(config(backend().put("ecs-override", true), forwardZone())));
    assertThrows(
        ConfigException.class, () -> parse(config(backend().put("tls-name", "x"), forwardZone())));
    assertThrows(
        ConfigException.class, () -> parse(config(backend().put("colour", "red"), forwardZone())));
    ConfigException fileInForward =
        assertThrows(
            ConfigException.class,
            () -> parse(config(backend(), forwardZone().put("file", "x.zone"))));
    assertTrue(fileInForward.getMessage().contains("file"), fileInForward.getMessage());
  }
}
