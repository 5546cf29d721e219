package dev.vxdns.verticles.zone;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.config.Json;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * The zone engine's part of the configuration: the served zones and the {@code whoami} name.
 *
 * @param whoami the CH TXT name answering the client's effective address, or null ({@code whoami})
 */
public record ZoneSettings(List<ZoneConfig> zones, Name whoami, DnsOptions dns) {
  public ZoneSettings {
    zones = List.copyOf(zones);
  }

  public static final ConfigPart<ZoneSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.options("whoami").andZone("type", "file");
        }

        @Override
        public ZoneSettings parse(ConfigSource source) throws ConfigException {
          List<ZoneConfig> zones = new ArrayList<>();
          for (ConfigSource.ZoneEntry zone : source.zones()) {
            Json entry = zone.entry();
            String type = entry.string("type", "primary");
            if (type.equals("master")) {
              type = "primary";
            }
            if (!type.equals("primary")) {
              throw new ConfigException(
                  entry.key("type"),
                  "type " + type + " is not available in this build (use primary)");
            }
            zones.add(new ZoneConfig(zone.name(), type, source.readableFile(entry, "file")));
          }
          return new ZoneSettings(
              zones, source.options().domainName("whoami"), source.parse(DnsOptions.PART));
        }
      };
}
