package dev.vxdns.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonTest {
  /** Found by NodeConfigFuzzTest: {"": ...} failed with an empty key. */
  @Test
  void anEmptyKeyIsNamedQuoted() {
    ConfigException top =
        assertThrows(
            ConfigException.class,
            () -> new Json(new JsonObject().put("", 1), "").allowOnly(Set.of("options")));
    assertEquals("\"\"", top.key());
    ConfigException nested =
        assertThrows(
            ConfigException.class,
            () -> new Json(new JsonObject().put("", 1), "options").allowOnly(Set.of("port")));
    assertEquals("options.\"\"", nested.key());
  }

  @Test
  void aKeyIsItsPath() {
    assertEquals("port", new Json(new JsonObject(), "").key("port"));
    assertEquals("options.port", new Json(new JsonObject(), "options").key("port"));
  }
}
