package dev.vxdns.verticles.admin;

import dev.vxdns.auth.KeyConfigException;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigKeys;
import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigKeys;
import dev.vxdns.config.ConfigPart;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.config.Json;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** The control channel's part of the configuration: the {@code controls} list. */
public record AdminSettings(List<ControlConfig> controls) {
  public AdminSettings {
    controls = List.copyOf(controls);
  }

  /** What a key file may allow beyond its owner: nothing (BIND's rndc.key is 0600). */
  private static final Set<PosixFilePermission> NOT_OWNER =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

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
            control.allowOnly(Set.of("address", "port", "allow", "key", "key-file"));
            controls.add(
                new ControlConfig(
                    control.address("address"),
                    control.integer("port", 953, 0, 65535),
                    source.acls().compile(control, "allow", List.of("localhost")),
                    key(source, control)));
          }
          return new AdminSettings(controls);
        }
      };

  /**
   * The channel's key: {@code key} names it; it is read from {@code key-file} (a file of {@code
   * vxdns tsig-keygen --file}, mode 0600 or stricter) when given, else from the config's {@code
   * key} section. No key, no channel: an unauthenticated control channel is refused.
   */
  private static TsigKey key(ConfigSource source, Json control) throws ConfigException {
    String name = control.string("key", null);
    if (name == null) {
      throw new ConfigException(
          control.key("key"),
          "controls needs key: the name of a TSIG key (from \"key\" or \"key-file\") that signs"
              + " every request; make one with vxdns tsig-keygen --file FILE NAME");
    }
    Name wanted;
    try {
      wanted = Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new ConfigException(control.key("key"), "'" + name + "' is not a key name");
    }
    String where;
    Object section;
    if (control.has("key-file")) {
      Path file = source.readableFile(control, "key-file");
      refuseLooseMode(control.key("key-file"), file);
      where = file.toString();
      section = keySection(control.key("key-file"), file);
    } else {
      where = "the config's \"key\" section";
      section = source.root().plain("key");
    }
    List<TsigKey> keys;
    try {
      @SuppressWarnings("unchecked")
      Map<String, ?> map = section instanceof Map ? (Map<String, ?>) section : Map.of();
      keys = TsigKeys.parseConfig(map);
    } catch (KeyConfigException e) {
      throw new ConfigException(control.key("key"), "in " + where + ": " + e.getMessage());
    }
    for (TsigKey key : keys) {
      if (key.name().equals(wanted)) {
        return key;
      }
    }
    throw new ConfigException(control.key("key"), "no key " + name + " in " + where);
  }

  private static void refuseLooseMode(String configKey, Path file) throws ConfigException {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException notPosix) {
      return; // no modes to check on this file system
    } catch (IOException e) {
      throw new ConfigException(configKey, "cannot read the mode of " + file + ": " + e);
    }
    if (mode.stream().anyMatch(NOT_OWNER::contains)) {
      throw new ConfigException(
          configKey,
          file
              + " is "
              + PosixFilePermissions.toString(mode)
              + ": a control key file must be readable by its owner only (chmod 600 "
              + file
              + ")");
    }
  }

  /** The {@code key} object of a key file ({@code { "key": { NAME: {...} } }}). */
  private static Object keySection(String configKey, Path file) throws ConfigException {
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      JsonObject keys = json.getJsonObject("key");
      if (keys == null) {
        throw new ConfigException(configKey, file + " has no \"key\" object");
      }
      return keys.getMap();
    } catch (IOException | DecodeException | ClassCastException e) {
      throw new ConfigException(configKey, file + " is not a JSON key file: " + e.getMessage());
    }
  }
}
