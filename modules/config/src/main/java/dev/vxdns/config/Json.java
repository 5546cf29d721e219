package dev.vxdns.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Typed reads from a JSON object that fail with the key's full path. */
final class Json {
  private final JsonObject object;
  private final String path;

  Json(JsonObject object, String path) {
    this.object = object == null ? new JsonObject() : object;
    this.path = path;
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  boolean has(String name) {
    return object.containsKey(name);
  }

  void allowOnly(Set<String> known) throws ConfigException {
    for (String name : object.fieldNames()) {
      if (!known.contains(name)) {
        throw new ConfigException(
            key(name),
            "unknown key (known here: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  Json object(String name) throws ConfigException {
    Object value = object.getValue(name);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(key(name), "must be an object");
    }
    return new Json((JsonObject) value, key(name));
  }

  String string(String name, String fallback) throws ConfigException {
    Object value = object.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String) || ((String) value).isBlank()) {
      throw new ConfigException(key(name), "must be a non-empty string");
    }
    return (String) value;
  }

  String requiredString(String name) throws ConfigException {
    String value = string(name, null);
    if (value == null) {
      throw new ConfigException(key(name), "is required");
    }
    return value;
  }

  int integer(String name, int fallback, int min, int max) throws ConfigException {
    Object value = object.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number)
        || ((Number) value).doubleValue() != ((Number) value).longValue()) {
      throw new ConfigException(key(name), "must be a whole number");
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw new ConfigException(
          key(name), "must be between " + min + " and " + max + ", got " + number);
    }
    return (int) number;
  }

  /** A string or an array of strings, as BIND accepts one element or a list. */
  List<String> strings(String name, List<String> fallback) throws ConfigException {
    Object value = object.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof String) {
      return List.of((String) value);
    }
    if (!(value instanceof JsonArray)) {
      throw new ConfigException(key(name), "must be a string or an array of strings");
    }
    List<String> result = new ArrayList<>();
    JsonArray array = (JsonArray) value;
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String)) {
        throw new ConfigException(key(name) + "[" + i + "]", "must be a string");
      }
      result.add(array.getString(i));
    }
    return List.copyOf(result);
  }

  List<Json> objects(String name) throws ConfigException {
    Object value = object.getValue(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray)) {
      throw new ConfigException(key(name), "must be an array of objects");
    }
    JsonArray array = (JsonArray) value;
    List<Json> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject)) {
        throw new ConfigException(key(name) + "[" + i + "]", "must be an object");
      }
      result.add(new Json(array.getJsonObject(i), key(name) + "[" + i + "]"));
    }
    return result;
  }

  /**
   * The value as plain Java: nested arrays become lists and objects maps, as the ACL compiler takes
   * them.
   */
  Object plain(String name) {
    return toPlain(object.getValue(name));
  }

  static Object toPlain(Object value) {
    if (value instanceof JsonArray) {
      List<Object> list = new ArrayList<>();
      for (Object item : (JsonArray) value) {
        list.add(toPlain(item));
      }
      return list;
    }
    if (value instanceof JsonObject) {
      java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
      for (java.util.Map.Entry<String, Object> entry : (JsonObject) value) {
        map.put(entry.getKey(), toPlain(entry.getValue()));
      }
      return map;
    }
    return value;
  }

  Set<String> fieldNames() {
    return object.fieldNames();
  }
}
