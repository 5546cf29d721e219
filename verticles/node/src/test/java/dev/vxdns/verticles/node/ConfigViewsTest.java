package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Which stages a reload replaces: the auth stage makes the session key only while a zone has
 * update-policy local, so a zone that starts needing it replaces the auth stage, while a zone added
 * without it does not (the auth stage would lose its TKEY keys for nothing).
 */
class ConfigViewsTest {
  private static JsonObject document(JsonObject zones) {
    return new JsonObject().put("options", new JsonObject()).put("zone", zones);
  }

  private static boolean authChanged(JsonObject before, JsonObject after) {
    return ConfigViews.changed(before, after, ConfigViews.STAGES.get("auth"));
  }

  @Test
  void theAuthStageIsReplacedWhenAZoneStartsNeedingTheSessionKey() {
    JsonObject plain = new JsonObject().put("file", "a.zone");
    JsonObject before = document(new JsonObject().put("a.test", plain));
    JsonObject added = document(new JsonObject().put("a.test", plain).put("b.test", plain));
    assertFalse(authChanged(before, added), "a zone added without update-policy local");
    JsonObject local =
        document(
            new JsonObject()
                .put("a.test", plain)
                .put("b.test", plain.copy().put("update-policy", "local")));
    assertTrue(authChanged(added, local), "a zone with update-policy local");
    assertTrue(authChanged(local, added), "and back");
    JsonObject renamed = local.copy();
    renamed.getJsonObject("options").put("session-keyname", "other");
    assertTrue(authChanged(local, renamed), "another session key name");
    assertTrue(
        ConfigViews.changed(local, renamed, ConfigViews.STAGES.get("zone")),
        "the zone stage grants the key by name");
  }
}
