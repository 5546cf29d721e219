package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A node's stop against the configuration changes asked around it: the change in flight finishes
 * first, and none starts after it, so nothing the stop undeployed is deployed again (SIGHUP then
 * SIGTERM 2 ms apart once bound the listener again while the node stopped).
 */
@ExtendWith(VertxExtension.class)
class NodeStopTest {
  private static final Path CONFIG_DIRECTORY = LauncherConfig.EXAMPLE_ZONE.getParent();

  @Test
  void aReloadAskedOnceTheNodeStopsIsRefusedAndDeploysNothing(Vertx vertx) throws Exception {
    int port = LauncherConfig.freePort();
    JsonObject config = LauncherConfig.config(port);
    Node node = await(Node.start(vertx, NodeConfig.parse(config, CONFIG_DIRECTORY)));
    assertEquals(Rcode.NOERROR, soaRcode(port), "the node answers before it stops");

    Future<Void> stopped = node.stop();
    try (NodeConfig again = NodeConfig.parse(config, CONFIG_DIRECTORY)) {
      Future<JsonObject> reload = node.reconfigure(again);
      await(stopped);
      ExecutionException refused = assertThrows(ExecutionException.class, () -> await(reload));
      assertEquals("the node is stopping", refused.getCause().getMessage());
    }

    assertEquals(Set.of(), vertx.deploymentIDs());
    assertFree(port);
  }

  @Test
  void aChangeInFlightFinishesBeforeTheStopWhichUndeploysWhatItDeployed(Vertx vertx)
      throws Exception {
    int port = LauncherConfig.freePort();
    int added = LauncherConfig.freePort();
    Node node =
        await(Node.start(vertx, NodeConfig.parse(LauncherConfig.config(port), CONFIG_DIRECTORY)));
    JsonObject next = LauncherConfig.config(port);
    next.getJsonObject("options")
        .getJsonArray("listen-on")
        .add(
            new JsonObject()
                .put("address", "127.0.0.1")
                .put("port", added)
                .put("transport", new JsonArray().add("udp")));

    Future<JsonObject> reload = node.reconfigure(NodeConfig.parse(next, CONFIG_DIRECTORY));
    Future<Void> stopped = node.stop();

    JsonObject report = await(reload);
    assertTrue(
        report.getJsonArray("changes").contains("listener udp 127.0.0.1:" + added + " added"),
        report.encode());
    await(stopped);
    assertEquals(Set.of(), vertx.deploymentIDs());
    assertFree(port);
    assertFree(added);
    assertEquals(node.stop(), stopped, "a second stop is the same stop");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static int soaRcode(int port) throws IOException {
    SimpleResolver resolver =
        new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    resolver.setTimeout(Duration.ofSeconds(3));
    Message answer =
        resolver.send(
            Message.newQuery(
                Record.newRecord(Name.fromConstantString("example.test."), Type.SOA, DClass.IN)));
    assertNotNull(answer);
    assertTrue(answer.getHeader().getFlag(Flags.QR), answer.toString());
    return answer.getRcode();
  }

  /** Nothing listens on the port: both a UDP and a TCP socket can bind it. */
  private static void assertFree(int port) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try (DatagramSocket udp = new DatagramSocket(address);
        ServerSocket tcp = new ServerSocket()) {
      tcp.bind(address);
    }
  }
}
