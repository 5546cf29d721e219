package dev.vxdns.verticles.node;

import dev.vxdns.config.ConfigException;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.verticles.cluster.Clustering;
import dev.vxdns.verticles.metrics.EventLoopLag;
import dev.vxdns.verticles.transport.NodeTransport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * {@code java -jar vxdns.jar [--config FILE] [--debug]}: validates the configuration, starts a
 * node, and on SIGTERM or SIGINT stops accepting, answers what is in flight and exits 0. The
 * subcommands ({@code tsig-keygen}, {@code tsig-list}, {@code tsig-delete}) are in {@link Tools}.
 *
 * <p>Exit codes: 0 after a clean shutdown, 2 for an invalid command line or configuration, 1 when
 * the node cannot start (a port in use, an unloadable zone), 3 when it did not stop within {@link
 * #SHUTDOWN_LIMIT} of the signal.
 */
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_START_FAILED = 1;
  static final int EXIT_USAGE = 2;

  /** How long the node may take to start, zone loading included. */
  static final int START_TIMEOUT_SECONDS = 600;

  static final int EXIT_STOP_TIMED_OUT = 3;

  /**
   * How long a stop may take from SIGTERM/SIGINT to exit: more than the transports' own drain of
   * queries in flight (5 s), so that a healthy node always stops cleanly within it. Vert.x's
   * undeploy has no limit of its own; a stop that hangs must not keep a process manager waiting.
   */
  static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(10);

  private static final String USAGE =
      "usage: vxdns [--config FILE] [--config-scan-period SECONDS] [--cluster] [--debug] | --version";

  private static final String NETTY_JFR = "io.netty.jfr.enabled";

  private Main() {}

  public static void main(String[] args) {
    // Netty's allocator JFR events: checking the first one loads JFR's metadata, about 50 ms of
    // the first query a node answers. Asking for them (-Dio.netty.jfr.enabled=true) still works.
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
    if (args.length > 0 && Tools.COMMANDS.contains(args[0])) {
      System.exit(new Tools(System.out, System.err).run(List.of(args)));
    }
    configureLogging(List.of(args).contains("--debug"));
    Path configFile = null;
    Duration scanPeriod = ConfigStore.DEFAULT_SCAN_PERIOD;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config":
          if (i + 1 >= args.length) {
            fail(EXIT_USAGE, "--config needs a file");
          }
          configFile = Path.of(args[++i]);
          break;
        case "--config-scan-period":
          if (i + 1 >= args.length || !args[i + 1].matches("[0-9]{1,6}")) {
            fail(EXIT_USAGE, "--config-scan-period needs a number of seconds (0: no scan)");
          }
          scanPeriod = Duration.ofSeconds(Long.parseLong(args[++i]));
          break;
        case "--debug":
          break;
        case "--version":
          System.out.println("vxdns " + dev.vxdns.config.BuildVersion.VERSION);
          System.exit(EXIT_OK);
        case "--cluster":
          cluster = true;
          break;
        case "-h":
        case "--help":
          System.out.println(USAGE);
          System.out.println(Tools.USAGE);
          System.exit(EXIT_OK);
          break;
        default:
          fail(EXIT_USAGE, "unknown argument " + args[i] + " (" + USAGE + ")");
      }
    }
    if (configFile == null) {
      if (cluster) {
        fail(EXIT_USAGE, "--cluster needs --config FILE with a \"cluster\" section");
      }
      run(
          ConfigFiles.extractEmbeddedDefault(embeddedFiles()),
          ConfigFiles.embeddedTlsGeneratedDirectory(),
          null,
          false);
    } else {
      run(configFile, null, scanPeriod, cluster);
    }
  }

  /**
   * @param tlsGenerated where tls "ephemeral" lives; null for tls/generated in the config's
   *     directory
   * @param scanPeriod how often the config store is read again; null: never (the embedded default
   *     is not watched), zero: only on SIGHUP and {@code vxdns reconfig}
   */
  private static void run(
      Path configFile, Path tlsGenerated, Duration scanPeriod, boolean cluster) {
    Path directory = configFile.toAbsolutePath().getParent();
    NodeConfig config = readConfig(configFile, directory, tlsGenerated);
    if (cluster && !config.cluster().present()) {
      fail(EXIT_USAGE, "--cluster needs a \"cluster\" section in " + configFile);
    }
    VertxOptions options = new VertxOptions().setEventLoopPoolSize(config.transport().eventLoops());
    Clustering clustering = cluster ? new Clustering(config.cluster()) : null;
    Vertx vertx;
    try {
      vertx = clustering == null ? newVertx(options) : joinCluster(options, clustering);
    } catch (Exception e) {
      fail(
          EXIT_START_FAILED,
          "cannot join the cluster: "
              + ConfigFiles.oneLine(e instanceof ExecutionException ? e.getCause() : e));
      return;
    }
    JsonObject fileDocument = config.source();
    dev.vxdns.verticles.cluster.SharedConfigStore.Versioned startedOn = null;
    if (clustering != null) {
      startedOn = LiveConfig.versionAtStart(clustering.sharedConfig(), directory);
      if (startedOn != null) {
        try {
          NodeConfig merged =
              LiveConfig.withZoneFiles(
                  NodeConfig.parse(
                      SharedConfig.merge(startedOn.document(), fileDocument),
                      directory,
                      tlsGenerated));
          config.close();
          config = merged;
        } catch (ConfigException e) {
          Logger.getLogger(Main.class.getName())
              .severe(
                  "cluster config version "
                      + startedOn.version()
                      + " does not validate here: "
                      + LiveConfig.invalidMessage(configFile, e)
                      + "; starting on the file alone");
          startedOn = null;
        }
      }
    }
    Node node;
    try {
      // Start-up includes loading the zones: a zone of millions of records on a busy machine
      // takes minutes (60 s was not enough for 1M records under load), hence the generous bound.
      node =
          (clustering == null
                  ? Node.start(vertx, config)
                  : Node.start(vertx, config, clustering.zoneLog(), clustering::sharedKeys))
              .compose(
                  started ->
                      clustering == null
                          ? Future.succeededFuture(started)
                          : clustering
                              .serveHealth(vertx, primaryZones(started.config()))
                              .compose(health -> clustering.serveStats(vertx))
                              .map(consumer -> started))
              .toCompletionStage()
              .toCompletableFuture()
              .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      fail(
          EXIT_START_FAILED,
          "cannot start: "
              + ConfigFiles.oneLine(
                  e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e));
      return;
    }
    PidFile pidFile = node.config().pidFile();
    try {
      pidFile.write();
    } catch (java.io.IOException e) {
      node.stop().eventually(vertx::close);
      fail(EXIT_START_FAILED, "cannot start: " + ConfigFiles.oneLine(e));
      return;
    }
    CompletableFuture<Future<Void>> stopping = new CompletableFuture<>();
    // Signals are handled one at a time on the JVM's signal thread: a second one does not stop
    // again.
    Runnable shutdown =
        () -> {
          if (!stopping.isDone()) {
            stopping.complete(
                node.stop()
                    .eventually(vertx::close)
                    .onComplete(
                        closed -> {
                          pidFile.remove();
                          if (clustering != null) {
                            clustering.close();
                          }
                        }));
          }
        };
    onSignal("TERM", shutdown);
    onSignal("INT", shutdown);
    if (scanPeriod != null) {
      LiveConfig live =
          LiveConfig.start(
                  node,
                  configFile,
                  tlsGenerated,
                  scanPeriod,
                  ConfigOverrides.ofProcess(),
                  clustering == null ? null : clustering.sharedConfig(),
                  startedOn,
                  fileDocument)
              .toCompletionStage()
              .toCompletableFuture()
              .join();
      // The reload runs on the node's Vert.x; the signal thread only asks for it.
      sun.misc.SignalHandler before =
          sun.misc.Signal.handle(
              new sun.misc.Signal("HUP"),
              signal -> {
                Logger.getLogger(Main.class.getName()).info("SIGHUP: reloading the configuration");
                live.reload("SIGHUP");
              });
      if (before == sun.misc.SignalHandler.SIG_IGN) {
        // The JVM leaves a signal ignored when it was ignored at launch (nohup, some supervisors).
        Logger.getLogger(Main.class.getName())
            .warning(
                "SIGHUP is ignored by this process (started under nohup?): kill -HUP will not"
                    + " reload; use vxdns reconfig or the config scan");
      }
    }
    Logger.getLogger(Main.class.getName())
        .info(
            "vxdns started from "
                + configFile
                + " ("
                + config.zone().zones().size()
                + " zones, "
                + config.transport().listeners().size()
                + " listeners"
                + (startedOn == null ? "" : ", cluster config version " + startedOn.version())
                + ")");
    System.exit(awaitStop(stopping.join(), SHUTDOWN_LIMIT));
  }

  /**
   * Waits for a stop at most {@code limit} on the calling thread (not on a Vert.x timer: a stop
   * that hangs may be one whose event loops are stuck); the exit status: {@link #EXIT_OK} once it
   * is done (a stop that failed is logged, there is nothing left to undo), {@link
   * #EXIT_STOP_TIMED_OUT} after {@code limit}.
   */
  static int awaitStop(Future<?> stop, Duration limit) {
    Logger log = Logger.getLogger(Main.class.getName());
    try {
      stop.toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return EXIT_OK;
    } catch (TimeoutException hung) {
      log.severe("the node did not stop within " + limit.toSeconds() + " s; exiting anyway");
      return EXIT_STOP_TIMED_OUT;
    } catch (ExecutionException failed) {
      log.warning("stopping failed: " + ConfigFiles.oneLine(failed.getCause()));
      return EXIT_OK;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return EXIT_STOP_TIMED_OUT;
    }
  }

  /**
   * The node's Vert.x: the native transport when available, wrapped so that DoT, DoH and h2c
   * listeners can take PROXY headers that Vert.x's servers would not see ({@link NodeTransport}).
   */
  public static Vertx newVertx(VertxOptions options) {
    PrometheusMeterRegistry registry = NodeMetrics.newRegistry();
    Vertx vertx =
        Vertx.builder()
            .with(options.setMetricsOptions(vertxMetrics()))
            .withTransport(NodeTransport.preferNative())
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    NodeMetrics.install(vertx, registry);
    EventLoopLag.start(vertx, registry);
    return vertx;
  }

  /**
   * Vert.x's own metrics into the node's registry (pools, verticles, clients, the JVM), but not
   * those it would record per query or per packet: the node's own series count queries once, on the
   * transport's event loop, without Vert.x's per-socket and per-message meters.
   */
  private static MicrometerMetricsOptions vertxMetrics() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
  }

  /**
   * The node's Vert.x as a member of the cluster: Hazelcast joined with the member list, the event
   * bus over TLS.
   */
  private static Vertx joinCluster(VertxOptions options, Clustering clustering)
      throws InterruptedException, ExecutionException, TimeoutException {
    options.setEventBusOptions(Clustering.eventBusOptions(clustering.settings()));
    return Vertx.builder()
        .with(options)
        .withClusterManager(clustering.manager())
        .withTransport(NodeTransport.preferNative())
        .buildClustered()
        .toCompletionStage()
        .toCompletableFuture()
        .get(120, TimeUnit.SECONDS);
  }

  private static List<org.xbill.DNS.Name> primaryZones(NodeConfig config) {
    return config.zone().zones().stream()
        .filter(zone -> zone.type() == dev.vxdns.verticles.zone.ZoneConfig.ZoneType.PRIMARY)
        .map(zone -> org.xbill.DNS.Name.fromConstantString(zone.name()))
        .toList();
  }

  /**
   * Reads and validates the config on a short-lived Vert.x, before the real one is sized from it.
   */
  private static NodeConfig readConfig(Path configFile, Path directory, Path tlsGenerated) {
    try {
      return load(configFile, directory, tlsGenerated);
    } catch (java.util.concurrent.ExecutionException | ConfigException e) {
      fail(EXIT_USAGE, LiveConfig.invalidMessage(configFile, e));
    } catch (Exception e) {
      fail(EXIT_USAGE, "cannot read configuration " + configFile + ": " + e);
    }
    throw new IllegalStateException("unreachable");
  }

  /**
   * The configuration a node started on {@code configFile} would run: the same store, includes,
   * overrides and validation as a reload ({@link LiveConfig}), and the modes of the files holding
   * secrets ({@link KeyFileModes}). Also {@code vxdns checkconf}'s check.
   */
  static NodeConfig load(Path configFile, Path directory, Path tlsGenerated) throws Exception {
    Vertx bootstrap = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      ConfigStore store = new ConfigStore(bootstrap, configFile, ConfigOverrides.ofProcess());
      JsonObject json;
      try {
        json = store.read().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } finally {
        store.close();
      }
      NodeConfig config = NodeConfig.parse(json, directory, tlsGenerated);
      try {
        KeyFileModes.check(
            new JsonObject(java.nio.file.Files.readString(configFile)), directory, config);
      } catch (ConfigException e) {
        config.close();
        throw e;
      }
      return config;
    } finally {
      bootstrap.close();
    }
  }

  /**
   * SIGTERM/SIGINT run a graceful shutdown instead of the JVM's default exit with status 143/130.
   */
  @SuppressWarnings("removal")
  private static void onSignal(String name, Runnable action) {
    sun.misc.Signal.handle(
        new sun.misc.Signal(name),
        signal -> {
          Logger.getLogger(Main.class.getName()).info("SIG" + name + ": stopping");
          action.run();
        });
  }

  private static List<String> embeddedFiles() {
    InputStream index =
        Main.class.getClassLoader().getResourceAsStream(ConfigFiles.EMBEDDED + "files.txt");
    if (index == null) {
      fail(EXIT_START_FAILED, "the jar has no embedded default configuration; use --config FILE");
    }
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8))) {
      return reader
          .lines()
          .map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .collect(Collectors.toList());
    } catch (IOException e) {
      fail(EXIT_START_FAILED, "cannot read the embedded file list: " + e);
      return List.of();
    }
  }

  private static void configureLogging(boolean debug) {
    if (System.getProperty("java.util.logging.config.file") == null) {
      try (InputStream in =
          Main.class.getClassLoader().getResourceAsStream("vxdns-logging.properties")) {
        if (in != null) {
          LogManager.getLogManager().readConfiguration(in);
        }
      } catch (IOException e) {
        System.err.println("vxdns: cannot read the logging configuration: " + e);
      }
    }
    if (debug) {
      Logger.getLogger("dev.vxdns").setLevel(Level.FINE);
      Logger.getLogger("").getHandlers()[0].setLevel(Level.FINE);
    }
  }

  private static void fail(int status, String message) {
    System.err.println("vxdns: " + message);
    System.exit(status);
  }
}
