package dev.vxdns.verticles.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control channel over real HTTP on 127.0.0.1, with stand-ins for the verticles it asks. */
class AdminVerticleTest {
  private Vertx vertx;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    vertx
        .eventBus()
        .consumer(
            Addresses.STATS_PROXY, request -> request.reply(new JsonObject().put("accepted", 3)));
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.AUTH_KEYS,
            request -> {
              JsonObject body = request.body();
              if (body.getString("op").equals("list")) {
                request.reply(
                    new JsonArray()
                        .add(new JsonObject().put("name", "k1.").put("algorithm", "hmac-sha256")));
              } else if ("k1.".equals(body.getString("name"))) {
                request.reply(null);
              } else {
                request.fail(404, "no key " + body.getString("name"));
              }
            });
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int deploy(String allowed) throws Exception {
    JsonObject config =
        new JsonObject()
            .put(
                "options",
                new JsonObject()
                    .put(
                        "listen-on",
                        new JsonArray().add(new JsonObject().put("address", "127.0.0.1"))))
            .put(
                "controls",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("address", "127.0.0.1")
                            .put("port", 0)
                            .put("allow", new JsonArray().add(allowed))));
    AdminVerticle admin =
        new AdminVerticle(ConfigSource.of(config, Path.of(".")).parse(AdminSettings.PART));
    vertx
        .deployVerticle(admin, new DeploymentOptions())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return admin.boundPort();
  }

  private HttpResponse<String> send(int port, String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersStatsAndKeysFromTheVerticlesThatOwnThem() throws Exception {
    int port = deploy("127.0.0.1");
    assertEquals(
        3,
        new JsonObject(send(port, "GET", "/stats").body())
            .getJsonObject("proxy")
            .getInteger("accepted"));
    assertEquals(
        "k1.", new JsonArray(send(port, "GET", "/keys").body()).getJsonObject(0).getString("name"));
    assertEquals(204, send(port, "DELETE", "/keys/k1.").statusCode());
    HttpResponse<String> missing = send(port, "DELETE", "/keys/nope.");
    assertEquals(404, missing.statusCode());
    assertEquals("no key nope.\n", missing.body());
  }

  @Test
  void refusesClientsOutsideAllow() throws Exception {
    int port = deploy("192.0.2.1");
    assertEquals(403, send(port, "GET", "/stats").statusCode());
    assertEquals(403, send(port, "DELETE", "/keys/k1.").statusCode());
  }

  @Test
  void saysWhenTheOwnerIsNotDeployed() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx = Vertx.vertx(); // without the stand-ins
    int port = deploy("127.0.0.1");
    assertEquals(503, send(port, "GET", "/keys").statusCode(), "no auth verticle: 503, not a hang");
  }
}
