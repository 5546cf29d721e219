package dev.vxdns.verticles.cluster;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The {@code cluster} section: how a node started with {@code --cluster} joins the others. Read at
 * start only (a reload does not change a running node's membership).
 *
 * @param present whether the section exists (a node without it cannot run {@code --cluster})
 * @param name Hazelcast's cluster name: nodes join only a cluster of the same name
 * @param members the TCP-IP member list, {@code host} or {@code host:port} (no multicast)
 * @param interfaces the interfaces Hazelcast binds to and announces (Hazelcast's patterns, {@code
 *     10.0.0.*}); empty: Hazelcast picks
 * @param port Hazelcast's member port
 * @param hazelcastConfig a Hazelcast XML or YAML file to start from, or null (the keys here apply
 *     over it)
 * @param minimumSize the split-brain protection: fewer members than this on one side of a split and
 *     that side refuses updates
 * @param failureSeconds a member silent this long is declared gone
 * @param logSize the changes each zone's shared log keeps; a node further behind catches up from a
 *     snapshot
 * @param eventBus the clustered event bus: always TLS with client certificates from one CA
 * @param role what this node runs: everything, or only the front stages (an edge node)
 * @param handoffTimeoutMillis how long an edge node waits for a zone node's answer (then SERVFAIL)
 */
public record ClusterSettings(
    boolean present,
    String name,
    List<String> members,
    List<String> interfaces,
    int port,
    Path hazelcastConfig,
    int minimumSize,
    int failureSeconds,
    int logSize,
    EventBus eventBus,
    Role role,
    long handoffTimeoutMillis) {

  public ClusterSettings {
    members = List.copyOf(members);
    interfaces = List.copyOf(interfaces);
  }

  /**
   * The TLS event bus between nodes. Each node presents {@code cert-file} (signed by the CA) and
   * accepts only peers whose certificate {@code ca-file} signed: client auth is required.
   *
   * @param host the address the event bus listens on and announces
   * @param port its port (0: any free one, announced through Hazelcast)
   */
  public record EventBus(String host, int port, Path certFile, Path keyFile, Path caFile) {}

  /** What a clustered node runs ({@code cluster.role}). */
  public enum Role {
    /** Every configured stage, the zones included; serves the zone stage to edge nodes too. */
    FULL,
    /**
     * Transports, proxy, blackhole, rate limiting, auth and access lists, but no zone: the zone
     * stage's part is handed to the zone nodes over the clustered event bus.
     */
    EDGE
  }

  /**
   * A snapshot is published every half log; fewer than 4 changes would publish one at nearly every
   * change.
   */
  static final int MIN_LOG_SIZE = 4;

  /** The log is one Hazelcast value: a million changes is already far more than it should hold. */
  static final int MAX_LOG_SIZE = 1 << 20;

  static final ClusterSettings ABSENT =
      new ClusterSettings(
          false,
          "vxdns",
          List.of(),
          List.of(),
          5701,
          null,
          1,
          5,
          ZoneLogState.DEFAULT_CAPACITY,
          null,
          Role.FULL,
          2000);

  public static final ConfigPart<ClusterSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.NONE.andSections("cluster");
        }

        private static Role role(Json cluster) throws ConfigException {
          String role = cluster.string("role", "full");
          return switch (role) {
            case "full" -> Role.FULL;
            case "edge" -> Role.EDGE;
            default ->
                throw new ConfigException(
                    cluster.key("role"), "must be \"full\" or \"edge\", not \"" + role + "\"");
          };
        }

        @Override
        public ClusterSettings parse(ConfigSource source) throws ConfigException {
          Json cluster = source.root().object("cluster");
          if (!source.root().has("cluster")) {
            return ABSENT;
          }
          cluster.allowOnly(
              Set.of(
                  "name",
                  "members",
                  "interfaces",
                  "port",
                  "hazelcast-config",
                  "min-cluster-size",
                  "failure-seconds",
                  "log-size",
                  "event-bus",
                  "role",
                  "handoff-timeout-ms"));
          List<String> members = cluster.strings("members", List.of());
          if (members.isEmpty()) {
            throw new ConfigException(
                cluster.key("members"),
                "is required: the members' addresses (host or host:port), as Hazelcast's TCP-IP"
                    + " join needs them");
          }
          Json bus = cluster.object("event-bus");
          if (!cluster.has("event-bus")) {
            throw new ConfigException(
                cluster.key("event-bus"),
                "is required: the clustered event bus runs over TLS only (cert-file, key-file,"
                    + " ca-file)");
          }
          bus.allowOnly(Set.of("host", "port", "cert-file", "key-file", "ca-file"));
          EventBus eventBus =
              new EventBus(
                  bus.string("host", "127.0.0.1"),
                  bus.integer("port", 0, 0, 65535),
                  source.readableFile(bus, "cert-file"),
                  source.readableFile(bus, "key-file"),
                  source.readableFile(bus, "ca-file"));
          return new ClusterSettings(
              true,
              cluster.string("name", "vxdns"),
              members,
              cluster.strings("interfaces", List.of()),
              cluster.integer("port", 5701, 1, 65535),
              cluster.has("hazelcast-config")
                  ? source.readableFile(cluster, "hazelcast-config")
                  : null,
              cluster.integer("min-cluster-size", members.size() / 2 + 1, 1, 1000),
              cluster.integer("failure-seconds", 5, 2, 600),
              cluster.integer(
                  "log-size", ZoneLogState.DEFAULT_CAPACITY, MIN_LOG_SIZE, MAX_LOG_SIZE),
              eventBus,
              role(cluster),
              cluster.integer("handoff-timeout-ms", 2000, 10, 60_000));
        }
      };
}
