package dev.vxdns.config;

import dev.vxdns.acl.AclEnvironment;
import dev.vxdns.acl.AclException;
import dev.vxdns.acl.AddressMatchList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named {@code acl} lists and the compiler of every address-match-list option that may use
 * them.
 */
public final class Acls {
  private final Map<String, List<?>> named;
  private final AclEnvironment environment;

  /** The host and GeoIP environment the lists compile against (its GeoIP files to close). */
  public AclEnvironment environment() {
    return environment;
  }

  /** Every named acl compiled, in declared order: filled once by {@link #parse}. */
  private final Map<String, AddressMatchList> compiledNamed = new LinkedHashMap<>();

  private Acls(Map<String, List<?>> named, AclEnvironment environment) {
    this.named = named;
    this.environment = environment;
  }

  /**
   * @param geoipDirectory BIND's {@code geoip-directory}: where GeoIP2/GeoLite2 databases are, or
   *     null when {@code geoip} elements are not used
   */
  static Acls parse(Json acl, java.nio.file.Path geoipDirectory, String geoipKey)
      throws ConfigException {
    Map<String, List<?>> named = new LinkedHashMap<>();
    for (String name : acl.fieldNames()) {
      Object value = acl.plain(name);
      if (!(value instanceof List)) {
        throw new ConfigException(acl.key(name), "an acl is an array of address-match elements");
      }
      named.put(name, (List<?>) value);
    }
    AclEnvironment environment = AclEnvironment.ofThisHost();
    if (geoipDirectory != null) {
      try {
        environment = environment.withGeoip(geoipDirectory);
      } catch (java.io.IOException e) {
        throw new ConfigException(
            geoipKey,
            "cannot open the GeoIP databases in " + geoipDirectory + ": " + e.getMessage());
      }
    }
    Acls acls = new Acls(Map.copyOf(named), environment);
    // Each one on its own, as BIND's named-checkconf checks them all, referenced or not; kept for
    // tools.
    try {
      for (String name : named.keySet()) {
        acls.compiledNamed.put(name, acls.compile(acl.key(name), named.get(name)));
      }
    } catch (ConfigException e) {
      environment.closeGeoip();
      throw e;
    }
    return acls;
  }

  /**
   * Compiles the list under {@code key} of {@code options}, or the default when the key is absent.
   */
  public AddressMatchList compile(Json options, String key, List<?> fallback)
      throws ConfigException {
    Object value = options.has(key) ? options.plain(key) : fallback;
    if (value instanceof String) {
      value = List.of(value);
    }
    if (!(value instanceof List)) {
      throw new ConfigException(options.key(key), "must be an array of address-match elements");
    }
    return compile(options.key(key), (List<?>) value);
  }

  /**
   * The list under {@code key} (or the default) with {@code granted} elements matched before it:
   * BIND's implicit grants, such as a secondary zone's primaries, which may always send NOTIFY.
   */
  public AddressMatchList compileGranting(
      Json object, String key, List<?> fallback, List<String> granted) throws ConfigException {
    Object value = object.has(key) ? object.plain(key) : fallback;
    if (value instanceof String) {
      value = List.of(value);
    }
    if (!(value instanceof List)) {
      throw new ConfigException(object.key(key), "must be an array of address-match elements");
    }
    List<Object> elements = new java.util.ArrayList<>(granted);
    elements.add(value);
    return compile(object.key(key), elements);
  }

  /** The list under {@code key}, or null when the object does not set it (a zone inherits it). */
  public AddressMatchList compileIfPresent(Json object, String key) throws ConfigException {
    return object.has(key) ? compile(object, key, List.of()) : null;
  }

  /**
   * Every named acl compiled (when parsed), in declared order, for tools that evaluate one by name.
   */
  public Map<String, AddressMatchList> compiledNamed() {
    return java.util.Collections.unmodifiableMap(compiledNamed);
  }

  /** Compiles elements given in code; {@code key} names where they apply in error messages. */
  public AddressMatchList compile(String key, List<?> elements) throws ConfigException {
    try {
      return AddressMatchList.compile(elements, named, environment);
    } catch (AclException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }
}
