package dev.vxdns.verticles.forward;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.Json;
import dev.vxdns.forward.ClientSubnet;
import dev.vxdns.proxyprotocol.Tlv;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The forwarder's part of the configuration: the {@code forward} section (pools of backends, the
 * packet cache's bounds) and the zones of {@code type: forward}, each naming its {@code pool}.
 *
 * @param forwardZones each forward zone's pool, by zone name
 * @param localZones the zones this node answers itself (class IN): queries for them never leave
 * @param whoami the node's own CH/IN TXT name, or null: answered here, never forwarded
 * @param cache the packet cache's bounds per event loop, or null for no cache
 */
public record ForwardSettings(
    Map<Name, Pool> forwardZones,
    List<Name> localZones,
    Name whoami,
    CacheSettings cache,
    DnsOptions dns) {
  public ForwardSettings {
    forwardZones = Map.copyOf(forwardZones);
    localZones = List.copyOf(localZones);
  }

  /**
   * The packet cache's bounds, per event loop (each loop has its own shard).
   *
   * @param maxTtl the longest an answer is kept, seconds
   */
  public record CacheSettings(int maxEntries, long maxBytes, long maxTtl) {}

  private static final Set<String> SECTION_KEYS = Set.of("pools", "cache");
  private static final Set<String> POOL_KEYS = Set.of("policy", "backends");
  private static final Set<String> CACHE_KEYS = Set.of("max-entries", "max-bytes", "max-ttl");
  private static final Set<String> BACKEND_KEYS =
      Set.of(
          "address",
          "port",
          "transport",
          "weight",
          "timeout-ms",
          "retries",
          "tls-name",
          "ca-file",
          "proxy-protocol",
          "proxy-tlvs",
          "client-subnet",
          "ecs-prefix-v4",
          "ecs-prefix-v6",
          "ecs-override",
          "cache",
          "health-check");
  private static final Set<String> CHECK_KEYS =
      Set.of(
          "name",
          "type",
          "class",
          "interval",
          "timeout-ms",
          "failures",
          "successes",
          "must-resolve");

  /** The keys a forward zone may have besides its type, pool and access lists. */
  private static final Set<String> ENGINE_KEYS =
      Set.of("file", "journal", "update-policy", "primaries");

  public static final ConfigPart<ForwardSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return new ConfigKeys(java.util.Set.of("forward"), java.util.Set.of(), java.util.Set.of())
              .andZone("pool");
        }

        @Override
        public ForwardSettings parse(ConfigSource source) throws ConfigException {
          Json section = source.root().object("forward");
          section.allowOnly(SECTION_KEYS);
          Map<String, Pool> pools = new LinkedHashMap<>();
          Json poolsJson = section.object("pools");
          for (String name : new java.util.TreeSet<>(poolsJson.fieldNames())) {
            pools.put(name, pool(source, name, poolsJson.object(name)));
          }
          Map<Name, Pool> forwardZones = new LinkedHashMap<>();
          List<Name> local = new ArrayList<>();
          for (ConfigSource.ZoneEntry zone : source.zones()) {
            Json entry = zone.entry();
            Name name = name(zone.name(), entry);
            if (!ConfigSource.isForward(entry)) {
              if (entry.has("pool")) {
                throw new ConfigException(entry.key("pool"), "is only for type forward");
              }
              local.add(name);
              continue;
            }
            for (String key : ENGINE_KEYS) {
              if (entry.has(key)) {
                throw new ConfigException(entry.key(key), "is not for a forward zone");
              }
            }
            String poolName = entry.requiredString("pool");
            Pool pool = pools.get(poolName);
            if (pool == null) {
              throw new ConfigException(
                  entry.key("pool"), "no pool " + poolName + " in forward.pools");
            }
            forwardZones.put(name, pool);
          }
          return new ForwardSettings(
              forwardZones,
              local,
              source.options().domainName("whoami"),
              section.has("cache") ? cache(section.object("cache")) : null,
              source.parse(DnsOptions.PART));
        }
      };

  private static Name name(String zone, Json entry) throws ConfigException {
    try {
      return Name.fromString(zone);
    } catch (TextParseException e) {
      throw new ConfigException(entry.key("type"), e.getMessage());
    }
  }

  private static CacheSettings cache(Json cache) throws ConfigException {
    cache.allowOnly(CACHE_KEYS);
    return new CacheSettings(
        cache.integer("max-entries", 100_000, 1, 100_000_000),
        cache.integer("max-bytes", 64 << 20, 4096, Integer.MAX_VALUE),
        cache.integer("max-ttl", 86400, 1, 7 * 86400));
  }

  private static Pool pool(ConfigSource source, String name, Json pool) throws ConfigException {
    pool.allowOnly(POOL_KEYS);
    Policy policy =
        switch (pool.string("policy", "round-robin")) {
          case "round-robin" -> Policy.ROUND_ROBIN;
          case "least-outstanding" -> Policy.LEAST_OUTSTANDING;
          case "first-available" -> Policy.FIRST_AVAILABLE;
          default ->
              throw new ConfigException(
                  pool.key("policy"), "must be round-robin, least-outstanding or first-available");
        };
    List<Backend> backends = new ArrayList<>();
    for (Json backend : pool.objects("backends")) {
      backends.add(backend(source, name, backend));
    }
    if (backends.isEmpty()) {
      throw new ConfigException(pool.key("backends"), "a pool needs at least one backend");
    }
    return new Pool(name, policy, backends);
  }

  private static Backend backend(ConfigSource source, String pool, Json backend)
      throws ConfigException {
    backend.allowOnly(BACKEND_KEYS);
    BackendTransport transport =
        switch (backend.string("transport", "udp")) {
          case "udp" -> BackendTransport.UDP;
          case "tcp" -> BackendTransport.TCP;
          case "dot", "tls" -> BackendTransport.DOT;
          default -> throw new ConfigException(backend.key("transport"), "must be udp, tcp or dot");
        };
    if (transport != BackendTransport.DOT && (backend.has("tls-name") || backend.has("ca-file"))) {
      throw new ConfigException(backend.key("transport"), "tls-name and ca-file need dot");
    }
    InetSocketAddress address =
        new InetSocketAddress(
            backend.address("address"),
            backend.integer("port", transport == BackendTransport.DOT ? 853 : 53, 1, 65535));
    boolean proxy = backend.bool("proxy-protocol", false);
    List<Tlv> tlvs = new ArrayList<>();
    for (Json tlv : backend.objects("proxy-tlvs")) {
      tlvs.add(tlv(tlv));
    }
    if (!tlvs.isEmpty() && !proxy) {
      throw new ConfigException(backend.key("proxy-tlvs"), "needs proxy-protocol");
    }
    ClientSubnet ecs = null;
    if (backend.bool("client-subnet", false)) {
      ecs =
          new ClientSubnet(
              backend.integer("ecs-prefix-v4", 24, 0, 32),
              backend.integer("ecs-prefix-v6", 56, 0, 128),
              backend.bool("ecs-override", false));
    } else {
      for (String key : List.of("ecs-prefix-v4", "ecs-prefix-v6", "ecs-override")) {
        if (backend.has(key)) {
          throw new ConfigException(backend.key(key), "needs client-subnet");
        }
      }
    }
    Path caFile = backend.has("ca-file") ? source.readableFile(backend, "ca-file") : null;
    String host = address.getAddress().getHostAddress();
    return new Backend(
        pool + "/" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort(),
        address,
        transport,
        backend.integer("weight", 1, 1, 1000),
        backend.integer("timeout-ms", 2000, 10, 60_000),
        backend.integer("retries", 1, 0, 10),
        backend.string("tls-name", null),
        caFile,
        proxy,
        tlvs,
        ecs,
        backend.bool("cache", !proxy),
        backend.has("health-check") ? healthCheck(backend.object("health-check")) : null);
  }

  /** A custom TLV: {@code type} (0xE0..0xEF) and a text {@code value} or a {@code hex} one. */
  private static Tlv tlv(Json tlv) throws ConfigException {
    tlv.allowOnly(Set.of("type", "value", "hex"));
    if (!tlv.has("type")) {
      throw new ConfigException(tlv.key("type"), "is required (0xE0..0xEF: 224..239)");
    }
    int type = tlv.integer("type", 0xE0, 0xE0, 0xEF);
    byte[] value;
    if (tlv.has("hex") == tlv.has("value")) {
      throw new ConfigException(tlv.key("value"), "give either value or hex");
    }
    if (tlv.has("hex")) {
      try {
        value = HexFormat.of().parseHex(tlv.requiredString("hex"));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(tlv.key("hex"), e.getMessage());
      }
    } else {
      value = tlv.requiredString("value").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    return Tlv.custom(type, value);
  }

  private static HealthCheck healthCheck(Json check) throws ConfigException {
    check.allowOnly(CHECK_KEYS);
    int type = Type.value(check.string("type", "A").toUpperCase(Locale.ROOT));
    if (type < 0) {
      throw new ConfigException(check.key("type"), "is not a record type");
    }
    int dclass = DClass.value(check.string("class", "IN").toUpperCase(Locale.ROOT));
    if (dclass < 0) {
      throw new ConfigException(check.key("class"), "is not a class");
    }
    Name name = check.domainName("name");
    return new HealthCheck(
        name == null ? Name.root : name,
        type,
        dclass,
        check.integer("interval", 1, 1, 3600) * 1000L,
        check.integer("timeout-ms", 1000, 10, 60_000),
        check.integer("failures", 1, 1, 100),
        check.integer("successes", 1, 1, 100),
        check.bool("must-resolve", false));
  }
}
