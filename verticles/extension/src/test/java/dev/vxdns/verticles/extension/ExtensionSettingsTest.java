package dev.vxdns.verticles.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigSource;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionSettingsTest {
  static ExtensionSettings parse(String json, Path dir) throws ConfigException {
    return ConfigSource.of(new JsonObject(json), dir).parse(ExtensionSettings.PART);
  }

  @Test
  void absentMeansNoExtensionsAndNoBridge(@TempDir Path dir) throws Exception {
    ExtensionSettings settings = parse("{}", dir);
    assertFalse(settings.enabled());
  }

  @Test
  void theDirectoryResolvesAgainstTheConfigAndTheBridgeDefaultsToLoopback(@TempDir Path dir)
      throws Exception {
    Files.createDirectory(dir.resolve("ext"));
    ExtensionSettings settings =
        parse(
            """
            {"extensions": {"directory": "ext", "bridge": {"stages": ["py", "py"]}}}""",
            dir);
    assertEquals(dir.resolve("ext"), settings.directory());
    assertEquals(1000, settings.scanPeriodMillis());
    assertEquals("127.0.0.1", settings.bridge().host());
    assertEquals(7001, settings.bridge().port());
    assertEquals(List.of("py"), settings.bridge().stages());
    assertTrue(
        BridgeVerticle.permissions(settings.bridge()).getInboundPermitteds().isEmpty(),
        "a bridge client sends only replies");
    assertEquals(
        "vxdns.bridge.py",
        BridgeVerticle.permissions(settings.bridge()).getOutboundPermitteds().get(0).getAddress());
  }

  @Test
  void mistakesNameTheirKey(@TempDir Path dir) {
    assertEquals(
        "extensions.directory",
        assertThrows(
                ConfigException.class,
                () -> parse("{\"extensions\": {\"directory\": \"missing\"}}", dir))
            .key());
    assertEquals(
        "extensions.colour",
        assertThrows(ConfigException.class, () -> parse("{\"extensions\": {\"colour\": 1}}", dir))
            .key());
    assertEquals(
        "extensions.bridge.stages",
        assertThrows(
                ConfigException.class,
                () -> parse("{\"extensions\": {\"bridge\": {\"stages\": [\"a.b\"]}}}", dir))
            .key());
    assertEquals(
        "extensions.bridge.address",
        assertThrows(
                ConfigException.class,
                () -> parse("{\"extensions\": {\"bridge\": {\"address\": \"localhost\"}}}", dir))
            .key());
  }
}
