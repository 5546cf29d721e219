package dev.vxdns.verticles.acl;

import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.config.Acls;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ACL stage's part of the configuration: BIND's access lists in {@code options}, and the ones a
 * zone overrides.
 *
 * @param options the node-wide lists ({@code blackhole}, {@code allow-query}, ...)
 * @param zones each zone's own lists by canonical zone name, null where the zone inherits
 * @param forwardZones the zones of {@code type: forward} (canonical names): their queries are
 *     checked against {@code allow-recursion}
 */
public record AclSettings(
    AccessLists options,
    Map<String, AccessLists> zones,
    java.util.Set<String> forwardZones,
    java.util.Set<String> secondaryZones,
    DnsOptions dns) {
  public AclSettings {
    zones = Map.copyOf(zones);
    forwardZones = java.util.Set.copyOf(forwardZones);
    secondaryZones = java.util.Set.copyOf(secondaryZones);
  }

  /** Settings without forward or secondary zones. */
  public AclSettings(AccessLists options, Map<String, AccessLists> zones, DnsOptions dns) {
    this(options, zones, java.util.Set.of(), java.util.Set.of(), dns);
  }

  public static final ConfigPart<AclSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options(
                  "blackhole",
                  "allow-query",
                  "allow-query-on",
                  "allow-transfer",
                  "allow-update",
                  "allow-notify",
                  "allow-update-forwarding",
                  "allow-recursion")
              .andZone(
                  "type", // secondary and forward zones have other lists
                  "allow-query",
                  "allow-query-on",
                  "allow-transfer",
                  "allow-update",
                  "allow-notify",
                  "allow-update-forwarding");
        }

        @Override
        public AclSettings parse(ConfigSource source) throws ConfigException {
          Acls acls = source.acls();
          Json options = source.options();
          AccessLists lists =
              new AccessLists(
                  acls.compile(options, "blackhole", List.of("none")),
                  acls.compile(options, "allow-query", List.of("any")),
                  acls.compile(options, "allow-query-on", List.of("any")),
                  acls.compile(options, "allow-transfer", List.of("none")),
                  acls.compile(options, "allow-update", List.of("none")),
                  acls.compile(options, "allow-notify", List.of("none")),
                  acls.compile(options, "allow-recursion", List.of("localnets", "localhost")));
          Map<String, AccessLists> zones = new LinkedHashMap<>();
          AddressMatchList forwarding =
              acls.compile(options, "allow-update-forwarding", List.of("none"));
          java.util.Set<String> forwardZones = new java.util.HashSet<>();
          java.util.Set<String> secondaryZones = new java.util.HashSet<>();
          for (ConfigSource.ZoneEntry zone : source.zones()) {
            zones.put(zone.name(), zoneLists(acls, options, zone.entry(), forwarding));
            if (ConfigSource.isForward(zone.entry())) {
              forwardZones.add(zone.name());
            }
            if (ConfigSource.isSecondary(zone.entry())) {
              secondaryZones.add(zone.name());
            }
          }
          return new AclSettings(
              lists, zones, forwardZones, secondaryZones, source.parse(DnsOptions.PART));
        }
      };

  /**
   * A zone's own lists. Who may send UPDATE depends on the zone as in BIND: with {@code
   * update-policy} anyone gets past this stage (the policy judges each record, in the zone stage);
   * a secondary zone takes updates to forward from {@code allow-update-forwarding}; its primaries
   * may always NOTIFY it, and so may its {@code allow-notify} or else the options' (BIND consults
   * allow-notify for secondary zones only).
   */
  private static AccessLists zoneLists(
      Acls acls, Json options, Json entry, AddressMatchList forwarding) throws ConfigException {
    boolean secondary = ConfigSource.isSecondary(entry);
    AddressMatchList update;
    AddressMatchList notify = acls.compileIfPresent(entry, "allow-notify");
    if (secondary) {
      if (entry.has("allow-update")) {
        throw new ConfigException(
            entry.key("allow-update"),
            "is not allowed in a secondary zone (use allow-update-forwarding)");
      }
      update =
          entry.has("allow-update-forwarding")
              ? acls.compile(entry, "allow-update-forwarding", List.of())
              : forwarding;
      List<String> primaries = new ArrayList<>();
      for (Json primary : entry.objects("primaries")) {
        primaries.add(primary.requiredString("address"));
      }
      // The options' list was compiled (and any error reported under its own key) above.
      Object inherited = options.has("allow-notify") ? options.plain("allow-notify") : "none";
      List<?> fallback = inherited instanceof List<?> list ? list : List.of(inherited);
      notify = acls.compileGranting(entry, "allow-notify", fallback, primaries);
    } else if (entry.has("allow-update-forwarding")) {
      throw new ConfigException(
          entry.key("allow-update-forwarding"), "is only for secondary zones");
    } else if (entry.has("update-policy")) {
      update = acls.compile(entry.key("update-policy"), List.of("any"));
    } else {
      update = acls.compileIfPresent(entry, "allow-update");
    }
    return new AccessLists(
        null,
        acls.compileIfPresent(entry, "allow-query"),
        acls.compileIfPresent(entry, "allow-query-on"),
        acls.compileIfPresent(entry, "allow-transfer"),
        update,
        notify,
        null);
  }
}
