package dev.vxdns.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncludesTest {
  private static final String KEY =
      "{\"key\": {\"%s\": {\"algorithm\": \"hmac-sha256\", \"secret\": \"MDEyMzQ1Njc4OWFiY2RlZg==\"}}}";

  private static Path keyFile(Path dir, String file, String name, String permissions)
      throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    Path path = dir.resolve("keys").resolve(file);
    Files.writeString(path, String.format(KEY, name));
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    return path;
  }

  @Test
  void mergesTheKeysOfEveryMatchingFileAndWarnsAboutReadableOnes(@TempDir Path dir)
      throws Exception {
    keyFile(dir, "a.json", "a.", "rw-------");
    Path readable = keyFile(dir, "b.json", "b.", "rw-r--r--");
    JsonObject config =
        new JsonObject(
            "{\"include\": [\"keys/*.json\"], \"key\": {\"c.\": {\"algorithm\": \"hmac-sha1\", \"secret\": \"AA==\"}}}");
    Includes.Resolved resolved = Includes.resolve(config, dir);
    assertFalse(resolved.config().containsKey("include"));
    assertEquals(3, resolved.config().getJsonObject("key").size());
    assertEquals(1, resolved.warnings().size());
    assertTrue(
        resolved.warnings().get(0).contains(readable.toString()), resolved.warnings().toString());
  }

  @Test
  void aPatternThatMatchesNothingIsAnError(@TempDir Path dir) {
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () -> Includes.resolve(new JsonObject("{\"include\": \"keys/*.json\"}"), dir));
    assertEquals("include[0]", error.key());
  }

  @Test
  void aKeyDefinedTwiceOrAnythingButKeysIsAnError(@TempDir Path dir) throws Exception {
    keyFile(dir, "a.json", "a.", "rw-------");
    JsonObject twice = new JsonObject("{\"include\": [\"keys/a.json\"], \"key\": {\"a.\": {}}}");
    assertTrue(
        assertThrows(ConfigException.class, () -> Includes.resolve(twice, dir))
            .getMessage()
            .contains("defined twice"));
    Files.writeString(dir.resolve("keys/zone.json"), "{\"zone\": {}}");
    JsonObject other = new JsonObject("{\"include\": [\"keys/zone.json\"]}");
    assertTrue(
        assertThrows(ConfigException.class, () -> Includes.resolve(other, dir))
            .getMessage()
            .contains("only \"key\""));
  }

  @Test
  void theMergedKeysValidate(@TempDir Path dir) throws Exception {
    keyFile(dir, "a.json", "a.example.", "rw-------");
    JsonObject config =
        new JsonObject(
            "{\"include\": [\"keys/a.json\"], \"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}}");
    @SuppressWarnings("unchecked")
    java.util.Map<String, ?> keys =
        (java.util.Map<String, ?>)
            Json.toPlain(Includes.resolve(config, dir).config().getValue("key"));
    assertEquals("a.example.", dev.vxdns.auth.TsigKeys.parseConfig(keys).get(0).name().toString());
  }
}
