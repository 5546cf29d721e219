package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split of a clustered node's config into its node-local part and the cluster's part. */
class SharedConfigTest {
  private static final JsonObject FILE =
      new JsonObject(
          """
          {
            "key": {
              "rndc-key.": {"algorithm": "hmac-sha256", "secret": "bm9kZS1vd24="},
              "update-key.": {"algorithm": "hmac-sha256", "secret": "ZmlsZQ=="}
            },
            "options": {"listen-on": [{"address": "127.0.0.1", "port": 5301}],
                        "directory": "/var/lib/vxdns", "allow-query": ["10.0.0.0/8"],
                        "server-id": "ns1.anycast.example"},
            "controls": [{"address": "127.0.0.1", "port": 9531, "key": "rndc-key."}],
            "cluster": {"members": ["127.0.0.1:5701"]},
            "zone": {"file.test": {"type": "primary", "file": "file.test.zone"}}
          }
          """);

  private static final JsonObject SHARED =
      new JsonObject(
          """
          {
            "key": {
              "rndc-key.": {"algorithm": "hmac-sha256", "secret": "Y2x1c3Rlcg=="},
              "update-key.": {"algorithm": "hmac-sha256", "secret": "Y2x1c3Rlcg=="}
            },
            "options": {"allow-query": ["any"],
                        "cookie-secret": "ebc7701beabb4a40c57d140eeb6733fa"},
            "zone": {"pushed.test": {"type": "primary", "file": "pushed.test.zone"}}
          }
          """);

  @Test
  void theFileGivesTheNodeLocalPartAndTheClusterTheRest() {
    JsonObject merged = SharedConfig.merge(SHARED, FILE);
    assertEquals(FILE.getValue("controls"), merged.getValue("controls"));
    assertEquals(FILE.getValue("cluster"), merged.getValue("cluster"));
    JsonObject options = merged.getJsonObject("options");
    assertEquals(
        FILE.getJsonObject("options").getValue("listen-on"), options.getValue("listen-on"));
    assertEquals("/var/lib/vxdns", options.getString("directory"));
    assertEquals(new JsonArray().add("any"), options.getValue("allow-query"), "policy: cluster's");
    assertEquals("ns1.anycast.example", options.getString("server-id"), "its name: the node's");
    assertEquals(
        "ebc7701beabb4a40c57d140eeb6733fa",
        options.getString("cookie-secret"),
        "one cookie secret for all: the cluster's");
    assertEquals(SHARED.getValue("zone"), merged.getValue("zone"), "zones: the cluster's only");
    assertEquals(
        FILE.getJsonObject("key").getValue("rndc-key."),
        merged.getJsonObject("key").getValue("rndc-key."),
        "the key the node's controls name stays the node's");
    assertEquals(
        SHARED.getJsonObject("key").getValue("update-key."),
        merged.getJsonObject("key").getValue("update-key."),
        "other keys are the cluster's");
  }

  @Test
  void aPushedDocumentMayNotNameNodeLocalKeys() {
    assertEquals(List.of(), SharedConfig.localKeysIn(SHARED));
    assertEquals(
        List.of(
            "cluster", "controls", "options.directory", "options.listen-on", "options.server-id"),
        SharedConfig.localKeysIn(FILE));
    JsonObject shared = SharedConfig.sharedPart(FILE);
    assertEquals(List.of(), SharedConfig.localKeysIn(shared));
    assertFalse(shared.containsKey("controls"));
    assertEquals(
        new JsonArray().add("10.0.0.0/8"), shared.getJsonObject("options").getValue("allow-query"));
  }
}
