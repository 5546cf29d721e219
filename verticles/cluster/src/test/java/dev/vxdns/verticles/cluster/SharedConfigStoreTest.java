package dev.vxdns.verticles.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vxdns.verticles.cluster.SharedConfigStore.Versioned;
import io.vertx.core.json.JsonObject;
import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one writer of the cluster's config: pushes take the next version, seeds never go back. */
class SharedConfigStoreTest {
  private static final JsonObject A = new JsonObject().put("zone", new JsonObject().put("a", 1));
  private static final JsonObject B = new JsonObject().put("zone", new JsonObject().put("b", 2));

  @Test
  void eachPushTakesTheNextVersion() {
    Map.Entry<String, String> entry = new AbstractMap.SimpleEntry<>("config", null);
    Versioned first = write(entry, -1, A);
    assertEquals(1, first.version());
    assertEquals(A, first.document());
    Versioned second = write(entry, -1, B);
    assertEquals(2, second.version());
    assertEquals(B, Versioned.decode(entry.getValue()).document());
  }

  @Test
  void aSavedVersionIsPutBackOnlyOverNoneOrAnOlderOne() {
    Map.Entry<String, String> entry = new AbstractMap.SimpleEntry<>("config", null);
    assertEquals(5, write(entry, 5, A).version(), "over none");
    Versioned kept = write(entry, 3, B);
    assertEquals(5, kept.version(), "an older saved version changes nothing");
    assertEquals(A, kept.document());
    assertEquals(7, write(entry, 7, B).version(), "a newer one replaces it");
    assertEquals(8, write(entry, -1, A).version(), "pushes go on from there");
  }

  private static Versioned write(Map.Entry<String, String> entry, long version, JsonObject doc) {
    return Versioned.decode(new SharedConfigStore.Write(version, doc.encode()).process(entry));
  }
}
