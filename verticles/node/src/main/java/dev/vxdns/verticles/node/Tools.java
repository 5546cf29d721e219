package dev.vxdns.verticles.node;

import dev.vxdns.auth.ControlMac;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigKeys;
import dev.vxdns.verticles.admin.AdminSettings;
import dev.vxdns.verticles.admin.ControlConfig;
import dev.vxdns.verticles.zone.ZoneConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The subcommands of {@code bin/vxdns}: BIND's tsig-keygen, and the rndc-like key commands that
 * talk to a running node's control channel ({@code controls}).
 *
 * <pre>
 * vxdns tsig-keygen [-a ALGORITHM] [--file FILE] [NAME]
 * vxdns tsig-list   --config FILE [--server HOST:PORT]
 * vxdns tsig-delete NAME --config FILE [--server HOST:PORT]
 * vxdns zone-sync [ZONE] --config FILE [--server HOST:PORT]
 * vxdns zone-status|zone-refresh|zone-retransfer|zone-notify|zone-freeze|zone-thaw ZONE
 *       --config FILE [--server HOST:PORT]
 * vxdns reconfig --config FILE [--server HOST:PORT]
 * vxdns push-config SHARED-FILE --config FILE [--server HOST:PORT]
 * vxdns deployments --config FILE [--server HOST:PORT]
 * vxdns redeploy NAME [--instances N] --config FILE [--server HOST:PORT]
 * vxdns querylog [on|off] --config FILE [--server HOST:PORT]
 * vxdns progress --config FILE [--server HOST:PORT]
 * vxdns acl-check --config FILE --acl NAME --source IP [--dest IP] [--key NAME] [--ecs PREFIX]
 *                 [--port N] [--transport udp|tcp|dot|doh]
 * vxdns checkzone ZONE FILE
 * vxdns checkconf [-z] FILE
 * </pre>
 */
final class Tools {
  static final List<String> COMMANDS =
      List.of(
          "tsig-keygen",
          "tsig-list",
          "tsig-delete",
          "zone-sync",
          "zone-status",
          "zone-refresh",
          "zone-retransfer",
          "zone-notify",
          "zone-freeze",
          "zone-thaw",
          "acl-check",
          "reconfig",
          "deployments",
          "redeploy",
          "checkzone",
          "querylog",
          "progress",
          "dig",
          "checkconf",
          "import-named",
          "cluster-status",
          "cluster-stats",
          "push-config");
  private static final String DEFAULT_SERVER = "127.0.0.1:953";

  private final PrintStream out;
  private final PrintStream err;

  Tools(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs a subcommand; the process exit status. */
  int run(List<String> args) {
    try {
      switch (args.get(0)) {
        case "tsig-keygen":
          return keygen(args.subList(1, args.size()));
        case "tsig-list":
          return list(args.subList(1, args.size()));
        case "tsig-delete":
          return delete(args.subList(1, args.size()));
        case "zone-sync":
          return zoneSync(args.subList(1, args.size()));
        case "zone-status":
        case "zone-refresh":
        case "zone-retransfer":
        case "zone-notify":
        case "zone-freeze":
        case "zone-thaw":
          return zoneControl(args.get(0).substring("zone-".length()), args.subList(1, args.size()));
        case "acl-check":
          return aclCheck(args.subList(1, args.size()));
        case "reconfig":
          return reconfig(args.subList(1, args.size()));
        case "deployments":
          return deployments(args.subList(1, args.size()));
        case "redeploy":
          return redeploy(args.subList(1, args.size()));
        case "checkzone":
          return checkzone(args.subList(1, args.size()));
        case "querylog":
          return querylog(args.subList(1, args.size()));
        case "progress":
          return progress(args.subList(1, args.size()));
        case "dig":
          return new dev.vxdns.client.Dig(out, err).run(args.subList(1, args.size()));
        case "checkconf":
          return checkconf(args.subList(1, args.size()));
        case "import-named":
          return new NamedImportCommand(out, err).run(args.subList(1, args.size()));
        case "cluster-status":
          return clusterGet(args.subList(1, args.size()), "/cluster");
        case "cluster-stats":
          return clusterGet(args.subList(1, args.size()), "/cluster/stats");
        case "push-config":
          return pushConfig(args.subList(1, args.size()));
        default:
          return usage("unknown command " + args.get(0));
      }
    } catch (IllegalArgumentException e) {
      // NumberFormatException is one too: a bad --port or ECS length
      return usage(e.getMessage());
    } catch (IOException e) {
      err.println("vxdns: " + e.getMessage());
      return Main.EXIT_START_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_START_FAILED;
    }
  }

  /**
   * Validates a configuration as a node starting on it would, without starting (BIND's
   * named-checkconf): silent with status 0 when it is valid, the problem with its key path and
   * status 1 when not. With {@code -z}, as {@code named-checkconf -z}, it then loads the file of
   * every primary zone and reports each as {@link #checkzone} does, status 1 if any did not load.
   */
  private int checkconf(List<String> args) {
    boolean loadZones = !args.isEmpty() && args.get(0).equals("-z");
    List<String> files = loadZones ? args.subList(1, args.size()) : args;
    if (files.size() != 1 || files.get(0).startsWith("-")) {
      throw new IllegalArgumentException("checkconf takes [-z] and one configuration file");
    }
    Path file = Path.of(files.get(0));
    Path directory = file.toAbsolutePath().getParent();
    try (NodeConfig config = LiveConfig.withZoneFiles(Main.load(file, directory, null))) {
      if (!loadZones) {
        return Main.EXIT_OK;
      }
      int status = Main.EXIT_OK;
      for (ZoneConfig zone : config.zone().zones()) {
        if (zone.type() != ZoneConfig.ZoneType.PRIMARY || zone.file() == null) {
          continue;
        }
        org.xbill.DNS.Name origin =
            org.xbill.DNS.Name.fromString(zone.name(), org.xbill.DNS.Name.root);
        if (!loadZone(origin, zone.file(), zone.rules())) {
          status = 1;
        }
      }
      return status;
    } catch (Exception e) {
      err.println("vxdns checkconf: " + LiveConfig.invalidMessage(file, e));
      return Main.EXIT_START_FAILED;
    }
  }

  private int keygen(List<String> args) throws IOException {
    String algorithm = TsigKeys.DEFAULT_ALGORITHM;
    String name = TsigKeys.DEFAULT_NAME;
    Path file = null;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("-a") && i + 1 < args.size()) {
        algorithm = args.get(++i);
      } else if (args.get(i).equals("--file") && i + 1 < args.size()) {
        file = Path.of(args.get(++i));
      } else if (args.get(i).startsWith("-")) {
        throw new IllegalArgumentException("unknown option " + args.get(i));
      } else {
        name = args.get(i);
      }
    }
    TsigKey key = TsigKeys.generate(name, algorithm, new SecureRandom());
    if (file != null) {
      // As rndc-confgen -a writes rndc.key: readable by its owner only, from its first byte.
      Files.writeString(
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
          TsigKeys.toJson(key) + "\n");
      out.println("wrote key " + key.name() + " to " + file + " (mode 0600)");
      return Main.EXIT_OK;
    }
    out.println("# vxdns config (add to \"key\", or put in a file named by \"include\"):");
    out.println(TsigKeys.toJson(key));
    out.println("# BIND named.conf, dig -k, nsupdate -k:");
    out.print(TsigKeys.toBindConf(key));
    return Main.EXIT_OK;
  }

  private int list(List<String> args) throws IOException, InterruptedException {
    HttpResponse<String> response = send("GET", channel(args, new ArrayList<>()), "/keys");
    if (response.statusCode() != 200) {
      return failed(response);
    }
    JsonArray keys = new JsonArray(response.body());
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i);
      String expires = key.getString("expires");
      out.println(
          key.getString("name")
              + " "
              + key.getString("algorithm")
              + " "
              + key.getString("origin")
              + (expires == null ? "" : " expires " + expires));
    }
    return Main.EXIT_OK;
  }

  private int delete(List<String> args) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    Channel channel = channel(args, names);
    if (names.size() != 1) {
      throw new IllegalArgumentException("tsig-delete takes one key name");
    }
    String name = names.get(0).endsWith(".") ? names.get(0) : names.get(0) + ".";
    HttpResponse<String> response =
        send("DELETE", channel, "/keys/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    if (response.statusCode() != 204) {
      return failed(response);
    }
    out.println("deleted " + name);
    return Main.EXIT_OK;
  }

  /**
   * Writes one zone, or every zone, to its file (folding a primary's journal in), like {@code rndc
   * sync}.
   */
  private int zoneSync(List<String> args) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    Channel channel = channel(args, names);
    if (names.size() > 1) {
      throw new IllegalArgumentException("zone-sync takes at most one zone name");
    }
    String query =
        names.isEmpty() ? "" : "?zone=" + URLEncoder.encode(names.get(0), StandardCharsets.UTF_8);
    HttpResponse<String> response = send("POST", channel, "/zones/sync" + query);
    if (response.statusCode() != 200) {
      return failed(response);
    }
    JsonArray synced = new JsonArray(response.body());
    for (int i = 0; i < synced.size(); i++) {
      out.println("synced " + synced.getString(i));
    }
    return Main.EXIT_OK;
  }

  /**
   * named's {@code rndc zonestatus}, {@code refresh}, {@code retransfer}, {@code notify}, {@code
   * freeze} and {@code thaw} for one zone ({@code op}: status, refresh, ...): the status as {@code
   * key: value} lines, or named's words for what was queued ("zone refresh queued"); a zone the
   * node does not serve, or an operation its type has not, fails with the node's reason.
   */
  private int zoneControl(String op, List<String> args) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    Channel channel = channel(args, names);
    if (names.size() != 1) {
      throw new IllegalArgumentException("zone-" + op + " takes one zone name");
    }
    String path = "/zones/" + URLEncoder.encode(names.get(0), StandardCharsets.UTF_8) + "/" + op;
    HttpResponse<String> response = send(op.equals("status") ? "GET" : "POST", channel, path);
    if (response.statusCode() != 200) {
      return failed(response);
    }
    JsonObject reply = new JsonObject(response.body());
    if (!op.equals("status")) {
      out.println(reply.getString("result"));
      return Main.EXIT_OK;
    }
    for (String key : reply.fieldNames()) {
      Object value = reply.getValue(key);
      if (value instanceof JsonArray list) {
        value = String.join(", ", list.stream().map(String::valueOf).toList());
      }
      out.println(key + ": " + (value == null ? "none" : value));
    }
    return Main.EXIT_OK;
  }

  /**
   * Makes the node read its config store again and apply what changed; prints what changed, or the
   * validation error (exit 1: the node keeps its running configuration).
   */
  private int reconfig(List<String> args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>();
    Channel channel = channel(args, rest);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("reconfig takes no arguments");
    }
    HttpResponse<String> response = send("POST", channel, "/config/reload");
    if (response.statusCode() != 200) {
      return failed(response);
    }
    printReport(new JsonObject(response.body()));
    return Main.EXIT_OK;
  }

  /** What a reload or push changed, and on a clustered node the config version it runs. */
  private void printReport(JsonObject report) {
    JsonArray changes = report.getJsonArray("changes", new JsonArray());
    if (changes.isEmpty()) {
      out.println("configuration unchanged");
    }
    for (int i = 0; i < changes.size(); i++) {
      out.println(changes.getString(i));
    }
    if (report.containsKey("config-version")) {
      out.println("cluster config version " + report.getLong("config-version"));
    }
  }

  /**
   * Pushes the shared part of a configuration to a clustered node, which validates it with its own
   * node-local part and makes it the cluster's next version; every node applies it. The file's
   * {@code include}s are resolved here (they name files on this machine). Prints what changed on
   * that node and the version, or the validation error (exit 1: nothing changed anywhere).
   */
  private int pushConfig(List<String> args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>();
    Channel channel = channel(args, rest);
    if (rest.size() != 1) {
      throw new IllegalArgumentException("push-config takes one file: the shared configuration");
    }
    Path file = Path.of(rest.get(0)).toAbsolutePath();
    JsonObject document;
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      dev.vxdns.config.Includes.Resolved resolved =
          dev.vxdns.config.Includes.resolve(json, file.getParent());
      resolved.warnings().forEach(warning -> err.println("vxdns: " + warning));
      document = resolved.config();
    } catch (dev.vxdns.config.ConfigException | io.vertx.core.json.DecodeException e) {
      err.println("vxdns: invalid configuration " + file + ": " + ConfigFiles.oneLine(e));
      return Main.EXIT_START_FAILED;
    }
    byte[] body =
        new JsonObject()
            .put("file", file.toString())
            .put("document", document)
            .encode()
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response =
        send("POST", channel, "/config/push", body, Duration.ofSeconds(130));
    if (response.statusCode() != 200) {
      return failed(response);
    }
    printReport(new JsonObject(response.body()));
    return Main.EXIT_OK;
  }

  /** Lists what the node runs: name, key, instances, deployment ID. */
  private int deployments(List<String> args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>();
    Channel channel = channel(args, rest);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("deployments takes no arguments");
    }
    HttpResponse<String> response = send("GET", channel, "/deployments");
    if (response.statusCode() != 200) {
      return failed(response);
    }
    printDeployments(new JsonArray(response.body()));
    return Main.EXIT_OK;
  }

  /**
   * Prints a clustered node's health (members, whether it takes updates, the zones' serials) or the
   * whole cluster's counters.
   */
  private int clusterGet(List<String> args, String path) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>();
    Channel channel = channel(args, rest);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("this command takes no arguments");
    }
    HttpResponse<String> response = send("GET", channel, path);
    if (response.statusCode() != 200) {
      return failed(response);
    }
    out.println(new io.vertx.core.json.JsonObject(response.body()).encodePrettily());
    return Main.EXIT_OK;
  }

  /** Replaces a verticle by new instances, then stops the old ones; prints the new deployments. */
  private int redeploy(List<String> args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>();
    String instances = null;
    List<String> channelArgs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--instances") && i + 1 < args.size()) {
        instances = args.get(++i);
        if (!instances.matches("[0-9]{1,4}")) {
          throw new IllegalArgumentException("--instances needs a number");
        }
      } else {
        channelArgs.add(args.get(i));
      }
    }
    Channel channel = channel(channelArgs, rest);
    if (rest.size() != 1) {
      throw new IllegalArgumentException(
          "redeploy takes one name: udp, tcp, dot, doh, h2c, proxy, auth, acl, rrl, zone, admin");
    }
    String path =
        "/deployments/"
            + URLEncoder.encode(rest.get(0), StandardCharsets.UTF_8)
            + "/redeploy"
            + (instances == null ? "" : "?instances=" + instances);
    HttpResponse<String> response = send("POST", channel, path, Duration.ofSeconds(130));
    if (response.statusCode() != 200) {
      return failed(response);
    }
    printDeployments(new JsonArray(response.body()));
    return Main.EXIT_OK;
  }

  /**
   * Switches the query log on or off at run time, like {@code rndc querylog on|off}; without an
   * argument, prints its state.
   */
  private int querylog(List<String> args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>();
    Channel channel = channel(args, rest);
    if (rest.size() > 1 || (rest.size() == 1 && !List.of("on", "off").contains(rest.get(0)))) {
      throw new IllegalArgumentException("querylog takes on, off or nothing");
    }
    HttpResponse<String> response =
        rest.isEmpty()
            ? send("GET", channel, "/querylog")
            : send("POST", channel, "/querylog/" + rest.get(0));
    if (response.statusCode() != 200) {
      return failed(response);
    }
    JsonObject state = new JsonObject(response.body());
    out.println(
        "query log "
            + (state.getBoolean("enabled") ? "on" : "off")
            + " ("
            + state.getString("file")
            + ", "
            + state.getLong("dropped")
            + " dropped)");
    return Main.EXIT_OK;
  }

  /** Lists the long tasks in progress: zone loads and writes, transfers (done/total, rate). */
  private int progress(List<String> args) throws IOException, InterruptedException {
    List<String> rest = new ArrayList<>();
    Channel channel = channel(args, rest);
    if (!rest.isEmpty()) {
      throw new IllegalArgumentException("progress takes no arguments");
    }
    HttpResponse<String> response = send("GET", channel, "/progress");
    if (response.statusCode() != 200) {
      return failed(response);
    }
    JsonArray tasks = new JsonArray(response.body());
    if (tasks.isEmpty()) {
      out.println("nothing in progress");
    }
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject task = tasks.getJsonObject(i);
      long total = task.getLong("total");
      out.println(
          task.getString("kind")
              + " "
              + task.getString("subject")
              + ": "
              + task.getLong("done")
              + (total < 0 ? "" : "/" + total)
              + " records, "
              + task.getLong("rate")
              + "/s, "
              + task.getLong("elapsed-ms") / 1000
              + " s");
    }
    return Main.EXIT_OK;
  }

  private void printDeployments(JsonArray deployments) {
    for (int i = 0; i < deployments.size(); i++) {
      JsonObject deployment = deployments.getJsonObject(i);
      out.println(
          deployment.getString("name")
              + " "
              + deployment.getString("key")
              + " instances="
              + deployment.getInteger("instances")
              + " id="
              + deployment.getString("id")
              + (deployment.getBoolean("draining", false) ? " draining" : ""));
    }
  }

  /**
   * Evaluates one list of a configuration for a made-up request, without sending a query: a named
   * {@code acl}, an option ({@code allow-query}, {@code blackhole}, ...), or a zone's list as
   * {@code zone/NAME/OPTION}. Prints the decision and the element (path) that made it.
   */
  private int aclCheck(List<String> args) throws IOException {
    java.util.Map<String, String> flags = new java.util.HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      if (!List.of(
                  "--config",
                  "--acl",
                  "--source",
                  "--dest",
                  "--key",
                  "--ecs",
                  "--port",
                  "--transport")
              .contains(flag)
          || i + 1 >= args.size()) {
        throw new IllegalArgumentException("acl-check: unknown or incomplete option " + flag);
      }
      flags.put(flag, args.get(++i));
    }
    for (String required : List.of("--config", "--acl", "--source")) {
      if (!flags.containsKey(required)) {
        throw new IllegalArgumentException("acl-check needs " + required);
      }
    }
    Path file = Path.of(flags.get("--config")).toAbsolutePath();
    NodeConfig config;
    try {
      JsonObject json = new JsonObject(Files.readString(file));
      config =
          NodeConfig.parse(
              dev.vxdns.config.Includes.resolve(json, file.getParent()).config(), file.getParent());
    } catch (dev.vxdns.config.ConfigException | io.vertx.core.json.DecodeException e) {
      err.println("vxdns: invalid configuration " + file + ": " + ConfigFiles.oneLine(e));
      return Main.EXIT_USAGE;
    }
    try (config) {
      return aclCheck(config, flags);
    }
  }

  private int aclCheck(NodeConfig config, java.util.Map<String, String> flags) {
    String name = flags.get("--acl");
    dev.vxdns.acl.AddressMatchList list = findList(config, name);
    if (list == null) {
      throw new IllegalArgumentException(
          "no acl, option or zone list named "
              + name
              + " (named acls: "
              + config.namedAcls().keySet()
              + "; options: allow-query, allow-query-on, allow-transfer,"
              + " allow-update, allow-notify, allow-recursion, blackhole; zones: zone/NAME/OPTION)");
    }
    boolean destination = name.endsWith("allow-query-on");
    String address =
        destination ? flags.getOrDefault("--dest", "127.0.0.1") : flags.get("--source");
    dev.vxdns.acl.MatchContext context =
        dev.vxdns.acl.MatchContext.of(literal(address)).withKey(flags.get("--key"));
    if (flags.containsKey("--ecs")) {
      String[] ecs = flags.get("--ecs").split("/", 2);
      int length = ecs.length == 2 ? Integer.parseInt(ecs[1]) : (ecs[0].contains(":") ? 128 : 32);
      context = context.withEcs(literal(ecs[0]), length);
    }
    if (flags.containsKey("--port")) {
      context = context.withPort(Integer.parseInt(flags.get("--port")));
    }
    if (flags.containsKey("--transport")) {
      context = context.withTransport(flags.get("--transport"));
    }
    dev.vxdns.acl.AclDecision decision = list.evaluate(context);
    out.println(name + ": " + decision + (decision.matched() ? "" : " (treated as denied)"));
    return Main.EXIT_OK;
  }

  private static dev.vxdns.acl.AddressMatchList findList(NodeConfig config, String name) {
    if (config.namedAcls().containsKey(name)) {
      return config.namedAcls().get(name);
    }
    if (name.startsWith("zone/")) {
      String[] parts = name.split("/", 3);
      if (parts.length != 3) {
        return null;
      }
      String zoneName = parts[1].endsWith(".") ? parts[1] : parts[1] + ".";
      return config.acl().zones().entrySet().stream()
          .filter(zone -> zone.getKey().equalsIgnoreCase(zoneName))
          .findFirst()
          .map(zone -> config.acl().options().overriddenBy(zone.getValue()).byName(parts[2]))
          .orElse(null);
    }
    return config.acl().options().byName(name);
  }

  private static java.net.InetAddress literal(String address) {
    if (!address.matches("[0-9a-fA-F.:]+")) {
      throw new IllegalArgumentException("'" + address + "' is not an IP address");
    }
    try {
      return java.net.InetAddress.getByName(address);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("'" + address + "' is not an IP address");
    }
  }

  /**
   * A control channel to talk to and the key that signs the requests (null without {@code
   * --config}: the node then answers 401).
   */
  private record Channel(String server, TsigKey key) {}

  /**
   * The control channel: the first of --config's controls, with its key; --server overrides the
   * address; without either, BIND's default.
   */
  private static Channel channel(List<String> args, List<String> rest) throws IOException {
    String server = null;
    Channel configured = new Channel(DEFAULT_SERVER, null);
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--server") && i + 1 < args.size()) {
        server = args.get(++i);
      } else if (args.get(i).equals("--config") && i + 1 < args.size()) {
        configured = controlOf(Path.of(args.get(++i)));
      } else if (args.get(i).startsWith("-")) {
        throw new IllegalArgumentException("unknown option " + args.get(i));
      } else {
        rest.add(args.get(i));
      }
    }
    return server == null ? configured : new Channel(server, configured.key());
  }

  /** The first control channel of a configuration, parsed as the node parses it (key included). */
  private static Channel controlOf(Path file) throws IOException {
    Path config = file.toAbsolutePath();
    ControlConfig control;
    try {
      JsonObject json =
          dev.vxdns.config.Includes.resolve(
                  new JsonObject(Files.readString(config)), config.getParent())
              .config();
      List<ControlConfig> controls =
          dev.vxdns.config.ConfigSource.of(json, config.getParent())
              .parse(AdminSettings.PART)
              .controls();
      if (controls.isEmpty()) {
        throw new IllegalArgumentException(
            config + " has no \"controls\": the node has no control channel");
      }
      control = controls.get(0);
    } catch (dev.vxdns.config.ConfigException | io.vertx.core.json.DecodeException e) {
      throw new IllegalArgumentException(
          "invalid configuration " + config + ": " + ConfigFiles.oneLine(e));
    }
    String address = control.address().getHostAddress();
    return new Channel(
        (address.contains(":") ? "[" + address + "]" : address) + ":" + control.port(),
        control.key());
  }

  /** Sends a request signed with the channel's key ({@link ControlMac}). */
  private static HttpResponse<String> send(String method, Channel channel, String path)
      throws IOException, InterruptedException {
    return send(
        method,
        channel,
        path,
        path.startsWith("/config/") ? Duration.ofSeconds(130) : Duration.ofSeconds(10));
  }

  private static HttpResponse<String> send(
      String method, Channel channel, String path, Duration timeout)
      throws IOException, InterruptedException {
    return send(method, channel, path, new byte[0], timeout);
  }

  /**
   * Sends a request, and a read-only one (GET) again when its connection fails under it: a reload
   * that replaces the admin verticle closes the channel's connections (the JDK's HTTP/2 client then
   * fails the request with "GOAWAY received"), and the new verticle listens a moment later. Each
   * try is signed anew (a nonce is used once). A change (POST, DELETE) is never sent twice.
   */
  private static HttpResponse<String> send(
      String method, Channel channel, String path, byte[] body, Duration timeout)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return sendOnce(method, channel, path, body, timeout);
      } catch (java.net.http.HttpTimeoutException e) {
        throw e;
      } catch (IOException e) {
        if (!method.equals("GET") || attempt == READ_ATTEMPTS) {
          throw e;
        }
        Thread.sleep(READ_RETRY_PAUSE.toMillis());
      }
    }
  }

  private static final int READ_ATTEMPTS = 3;
  private static final Duration READ_RETRY_PAUSE = Duration.ofMillis(500);

  private static HttpResponse<String> sendOnce(
      String method, Channel channel, String path, byte[] body, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + channel.server() + path))
            .timeout(timeout)
            .method(
                method,
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body.length > 0) {
      request.header("Content-Type", "application/json");
    }
    if (channel.key() != null) {
      long now = System.currentTimeMillis() / 1000;
      String nonce = ControlMac.newNonce(new SecureRandom());
      request
          .header(ControlMac.TIME_HEADER, Long.toString(now))
          .header(ControlMac.NONCE_HEADER, nonce)
          .header(
              ControlMac.MAC_HEADER,
              ControlMac.sign(channel.key(), method, path, body, now, nonce));
    }
    try {
      return HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .build()
          .send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException(
          "no control channel at " + channel.server() + " (is the node running with \"controls\"?)",
          e);
    }
  }

  private int failed(HttpResponse<String> response) {
    err.println("vxdns: " + response.statusCode() + " " + response.body().strip());
    return Main.EXIT_START_FAILED;
  }

  /**
   * {@code vxdns checkzone ZONE FILE}, as named-checkzone: loads the file as the zone would be
   * loaded (our parser, then the zone checks), prints {@code zone ZONE/IN: loaded serial N} and
   * {@code OK} (exit 0), or every error as {@code file:line: problem} and {@code zone ZONE/IN: not
   * loaded due to errors.} (exit 1).
   */
  private int checkzone(List<String> args) {
    if (args.size() != 2) {
      throw new IllegalArgumentException("checkzone needs ZONE and FILE");
    }
    org.xbill.DNS.Name origin;
    try {
      origin = org.xbill.DNS.Name.fromString(args.get(0), org.xbill.DNS.Name.root);
    } catch (org.xbill.DNS.TextParseException e) {
      throw new IllegalArgumentException("checkzone: bad zone name " + args.get(0));
    }
    if (!loadZone(origin, Path.of(args.get(1)), dev.vxdns.zone.ZoneRules.CHECKZONE)) {
      return 1;
    }
    out.println("OK");
    return 0;
  }

  /**
   * Loads {@code file} as zone {@code origin} would be loaded under {@code rules} (our parser, then
   * the zone checks): prints each warning (what was left out and names that fail check-names, as
   * named-checkzone), then {@code zone ZONE/IN: loaded serial N}, or every error and {@code zone
   * ZONE/IN: not loaded due to errors.}; whether it loaded.
   */
  private boolean loadZone(org.xbill.DNS.Name origin, Path file, dev.vxdns.zone.ZoneRules rules) {
    String zone = origin.equals(org.xbill.DNS.Name.root) ? "." : origin.toString(true);
    try {
      dev.vxdns.zone.Zone loaded =
          dev.vxdns.zone.ZoneFiles.load(
              file,
              origin,
              rules,
              records -> {},
              dev.vxdns.zone.ZoneFiles.segmentsFor(file),
              out::println);
      dev.vxdns.zone.ZoneFiles.checkAsPrimary(loaded, file, dev.vxdns.zone.ZoneRules.CHECKZONE);
      out.println("zone " + zone + "/IN: loaded serial " + loaded.serial());
      return true;
    } catch (dev.vxdns.zone.ZoneException e) {
      String[] problems = e.getMessage().split("\n");
      for (String problem : problems) {
        out.println(problem);
      }
      out.println(
          "zone " + zone + "/IN: loading from master file " + file + " failed: " + problems[0]);
      out.println("zone " + zone + "/IN: not loaded due to errors.");
      return false;
    }
  }

  /** The tools' usage lines, also part of the launcher's --help. */
  static final String USAGE =
      String.join(
          "\n",
          "       vxdns tsig-keygen [-a ALGORITHM] [--file FILE] [NAME]",
          "       vxdns tsig-list --config FILE [--server HOST:PORT]",
          "       vxdns zone-sync [ZONE] --config FILE [--server HOST:PORT]",
          "       vxdns zone-status|zone-refresh|zone-retransfer|zone-notify|zone-freeze|zone-thaw"
              + " ZONE --config FILE [--server HOST:PORT]",
          "       vxdns tsig-delete NAME --config FILE [--server HOST:PORT]",
          "       vxdns querylog [on|off] --config FILE [--server HOST:PORT]",
          "       vxdns progress --config FILE [--server HOST:PORT]",
          "       vxdns reconfig --config FILE [--server HOST:PORT]",
          "       vxdns deployments --config FILE [--server HOST:PORT]",
          "       vxdns redeploy NAME [--instances N] --config FILE [--server HOST:PORT]",
          "       vxdns cluster-status --config FILE [--server HOST:PORT]",
          "       vxdns cluster-stats --config FILE [--server HOST:PORT]",
          "       vxdns push-config SHARED-FILE --config FILE [--server HOST:PORT]",
          "       vxdns acl-check --config FILE --acl NAME --source IP [--dest IP] [--key NAME] [--ecs PREFIX]",
          "                       [--port N] [--transport udp|tcp|dot|doh]",
          "       vxdns checkzone ZONE FILE",
          "       vxdns checkconf [-z] FILE",
          "       vxdns import-named NAMED.CONF [--output FILE]",
          "       vxdns dig [@SERVER] [-p PORT] [-t TYPE] [-y [ALG:]NAME:SECRET] [-k FILE] NAME [TYPE]",
          "                 [+tcp|+tls|+https[-get]|+http-plain[-get]] [+proxy[=SRC#P-DST#P]|+proxy-plain]",
          "                 [+subnet=ADDR/LEN] [+ednsopt=CODE:HEX] [+tls-ca[=FILE]] [+tls-hostname=NAME] ...");

  private int usage(String problem) {
    err.println("vxdns: " + problem);
    err.println("usage:" + USAGE.substring("      ".length()));
    return Main.EXIT_USAGE;
  }
}
