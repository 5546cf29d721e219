package dev.vxdns.verticles.zone;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.StageRegistry;
import dev.vxdns.message.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;

/**
 * A test of a deployed zone verticle: a Vert.x of its own and a folder for the zone's files per
 * test, and what the test asks of the verticle's registered stage (a message handed over as a
 * transport hands one over, from 127.0.0.1, and the answer).
 */
abstract class ZoneVerticleCase {
  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The future's result, waited for up to 10 seconds. */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The registered zone stage's handling of {@code message} received over {@code transport}. */
  Future<DnsExchange> send(Message message, Transport transport) {
    DnsExchange exchange =
        DnsExchange.received(
            transport,
            "t",
            new InetSocketAddress("127.0.0.1", 1),
            new InetSocketAddress("127.0.0.1", 53),
            message.toWire());
    return StageRegistry.of(vertx).find(Addresses.ZONE_QUERY).handle(exchange);
  }

  /**
   * Writes a small zone to {@code file} in {@link #dir}: SOA (serial {@code serial}, TTL 60), NS
   * ns, ns's address, and {@code records} (lines relative to the origin).
   */
  void writeZone(String file, long serial, String records) throws Exception {
    Files.writeString(
        dir.resolve(file),
        "$TTL 60\n@ IN SOA ns admin "
            + serial
            + " 3600 600 86400 60\n@ IN NS ns\nns IN A 192.0.2.1\n"
            + records);
  }

  /**
   * {@code vxdns zone-status}, {@code zone-freeze}, ... ({@code op}) for {@code zone}: the reply.
   */
  JsonObject control(String zone, String op) throws Exception {
    return (JsonObject)
        await(
                vertx
                    .eventBus()
                    .request(
                        Addresses.ZONE_CONTROL, new JsonObject().put("zone", zone).put("op", op)))
            .body();
  }

  /** {@link #send}'s answer, once given. */
  Message answer(Message message, Transport transport) throws Exception {
    return await(send(message, transport)).responseMessage();
  }
}
