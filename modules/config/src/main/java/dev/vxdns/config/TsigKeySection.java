package dev.vxdns.config;

import dev.vxdns.auth.KeyConfigException;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigKeys;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The TSIG keys of the {@code key} section (BIND's {@code key} statements; an include file's keys
 * are merged by {@link Includes}). Shared: the auth stage verifies with them, the zone engine signs
 * NOTIFY and transfers with them.
 */
public record TsigKeySection(List<TsigKey> keys) {
  public TsigKeySection {
    keys = List.copyOf(keys);
  }

  public static final ConfigPart<TsigKeySection> PART =
      new ConfigPart<>() {
        @Override
        public ConfigKeys keys() {
          return ConfigKeys.NONE.andSections("key");
        }

        @Override
        public TsigKeySection parse(ConfigSource source) throws ConfigException {
          Object section = source.root().plain("key");
          if (section == null) {
            return new TsigKeySection(List.of());
          }
          if (!(section instanceof Map)) {
            throw new ConfigException("key", "must be an object of NAME: {algorithm, secret}");
          }
          try {
            @SuppressWarnings("unchecked")
            Map<String, ?> keys = (Map<String, ?>) section;
            return new TsigKeySection(TsigKeys.parseConfig(keys));
          } catch (KeyConfigException e) {
            String key = "key." + e.keyName() + (e.field().isEmpty() ? "" : "." + e.field());
            String message = e.getMessage();
            throw new ConfigException(
                key,
                message.startsWith(key + ": ") ? message.substring(key.length() + 2) : message);
          }
        }
      };

  /**
   * The key a config entry names in its {@code key} field, or null when it names none.
   *
   * @throws ConfigException when the name is not a key of the {@code key} section
   */
  public TsigKey named(Json entry, String field) throws ConfigException {
    Name name = entry.domainName(field);
    if (name == null) {
      return null;
    }
    for (TsigKey key : keys) {
      if (key.name().equals(name)) {
        return key;
      }
    }
    throw new ConfigException(entry.key(field), "no key named " + name + " in the key section");
  }
}
