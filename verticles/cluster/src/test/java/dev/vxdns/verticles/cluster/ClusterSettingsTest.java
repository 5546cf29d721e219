package dev.vxdns.verticles.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster} section's {@code log-size}: its default, a value, and what is refused. */
class ClusterSettingsTest {
  @TempDir Path dir;

  private ClusterSettings parse(Object logSize) throws Exception {
    for (String file : new String[] {"node.crt", "node.key", "ca.crt"}) {
      Files.writeString(dir.resolve(file), "pem");
    }
    JsonObject cluster =
        new JsonObject()
            .put("members", new JsonArray().add("127.0.0.1:5701"))
            .put(
                "event-bus",
                new JsonObject()
                    .put("cert-file", "node.crt")
                    .put("key-file", "node.key")
                    .put("ca-file", "ca.crt"));
    if (logSize != null) {
      cluster.put("log-size", logSize);
    }
    return ConfigSource.of(new JsonObject().put("cluster", cluster), dir)
        .parse(ClusterSettings.PART);
  }

  @Test
  void theLogKeeps4096ChangesUnlessTold() throws Exception {
    assertEquals(4096, parse(null).logSize());
    assertEquals(8, parse(8).logSize());
  }

  @Test
  void aLogTooSmallOrTooLargeOrNotANumberIsRefused() {
    for (Object wrong : new Object[] {3, 0, -8, (1 << 20) + 1, 8.5, "8"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> parse(wrong), "" + wrong);
      assertTrue(e.getMessage().contains("cluster.log-size"), e.getMessage());
      assertTrue(
          e.getMessage().contains("between 4 and 1048576")
              || e.getMessage().contains("whole number"),
          e.getMessage());
    }
  }
}
