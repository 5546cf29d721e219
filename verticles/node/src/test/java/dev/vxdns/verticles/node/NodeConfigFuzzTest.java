package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vxdns.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Jazzer fuzz target of the config loader: any text read as JSON and parsed by {@link
 * NodeConfig#parse} gives a typed config, a {@link DecodeException}, or a {@link ConfigException}
 * naming its key; never another exception. {@code mvn verify} replays the corpus in {@code
 * NodeConfigFuzzTestInputs/} (the shipped configs, with the zone file beside them); {@code
 * bench/fuzz.sh config MINUTES} fuzzes for real.
 *
 * <p>Parsing opens the files a config names, so the config folder is a scratch folder under target/
 * holding the example zone, and a document with an absolute path or a {@code ..} in any string is
 * skipped: nothing outside that folder is ever opened.
 */
class NodeConfigFuzzTest {
  private static final Path FOLDER = scratchFolder();

  @FuzzTest(maxDuration = "10m")
  void everyDocumentGivesAConfigOrAKeyedError(byte[] input) {
    JsonObject json;
    try {
      json = new JsonObject(new String(input, StandardCharsets.UTF_8));
    } catch (DecodeException notJson) {
      assertNotNull(notJson.getMessage());
      return;
    }
    if (mayLeaveTheFolder(json)) {
      return;
    }
    try (NodeConfig config = NodeConfig.parse(json, FOLDER)) {
      assertNotNull(config.transport());
      assertNotNull(config.proxy());
      assertNotNull(config.auth());
      assertNotNull(config.acl());
      assertNotNull(config.zone());
      assertNotNull(config.admin());
    } catch (ConfigException invalid) {
      assertNotNull(invalid.key());
      assertFalse(invalid.key().isEmpty(), invalid::getMessage);
    }
  }

  /** Whether a string anywhere (key or value) is an absolute path or goes up a folder. */
  private static boolean mayLeaveTheFolder(Object value) {
    if (value instanceof String s) {
      return s.startsWith("/") || Arrays.asList(s.split("[/\\\\]")).contains("..");
    }
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        if (mayLeaveTheFolder(entry.getKey()) || mayLeaveTheFolder(entry.getValue())) {
          return true;
        }
      }
    } else if (value instanceof JsonArray array) {
      for (Object element : array) {
        if (mayLeaveTheFolder(element)) {
          return true;
        }
      }
    }
    return false;
  }

  /** target/config-fuzz with the example zone at zones/example.test.zone, as the seeds name it. */
  private static Path scratchFolder() {
    try {
      Path folder = Path.of("target", "config-fuzz").toAbsolutePath();
      Path zones = Files.createDirectories(folder.resolve("zones"));
      Files.copy(
          Path.of("../../config/zones/example.test.zone"),
          zones.resolve("example.test.zone"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
