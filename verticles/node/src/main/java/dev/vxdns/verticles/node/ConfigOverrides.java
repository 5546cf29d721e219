package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Environment variables and system properties that override keys of the config document. Only names
 * that start with {@value #PREFIX} are read, so the many unrelated variables of a process never
 * reach the strict validator.
 *
 * <p>The mapping: strip the prefix, split the rest at {@code __} (two underscores) into a path of
 * object keys, and in each segment turn {@code _} into {@code -} and upper case into lower case.
 * {@code VXDNS_OPTIONS__MAX_UDP_SIZE=1400} sets {@code options.max-udp-size} to the number 1400.
 * The value is read as JSON when it is a JSON value ({@code 1400}, {@code true}, {@code
 * ["127.0.0.1"]}, {@code {"file": "z.zone"}}, {@code "quoted"}) and as a string otherwise. Missing
 * objects on the path are created; a path through a value that is not an object is an error. System
 * properties ({@code -DVXDNS_...}) are applied after the environment, so they win.
 */
final class ConfigOverrides {
  static final String PREFIX = "VXDNS_";

  /**
   * bin/vxdns's own variable (the JVM's options), which the JVM inherits: not a key path, and an
   * operator who sets it (the systemd unit does) must not see the config refused for it.
   */
  static final String LAUNCHER_JAVA_OPTS = "VXDNS_JAVA_OPTS";

  private final Map<String, String> environment;
  private final Map<String, String> properties;

  ConfigOverrides(Map<String, String> environment, Map<String, String> properties) {
    this.environment = new TreeMap<>(prefixed(environment));
    this.properties = new TreeMap<>(prefixed(properties));
  }

  /** The process's own environment and system properties. */
  static ConfigOverrides ofProcess() {
    Map<String, String> properties = new TreeMap<>();
    System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
    return new ConfigOverrides(System.getenv(), properties);
  }

  static ConfigOverrides none() {
    return new ConfigOverrides(Map.of(), Map.of());
  }

  /** A copy of {@code document} with every override applied. */
  JsonObject apply(JsonObject document) throws ConfigException {
    JsonObject result = document.copy();
    for (Map<String, String> source : java.util.List.of(environment, properties)) {
      for (Map.Entry<String, String> entry : source.entrySet()) {
        set(result, entry.getKey(), entry.getValue());
      }
    }
    return result;
  }

  /** The dotted key an override name sets, e.g. {@code options.max-udp-size}. */
  static String keyOf(String name) throws ConfigException {
    String rest = name.substring(PREFIX.length());
    if (rest.isEmpty() || rest.startsWith("__") || rest.endsWith("__") || rest.contains("____")) {
      throw new ConfigException(name, "not a key path (VXDNS_SECTION__KEY, segments split by __)");
    }
    StringBuilder key = new StringBuilder();
    for (String segment : rest.split("__")) {
      if (segment.isEmpty()) {
        throw new ConfigException(name, "empty segment in the key path");
      }
      if (key.length() > 0) {
        key.append('.');
      }
      key.append(segment.toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    return key.toString();
  }

  private static void set(JsonObject root, String name, String value) throws ConfigException {
    String[] path = keyOf(name).split("\\.");
    JsonObject at = root;
    for (int i = 0; i < path.length - 1; i++) {
      Object next = at.getValue(path[i]);
      if (next == null) {
        JsonObject created = new JsonObject();
        at.put(path[i], created);
        at = created;
      } else if (next instanceof JsonObject object) {
        at = object;
      } else {
        throw new ConfigException(
            name, "overrides " + String.join(".", path) + " but " + path[i] + " is not an object");
      }
    }
    at.put(path[path.length - 1], parseValue(value));
  }

  private static Object parseValue(String value) {
    try {
      Object parsed = Json.decodeValue(value);
      if (parsed instanceof Map<?, ?> map) {
        return new JsonObject(Json.encode(map));
      }
      return parsed == null ? value : parsed;
    } catch (DecodeException notJson) {
      return value;
    }
  }

  private static Map<String, String> prefixed(Map<String, String> all) {
    Map<String, String> selected = new TreeMap<>();
    all.forEach(
        (name, value) -> {
          if (name.startsWith(PREFIX) && !name.equals(LAUNCHER_JAVA_OPTS)) {
            selected.put(name, value);
          }
        });
    return selected;
  }

  /** The names read, for the log (values may be secrets, so not them). */
  java.util.Set<String> names() {
    java.util.Set<String> names = new java.util.TreeSet<>(environment.keySet());
    names.addAll(properties.keySet());
    return names;
  }
}
