package dev.vxdns.verticles.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigSource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DNS Cookie keys of the auth stage's config part, as BIND's options. */
class AuthSettingsTest {
  @TempDir Path dir;

  private AuthSettings parse(JsonObject options) throws ConfigException {
    return ConfigSource.of(new JsonObject().put("options", options), dir).parse(AuthSettings.PART);
  }

  @Test
  void cookiesAreOnWithASecretOfTheNodesOwnByDefault() throws Exception {
    CookieOptions cookies = parse(new JsonObject()).cookies();
    assertTrue(cookies.secrets().isEmpty());
    assertFalse(cookies.requireServerCookie());
  }

  @Test
  void readsBindsCookieOptions() throws Exception {
    CookieOptions cookies =
        parse(
                new JsonObject()
                    .put("require-server-cookie", "yes")
                    .put("cookie-algorithm", "siphash24")
                    .put(
                        "cookie-secret",
                        new JsonArray()
                            .add("EBC7701BEABB4A40C57D140EEB6733FA")
                            .add("00112233445566778899aabbccddeeff")))
            .cookies();
    assertTrue(cookies.requireServerCookie());
    assertEquals(
        List.of("ebc7701beabb4a40c57d140eeb6733fa", "00112233445566778899aabbccddeeff"),
        cookies.secrets());
    assertNull(parse(new JsonObject().put("answer-cookie", false)).cookies());
  }

  @Test
  void refusesASecretOfAnotherSizeAndOtherAlgorithms() {
    for (String bad :
        List.of(
            "ebc7701beabb4a40c57d140eeb6733",
            "ebc7701beabb4a40c57d140eeb6733fg",
            "ebc7701beabb4a40c57d140eeb6733\u0663\u0663")) {
      ConfigException e =
          assertThrows(
              ConfigException.class, () -> parse(new JsonObject().put("cookie-secret", bad)));
      assertTrue(e.getMessage().contains("options.cookie-secret"), e.getMessage());
      assertTrue(e.getMessage().contains("32 hexadecimal digits"), e.getMessage());
      assertFalse(e.getMessage().contains(bad), "the secret is not echoed: " + e.getMessage());
    }
    ConfigException aes =
        assertThrows(
            ConfigException.class, () -> parse(new JsonObject().put("cookie-algorithm", "aes")));
    assertTrue(aes.getMessage().contains("siphash24"), aes.getMessage());
  }
}
