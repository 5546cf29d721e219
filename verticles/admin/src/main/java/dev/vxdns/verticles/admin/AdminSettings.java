package dev.vxdns.verticles.admin;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The control channel's part of the configuration: the {@code controls} list. */
public record AdminSettings(List<ControlConfig> controls) {
  public AdminSettings {
    controls = List.copyOf(controls);
  }

  public static final ConfigPart<AdminSettings> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.NONE.andSections("controls");
        }

        @Override
        public AdminSettings parse(ConfigSource source) throws ConfigException {
          List<ControlConfig> controls = new ArrayList<>();
          for (Json control : source.root().objects("controls")) {
            control.allowOnly(Set.of("address", "port", "allow"));
            controls.add(
                new ControlConfig(
                    control.address("address"),
                    control.integer("port", 953, 0, 65535),
                    source.acls().compile(control, "allow", List.of("localhost"))));
          }
          return new AdminSettings(controls);
        }
      };
}
