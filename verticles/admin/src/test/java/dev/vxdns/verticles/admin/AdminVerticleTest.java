package dev.vxdns.verticles.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.auth.ControlMac;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The control channel over real HTTP on 127.0.0.1, with stand-ins for the verticles it asks. */
class AdminVerticleTest {
  private static final String KEY_NAME = "rndc-key.";
  private static final String SECRET = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  private static final TsigKey KEY = TsigKey.parse(KEY_NAME, "hmac-sha256", SECRET);
  private static final TsigKey WRONG_KEY =
      TsigKey.parse(KEY_NAME, "hmac-sha256", "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");

  private Vertx vertx;
  private final SecureRandom random = new SecureRandom();

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
                "key",
                new JsonObject()
                    .put(
                        KEY_NAME,
                        new JsonObject().put("algorithm", "hmac-sha256").put("secret", SECRET)))
            .put(
                "controls",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("address", "127.0.0.1")
                            .put("port", 0)
                            .put("allow", new JsonArray().add(allowed))
                            .put("key", KEY_NAME)));
    AdminVerticle admin =
        new AdminVerticle(ConfigSource.of(config, Path.of(".")).parse(AdminSettings.PART));
    vertx
        .deployVerticle(admin, new DeploymentOptions())
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return admin.boundPort();
  }

  /** An HTTP answer: status and body. */
  private record Answer(int status, String body) {}

  /**
   * One HTTP/1.1 request on a fresh connection, written by hand so that the test controls every
   * header, {@code Host} included (java.net.http does not let a client set it).
   */
  private static Answer raw(int port, String method, String path, Map<String, String> headers)
      throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      request.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.substring(9, 12));
      int bodyStart = text.indexOf("\r\n\r\n") + 4;
      String body = text.substring(bodyStart);
      if (text.substring(0, bodyStart).toLowerCase().contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      return new Answer(status, body);
    }
  }

  private static String unchunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }

  /**
   * The headers of a request signed with {@code key} at {@code epochSeconds} with {@code nonce}.
   */
  private static Map<String, String> signed(
      TsigKey key, int port, String method, String path, long epochSeconds, String nonce) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "127.0.0.1:" + port);
    headers.put(ControlMac.TIME_HEADER, Long.toString(epochSeconds));
    headers.put(ControlMac.NONCE_HEADER, nonce);
    headers.put(
        ControlMac.MAC_HEADER,
        ControlMac.sign(key, method, path, new byte[0], epochSeconds, nonce));
    return headers;
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** A request signed with the channel's key, now, with a fresh nonce. */
  private Answer send(int port, String method, String path) throws Exception {
    return raw(
        port, method, path, signed(KEY, port, method, path, now(), ControlMac.newNonce(random)));
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
    assertEquals(204, send(port, "DELETE", "/keys/k1.").status());
    Answer missing = send(port, "DELETE", "/keys/nope.");
    assertEquals(404, missing.status());
    assertEquals("no key nope.\n", missing.body());
  }

  @Test
  void refusesClientsOutsideAllow() throws Exception {
    int port = deploy("192.0.2.1");
    assertEquals(403, send(port, "GET", "/stats").status());
    assertEquals(403, send(port, "DELETE", "/keys/k1.").status());
  }

  @Test
  void saysWhenTheOwnerIsNotDeployed() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx = Vertx.vertx(); // without the stand-ins
    int port = deploy("127.0.0.1");
    assertEquals(503, send(port, "GET", "/keys").status(), "no auth verticle: 503, not a hang");
  }

  @Test
  void refusesAnUnsignedRequest() throws Exception {
    int port = deploy("127.0.0.1");
    Answer unsigned = raw(port, "GET", "/keys", Map.of("Host", "127.0.0.1:" + port));
    assertEquals(401, unsigned.status(), unsigned.body());
    assertEquals(200, send(port, "GET", "/keys").status(), "signed, the same request is answered");
  }

  @Test
  void refusesAWrongMac() throws Exception {
    int port = deploy("127.0.0.1");
    String nonce = ControlMac.newNonce(random);
    assertEquals(
        401,
        raw(port, "GET", "/keys", signed(WRONG_KEY, port, "GET", "/keys", now(), nonce)).status());
    Map<String, String> otherPath = signed(KEY, port, "GET", "/stats", now(), nonce);
    assertEquals(401, raw(port, "GET", "/keys", otherPath).status(), "the MAC covers the path");
    Map<String, String> otherMethod = signed(KEY, port, "GET", "/keys/k1.", now(), nonce);
    assertEquals(
        401, raw(port, "DELETE", "/keys/k1.", otherMethod).status(), "the MAC covers the method");
  }

  @Test
  void refusesAStaleOrFutureTimestamp() throws Exception {
    int port = deploy("127.0.0.1");
    for (long skew : new long[] {-301, 301, -3600}) {
      Answer answer =
          raw(
              port,
              "GET",
              "/keys",
              signed(KEY, port, "GET", "/keys", now() + skew, ControlMac.newNonce(random)));
      assertEquals(401, answer.status(), "skew " + skew + ": " + answer.body());
    }
    assertEquals(
        200,
        raw(
                port,
                "GET",
                "/keys",
                signed(KEY, port, "GET", "/keys", now() - 200, ControlMac.newNonce(random)))
            .status(),
        "within the window");
  }

  @Test
  void refusesAReplayedNonce() throws Exception {
    int port = deploy("127.0.0.1");
    Map<String, String> once =
        signed(KEY, port, "DELETE", "/keys/k1.", now(), ControlMac.newNonce(random));
    assertEquals(204, raw(port, "DELETE", "/keys/k1.", once).status());
    Answer replayed = raw(port, "DELETE", "/keys/k1.", once);
    assertEquals(401, replayed.status(), replayed.body());
  }

  @Test
  void refusesAForeignHostHeader() throws Exception {
    int port = deploy("127.0.0.1");
    Map<String, String> rebound =
        signed(KEY, port, "GET", "/keys", now(), ControlMac.newNonce(random));
    rebound.put("Host", "attacker.example:" + port);
    assertEquals(421, raw(port, "GET", "/keys", rebound).status(), "DNS rebinding");
    Map<String, String> otherPort =
        signed(KEY, port, "GET", "/keys", now(), ControlMac.newNonce(random));
    otherPort.put("Host", "127.0.0.1:" + (port + 1));
    assertEquals(421, raw(port, "GET", "/keys", otherPort).status());
    Map<String, String> localhost =
        signed(KEY, port, "GET", "/keys", now(), ControlMac.newNonce(random));
    localhost.put("Host", "localhost:" + port);
    assertEquals(
        200, raw(port, "GET", "/keys", localhost).status(), "localhost:port is the channel");
  }
}
