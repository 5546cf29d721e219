package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node's start: the other stages deploy while the zone stage loads its zones, yet the node keeps
 * its deployments in the listed order, and a stage that fails leaves nothing deployed.
 */
@ExtendWith(VertxExtension.class)
class NodeStartTest {
  private static final Path CONFIG_DIRECTORY = LauncherConfig.EXAMPLE_ZONE.getParent();

  @Test
  void aStageThatFailsBesideTheZoneLoadLeavesNothingDeployed(Vertx vertx) throws Exception {
    int port = LauncherConfig.freePort();
    int bridgePort = LauncherConfig.freePort();
    JsonObject config = withBridge(LauncherConfig.config(port), bridgePort);

    try (ServerSocket taken = new ServerSocket(bridgePort, 1, InetAddress.getByName("127.0.0.1"))) {
      ExecutionException failed =
          assertThrows(
              ExecutionException.class,
              () -> await(Node.start(vertx, NodeConfig.parse(config, CONFIG_DIRECTORY))));
      assertTrue(
          String.valueOf(failed.getCause().getMessage()).contains("in use"),
          String.valueOf(failed.getCause()));
    }
    assertEquals(Set.of(), vertx.deploymentIDs(), "the zone stage and the others undeployed");

    // The same configuration once the port is free: every stage and both listeners, in order.
    Node node = await(Node.start(vertx, NodeConfig.parse(config, CONFIG_DIRECTORY)));
    List<String> names =
        node.deployments().stream().map(d -> ((JsonObject) d).getString("name")).toList();
    assertEquals(
        List.of("metrics", "zone", "auth", "acl", "rrl", "proxy", "bridge", "admin", "udp", "tcp"),
        names);
    await(node.stop());
    assertEquals(Set.of(), vertx.deploymentIDs());
  }

  private static JsonObject withBridge(JsonObject config, int bridgePort) {
    return config.put(
        "extensions", new JsonObject().put("bridge", new JsonObject().put("port", bridgePort)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
