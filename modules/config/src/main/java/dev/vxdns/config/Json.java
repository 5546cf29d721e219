package dev.vxdns.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Typed reads from a JSON object that fail with the key's full path. */
public final class Json {
  private final JsonObject object;
  private final String path;

  public Json(JsonObject object, String path) {
    this.object = object == null ? new JsonObject() : object;
    this.path = path;
  }

  public String key(String name) {
    // An empty name would vanish from the path, leaving an error without a key: quote it.
    String shown = name.isEmpty() ? "\"\"" : name;
    return path.isEmpty() ? shown : path + "." + shown;
  }

  public boolean has(String name) {
    return object.containsKey(name);
  }

  public void allowOnly(Set<String> known) throws ConfigException {
    for (String name : object.fieldNames()) {
      if (!known.contains(name)) {
        throw new ConfigException(
            key(name),
            "unknown key (known here: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  public Json object(String name) throws ConfigException {
    Object value = object.getValue(name);
    if (value != null && !(value instanceof JsonObject)) {
      throw new ConfigException(key(name), "must be an object");
    }
    return new Json((JsonObject) value, key(name));
  }

  public String string(String name, String fallback) throws ConfigException {
    Object value = object.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String) || ((String) value).isBlank()) {
      throw new ConfigException(key(name), "must be a non-empty string");
    }
    return (String) value;
  }

  public String requiredString(String name) throws ConfigException {
    String value = string(name, null);
    if (value == null) {
      throw new ConfigException(key(name), "is required");
    }
    return value;
  }

  public int integer(String name, int fallback, int min, int max) throws ConfigException {
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

  /**
   * BIND's minutes for a zone transfer's times ({@code max-transfer-time-in}/{@code -out}, {@code
   * max-transfer-idle-in}/{@code -out}, {@code min-transfer-rate-in}'s interval): a whole number
   * from 1 to 40320 (28 days, named's bound).
   */
  public Duration transferMinutes(String name, Duration fallback) throws ConfigException {
    return Duration.ofMinutes(integer(name, (int) fallback.toMinutes(), 1, 40_320));
  }

  /** A JSON boolean, or BIND's {@code "yes"} / {@code "no"}. */
  public boolean bool(String name, boolean fallback) throws ConfigException {
    Object value = object.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if ("yes".equals(value) || "no".equals(value)) {
      return "yes".equals(value);
    }
    throw new ConfigException(key(name), "must be true, false, \"yes\" or \"no\"");
  }

  /** A string or an array of strings, as BIND accepts one element or a list. */
  public List<String> strings(String name, List<String> fallback) throws ConfigException {
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

  public List<Json> objects(String name) throws ConfigException {
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
   * An array whose elements are objects or, as BIND's short form, strings: a string element reads
   * as an object with the string as its {@code shortField} (an address list where each address may
   * carry a port and key).
   */
  public List<Json> objectsOrStrings(String name, String shortField) throws ConfigException {
    Object value = object.getValue(name);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray)) {
      throw new ConfigException(key(name), "must be an array");
    }
    JsonArray array = (JsonArray) value;
    List<Json> result = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String path = key(name) + "[" + i + "]";
      if (item instanceof String) {
        result.add(new Json(new JsonObject().put(shortField, item), path));
      } else if (item instanceof JsonObject) {
        result.add(new Json((JsonObject) item, path));
      } else {
        throw new ConfigException(path, "must be a string or an object");
      }
    }
    return result;
  }

  /**
   * The value as plain Java: nested arrays become lists and objects maps, as the ACL compiler takes
   * them.
   */
  public Object plain(String name) {
    return toPlain(object.getValue(name));
  }

  /**
   * An IPv4 or IPv6 address literal. Host names are refused: resolving them at start-up would make
   * the node depend on DNS.
   */
  public java.net.InetAddress address(String name) throws ConfigException {
    String text = requiredString(name);
    boolean looksLikeAddress = text.matches("[0-9.]+") || text.contains(":");
    try {
      if (looksLikeAddress) {
        return java.net.InetAddress.getByName(text);
      }
    } catch (java.net.UnknownHostException e) {
      // reported below
    }
    throw new ConfigException(key(name), "'" + text + "' is not an IPv4 or IPv6 address");
  }

  /** An optional absolute domain name, or null. */
  public org.xbill.DNS.Name domainName(String name) throws ConfigException {
    String text = string(name, null);
    if (text == null) {
      return null;
    }
    try {
      return org.xbill.DNS.Name.fromString(text, org.xbill.DNS.Name.root);
    } catch (org.xbill.DNS.TextParseException e) {
      throw new ConfigException(
          key(name), "'" + text + "' is not a domain name: " + e.getMessage());
    }
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

  public Set<String> fieldNames() {
    return object.fieldNames();
  }
}
