package dev.vxdns.message;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * This node's counters, gathered from the stages that own them ({@code /stats} of the control
 * channel, and what a clustered node shares with the others): {@code {"proxy": {...}, "auth":
 * {...}, "acl": {...}, "rrl": {...}, "forward": {...}, "cluster": {...}}}; a stage that does not
 * answer gives an empty object.
 */
public final class NodeStats {
  private static final DeliveryOptions ASK =
      new DeliveryOptions().setSendTimeout(5000).setLocalOnly(true);

  private NodeStats() {}

  public static Future<JsonObject> gather(Vertx vertx) {
    Future<JsonObject> proxy = counters(vertx, Addresses.STATS_PROXY);
    Future<JsonObject> auth = counters(vertx, Addresses.STATS_AUTH);
    Future<JsonObject> acl = counters(vertx, Addresses.STATS_ACL);
    Future<JsonObject> rrl = counters(vertx, Addresses.STATS_RRL);
    Future<JsonObject> forward = counters(vertx, Addresses.STATS_FORWARD);
    Future<JsonObject> cluster = counters(vertx, Addresses.STATS_CLUSTER);
    return Future.join(proxy, auth, acl, rrl, forward, cluster)
        .map(
            done ->
                new JsonObject()
                    .put("proxy", proxy.result())
                    .put("auth", auth.result())
                    .put("acl", acl.result())
                    .put("rrl", rrl.result())
                    .put("forward", forward.result())
                    .put("cluster", cluster.result()));
  }

  private static Future<JsonObject> counters(Vertx vertx, String address) {
    return vertx
        .eventBus()
        .<JsonObject>request(address, "", ASK)
        .map(reply -> reply.body())
        .recover(failure -> Future.succeededFuture(new JsonObject()));
  }

  /** The sum of two stats documents, counter by counter (numbers added, objects merged). */
  public static JsonObject sum(JsonObject a, JsonObject b) {
    JsonObject total = a.copy();
    for (String key : b.fieldNames()) {
      Object mine = total.getValue(key);
      Object theirs = b.getValue(key);
      if (mine instanceof Number x && theirs instanceof Number y) {
        total.put(key, x.longValue() + y.longValue());
      } else if (mine instanceof JsonObject x && theirs instanceof JsonObject y) {
        total.put(key, sum(x, y));
      } else if (mine == null) {
        total.put(key, theirs instanceof JsonObject object ? object.copy() : theirs);
      }
    }
    return total;
  }
}
