package dev.vxdns.verticles.acl;

import dev.vxdns.config.Acls;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ACL stage's part of the configuration: BIND's access lists in {@code options}, and the ones a
 * zone overrides.
 *
 * @param options the node-wide lists ({@code blackhole}, {@code allow-query}, ...)
 * @param zones each zone's own lists by canonical zone name, null where the zone inherits
 */
public record AclSettings(AccessLists options, Map<String, AccessLists> zones, DnsOptions dns) {
  public AclSettings {
    zones = Map.copyOf(zones);
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
                  "allow-recursion")
              .andZone(
                  "allow-query",
                  "allow-query-on",
                  "allow-transfer",
                  "allow-update",
                  "allow-notify");
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
          for (ConfigSource.ZoneEntry zone : source.zones()) {
            Json entry = zone.entry();
            zones.put(
                zone.name(),
                new AccessLists(
                    null,
                    acls.compileIfPresent(entry, "allow-query"),
                    acls.compileIfPresent(entry, "allow-query-on"),
                    acls.compileIfPresent(entry, "allow-transfer"),
                    acls.compileIfPresent(entry, "allow-update"),
                    acls.compileIfPresent(entry, "allow-notify"),
                    null));
          }
          return new AclSettings(lists, zones, source.parse(DnsOptions.PART));
        }
      };
}
