package dev.vxdns.verticles.node;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
                .put("example.test", new JsonObject().put("file", EXAMPLE_ZONE.toString())));
  }

  /** A port free for both UDP and TCP on 127.0.0.1 right now. */
  static int freePort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = tcp.getLocalPort();
        try (DatagramSocket udp =
            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
          return port;
        } catch (IOException busy) {
          // try another
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP");
  }
}
