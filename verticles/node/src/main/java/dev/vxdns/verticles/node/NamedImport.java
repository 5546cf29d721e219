package dev.vxdns.verticles.node;

import dev.vxdns.config.SessionKeyOptions;
import dev.vxdns.config.named.NamedConf;
import dev.vxdns.config.named.NamedConf.Block;
import dev.vxdns.config.named.NamedConf.Statement;
import dev.vxdns.config.named.NamedConf.Word;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts a parsed named.conf into a vxdns JSON configuration: {@code options}, {@code acl},
 * {@code key}, {@code controls}, {@code listen-on}/{@code listen-on-v6} (with {@code proxy}, {@code
 * tls}, {@code http}), {@code tls}, {@code http}, {@code zone}, the {@code allow-*} lists, {@code
 * update-policy}, {@code primaries} (also named lists) and {@code also-notify}. Everything else is
 * listed in {@link Result#notes()}, one line per statement, with its file and line. BIND's implicit
 * definitions carry over: {@code tls ephemeral} is vxdns's reserved name too, and {@code http
 * default} is vxdns's default endpoint ({@code /dns-query}). Options that mean nothing to an
 * authoritative-only server are dropped with a note.
 */
public final class NamedImport {
  /** The converted document and what was not converted (or changed meaning), in file order. */
  public record Result(JsonObject config, List<String> notes) {
    public Result {
      notes = List.copyOf(notes);
    }
  }

  /** Address-match-list options, in {@code options} and in zones. */
  private static final Set<String> LIST_OPTIONS =
      Set.of(
          "allow-query",
          "allow-query-on",
          "allow-transfer",
          "allow-update",
          "allow-notify",
          "allow-update-forwarding",
          "allow-recursion",
          "blackhole",
          "allow-proxy",
          "allow-proxy-on");

  /** The lists a zone may override. */
  private static final Set<String> ZONE_LISTS =
      Set.of(
          "allow-query",
          "allow-query-on",
          "allow-transfer",
          "allow-update",
          "allow-notify",
          "allow-update-forwarding");

  /** Options for recursion and validation: an authoritative-only server has no use for them. */
  private static final Set<String> RESOLVER_ONLY =
      Set.of(
          "recursion",
          "dnssec-validation",
          "dnssec-enable",
          "forwarders",
          "forward",
          "allow-query-cache",
          "allow-query-cache-on",
          "allow-recursion-on",
          "max-cache-size",
          "max-cache-ttl",
          "max-ncache-ttl",
          "prefetch",
          "qname-minimization",
          "empty-zones-enable",
          "auth-nxdomain",
          "resolver-query-timeout",
          "lame-ttl",
          "servfail-ttl",
          "root-key-sentinel",
          "trust-anchor-telemetry",
          "validate-except",
          "stale-answer-enable",
          "stale-cache-enable");

  /** The local addresses NOTIFYs and a secondary's queries to its primaries are sent from. */
  private static final Set<String> SOURCE_OPTIONS =
      Set.of("notify-source", "notify-source-v6", "transfer-source", "transfer-source-v6");

  /** Top-level named server lists (BIND 9.20's remote-servers and its older names). */
  private static final Set<String> SERVER_LISTS = Set.of("primaries", "masters", "remote-servers");

  /** Options the listeners consume (BIND's default ports). */
  private static final Set<String> PORT_OPTIONS =
      Set.of("port", "tls-port", "https-port", "http-port");

  private final JsonObject config = new JsonObject();
  private final JsonObject options = new JsonObject();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Statement> primariesLists = new HashMap<>();
  // server ADDRESS[/LENGTH] { keys { K; }; }: the key, by the statement's address text.
  private final Map<String, String> serverKeys = new java.util.LinkedHashMap<>();
  private final Set<String> scalarOptions;
  private final Set<String> scalarZoneKeys;
  private final Set<String> tlsNames = new java.util.HashSet<>();
  private Block optionsBlock;
  // named's recursion (default yes), from the options or the view converted as the top level:
  // whether forward zones forward at all.
  private boolean recursion = true;

  private NamedImport() {
    dev.vxdns.config.ConfigKeys known = NodeConfig.keys();
    scalarOptions = new java.util.TreeSet<>(known.options());
    // read by the config machinery itself (ConfigSource), not by a part
    scalarOptions.addAll(Set.of("directory", "geoip-directory"));
    scalarOptions.removeAll(LIST_OPTIONS);
    scalarOptions.removeAll(Set.of("listen-on", "pipeline", "also-notify", "rate-limit"));
    scalarZoneKeys = new java.util.TreeSet<>(known.zone());
    scalarZoneKeys.removeAll(LIST_OPTIONS);
    scalarZoneKeys.removeAll(Set.of("type", "file", "update-policy", "primaries", "also-notify"));
  }

  public static Result convert(Block named) {
    NamedImport importer = new NamedImport();
    importer.run(named);
    return new Result(importer.config, importer.notes);
  }

  private void run(Block named) {
    Statement openView = openView(named);
    recursion = recursion(named.first("options").map(Statement::block).orElse(null), recursion);
    if (openView != null) {
      recursion = recursion(openView.block(), recursion);
    }
    List<Statement> definitions = new ArrayList<>(named.statements());
    if (openView != null) {
      definitions.addAll(openView.block().statements());
    }
    // Definitions first: lists and names may be used before they are defined.
    for (Statement statement : definitions) {
      if (SERVER_LISTS.contains(statement.name()) && statement.block() != null) {
        primariesLists.put(statement.word(1), statement);
      }
      if (statement.is("server") && statement.block() != null) {
        serverKey(statement);
      }
      if (statement.is("tls")) {
        tlsNames.add(statement.word(1));
      }
    }
    Statement optionsStatement = named.first("options").orElse(null);
    for (Statement statement : named.statements()) {
      switch (statement.name()) {
        case "options" -> {
          if (statement != optionsStatement) {
            note(statement, "a second options statement; only the first is converted");
          } else {
            options(statement.block());
          }
        }
        case "acl" -> object("acl").put(statement.word(1), list(statement.block()));
        case "key" -> key(statement);
        case "controls" -> controls(statement);
        case "statistics-channels" -> statisticsChannels(statement);
        case "zone" -> zone(statement);
        case "tls" -> tls(statement);
        case "http" -> http(statement);
        case "primaries", "masters", "remote-servers" -> {
          // used by the zones that name them
        }
        case "server" -> server(statement);
        case "view" -> {
          if (statement != openView) {
            note(
                statement,
                isInClass(statement)
                    ? "views are not supported: the zones in it are not converted"
                    : "not converted: vxdns serves BIND's CH zones (version.bind, ...) itself");
          }
        }
        default -> note(statement, "not converted");
      }
    }
    if (openView != null) {
      view(openView);
    }
    if (!options.containsKey("listen-on")) {
      JsonArray listeners = new JsonArray();
      listeners.add(listener("0.0.0.0", null));
      options.put("listen-on", listeners);
      notes.add(
          "(no listen-on): BIND's default, every IPv4 interface on port 53 over UDP and TCP,"
              + " written as 0.0.0.0");
    }
    config.put("options", options);
    JsonObject ordered = new JsonObject();
    for (String section :
        List.of(
            "acl",
            "key",
            "tls",
            "http",
            "options",
            "controls",
            "statistics-channels",
            "forward",
            "zone")) {
      if (config.containsKey(section)) {
        ordered.put(section, config.getValue(section));
      }
    }
    config.clear();
    config.mergeIn(ordered);
  }

  private JsonObject object(String section) {
    JsonObject object = config.getJsonObject(section);
    if (object == null) {
      object = new JsonObject();
      config.put(section, object);
    }
    return object;
  }

  private void note(Statement statement, String why) {
    notes.add(statement.where() + ": " + statement.text() + " " + why);
  }

  /**
   * The one view of class IN when it serves every client (match-clients and match-destinations
   * {@code any} or absent, not recursive-only) and no zone is outside views, as named.conf files
   * often wrap their zones (beside a CH view for version.bind): its zones and options are the
   * top-level ones. Null when there is none or the views tell clients apart (not supported).
   */
  private static Statement openView(Block named) {
    List<Statement> views = named.all("view").stream().filter(NamedImport::isInClass).toList();
    if (views.size() != 1 || views.get(0).block() == null || !named.all("zone").isEmpty()) {
      return null;
    }
    Block view = views.get(0).block();
    for (String match : List.of("match-clients", "match-destinations")) {
      Statement list = view.first(match).orElse(null);
      if (list != null && !isAny(list.block())) {
        return null;
      }
    }
    boolean recursiveOnly =
        view.first("match-recursive-only").map(s -> !"no".equals(s.word(1))).orElse(false);
    return recursiveOnly ? null : views.get(0);
  }

  /** The block's {@code recursion yes|no}, else {@code inherited}. */
  private static boolean recursion(Block block, boolean inherited) {
    return block == null
        ? inherited
        : block.first("recursion").map(s -> !"no".equals(s.word(1))).orElse(inherited);
  }

  /** {@code view NAME [IN] { ... }}: class IN, named's default. */
  private static boolean isInClass(Statement view) {
    return view.words().size() < 3 || view.word(2).equalsIgnoreCase("in");
  }

  /** An address match list of {@code any} alone. */
  private static boolean isAny(Block list) {
    return list != null
        && list.statements().size() == 1
        && list.statements().get(0).words().equals(List.of("any"));
  }

  /** The view that serves every client: its zones, keys and servers, then its options. */
  private void view(Statement view) {
    note(view, "converted as the top level: it serves every client");
    List<Statement> viewOptions = new ArrayList<>();
    for (Statement statement : view.block().statements()) {
      switch (statement.name()) {
        case "zone" -> zone(statement);
        case "key" -> key(statement);
        case "server" -> server(statement);
        case "primaries", "masters", "remote-servers" -> {
          // used by the zones that name them
        }
        case "match-clients", "match-destinations", "match-recursive-only" -> {
          // every client: what made the view convertible
        }
        default -> viewOptions.add(statement);
      }
    }
    // A view's option overrides the options statement's, as in named.
    optionStatements(viewOptions);
  }

  private void options(Block block) {
    if (block == null) {
      return;
    }
    optionsBlock = block;
    optionStatements(block.statements());
  }

  private void optionStatements(List<Statement> statements) {
    JsonArray listeners = new JsonArray();
    Statement alsoNotify = null;
    for (Statement statement : statements) {
      String name = statement.name();
      if (name.equals("listen-on") || name.equals("listen-on-v6")) {
        listenOn(statement, listeners);
      } else if (LIST_OPTIONS.contains(name)) {
        options.put(name, list(statement.block()));
      } else if (name.equals("also-notify")) {
        options.put(name, targets(statement));
        alsoNotify = statement;
      } else if (name.equals("rate-limit")) {
        options.put(name, rateLimit(statement));
      } else if (name.equals("min-transfer-rate-in")) {
        minTransferRate(statement, options);
      } else if (SOURCE_OPTIONS.contains(name)) {
        source(statement, options);
      } else if (name.equals("masterfile-format")) {
        masterfileFormat(statement);
      } else if (name.equals("pid-file")) {
        // named's own file: a node beside named during a migration must not overwrite it.
        note(statement, "not converted: named's pid file; set pid-file to one of vxdns's own");
      } else if (name.equals("check-names")) {
        checkNames(statement);
      } else if (name.equals("cookie-secret")) {
        // One statement per secret, the first making cookies: a list, in order.
        JsonArray secrets = options.getJsonArray(name, new JsonArray());
        options.put(name, secrets.add(statement.word(1)));
      } else if (name.equals("minimal-any")) {
        note(
            statement,
            "not converted: vxdns answers ANY with one RRset (RFC 8482) whatever it says");
      } else if (RESOLVER_ONLY.contains(name)) {
        note(statement, "dropped: vxdns is authoritative only (no recursion, no validation)");
      } else if (PORT_OPTIONS.contains(name)) {
        // applied to the listeners
      } else if (scalarOptions.contains(name)
          && statement.block() == null
          && statement.words().size() == 2) {
        options.put(name, scalar(statement.word(1)));
      } else {
        note(statement, "not converted");
      }
    }
    if (!listeners.isEmpty()) {
      options.put("listen-on", listeners);
    }
    if (alsoNotify != null) {
      alsoNotifySources(alsoNotify, options);
    }
  }

  /**
   * {@code check-names primary|secondary|response MODE}, one statement per zone type: the object
   * the zone stage reads; {@code response} is a resolver's and is dropped.
   */
  private void checkNames(Statement statement) {
    String type =
        switch (statement.word(1)) {
          case "primary", "master" -> "primary";
          case "secondary", "slave" -> "secondary";
          default -> null;
        };
    if (type == null) {
      note(statement, "dropped: vxdns is authoritative only (no responses to check)");
      return;
    }
    JsonObject modes = options.getJsonObject("check-names", new JsonObject());
    options.put("check-names", modes.put(type, statement.word(2)));
  }

  /**
   * A number when it is one, else the word (yes/no/explicit/sizes are read as text; a port that is
   * no number stays text, for the validation to name).
   */
  private static Object scalar(String word) {
    if (word.matches("[0-9]{1,9}")) {
      return Integer.parseInt(word);
    }
    return word;
  }

  private JsonObject rateLimit(Statement statement) {
    JsonObject limit = new JsonObject();
    if (statement.block() != null) {
      for (Statement item : statement.block().statements()) {
        if (item.is("exempt-clients")) {
          limit.put(item.name(), list(item.block()));
        } else if (item.block() == null && item.words().size() == 2) {
          limit.put(item.name(), scalar(item.word(1)));
        } else {
          note(item, "not converted (rate-limit)");
        }
      }
    }
    return limit;
  }

  /**
   * {@code transfer-source ADDRESS [port N];} and the like: the address ({@code *} included); a
   * port, deprecated in BIND 9.20, is noted and left to the system.
   */
  private void source(Statement statement, JsonObject into) {
    List<String> words = statement.words();
    boolean port = words.size() == 4 && words.get(2).equals("port");
    if (statement.block() != null || (words.size() != 2 && !port)) {
      note(statement, "not converted: " + statement.name() + " takes an address or *");
      return;
    }
    into.put(statement.name(), words.get(1));
    if (port) {
      note(
          statement, "converted without its port (deprecated in BIND 9.20): the system chooses it");
    }
  }

  /** {@code masterfile-format text;} is what vxdns reads and writes; another format is noted. */
  private void masterfileFormat(Statement statement) {
    if (!(statement.words().size() == 2 && statement.word(1).equals("text"))) {
      note(
          statement,
          "not converted: vxdns reads and writes text master files only (named-compilezone -F"
              + " text converts a raw or map file)");
    }
  }

  /** {@code min-transfer-rate-in BYTES MINUTES;} as {@code {"bytes": B, "minutes": M}}. */
  private void minTransferRate(Statement statement, JsonObject into) {
    if (statement.block() != null || statement.words().size() != 3) {
      note(statement, "not converted: min-transfer-rate-in takes bytes and minutes");
      return;
    }
    into.put(
        statement.name(),
        new JsonObject()
            .put("bytes", scalar(statement.word(1)))
            .put("minutes", scalar(statement.word(2))));
  }

  /**
   * {@code listen-on [port N] [proxy plain|encrypted] [tls NAME] [http NAME] { addresses; };}: one
   * listener per address ({@code any}: the wildcard of the family).
   */
  private void listenOn(Statement statement, JsonArray listeners) {
    boolean v6 = statement.is("listen-on-v6");
    Block addresses = statement.block();
    if (addresses == null) {
      note(statement, "not converted: no address list");
      return;
    }
    for (Statement element : addresses.statements()) {
      List<String> words = element.words();
      if (element.block() != null || words.size() != 1) {
        note(element, "not converted: listen-on takes addresses or any here");
        continue;
      }
      String word = words.get(0).toLowerCase(Locale.ROOT);
      if (word.equals("none")) {
        continue;
      }
      String address;
      if (word.equals("any")) {
        address = v6 ? "::" : "0.0.0.0";
      } else if (word.matches("[0-9a-f.:]+") && !word.contains("/")) {
        address = word;
      } else {
        note(
            element,
            "not converted: listen-on needs a literal address or any (ACL names and prefixes"
                + " select interfaces in BIND)");
        continue;
      }
      listeners.add(listener(address, statement));
    }
  }

  /** A listener for {@code address} with the qualifiers of {@code listenOn} (null: none). */
  private JsonObject listener(String address, Statement listenOn) {
    String tls = listenOn == null ? null : listenOn.wordAfter("tls");
    String http = listenOn == null ? null : listenOn.wordAfter("http");
    String proxy = listenOn == null ? null : listenOn.wordAfter("proxy");
    String port = listenOn == null ? null : listenOn.wordAfter("port");
    if (tls != null && tls.equalsIgnoreCase("none")) {
      tls = null;
    }
    JsonObject listener = new JsonObject().put("address", address);
    String transportName;
    String portOption;
    int defaultPort;
    if (http != null) {
      transportName = tls == null ? "h2c" : "doh";
      portOption = tls == null ? "http-port" : "https-port";
      defaultPort = tls == null ? 80 : 443;
    } else if (tls != null) {
      transportName = "dot";
      portOption = "tls-port";
      defaultPort = 853;
    } else {
      transportName = null;
      portOption = "port";
      defaultPort = 53;
    }
    if (port == null && optionsBlock != null) {
      port = optionsBlock.first(portOption).map(s -> s.word(1)).orElse(null);
    }
    listener.put("port", port == null ? defaultPort : scalar(port));
    listener.put(
        "transport", transportName == null ? new JsonArray().add("udp").add("tcp") : transportName);
    if (tls != null) {
      if (!tls.equals("ephemeral") && !tlsNames.contains(tls)) {
        note(listenOn, "names tls " + tls + ", which is not defined");
      }
      listener.put("tls", tls);
    }
    if (http != null && !http.equals("default")) {
      listener.put("http", http);
    }
    if (proxy != null) {
      listener.put("proxy", proxy.toLowerCase(Locale.ROOT));
    }
    return listener;
  }

  private void tls(Statement statement) {
    String name = statement.word(1);
    if (name.equals("ephemeral") || name.equals("none")) {
      note(statement, "not converted: " + name + " is a reserved name");
      return;
    }
    JsonObject entry = new JsonObject();
    for (Statement item :
        statement.block() == null ? List.<Statement>of() : statement.block().statements()) {
      if (item.is("cert-file") || item.is("key-file")) {
        entry.put(item.name(), item.word(1));
      } else if (item.is("protocols") && item.block() != null) {
        JsonArray protocols = new JsonArray();
        item.block().statements().forEach(protocol -> protocols.add(protocol.word(0)));
        entry.put("protocols", protocols);
      } else {
        note(item, "not converted (tls " + name + "): vxdns uses the JDK's TLS defaults");
      }
    }
    object("tls").put(name, entry);
  }

  private void http(Statement statement) {
    String name = statement.word(1);
    if (name.equals("default")) {
      note(statement, "not converted: default is BIND's and vxdns's built-in /dns-query endpoint");
      return;
    }
    JsonObject entry = new JsonObject();
    for (Statement item :
        statement.block() == null ? List.<Statement>of() : statement.block().statements()) {
      if (item.is("endpoints") && item.block() != null) {
        JsonArray endpoints = new JsonArray();
        item.block().statements().forEach(endpoint -> endpoints.add(endpoint.word(0)));
        entry.put("endpoints", endpoints);
      } else if ((item.is("listener-clients") || item.is("streams-per-connection"))
          && item.words().size() == 2) {
        String option =
            item.is("listener-clients") ? "http-listener-clients" : "http-streams-per-connection";
        options.put(option, scalar(item.word(1)));
        note(item, "converted to options." + option + " (per node in vxdns, per endpoint in BIND)");
      } else {
        note(item, "not converted (http " + name + ")");
      }
    }
    object("http").put(name, entry);
  }

  private void key(Statement statement) {
    Block body = statement.block();
    String algorithm = body == null ? "" : body.first("algorithm").map(s -> s.word(1)).orElse("");
    String secret = body == null ? "" : body.first("secret").map(s -> s.word(1)).orElse("");
    if (algorithm.isEmpty() || secret.isEmpty()) {
      note(statement, "not converted: a key needs an algorithm and a secret");
      return;
    }
    object("key")
        .put(
            absolute(statement.word(1)),
            new JsonObject()
                .put("algorithm", algorithm.toLowerCase(Locale.ROOT))
                .put("secret", secret));
  }

  /** A key name as vxdns writes it: absolute, as BIND reads it. */
  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  /**
   * {@code statistics-channels { inet ADDRESS [port N] [allow { ... }]; };}: vxdns's channels serve
   * Prometheus metrics ({@code /metrics}, {@code /health}, {@code /ready}), not named's XML and
   * JSON statistics; named's default port is 80, {@code *} is every IPv4 address.
   */
  private void statisticsChannels(Statement statement) {
    if (statement.block() == null) {
      note(statement, "not converted: no channels");
      return;
    }
    JsonArray channels = config.getJsonArray("statistics-channels", new JsonArray());
    for (Statement channel : statement.block().statements()) {
      if (!channel.is("inet")) {
        note(channel, "not converted: only inet statistics channels");
        continue;
      }
      channels.add(inetChannel(channel, 80));
      note(
          channel,
          "converted: vxdns serves Prometheus metrics there (/metrics, /health, /ready), not"
              + " named's XML or JSON statistics");
    }
    if (!channels.isEmpty()) {
      config.put("statistics-channels", channels);
    }
  }

  /**
   * {@code inet ADDRESS [port N] [allow { ... }]} (controls, statistics-channels): {@code *} is
   * every IPv4 address, {@code defaultPort} named's for the channel.
   */
  private JsonObject inetChannel(Statement channel, int defaultPort) {
    String address = channel.word(1);
    String port = channel.wordAfter("port");
    JsonObject converted =
        new JsonObject()
            .put("address", address.equals("*") ? "0.0.0.0" : address)
            .put("port", port == null ? defaultPort : scalar(port));
    Block allow = channel.blockAfter("allow");
    if (allow != null) {
      converted.put("allow", list(allow));
    }
    return converted;
  }

  /**
   * {@code controls { inet ADDR [port N] allow { ... } [keys { K; }]; };}: vxdns's channel needs a
   * key (BIND's default, rndc.key, is not read).
   */
  private void controls(Statement statement) {
    if (statement.block() == null) {
      return;
    }
    for (Statement channel : statement.block().statements()) {
      if (!channel.is("inet")) {
        note(channel, "not converted: only inet control channels");
        continue;
      }
      Block keys = channel.blockAfter("keys");
      if (keys == null || keys.statements().isEmpty()) {
        note(
            channel,
            "not converted: vxdns needs a key for every control channel (BIND would read"
                + " rndc.key); add keys { NAME; }");
        continue;
      }
      JsonObject control = inetChannel(channel, 953);
      control.put("key", absolute(keys.statements().get(0).word(0)));
      if (keys.statements().size() > 1) {
        note(channel, "only the first of its keys is converted");
      }
      if (channel.wordAfter("read-only") != null) {
        note(channel, "read-only is not converted");
      }
      if (!config.containsKey("controls")) {
        config.put("controls", new JsonArray());
      }
      config.getJsonArray("controls").add(control);
    }
  }

  private void zone(Statement statement) {
    String name = statement.word(1);
    String zoneClass =
        statement.words().size() > 2 ? statement.word(2).toUpperCase(Locale.ROOT) : "IN";
    Block body = statement.block();
    if (body == null) {
      note(statement, "not converted: no zone body");
      return;
    }
    if (!zoneClass.equals("IN")) {
      note(statement, "not converted: class " + zoneClass + " (vxdns serves class IN)");
      return;
    }
    String type = body.first("type").map(s -> s.word(1).toLowerCase(Locale.ROOT)).orElse("");
    if (type.equals("forward")) {
      forwardZone(statement, name, body);
      return;
    }
    String vxdnsType =
        switch (type) {
          case "primary", "master" -> "primary";
          case "secondary", "slave" -> "secondary";
          default -> null;
        };
    if (vxdnsType == null) {
      note(
          statement,
          "not converted: type " + (type.isEmpty() ? "(none)" : type) + " is not served by vxdns");
      return;
    }
    JsonObject zone = new JsonObject().put("type", vxdnsType);
    List<Statement> serverLists = new ArrayList<>();
    for (Statement item : body.statements()) {
      String key = item.name();
      if (key.equals("type")) {
        continue;
      }
      if (key.equals("file")) {
        zone.put("file", item.word(1));
      } else if (ZONE_LISTS.contains(key)) {
        zone.put(key, list(item.block()));
      } else if (key.equals("update-policy")) {
        if (item.block() == null && item.words().size() == 2 && item.word(1).equals("local")) {
          zone.put(key, SessionKeyOptions.LOCAL_POLICY);
        } else if (item.block() == null) {
          note(item, "not converted: update-policy takes rules or local");
        } else {
          zone.put(key, updatePolicy(item.block()));
        }
      } else if (key.equals("primaries") || key.equals("masters")) {
        zone.put("primaries", primaries(item, 0));
        serverLists.add(item);
      } else if (key.equals("also-notify")) {
        zone.put(key, targets(item));
        serverLists.add(item);
      } else if (key.equals("min-transfer-rate-in")) {
        minTransferRate(item, zone);
      } else if (SOURCE_OPTIONS.contains(key)) {
        source(item, zone);
      } else if (key.equals("masterfile-format")) {
        masterfileFormat(item);
      } else if (scalarZoneKeys.contains(key) && item.block() == null && item.words().size() == 2) {
        zone.put(key, scalar(item.word(1)));
      } else {
        note(item, "not converted (zone " + name + ")");
      }
    }
    // After the zone's own statements: a list's source overrides its transfer- or notify-source.
    for (Statement list : serverLists) {
      if (list.is("also-notify")) {
        alsoNotifySources(list, zone);
      } else {
        listSources(list, zone, "transfer-source");
      }
    }
    object("zone").put(name, zone);
  }

  private JsonArray updatePolicy(Block rules) {
    JsonArray policy = new JsonArray();
    for (Statement rule : rules.statements()) {
      List<String> words = new ArrayList<>(rule.words());
      if (words.size() >= 3 && (rule.is("grant") || rule.is("deny"))) {
        // the identity is a name, absolute as BIND reads it (a key name)
        if (!words.get(1).contains("@") && !words.get(1).startsWith("*")) {
          words.set(1, absolute(words.get(1)));
        }
        policy.add(String.join(" ", words));
      } else {
        note(rule, "not converted: an update-policy rule is grant or deny IDENTITY RULETYPE ...");
      }
    }
    return policy;
  }

  /**
   * A server list's {@code source ADDRESS} and {@code source-v6 ADDRESS} ({@code primaries}, {@code
   * also-notify}): the zone's {@code KEY} and {@code KEY-v6}, which vxdns keeps per zone, and BIND
   * lets a list's source override.
   */
  private void listSources(Statement statement, JsonObject into, String key) {
    listSources(statement, into, key, 0);
  }

  private void listSources(Statement statement, JsonObject into, String key, int depth) {
    if (statement.block() != null && depth < 10) {
      // The lists it names first: its own source, when it has one, wins.
      for (Statement element : statement.block().statements()) {
        Statement named = primariesLists.get(element.word(0));
        if (named != null) {
          listSources(named, into, key, depth + 1);
        }
      }
    }
    for (String family : List.of("", "-v6")) {
      String address = statement.wordAfter("source" + family);
      if (address != null) {
        into.put(key + family, address);
      }
    }
  }

  /** {@code also-notify source ADDRESS { ... };}: vxdns sends every NOTIFY of the zone from it. */
  private void alsoNotifySources(Statement statement, JsonObject into) {
    JsonObject sources = new JsonObject();
    listSources(statement, sources, "notify-source");
    if (!sources.isEmpty()) {
      into.mergeIn(sources);
      note(
          statement,
          "its source is the zone's notify-source: vxdns sends every NOTIFY of the zone from it,"
              + " its NS hosts' too");
    }
  }

  /** Reads {@code server ADDRESS { keys { KEY; }; };}'s key (the first, as named uses). */
  private void serverKey(Statement statement) {
    for (Statement item : statement.block().statements()) {
      if (item.is("keys")) {
        String key =
            item.block() != null && !item.block().statements().isEmpty()
                ? item.block().statements().get(0).word(0)
                : item.words().size() == 2 ? item.word(1) : null;
        // An address or prefix literal only: anything else would be looked up in the DNS.
        if (key != null && statement.word(1).matches("[0-9a-fA-F.:]+(/[0-9]{1,3})?")) {
          serverKeys.put(statement.word(1), absolute(key));
        }
      }
    }
  }

  /**
   * {@code server}: its key is carried onto the primaries and also-notify entries of its address
   * ({@link #serverKeyFor}); the rest is noted.
   */
  private void server(Statement statement) {
    String address = statement.word(1);
    if (statement.block() == null) {
      note(statement, "not converted");
      return;
    }
    for (Statement item : statement.block().statements()) {
      if (item.is("keys") && serverKeys.containsKey(address)) {
        note(
            item,
            "(server "
                + address
                + ") converted onto the primaries and also-notify entries of that address; a"
                + " NOTIFY to an NS host there is not signed");
      } else {
        note(item, "not converted (server " + address + ")");
      }
    }
  }

  /** The key of the {@code server} statement whose address or prefix holds {@code address}. */
  private String serverKeyFor(String address) {
    try {
      byte[] wanted = java.net.InetAddress.getByName(address).getAddress();
      for (Map.Entry<String, String> server : serverKeys.entrySet()) {
        String[] parts = server.getKey().split("/", 2);
        byte[] prefix = java.net.InetAddress.getByName(parts[0]).getAddress();
        int length = parts.length == 2 ? Integer.parseInt(parts[1]) : prefix.length * 8;
        if (prefix.length == wanted.length && samePrefix(prefix, wanted, length)) {
          return server.getValue();
        }
      }
    } catch (java.net.UnknownHostException | NumberFormatException e) {
      return null; // not an address: nothing to match (noted where it is used)
    }
    return null;
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((a[i] & mask) != (b[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** {@code primaries [port N] { ADDR [port N] [key K] [tls T]; LIST; };}, named lists resolved. */
  private JsonArray primaries(Statement statement, int depth) {
    JsonArray out = new JsonArray();
    String defaultPort = statement.wordAfter("port");
    Block block = statement.block();
    if (block == null || depth > 10) {
      note(statement, "not converted: primaries needs a list");
      return out;
    }
    for (Statement element : block.statements()) {
      String first = element.word(0);
      if (primariesLists.containsKey(first)) {
        out.addAll(primaries(primariesLists.get(first), depth + 1));
        continue;
      }
      if (!first.matches("[0-9a-fA-F.:]+")) {
        note(element, "not converted: no primaries list " + first);
        continue;
      }
      JsonObject primary = new JsonObject().put("address", first);
      String port = element.wordAfter("port") != null ? element.wordAfter("port") : defaultPort;
      if (port != null) {
        primary.put("port", scalar(port));
      }
      if (element.wordAfter("key") != null) {
        primary.put("key", absolute(element.wordAfter("key")));
      } else if (serverKeyFor(first) != null) {
        primary.put("key", serverKeyFor(first));
      }
      String tls = element.wordAfter("tls");
      if (tls != null && !tls.equals("none")) {
        primary.put("transport", "tls");
        note(
            element,
            "tls " + tls + ": the primary's certificate is not verified unless ca-file is set");
      }
      out.add(primary);
    }
    return out;
  }

  /**
   * {@code type forward} with its {@code forwarders}: a forward zone whose pool is those servers
   * (over UDP, each element's port or the list's). Not converted without forwarders (named then
   * forwards nothing for the name) or with {@code recursion no} (named forwards only for recursive
   * service); {@code forward first}, named's default, is noted: vxdns does not resolve on its own
   * when the forwarders fail.
   */
  private void forwardZone(Statement statement, String name, Block body) {
    Statement forwarders = body.first("forwarders").orElse(null);
    if (forwarders == null
        || forwarders.block() == null
        || forwarders.block().statements().isEmpty()) {
      note(statement, "not converted: without forwarders named forwards nothing for it");
      return;
    }
    if (!recursion) {
      note(statement, "not converted: with recursion no, named does not forward it either");
      return;
    }
    if (forwarders.wordAfter("tls") != null) {
      note(statement, "not converted: forwarders over TLS (vxdns's dot backends are set by hand)");
      return;
    }
    JsonArray backends = new JsonArray();
    for (Statement element : forwarders.block().statements()) {
      String address = element.word(0);
      if (!address.matches("[0-9a-fA-F.:]+") || element.wordAfter("tls") != null) {
        note(element, "not converted (forwarders: an address, maybe with a port)");
        continue;
      }
      JsonObject backend = new JsonObject().put("address", address);
      String port =
          element.wordAfter("port") != null
              ? element.wordAfter("port")
              : forwarders.wordAfter("port");
      if (port != null) {
        backend.put("port", scalar(port));
      }
      backends.add(backend);
    }
    if (backends.isEmpty()) {
      note(statement, "not converted: no forwarder vxdns can use");
      return;
    }
    String pool = "zone " + name;
    JsonObject pools = object("forward").getJsonObject("pools", new JsonObject());
    object("forward").put("pools", pools.put(pool, new JsonObject().put("backends", backends)));
    object("zone").put(name, new JsonObject().put("type", "forward").put("pool", pool));
    // The zone's forward, else the options' (named's inheritance), else named's default, first.
    Statement forward =
        body.first("forward")
            .or(() -> optionsBlock == null ? Optional.empty() : optionsBlock.first("forward"))
            .orElse(null);
    if (forward == null || !"only".equals(forward.word(1))) {
      note(
          statement,
          "forward first: converted as forward only (vxdns does not resolve when the forwarders"
              + " fail)");
    }
  }

  /** {@code also-notify { ADDR [port N] [key K]; ... };} */
  private JsonArray targets(Statement statement) {
    JsonArray out = new JsonArray();
    if (statement.block() == null) {
      return out;
    }
    for (Statement element : statement.block().statements()) {
      String first = element.word(0);
      if (primariesLists.containsKey(first)) {
        primaries(primariesLists.get(first), 0).forEach(out::add);
        continue;
      }
      if (!first.matches("[0-9a-fA-F.:]+")) {
        note(element, "not converted (also-notify)");
        continue;
      }
      JsonObject target = new JsonObject().put("address", first);
      if (element.wordAfter("port") != null) {
        target.put("port", scalar(element.wordAfter("port")));
      }
      if (element.wordAfter("key") != null) {
        target.put("key", absolute(element.wordAfter("key")));
      } else if (serverKeyFor(first) != null) {
        target.put("key", serverKeyFor(first));
      }
      out.add(target);
    }
    return out;
  }

  /** An address-match list in vxdns's JSON (modules/acl/README.md). */
  private JsonArray list(Block block) {
    JsonArray out = new JsonArray();
    if (block == null) {
      return out;
    }
    for (Statement element : block.statements()) {
      Object converted = element(element);
      if (converted != null) {
        out.add(converted);
      }
    }
    return out;
  }

  private Object element(Statement element) {
    List<NamedConf.Part> parts = element.parts();
    boolean negated = parts.get(0) instanceof Word w && !w.quoted() && w.text().equals("!");
    List<NamedConf.Part> rest = negated ? parts.subList(1, parts.size()) : parts;
    if (rest.isEmpty()) {
      note(element, "not converted: an empty element");
      return null;
    }
    if (rest.size() == 1 && rest.get(0) instanceof Block nested) {
      JsonArray list = list(nested);
      return negated ? new JsonObject().put("!", list) : list;
    }
    List<String> words = new ArrayList<>();
    Block qualified = null;
    for (NamedConf.Part part : rest) {
      if (part instanceof Word w) {
        words.add(w.quoted() && w.text().contains(" ") ? '"' + w.text() + '"' : w.text());
      } else {
        qualified = (Block) part;
      }
    }
    String head = words.get(0).toLowerCase(Locale.ROOT);
    if (qualified != null && (head.equals("port") || head.equals("transport"))) {
      JsonObject object = new JsonObject();
      for (int i = 0; i + 1 < words.size(); i += 2) {
        String qualifier = words.get(i).toLowerCase(Locale.ROOT);
        object.put(
            qualifier, qualifier.equals("port") ? scalar(words.get(i + 1)) : words.get(i + 1));
      }
      object.put("match", list(qualified));
      return negated ? new JsonObject().put("!", new JsonArray().add(object)) : object;
    }
    if (qualified != null) {
      note(element, "not converted: an element with a block");
      return null;
    }
    String text;
    if (head.equals("key") && words.size() == 2) {
      text = "key " + absolute(words.get(1));
    } else {
      text = String.join(" ", words);
    }
    return negated ? "!" + text : text;
  }
}
