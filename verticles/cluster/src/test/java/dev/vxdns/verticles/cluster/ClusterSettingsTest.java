package dev.vxdns.verticles.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * The {@code cluster} section's role keys (a full node by default, an edge when asked) and {@code
 * log-size}.
 */
class ClusterSettingsTest {
  @TempDir Path dir;

  private ClusterSettings parse(String more) throws Exception {
    for (String file : List.of("node.crt", "node.key", "ca.crt")) {
      Files.writeString(dir.resolve(file), "pem");
    }
    JsonObject json =
        new JsonObject(
            """
            {"cluster": {"members": ["127.0.0.1"],
                         "event-bus": {"cert-file": "node.crt", "key-file": "node.key",
                                       "ca-file": "ca.crt"}%s}}"""
                .formatted(more));
    return ConfigSource.checked(json, dir, null, List.of(ClusterSettings.PART.keys()))
        .parse(ClusterSettings.PART);
  }

  @Test
  void aNodeIsFullByDefault() throws Exception {
    ClusterSettings settings = parse("");
    assertEquals(ClusterSettings.Role.FULL, settings.role());
    assertEquals(2000, settings.handoffTimeoutMillis());
  }

  @Test
  void anEdgeNodeWithItsHandoffTimeout() throws Exception {
    ClusterSettings settings = parse(", \"role\": \"edge\", \"handoff-timeout-ms\": 500");
    assertEquals(ClusterSettings.Role.EDGE, settings.role());
    assertEquals(500, settings.handoffTimeoutMillis());
  }

  @Test
  void anUnknownRoleIsRefusedNamingTheKey() {
    ConfigException error =
        assertThrows(ConfigException.class, () -> parse(", \"role\": \"proxy\""));
    assertEquals("cluster.role", error.key());
    assertTrue(error.getMessage().contains("\"full\" or \"edge\""), error.getMessage());
    ConfigException timeout =
        assertThrows(ConfigException.class, () -> parse(", \"handoff-timeout-ms\": 0"));
    assertEquals("cluster.handoff-timeout-ms", timeout.key());
  }

  @Test
  void theLogKeeps4096ChangesUnlessTold() throws Exception {
    assertEquals(4096, parse("").logSize());
    assertEquals(8, parse(", \"log-size\": 8").logSize());
  }

  @Test
  void aLogTooSmallOrTooLargeOrNotANumberIsRefused() {
    for (String wrong : List.of("3", "0", "-8", Integer.toString((1 << 20) + 1), "8.5", "\"8\"")) {
      ConfigException e =
          assertThrows(ConfigException.class, () -> parse(", \"log-size\": " + wrong), wrong);
      assertTrue(e.getMessage().contains("cluster.log-size"), e.getMessage());
      assertTrue(
          e.getMessage().contains("between 4 and 1048576")
              || e.getMessage().contains("whole number"),
          e.getMessage());
    }
  }
}
