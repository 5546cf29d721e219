package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A node's JSON goes through the streaming codec, with everything its JSON needs. */
class PlainJsonTest {

  @Test
  void vertxPicksTheStreamingCodecThoughDatabindIsOnTheClassPath() throws Exception {
    // Positive control: databind is there, so without PlainJson Vert.x would pick its codec.
    Class.forName("com.fasterxml.jackson.databind.ObjectMapper");
    assertSame(new PlainJson().codec(), Json.CODEC);
  }

  @Test
  void configurationJsonReadsAndWritesAsBefore() {
    JsonObject config =
        new JsonObject(
            "{ // a comment, as configuration files may have\n"
                + "\"zone\": {\"example.test\": {\"file\": \"zones/example.test.zone\"}},"
                + " /* and this */ \"n\": 12345678901, \"f\": 2.5, \"t\": true, \"x\": null,"
                + " \"a\": [1, \"two\", {\"three\": 3}]}");
    assertEquals(
        "zones/example.test.zone",
        config.getJsonObject("zone").getJsonObject("example.test").getString("file"));
    assertEquals(12345678901L, config.getLong("n"));
    assertEquals(2.5, config.getDouble("f"));
    assertEquals(
        new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3)),
        config.getJsonArray("a"));
    // What the admin and metrics bodies hold encodes, and reads back the same.
    JsonObject body =
        config
            .copy()
            .put("bytes", new byte[] {1, 2, 3})
            .put("buffer", Buffer.buffer("abc"))
            .put("at", Instant.parse("2026-12-04T23:00:00Z"));
    JsonObject again = new JsonObject(body.encode());
    assertEquals(config.getJsonArray("a"), again.getJsonArray("a"));
    assertEquals("AQID", again.getString("bytes"));
    assertEquals("2026-12-04T23:00:00Z", again.getString("at"));
    assertEquals(Buffer.buffer("abc"), again.getBuffer("buffer"));
  }
}
