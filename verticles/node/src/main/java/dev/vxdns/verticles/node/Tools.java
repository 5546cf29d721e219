package dev.vxdns.verticles.node;

import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigKeys;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The subcommands of {@code bin/vxdns}: BIND's tsig-keygen, and the rndc-like key commands that
 * talk to a running node's control channel ({@code controls}).
 *
 * <pre>
 * vxdns tsig-keygen [-a ALGORITHM] [NAME]
 * vxdns tsig-list   [--server HOST:PORT | --config FILE]
 * vxdns tsig-delete NAME [--server HOST:PORT | --config FILE]
 * </pre>
 */
final class Tools {
  static final List<String> COMMANDS = List.of("tsig-keygen", "tsig-list", "tsig-delete");
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
        default:
          return usage("unknown command " + args.get(0));
      }
    } catch (IllegalArgumentException e) {
      return usage(e.getMessage());
    } catch (IOException e) {
      err.println("vxdns: " + e.getMessage());
      return Main.EXIT_START_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_START_FAILED;
    }
  }

  private int keygen(List<String> args) {
    String algorithm = TsigKeys.DEFAULT_ALGORITHM;
    String name = TsigKeys.DEFAULT_NAME;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("-a") && i + 1 < args.size()) {
        algorithm = args.get(++i);
      } else if (args.get(i).startsWith("-")) {
        throw new IllegalArgumentException("unknown option " + args.get(i));
      } else {
        name = args.get(i);
      }
    }
    TsigKey key = TsigKeys.generate(name, algorithm, new SecureRandom());
    out.println("# vxdns config (add to \"key\", or put in a file named by \"include\"):");
    out.println(TsigKeys.toJson(key));
    out.println("# BIND named.conf, dig -k, nsupdate -k:");
    out.print(TsigKeys.toBindConf(key));
    return Main.EXIT_OK;
  }

  private int list(List<String> args) throws IOException, InterruptedException {
    HttpResponse<String> response = send("GET", server(args, new ArrayList<>()), "/keys");
    if (response.statusCode() != 200) {
      return failed(response);
    }
    JsonArray keys = new JsonArray(response.body());
    for (int i = 0; i < keys.size(); i++) {
      JsonObject key = keys.getJsonObject(i);
      String expires = key.getString("expires");
      out.println(key.getString("name") + " " + key.getString("algorithm") + " " + key.getString("origin")
          + (expires == null ? "" : " expires " + expires));
    }
    return Main.EXIT_OK;
  }

  private int delete(List<String> args) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    String server = server(args, names);
    if (names.size() != 1) {
      throw new IllegalArgumentException("tsig-delete takes one key name");
    }
    String name = names.get(0).endsWith(".") ? names.get(0) : names.get(0) + ".";
    HttpResponse<String> response = send("DELETE", server, "/keys/" + URLEncoder.encode(name, StandardCharsets.UTF_8));
    if (response.statusCode() != 204) {
      return failed(response);
    }
    out.println("deleted " + name);
    return Main.EXIT_OK;
  }

  /** The control channel to talk to: --server, the first of --config's controls, or BIND's default. */
  private static String server(List<String> args, List<String> rest) throws IOException {
    String server = DEFAULT_SERVER;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--server") && i + 1 < args.size()) {
        server = args.get(++i);
      } else if (args.get(i).equals("--config") && i + 1 < args.size()) {
        server = controlOf(Path.of(args.get(++i)));
      } else if (args.get(i).startsWith("-")) {
        throw new IllegalArgumentException("unknown option " + args.get(i));
      } else {
        rest.add(args.get(i));
      }
    }
    return server;
  }

  private static String controlOf(Path config) throws IOException {
    JsonArray controls = new JsonObject(Files.readString(config)).getJsonArray("controls");
    if (controls == null || controls.isEmpty()) {
      throw new IllegalArgumentException(config + " has no \"controls\": the node has no control channel");
    }
    JsonObject control = controls.getJsonObject(0);
    String address = control.getString("address");
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + control.getInteger("port", 953);
  }

  private static HttpResponse<String> send(String method, String server, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
          .send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("no control channel at " + server + " (is the node running with \"controls\"?)", e);
    }
  }

  private int failed(HttpResponse<String> response) {
    err.println("vxdns: " + response.statusCode() + " " + response.body().strip());
    return Main.EXIT_START_FAILED;
  }

  private int usage(String problem) {
    err.println("vxdns: " + problem);
    err.println("usage: vxdns tsig-keygen [-a ALGORITHM] [NAME]");
    err.println("       vxdns tsig-list [--server HOST:PORT | --config FILE]");
    err.println("       vxdns tsig-delete NAME [--server HOST:PORT | --config FILE]");
    return Main.EXIT_USAGE;
  }
}
