package dev.vxdns.config;

import dev.vxdns.auth.KeyConfigException;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigKeys;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.Delivery;
import dev.vxdns.message.Transport;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole validated configuration of a node. {@link #parse} turns the JSON document (read through
 * Vert.x Config) into immutable typed values, or fails with the first problem found, naming its
 * key, so that a bad file never half-applies.
 */
public record VxdnsConfig(
    Options options,
    List<ZoneConfig> zones,
    List<TsigKey> keys,
    List<ControlConfig> controls,
    java.util.Map<String, dev.vxdns.acl.AddressMatchList> acls,
    JsonObject source) {
  /** Default pipeline of a listener without PROXY: auth (parse, TSIG), access lists, the zone. */
  public static final List<String> DEFAULT_PIPELINE =
      List.of(Addresses.AUTH, Addresses.ACL, Addresses.ZONE_QUERY);

  private static final Set<String> TOP_LEVEL =
      Set.of("options", "zone", "acl", "controls", "key", "tls", "http");
  private static final Set<String> HTTP_KEYS = Set.of("endpoints");
  private static final Set<String> TLS_KEYS = Set.of("cert-file", "key-file");
  private static final Set<String> CONTROL_KEYS = Set.of("address", "port", "allow");
  private static final Set<String> OPTION_KEYS =
      Set.of(
          "listen-on",
          "directory",
          "max-udp-size",
          "edns-udp-size",
          "pipeline",
          "event-loops",
          "udp-instances",
          "tcp-instances",
          "tcp-clients",
          "tcp-initial-timeout",
          "tcp-idle-timeout",
          "tcp-keepalive-timeout",
          "tcp-advertised-timeout",
          "tcp-pipelined-queries",
          "http-listener-clients",
          "http-streams-per-connection",
          "allow-proxy",
          "allow-proxy-on",
          "proxy-max-header-size",
          "whoami",
          "tkey-domain",
          "tkey-dhkey",
          "tkey-max-lifetime",
          "sig0-workers",
          "sig0-rate-limit",
          "sig0-max-pending",
          "blackhole",
          "allow-query",
          "allow-query-on",
          "allow-transfer",
          "allow-update",
          "allow-notify",
          "allow-recursion",
          "geoip-directory");
  private static final Set<String> TKEY_DHKEY_KEYS = Set.of("name", "file");
  private static final Set<String> LISTENER_KEYS =
      Set.of("name", "address", "port", "transport", "proxy", "tls", "http", "pipeline");
  private static final Set<String> PIPELINE_KEYS = Set.of("delivery", "timeout-ms");
  private static final Set<String> ZONE_KEYS =
      Set.of(
          "type",
          "file",
          "allow-query",
          "allow-query-on",
          "allow-transfer",
          "allow-update",
          "allow-notify");
  private static final Set<String> AVAILABLE_TRANSPORTS = Set.of("udp", "tcp", "dot", "doh", "h2c");
  private static final Pattern ZONE_NAME =
      Pattern.compile("^(\\.|([A-Za-z0-9_*-]{1,63}\\.)*[A-Za-z0-9_*-]{1,63}\\.?)$");
  private static final int TENTHS = 100;

  public VxdnsConfig {
    zones = List.copyOf(zones);
    keys = List.copyOf(keys);
    controls = List.copyOf(controls);
    acls = java.util.Map.copyOf(acls);
    source = source.copy();
  }

  /**
   * Validates and types a configuration.
   *
   * @param configDirectory the folder of the config file: relative paths resolve against it unless
   *     {@code options.directory} says otherwise
   */
  public static VxdnsConfig parse(JsonObject json, Path configDirectory) throws ConfigException {
    return parse(json, configDirectory, null);
  }

  /**
   * Validates and types a configuration whose generated TLS material lives elsewhere than in the
   * config's directory (the launcher's embedded default config sits in a temporary folder).
   *
   * @param tlsGeneratedDirectory where the reserved {@code tls} {@value TlsConfig#EPHEMERAL} keeps
   *     its files; null for {@value TlsConfig#GENERATED_DIRECTORY} under the config's directory
   */
  public static VxdnsConfig parse(JsonObject json, Path configDirectory, Path tlsGeneratedDirectory)
      throws ConfigException {
    Json root = new Json(json, "");
    root.allowOnly(TOP_LEVEL);
    Json options = root.object("options");
    options.allowOnly(OPTION_KEYS);
    Path directory = resolveDirectory(options, configDirectory);
    String geoip = options.string("geoip-directory", null);
    Acls acls =
        Acls.parse(
            root.object("acl"),
            geoip == null ? null : directory.resolve(geoip).normalize(),
            options.key("geoip-directory"));
    java.util.Map<String, TlsConfig> tls =
        parseTls(
            root.object("tls"),
            directory,
            tlsGeneratedDirectory != null
                ? tlsGeneratedDirectory
                : directory.resolve(TlsConfig.GENERATED_DIRECTORY));
    java.util.Map<String, List<String>> http = parseHttp(root.object("http"));
    Options typed = parseOptions(options, directory, acls, tls, http);
    List<ZoneConfig> zones = parseZones(root.object("zone"), directory, acls);
    return new VxdnsConfig(
        typed, zones, parseKeys(root), parseControls(root, acls), acls.compiledNamed(), json);
  }

  private static Path resolveDirectory(Json options, Path configDirectory) throws ConfigException {
    String configured = options.string("directory", null);
    Path base = configDirectory.toAbsolutePath().normalize();
    if (configured == null) {
      return base;
    }
    Path directory = base.resolve(configured).normalize();
    if (!Files.isDirectory(directory)) {
      throw new ConfigException(options.key("directory"), "no such directory " + directory);
    }
    return directory;
  }

  /**
   * The top-level {@code tls} entries, plus the reserved {@value TlsConfig#EPHEMERAL} in {@code
   * generated}, whose files need not exist: the node generates them before it listens.
   */
  private static java.util.Map<String, TlsConfig> parseTls(Json tls, Path directory, Path generated)
      throws ConfigException {
    java.util.Map<String, TlsConfig> result = new java.util.HashMap<>();
    for (String name : tls.fieldNames()) {
      if (name.equalsIgnoreCase(TlsConfig.EPHEMERAL)) {
        throw new ConfigException(
            tls.key(name),
            "the tls name \""
                + TlsConfig.EPHEMERAL
                + "\" is reserved (as in BIND) for the"
                + " self-signed test certificate vxdns generates in "
                + generated.toAbsolutePath().normalize()
                + "; give your own certificate another name, e.g. \"mine\", and use \"tls\": \"mine\" in the listener");
      }
      Json entry = tls.object(name);
      entry.allowOnly(TLS_KEYS);
      result.put(
          name,
          new TlsConfig(
              name,
              readableFile(entry, "cert-file", directory),
              readableFile(entry, "key-file", directory)));
    }
    result.put(TlsConfig.EPHEMERAL, TlsConfig.ephemeral(generated));
    return result;
  }

  /** BIND's {@code http NAME { endpoints { "/dns-query"; }; };} */
  private static java.util.Map<String, List<String>> parseHttp(Json http) throws ConfigException {
    java.util.Map<String, List<String>> result = new java.util.HashMap<>();
    for (String name : http.fieldNames()) {
      Json entry = http.object(name);
      entry.allowOnly(HTTP_KEYS);
      List<String> endpoints = entry.strings("endpoints", List.of("/dns-query"));
      for (String endpoint : endpoints) {
        if (!endpoint.startsWith("/") || endpoint.contains("?")) {
          throw new ConfigException(
              entry.key("endpoints"), "an endpoint is a path such as /dns-query, got " + endpoint);
        }
      }
      result.put(name, endpoints);
    }
    return result;
  }

  private static Path readableFile(Json object, String key, Path directory) throws ConfigException {
    Path file = directory.resolve(object.requiredString(key)).normalize();
    if (!Files.isReadable(file)) {
      throw new ConfigException(object.key(key), "cannot read " + file);
    }
    return file;
  }

  private static Options parseOptions(
      Json options,
      Path directory,
      Acls acls,
      java.util.Map<String, TlsConfig> tls,
      java.util.Map<String, List<String>> http)
      throws ConfigException {
    int cores = Runtime.getRuntime().availableProcessors();
    int eventLoops = options.integer("event-loops", cores, 1, 256);
    Json pipeline = options.object("pipeline");
    pipeline.allowOnly(PIPELINE_KEYS);
    Delivery delivery;
    try {
      delivery = Delivery.fromConfigName(pipeline.string("delivery", Delivery.DIRECT.configName()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(pipeline.key("delivery"), e.getMessage());
    }
    TcpOptions tcp =
        new TcpOptions(
            options.integer("tcp-clients", 150, 1, 1_000_000),
            options.integer("tcp-initial-timeout", 300, 25, 1200) * TENTHS,
            options.integer("tcp-idle-timeout", 300, 1, 1200) * TENTHS,
            options.integer("tcp-keepalive-timeout", 300, 1, 65535) * TENTHS,
            options.integer("tcp-advertised-timeout", 300, 0, 65535) * TENTHS,
            options.integer("tcp-pipelined-queries", 32, 1, 65535),
            options.integer("http-listener-clients", 300, 1, 1_000_000),
            options.integer("http-streams-per-connection", 100, 1, 65535));
    return new Options(
        parseListeners(options, tls, http),
        directory,
        options.integer("max-udp-size", 1232, 512, 4096),
        options.integer("edns-udp-size", 1232, 512, 4096),
        delivery,
        pipeline.integer("timeout-ms", 5000, 1, 600_000),
        eventLoops,
        options.integer("udp-instances", eventLoops, 1, 256),
        options.integer("tcp-instances", eventLoops, 1, 256),
        tcp,
        acls.compile(options, "allow-proxy", List.of("none")),
        acls.compile(options, "allow-proxy-on", List.of("any")),
        options.integer("proxy-max-header-size", 512, 16, 65551),
        parseName(options, "whoami"),
        parseTkey(options, directory),
        new Sig0Options(
            options.integer("sig0-workers", 1, 0, 64),
            options.integer("sig0-rate-limit", 10, 1, 1_000_000),
            options.integer("sig0-max-pending", 64, 1, 100_000)),
        new AccessLists(
            acls.compile(options, "blackhole", List.of("none")),
            acls.compile(options, "allow-query", List.of("any")),
            acls.compile(options, "allow-query-on", List.of("any")),
            acls.compile(options, "allow-transfer", List.of("none")),
            acls.compile(options, "allow-update", List.of("none")),
            acls.compile(options, "allow-notify", List.of("none")),
            acls.compile(options, "allow-recursion", List.of("localnets", "localhost"))));
  }

  private static TkeyOptions parseTkey(Json options, Path directory) throws ConfigException {
    String domain = parseName(options, "tkey-domain");
    Json dhkey = options.object("tkey-dhkey");
    dhkey.allowOnly(TKEY_DHKEY_KEYS);
    int maxLifetime = options.integer("tkey-max-lifetime", 3600, 60, 30 * 86400);
    if (domain == null) {
      if (options.has("tkey-dhkey")) {
        throw new ConfigException(options.key("tkey-dhkey"), "needs tkey-domain");
      }
      return null;
    }
    String name = parseName(dhkey, "name");
    Path path = dhkey.string("file", null) == null ? null : readableFile(dhkey, "file", directory);
    if (path != null && name == null) {
      throw new ConfigException(dhkey.key("name"), "is required with file");
    }
    return new TkeyOptions(domain, name == null ? "vxdns-dh." + domain : name, path, maxLifetime);
  }

  /** An optional domain name, canonical with its trailing dot. */
  private static String parseName(Json options, String name) throws ConfigException {
    String text = options.string(name, null);
    if (text == null) {
      return null;
    }
    try {
      return org.xbill.DNS.Name.fromString(text, org.xbill.DNS.Name.root).toString();
    } catch (org.xbill.DNS.TextParseException e) {
      throw new ConfigException(
          options.key(name), "'" + text + "' is not a domain name: " + e.getMessage());
    }
  }

  private static List<ListenerConfig> parseListeners(
      Json options, java.util.Map<String, TlsConfig> tls, java.util.Map<String, List<String>> http)
      throws ConfigException {
    List<Json> entries = options.objects("listen-on");
    if (entries.isEmpty()) {
      throw new ConfigException(options.key("listen-on"), "at least one listener is required");
    }
    List<ListenerConfig> listeners = new ArrayList<>();
    for (Json entry : entries) {
      entry.allowOnly(LISTENER_KEYS);
      String addressText = entry.requiredString("address");
      InetAddress address = parseAddress(entry.key("address"), addressText);
      int port = entry.integer("port", 53, 0, 65535);
      ProxyMode proxy = parseProxyMode(entry);
      List<String> pipeline = entry.strings("pipeline", defaultPipeline(proxy));
      if (pipeline.isEmpty()) {
        throw new ConfigException(entry.key("pipeline"), "must name at least one stage");
      }
      if (proxy != ProxyMode.NONE && !pipeline.get(0).equals(Addresses.PROXY)) {
        throw new ConfigException(
            entry.key("pipeline"), "a listener with proxy must run " + Addresses.PROXY + " first");
      }
      List<String> transports = entry.strings("transport", List.of("udp", "tcp"));
      String baseName = entry.string("name", formatEndpoint(address, port));
      for (String transportName : transports) {
        String key = entry.key("transport");
        Transport transport;
        try {
          transport = Transport.fromConfigName(transportName.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new ConfigException(key, e.getMessage());
        }
        if (!AVAILABLE_TRANSPORTS.contains(transport.configName())) {
          throw new ConfigException(
              key,
              "transport "
                  + transport.configName()
                  + " is not available in this build (use udp or tcp)");
        }
        for (ListenerConfig other : listeners) {
          if (other.port() == port
              && other.port() != 0
              && other.transport() == transport
              && other.address().equals(address)) {
            throw new ConfigException(
                key,
                transport.configName()
                    + " on "
                    + formatEndpoint(address, port)
                    + " is configured twice");
          }
        }
        if (proxy == ProxyMode.ENCRYPTED && !transport.isEncrypted()) {
          throw new ConfigException(
              entry.key("proxy"),
              "encrypted PROXY headers need a TLS transport; "
                  + transport.configName()
                  + " takes proxy plain");
        }
        TlsConfig listenerTls = null;
        if (transport.isEncrypted()) {
          String tlsName = entry.string("tls", null);
          if (tlsName == null || !tls.containsKey(tlsName)) {
            throw new ConfigException(
                entry.key("tls"),
                transport.configName()
                    + " needs \"tls\" naming an entry of the top-level"
                    + " tls object, or \"ephemeral\" for a self-signed test certificate"
                    + (tlsName == null ? "" : "; there is no tls " + tlsName));
          }
          listenerTls = tls.get(tlsName);
        }
        List<String> endpoints = List.of();
        if (transport.isHttp()) {
          String httpName = entry.string("http", null);
          if (httpName != null && !http.containsKey(httpName)) {
            throw new ConfigException(
                entry.key("http"),
                "there is no http " + httpName + " in the top-level http object");
          }
          endpoints = httpName == null ? List.of("/dns-query") : http.get(httpName);
        }
        listeners.add(
            new ListenerConfig(
                baseName, address, port, transport, proxy, listenerTls, endpoints, pipeline));
      }
    }
    return listeners;
  }

  /**
   * TSIG keys as BIND's {@code key} statements; an include file's keys are merged by {@link
   * Includes}.
   */
  private static List<TsigKey> parseKeys(Json root) throws ConfigException {
    Object section = root.plain("key");
    if (section == null) {
      return List.of();
    }
    if (!(section instanceof java.util.Map)) {
      throw new ConfigException("key", "must be an object of NAME: {algorithm, secret}");
    }
    try {
      @SuppressWarnings("unchecked")
      java.util.Map<String, ?> keys = (java.util.Map<String, ?>) section;
      return TsigKeys.parseConfig(keys);
    } catch (KeyConfigException e) {
      String key = "key." + e.keyName() + (e.field().isEmpty() ? "" : "." + e.field());
      String message = e.getMessage();
      throw new ConfigException(
          key, message.startsWith(key + ": ") ? message.substring(key.length() + 2) : message);
    }
  }

  private static List<ControlConfig> parseControls(Json root, Acls acls) throws ConfigException {
    List<ControlConfig> controls = new ArrayList<>();
    for (Json control : root.objects("controls")) {
      control.allowOnly(CONTROL_KEYS);
      InetAddress address = parseAddress(control.key("address"), control.requiredString("address"));
      int port = control.integer("port", 953, 0, 65535);
      controls.add(
          new ControlConfig(address, port, acls.compile(control, "allow", List.of("localhost"))));
    }
    return controls;
  }

  private static ProxyMode parseProxyMode(Json entry) throws ConfigException {
    String mode = entry.string("proxy", null);
    if (mode == null) {
      return ProxyMode.NONE;
    }
    switch (mode) {
      case "plain":
        return ProxyMode.PLAIN;
      case "encrypted":
        return ProxyMode.ENCRYPTED;
      default:
        throw new ConfigException(
            entry.key("proxy"), "must be plain or encrypted, got '" + mode + "'");
    }
  }

  static List<String> defaultPipeline(ProxyMode proxy) {
    if (proxy == ProxyMode.NONE) {
      return DEFAULT_PIPELINE;
    }
    List<String> pipeline = new ArrayList<>();
    pipeline.add(Addresses.PROXY);
    pipeline.addAll(DEFAULT_PIPELINE);
    return List.copyOf(pipeline);
  }

  private static List<ZoneConfig> parseZones(Json zones, Path directory, Acls acls)
      throws ConfigException {
    List<ZoneConfig> result = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(zones.fieldNames())) {
      if (!ZONE_NAME.matcher(name).matches()) {
        throw new ConfigException(zones.key(name), "is not a valid zone name");
      }
      Json zone = zones.object(name);
      zone.allowOnly(ZONE_KEYS);
      String type = zone.string("type", "primary");
      if (type.equals("master")) {
        type = "primary";
      }
      if (!type.equals("primary")) {
        throw new ConfigException(
            zone.key("type"), "type " + type + " is not available in this build (use primary)");
      }
      Path file = readableFile(zone, "file", directory);
      String canonical = name.endsWith(".") ? name : name + ".";
      for (ZoneConfig other : result) {
        if (other.name().equalsIgnoreCase(canonical)) {
          throw new ConfigException(zones.key(name), "zone " + canonical + " is configured twice");
        }
      }
      result.add(
          new ZoneConfig(
              canonical,
              type,
              file,
              new AccessLists(
                  null,
                  acls.compileIfPresent(zone, "allow-query"),
                  acls.compileIfPresent(zone, "allow-query-on"),
                  acls.compileIfPresent(zone, "allow-transfer"),
                  acls.compileIfPresent(zone, "allow-update"),
                  acls.compileIfPresent(zone, "allow-notify"),
                  null)));
    }
    return result;
  }

  /**
   * Addresses must be literals: resolving host names at start-up would make the node depend on DNS.
   */
  private static InetAddress parseAddress(String key, String text) throws ConfigException {
    boolean looksLikeAddress = text.matches("[0-9.]+") || text.contains(":");
    if (!looksLikeAddress) {
      throw new ConfigException(key, "'" + text + "' is not an IPv4 or IPv6 address");
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new ConfigException(key, "'" + text + "' is not an IPv4 or IPv6 address");
    }
  }

  static String formatEndpoint(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
