package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {
  @Test
  void prefixedNamesMapToKeysAndOthersAreIgnored() throws Exception {
    JsonObject document =
        new JsonObject().put("options", new JsonObject().put("max-udp-size", 4096));
    ConfigOverrides overrides =
        new ConfigOverrides(
            Map.of(
                "VXDNS_OPTIONS__MAX_UDP_SIZE", "1400",
                "VXDNS_OPTIONS__ALLOW_QUERY", "[\"127.0.0.1\"]",
                "VXDNS_ZONE__EXAMPLE_TEST", "{\"file\": \"example.zone\"}",
                "PATH", "/usr/bin",
                "VXDNS_JAVA_OPTS", "-Xmx512m",
                "vxdns_options__max_udp_size", "1"),
            Map.of("VXDNS_OPTIONS__TKEY_DOMAIN", "tkey.test."));
    JsonObject applied = overrides.apply(document);
    JsonObject options = applied.getJsonObject("options");
    assertEquals(1400, options.getInteger("max-udp-size"), "a number, from the environment");
    assertEquals(new JsonArray().add("127.0.0.1"), options.getJsonArray("allow-query"));
    assertEquals("tkey.test.", options.getString("tkey-domain"), "a system property, a string");
    assertEquals(
        "example.zone",
        applied.getJsonObject("zone").getJsonObject("example-test").getString("file"));
    assertEquals(Map.of("options", 1, "zone", 1).keySet(), applied.getMap().keySet());
    assertEquals(4096, document.getJsonObject("options").getInteger("max-udp-size"), "a copy");
  }

  @Test
  void systemPropertiesWinAndBadPathsAreRefused() throws Exception {
    ConfigOverrides both =
        new ConfigOverrides(
            Map.of("VXDNS_OPTIONS__MAX_UDP_SIZE", "1400"),
            Map.of("VXDNS_OPTIONS__MAX_UDP_SIZE", "1232"));
    assertEquals(
        1232, both.apply(new JsonObject()).getJsonObject("options").getInteger("max-udp-size"));
    ConfigException through =
        assertThrows(
            ConfigException.class,
            () ->
                new ConfigOverrides(Map.of("VXDNS_OPTIONS__X", "1"), Map.of())
                    .apply(new JsonObject().put("options", 5)));
    assertTrue(through.getMessage().contains("not an object"), through.getMessage());
    assertThrows(ConfigException.class, () -> ConfigOverrides.keyOf("VXDNS___A"));
    assertEquals("options.max-udp-size", ConfigOverrides.keyOf("VXDNS_OPTIONS__MAX_UDP_SIZE"));
  }

  @Test
  void anOverrideMeetsTheStrictValidatorLikeTheFile() throws Exception {
    JsonObject base = LauncherConfig.config(5300);
    ConfigException unknown =
        assertThrows(
            ConfigException.class,
            () ->
                NodeConfig.parse(
                    new ConfigOverrides(Map.of("VXDNS_OPTIONS__NO_SUCH_OPTION", "1"), Map.of())
                        .apply(base),
                    Path.of(".")));
    assertTrue(unknown.getMessage().contains("no-such-option"), unknown.getMessage());
    try (NodeConfig parsed =
        NodeConfig.parse(
            new ConfigOverrides(Map.of("VXDNS_OPTIONS__UDP_INSTANCES", "3"), Map.of()).apply(base),
            Path.of("."))) {
      assertEquals(3, parsed.transport().udpInstances());
    }
  }
}
