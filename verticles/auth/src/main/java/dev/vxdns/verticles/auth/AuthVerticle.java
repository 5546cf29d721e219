package dev.vxdns.verticles.auth;

import dev.vxdns.auth.DhGroup;
import dev.vxdns.auth.DhKey;
import dev.vxdns.auth.InMemoryKeyStore;
import dev.vxdns.auth.KeyStore;
import dev.vxdns.auth.ServerCookies;
import dev.vxdns.auth.TkeyServer;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.StageVerticle;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Serves {@link AuthStage} at {@link Addresses#AUTH} with the configured TSIG keys and, when {@code
 * tkey-domain} is set, a TKEY server with its Diffie-Hellman key; and the key store's list/delete
 * requests at {@link Addresses#AUTH_KEYS} (the control channel's {@code /keys}, what {@code vxdns
 * tsig-list} and {@code tsig-delete} use).
 */
public final class AuthVerticle extends StageVerticle {
  private static final System.Logger LOG = System.getLogger(AuthVerticle.class.getName());

  /** How often expired negotiated keys are swept from the store (lookups drop them too). */
  static final long SWEEP_MILLIS = 60_000;

  /** The node's own cookie secret's key in the node's local map at {@link Addresses#AUTH}. */
  private static final String NODE_COOKIE_SECRET = "cookie-secret";

  private final AuthSettings settings;
  private KeyStore keys;
  private WorkerExecutor workers;
  private WorkerExecutor tkeyWorkers;
  private TkeyServer tkeyServer;
  private long sweepTimer = -1;
  private MessageConsumer<JsonObject> keyRequests;
  private Sig0Keys sig0;

  /** Wraps the node's key store: a clustered node shares its TKEY keys (verticles/cluster). */
  private final java.util.function.UnaryOperator<KeyStore> sharing;

  public AuthVerticle(AuthSettings settings) {
    this(settings, java.util.function.UnaryOperator.identity());
  }

  /**
   * @param sharing wraps the node's key store (called on a worker thread: it may read a cluster's
   *     keys); a store that is {@link AutoCloseable} is closed when the verticle stops
   */
  public AuthVerticle(AuthSettings settings, java.util.function.UnaryOperator<KeyStore> sharing) {
    super(Addresses.AUTH, Addresses.STATS_AUTH);
    this.settings = settings;
    this.sharing = sharing;
  }

  @Override
  protected Future<AuthStage> createStage() {
    Clock clock = Clock.systemUTC();
    TkeyOptions tkey = settings.tkey();
    sig0 = sig0(settings.sig0());
    // DH key generation, key files and a cluster's keys are slow and blocking: a worker does them.
    return vertx
        .executeBlocking(
            () -> {
              List<TsigKey> configured = settings.keys();
              if (settings.session().needed()) {
                configured = new java.util.ArrayList<>(configured);
                configured.add(
                    SessionKey.ensure(
                        settings.session(), vertx.sharedData().getLocalMap(Addresses.AUTH)));
              }
              keys = sharing.apply(new InMemoryKeyStore(clock, configured));
              return tkey == null ? null : tkeyServer(tkey, clock);
            })
        .map(
            server ->
                new AuthStage(
                    keys,
                    tkeyWorker(server),
                    sig0,
                    serverCookies(settings.cookies()),
                    settings.cookies() != null && settings.cookies().requireServerCookie(),
                    settings.serverId(),
                    clock,
                    settings.dns(),
                    NodeMetrics.of(vertx).registry()));
  }

  /**
   * The configured cookie secrets, or without them the node's own: made once per node and kept in
   * its local map, so that a redeploy or a reload does not turn every client's cookie bad (a
   * cluster, or an anycast set, configures one secret for all).
   */
  private ServerCookies serverCookies(CookieOptions options) {
    if (options == null) {
      return null;
    }
    List<String> secrets = options.secrets();
    if (secrets.isEmpty()) {
      LocalMap<String, String> node = vertx.sharedData().getLocalMap(Addresses.AUTH);
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      if (node.putIfAbsent(NODE_COOKIE_SECRET, HexFormat.of().formatHex(secret)) == null
          && vertx.isClustered()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "cookie-secret is not set: this node makes DNS cookies no other node accepts, so a"
                + " client a load balancer moves between nodes gets BADCOOKIE once per move; set"
                + " the same cookie-secret on every node");
      }
      secrets = List.of(node.get(NODE_COOKIE_SECRET));
    }
    return new ServerCookies(secrets.stream().map(HexFormat.of()::parseHex).toList());
  }

  /** The TKEY server on its own worker thread (Diffie-Hellman off the event loops), or null. */
  private TkeyWorker tkeyWorker(TkeyServer server) {
    if (server == null) {
      return null;
    }
    tkeyServer = server;
    tkeyWorkers = vertx.createSharedWorkerExecutor("vxdns-tkey", 1);
    return new TkeyWorker(tkeyWorkers, server::process);
  }

  @Override
  protected Map<String, Long> counters() {
    Map<String, Long> counters =
        new java.util.TreeMap<>(((AuthStage) registration().current()).signatureCounts());
    if (sig0 != null) {
      counters.putAll(sig0.counters());
    }
    if (tkeyServer != null) {
      counters.put("tkey-refused-over-cap", tkeyServer.refusedOverCap());
    }
    return counters;
  }

  @Override
  protected Future<Void> startMore() {
    // Expired TKEY keys would otherwise stay until someone looked them up.
    sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> keys.removeExpired());
    keyRequests = vertx.eventBus().localConsumer(Addresses.AUTH_KEYS, this::onKeyRequest);
    return keyRequests.completion();
  }

  private Sig0Keys sig0(Sig0Options options) {
    if (options.workers() == 0) {
      return null;
    }
    workers = vertx.createSharedWorkerExecutor("vxdns-sig0", options.workers());
    return new Sig0Keys(
        vertx, workers, new Sig0Guard(options.perSourcePerSecond(), options.maxPending()));
  }

  private TkeyServer tkeyServer(TkeyOptions options, Clock clock) throws Exception {
    Name name = Name.fromString(options.dhKeyName());
    SecureRandom random = new SecureRandom();
    DhKey dhKey =
        options.dhKeyFile() == null
            ? DhKey.generate(name, DhGroup.MODP1024, random)
            : DhKey.fromBindPrivateKey(name, Files.readString(options.dhKeyFile()));
    return new TkeyServer(
        dhKey,
        Name.fromString(options.domain()),
        Duration.ofSeconds(options.maxLifetimeSeconds()),
        keys,
        random,
        clock,
        options.maxKeys(),
        options.maxKeysPerClient());
  }

  private void onKeyRequest(Message<JsonObject> request) {
    String op = request.body() == null ? null : request.body().getString("op");
    if ("list".equals(op)) {
      JsonArray list = new JsonArray();
      for (TsigKey key : keys.list()) {
        list.add(
            new JsonObject()
                .put("name", key.name().toString())
                .put("algorithm", key.bindAlgorithmName())
                .put("origin", key.isNegotiated() ? "tkey" : "config")
                .put("expires", key.expires().map(Object::toString).orElse(null)));
      }
      request.reply(list);
    } else if ("delete".equals(op)) {
      String name = request.body().getString("name", "");
      try {
        Name keyName = Name.fromString(name, Name.root);
        java.util.Optional<TsigKey> key = keys.find(keyName);
        if (key.isEmpty()) {
          request.fail(404, "no key " + name);
        } else if (!key.get().isNegotiated()) {
          // As rndc tsig-delete: only keys made by TKEY; a configured key is the config's.
          request.fail(
              403,
              "key "
                  + keyName
                  + " is configured, not negotiated by TKEY: only TKEY keys can be deleted");
        } else if (keys.remove(keyName)) {
          request.reply(null);
        } else {
          request.fail(404, "no key " + name);
        }
      } catch (TextParseException e) {
        request.fail(400, "'" + name + "' is not a key name: " + e.getMessage());
      }
    } else {
      request.fail(400, "unknown op " + op + " (list, delete)");
    }
  }

  @Override
  protected Future<Void> stopMore() {
    if (sweepTimer != -1) {
      vertx.cancelTimer(sweepTimer);
    }
    if (keys instanceof AutoCloseable shared) {
      try {
        shared.close();
      } catch (Exception e) {
        // the cluster is going away too
      }
    }
    Future<Void> keysGone =
        keyRequests == null ? Future.succeededFuture() : keyRequests.unregister();
    return keysGone
        .eventually(() -> workers == null ? Future.succeededFuture() : workers.close())
        .eventually(() -> tkeyWorkers == null ? Future.succeededFuture() : tkeyWorkers.close());
  }
}
