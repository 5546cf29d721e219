package dev.vxdns.verticles.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.TsigAlgorithm;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.SessionKeyOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * BIND's session key for {@code update-policy local}: its options and defaults, made only when a
 * zone needs it, written as named writes it (a {@code key} statement, mode 0600) and kept for the
 * node's life.
 */
class SessionKeyTest {
  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private AuthSettings parse(JsonObject options, JsonObject zone) throws ConfigException {
    JsonObject config = new JsonObject().put("options", options);
    if (zone != null) {
      config.put("zone", new JsonObject().put("local.test", zone));
    }
    return ConfigSource.of(config, dir).parse(AuthSettings.PART);
  }

  private static JsonObject localZone() {
    return new JsonObject().put("file", "local.test.zone").put("update-policy", "local");
  }

  @Test
  void bindsDefaultsAndOnlyWhenAZoneNeedsIt() throws Exception {
    SessionKeyOptions none = parse(new JsonObject(), null).session();
    assertFalse(none.needed());
    assertFalse(
        parse(
                new JsonObject(),
                localZone().put("update-policy", new JsonArray().add("grant k. zonesub ANY")))
            .session()
            .needed());
    SessionKeyOptions local = parse(new JsonObject(), localZone()).session();
    assertTrue(local.needed());
    assertEquals(dir.resolve("session.key"), local.file());
    assertEquals(Name.fromConstantString("local-ddns."), local.name());
    assertEquals(TsigAlgorithm.HMAC_SHA256, local.algorithm());

    SessionKeyOptions set =
        parse(
                new JsonObject()
                    .put("session-keyfile", "run/s.key")
                    .put("session-keyname", "ddns-key")
                    .put("session-keyalg", "hmac-sha512"),
                localZone())
            .session();
    assertEquals(dir.resolve("run/s.key"), set.file());
    assertEquals(Name.fromConstantString("ddns-key."), set.name());
    assertEquals(TsigAlgorithm.HMAC_SHA512, set.algorithm());
  }

  @Test
  void badOptionsAndAClashingKeyAreRefused() {
    ConfigException algorithm =
        assertThrows(
            ConfigException.class,
            () -> parse(new JsonObject().put("session-keyalg", "hmac-md5"), localZone()));
    assertEquals("options.session-keyalg", algorithm.key());
    JsonObject clash =
        new JsonObject()
            .put("options", new JsonObject())
            .put("zone", new JsonObject().put("local.test", localZone()))
            .put(
                "key",
                new JsonObject()
                    .put(
                        "local-ddns",
                        new JsonObject()
                            .put("algorithm", "hmac-sha256")
                            .put("secret", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")));
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> ConfigSource.of(clash, dir).parse(AuthSettings.PART));
    assertEquals("key.local-ddns", e.key());
    assertTrue(e.getMessage().contains("session-keyname"), e.getMessage());
  }

  @Test
  void theKeyIsWrittenAsNamedWritesItAndKeptForTheNode() throws Exception {
    LocalMap<String, String> node = vertx.sharedData().getLocalMap("test");
    SessionKeyOptions options = parse(new JsonObject(), localZone()).session();
    TsigKey key = SessionKey.ensure(options, node);
    assertEquals(Name.fromConstantString("local-ddns."), key.name());
    assertEquals(32, java.util.Base64.getDecoder().decode(key.secretBase64()).length);
    Path file = dir.resolve("session.key");
    assertEquals(
        "key \"local-ddns\" {\n\talgorithm hmac-sha256;\n\tsecret \""
            + key.secretBase64()
            + "\";\n};\n",
        Files.readString(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    // Another verticle, a redeploy: the same key; a file someone changed is written again.
    Files.writeString(file, "garbage");
    assertEquals(key.secretBase64(), SessionKey.ensure(options, node).secretBase64());
    assertTrue(Files.readString(file).contains(key.secretBase64()));
    // Another name: another key; another node (map): another key, as named's at each start.
    SessionKeyOptions renamed =
        parse(new JsonObject().put("session-keyname", "other"), localZone()).session();
    assertNotEquals(key.secretBase64(), SessionKey.ensure(renamed, node).secretBase64());
    assertNotEquals(
        key.secretBase64(),
        SessionKey.ensure(options, vertx.sharedData().getLocalMap("another node")).secretBase64());
  }

  @Test
  void aFileThatCannotBeWrittenSaysSo() throws Exception {
    Files.writeString(dir.resolve("not-a-directory"), "");
    SessionKeyOptions options =
        parse(new JsonObject().put("session-keyfile", "not-a-directory/session.key"), localZone())
            .session();
    java.io.IOException e =
        assertThrows(
            java.io.IOException.class,
            () -> SessionKey.ensure(options, vertx.sharedData().getLocalMap("test")));
    assertTrue(
        e.getMessage().startsWith("session-keyfile " + options.file() + ": cannot write"),
        e.getMessage());
  }
}
