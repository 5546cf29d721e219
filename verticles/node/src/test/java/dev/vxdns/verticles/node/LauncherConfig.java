package dev.vxdns.verticles.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Configs for the launcher run as its own JVM ({@link NodeProcess}): the repository's example zone
 * on one UDP and TCP listener. The whole-node tests and their harness are in tests/end-to-end.
 */
final class LauncherConfig {
  static final Path EXAMPLE_ZONE =
      Path.of("../../config/zones/example.test.zone").toAbsolutePath().normalize();

  private LauncherConfig() {}

  /** The example zone, one UDP and one TCP listener on {@code port}. */
  static JsonObject config(int port) {
    JsonObject listener =
        new JsonObject()
            .put("address", "127.0.0.1")
            .put("port", port)
            .put("transport", new JsonArray().add("udp").add("tcp"));
    return new JsonObject()
        .put("options", new JsonObject().put("listen-on", new JsonArray().add(listener)))
        .put(
            "zone",
            new JsonObject()
                .put(
                    "example.test",
                    // as in config/vxdns.json: its NS hosts have documentation addresses
                    new JsonObject().put("file", EXAMPLE_ZONE.toString()).put("notify", "no")));
  }

  /** {@link dev.vxdns.verticles.node.FreePorts#freePort}. */
  static int freePort() throws IOException {
    return FreePorts.freePort();
  }
}
