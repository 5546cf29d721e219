package dev.vxdns.message;

/**
 * Event-bus addresses of the pipeline stages and of the events between verticles. A stage verticle
 * consumes on its address and publishes the same handler in the {@link StageRegistry}.
 */
public final class Addresses {
  /** PROXY v2 header decoding and allow-proxy checks. */
  public static final String PROXY = "vxdns.proxy";

  /**
   * The {@code blackhole} list on the effective source, before anything parses the query (served by
   * the ACL verticle).
   */
  public static final String BLACKHOLE = "vxdns.blackhole";

  /**
   * Response rate limiting (BIND's {@code rate-limit}) on UDP responses, on their way back, keyed
   * on the effective source.
   */
  public static final String RRL = "vxdns.rrl";

  /** TSIG/SIG(0) verification, TKEY. */
  public static final String AUTH = "vxdns.auth";

  /** allow-query and the other allow-* address-match lists. */
  public static final String ACL = "vxdns.acl";

  /**
   * Forwarding: queries for names in a {@code type: forward} zone (and no closer local zone) go to
   * the zone's pool of backends; the rest pass on to the zone stage.
   */
  public static final String FORWARD = "vxdns.forward";

  /** Authoritative answers from the zone store. */
  public static final String ZONE_QUERY = "vxdns.zone.query";

  /**
   * The zone stage offered to the other nodes of a cluster: the one address a zone node consumes
   * cluster-wide, so that edge nodes (which run no zone stage) hand it their exchanges in the
   * binary cluster form; Vert.x spreads the requests over the zone nodes.
   */
  public static final String ZONE_CLUSTER = "vxdns.zone.cluster";

  /**
   * Request/reply: the KEY records of a name in the served zones (SIG(0) verification); body: the
   * name as text; reply: a JSON array of the records in base64 wire form (empty when none).
   */
  public static final String ZONE_KEYS = "vxdns.zone.keys";

  /**
   * Request/reply: writes zones to their files ({@code vxdns zone-sync}, like {@code rndc sync});
   * body: {@code {"zone": NAME}}, without a name for every zone; reply: a JSON array of the zones
   * written.
   */
  public static final String ZONE_SYNC = "vxdns.zone.sync";

  /**
   * Request/reply: one zone's status and maintenance, as named's {@code rndc zonestatus}, {@code
   * refresh}, {@code retransfer}, {@code notify}, {@code freeze} and {@code thaw} ({@code vxdns
   * zone-status} and the others); body: {@code {"zone": NAME, "op": "status" | "refresh" |
   * "retransfer" | "notify" | "freeze" | "thaw"}}; reply: the status object, or {@code {"zone":
   * NAME, "result": TEXT}} (named's words: "zone refresh queued"); failure 404 for a zone the node
   * does not serve, 400 for an operation the zone's type has not.
   */
  public static final String ZONE_CONTROL = "vxdns.zone.control";

  /**
   * Request/reply: {@code vxdns redeploy NAME} for an extension stage; body: the file's name
   * without its extension; reply: the new deployment ID.
   */
  public static final String EXTENSION_REDEPLOY = "vxdns.extensions.redeploy";

  /** Published (not sent) when a zone's snapshot changed; body: the zone name. */
  public static final String ZONE_CHANGED = "vxdns.zone.changed";

  /**
   * Request/reply with the auth stage's key store: {@code {"op": "list"}} answers the keys (name,
   * algorithm, origin, expiry; never secrets), {@code {"op": "delete", "name": N}} removes one.
   */
  public static final String AUTH_KEYS = "vxdns.auth.keys";

  /** Request/reply: the ACL stage's refusals per option and zone as JSON. */
  public static final String STATS_ACL = "vxdns.stats.acl";

  /**
   * Request/reply: the auth stage's counters (SIG(0) verifications admitted and turned away) as
   * JSON.
   */
  public static final String STATS_AUTH = "vxdns.stats.auth";

  /**
   * Request/reply: the proxy stage's counters (headers accepted, rejections per reason) as JSON.
   */
  public static final String STATS_PROXY = "vxdns.stats.proxy";

  /**
   * Request/reply: the rate limiter's counters (responses dropped, slipped, exempt; accounts
   * evicted; table size) as JSON.
   */
  public static final String STATS_RRL = "vxdns.stats.rrl";

  /**
   * Request/reply: the forwarder's counters (per backend: up, queries, failures, outstanding; the
   * packet cache's hits and misses) as JSON.
   */
  public static final String STATS_FORWARD = "vxdns.stats.forward";

  /**
   * Request/reply: a clustered node's hand-over counters as JSON: on an edge node the exchanges it
   * handed to zone nodes ({@code handed-over}) and those that got no answer ({@code failed}); on a
   * zone node the exchanges it answered for edge nodes ({@code answered}, {@code failed}).
   */
  public static final String STATS_CLUSTER = "vxdns.stats.cluster";

  /**
   * Published when the node applied a new configuration; body: the report of what changed ({@code
   * {"status": "applied", "changes": [...]}}).
   */
  public static final String CONFIG_CHANGED = "vxdns.config.changed";

  /**
   * Request/reply: read the config store again and apply what changed ({@code vxdns reconfig});
   * reply: the report, or a failure (400) with the same message as an invalid config at start-up.
   */
  public static final String CONFIG_RELOAD = "vxdns.config.reload";

  /**
   * Request/reply on a clustered node ({@code vxdns push-config}): {@code {"file": NAME,
   * "document": {...the shared part...}}} is validated with this node's own node-local part and
   * becomes the cluster's next config version; reply: the reload report with {@code
   * "config-version"}, or a failure (400 invalid or node-local keys, 503 on the minority side).
   */
  public static final String CONFIG_PUSH = "vxdns.config.push";

  /** Request/reply: the node's deployments, a JSON array of name, key, instances, id. */
  public static final String NODE_DEPLOYMENTS = "vxdns.node.deployments";

  /**
   * Request/reply: replace a verticle by name ({@code {"name": "udp", "instances": 4}}, instances
   * optional); reply: the deployments of that name afterwards.
   */
  public static final String NODE_REDEPLOY = "vxdns.node.redeploy";

  /**
   * Request/reply, once the node has started: {@code {"deployments": [{name, key, instances, id,
   * "up": true|false}, ...]}}; no handler while the node starts or stops (the statistics channel's
   * {@code /ready} then says so).
   */
  public static final String NODE_HEALTH = "vxdns.node.health";

  /**
   * Request/reply, the query log's switch ({@code vxdns querylog on|off}): {@code {"enabled":
   * true|false}} sets it, an empty object only asks; reply: {@code {"enabled", "file", "dropped"}}.
   */
  public static final String QUERYLOG = "vxdns.querylog";

  /**
   * Request/reply: the long tasks in progress (zone loads and writes, transfers), a JSON array of
   * {@code {kind, subject, done, total, rate, elapsed-ms}} ({@code vxdns progress}).
   */
  public static final String PROGRESS = "vxdns.progress";

  private Addresses() {}

  /**
   * A clustered node's health, node-local (the control channel's {@code GET /cluster}): members,
   * whether this side of the cluster has the minimum size to take updates, and each zone's log and
   * served serials.
   */
  public static final String CLUSTER_HEALTH = "vxdns.cluster.health";

  /**
   * The whole cluster's counters, node-local (the control channel's {@code GET /cluster/stats}):
   * each member's {@code /stats} as it last shared them, and their sum.
   */
  public static final String CLUSTER_STATS = "vxdns.cluster.stats";
}
