package dev.vxdns.verticles.zone;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.NodeMetrics;
import dev.vxdns.message.Progress;
import dev.vxdns.message.ProgressBoard;
import dev.vxdns.message.StageVerticle;
import dev.vxdns.secondary.NotifySender;
import dev.vxdns.secondary.TransferClient;
import dev.vxdns.verticles.zone.ZoneConfig.ZoneType;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneAnswers;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneIndex;
import dev.vxdns.zone.ZoneSet;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Loads the configured zones (on workers, several at once: parsing and journal replay are disk and
 * CPU heavy) and serves them as the {@link Addresses#ZONE_QUERY} stage; keeps the zones that change
 * ({@link PrimaryZone}, {@link SecondaryZone}); answers {@link Addresses#ZONE_KEYS} lookups for
 * SIG(0) and {@link Addresses#ZONE_SYNC} requests from the control channel.
 *
 * <p>Configured by {@link ZoneSettings}.
 */
public final class ZoneVerticle extends StageVerticle {
  private static final System.Logger LOG = System.getLogger(ZoneVerticle.class.getName());
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(30);

  private final ZoneSettings settings;
  // The zones served now: the settings, then each reconfiguration's
  private ZoneSettings running;
  // Each loaded primary's file as it was read, for a reload to tell which changed since
  private final Map<Name, FileStamp> stamps = new HashMap<>();
  private final SharedZoneLog shared;
  // The transfers its stages send now: a reconfiguration of zones keeps the count (a changed
  // transfers-out redeploys the verticle).
  private final TransfersOut transfersOut;
  // The transfers of its secondary zones, in turn (transfers-in, transfers-per-ns).
  private final TransfersIn transfersIn;
  private Pacer serialQueries;
  // notify-rate and startup-notify-rate: every NOTIFY the node's zones send waits its turn.
  private Pacer notifies;
  private Pacer firstLoadNotifies;
  private final Clock clock = Clock.systemUTC();
  private ZoneCatalog catalog;
  private UpdateForwarder forwarder;
  private NotifySender notifySender;
  private TransferClient transfers;
  private MessageConsumer<String> keyLookups;
  private MessageConsumer<JsonObject> syncRequests;
  private MessageConsumer<JsonObject> controlRequests;
  private final boolean awaitListeners;
  // Completed on this verticle's context by listenersUp().
  private final io.vertx.core.Promise<Void> listening = io.vertx.core.Promise.promise();
  private Future<Void> released;

  /**
   * The workers that read zone files, held for the verticle's life: a pool closed after each load
   * and made again for the next (a reload, a redeploy's successor) registered its metrics twice,
   * and Micrometer logged a warning on the node's first reload. A successor deployed while this one
   * still runs shares the pool.
   */
  private WorkerExecutor loaders;

  // Looks up the NS hosts outside a zone that NOTIFYs go to: its own few threads, so that a slow
  // resolver never holds up the loads or Vert.x's worker pool.
  private WorkerExecutor nsLookups;

  public ZoneVerticle(ZoneSettings settings) {
    this(settings, null);
  }

  /**
   * @param shared the change log the primary zones share with the other nodes of a cluster; null
   *     for a node alone
   */
  public ZoneVerticle(ZoneSettings settings, SharedZoneLog shared) {
    this(settings, shared, false);
  }

  /**
   * @param awaitListeners whether the zones loaded at start are announced (NOTIFY) only once {@link
   *     #listenersUp} is called, as named notifies once it listens: a secondary that asks back at
   *     once then reaches this node, and an NS host that is this node is known as one
   */
  public ZoneVerticle(ZoneSettings settings, SharedZoneLog shared, boolean awaitListeners) {
    super(Addresses.ZONE_QUERY, null);
    this.awaitListeners = awaitListeners;
    this.settings = settings;
    this.running = settings;
    this.shared = shared;
    this.transfersOut = new TransfersOut(settings.transfers().transfersOut());
    this.transfersIn =
        new TransfersIn(settings.transfers().transfersIn(), settings.transfers().transfersPerNs());
  }

  /**
   * What the files hold, read on a worker; {@code failed}: the primary zones whose files have
   * errors (not served, each alone: the other zones load).
   */
  private record Loaded(
      Map<ZoneConfig, Zone> zones,
      Map<ZoneConfig, PrimaryZone.Loaded> primaries,
      Set<ZoneConfig> failed,
      Map<ZoneConfig, FileStamp> stamps) {}

  @Override
  protected Future<ZoneStage> createStage() {
    loaders = vertx.createSharedWorkerExecutor("vxdns-zone-load", loadConcurrency());
    nsLookups = vertx.createSharedWorkerExecutor("vxdns-ns-lookup", 2);
    serialQueries = new Pacer(vertx, settings.transfers().serialQueryRate());
    notifies = new Pacer(vertx, settings.transfers().notifyRate());
    firstLoadNotifies = new Pacer(vertx, settings.transfers().startupNotifyRate());
    notifySender = new NotifySender(vertx);
    // Beside the load rather than at the first NOTIFY of a reload or an update, which would set it
    // up on a loop that answers queries.
    Future<Void> notifyReady =
        notifySender
            .prepare()
            .recover(
                e -> {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "NOTIFY not readied on loopback (the first NOTIFY sets it up): {0}",
                      e.getMessage());
                  return Future.succeededFuture();
                });
    return load(settings.zones())
        .compose(loaded -> notifyReady.map(loaded))
        .map(
            loaded -> {
              catalog = catalog(loaded);
              return new ZoneStage(
                  catalog, settings, NodeMetrics.of(vertx).progress(), transfersOut);
            });
  }

  private ZoneCatalog catalog(Loaded loaded) {
    ServedZones served = new ServedZones(ZoneSet.of(loaded.zones().values()));
    Map<Name, ZoneConfig> configured = new HashMap<>();
    Map<Name, ManagedZone> managed = new HashMap<>();
    transfers = new TransferClient(vertx, TRANSFER_TIMEOUT);
    forwarder = new UpdateForwarder(vertx, TRANSFER_TIMEOUT.toMillis());
    for (ZoneConfig config : settings.zones()) {
      Name origin = PrimaryZone.nameOf(config);
      configured.put(origin, config);
      if (!loaded.failed().contains(config)) {
        managed.put(origin, managed(config, served, loaded));
        stamp(origin, loaded.stamps().get(config));
      }
    }
    return new ZoneCatalog(served, ZoneIndex.of(configured), managed);
  }

  private ManagedZone managed(ZoneConfig config, ServedZones served, Loaded loaded) {
    Name origin = PrimaryZone.nameOf(config);
    Notifications notifications =
        new Notifications(
            vertx,
            nsLookups,
            notifySender,
            config,
            () -> served.zone(origin),
            notifies,
            firstLoadNotifies);
    return config.type() == ZoneType.PRIMARY
        ? PrimaryZone.of(
            config,
            served,
            loaded.primaries().get(config),
            vertx,
            context,
            clock,
            notifications,
            shared,
            stamp -> stamp(origin, stamp))
        : new SecondaryZone(
            config,
            served,
            vertx,
            context,
            clock,
            transfers,
            transfersIn,
            serialQueries,
            forwarder,
            notifications);
  }

  /**
   * Applies a new list of zones in place ({@code vxdns reconfig}): the zones no longer configured
   * or named in {@code changed} stop (synced, journal closed; a changed one is still answered from
   * its served version meanwhile), the changed and added ones are loaded on a worker, and one new
   * stage swaps them all in; the other zones keep their writers and versions. {@code next} must
   * differ from the running settings in its zones only (the node redeploys the verticle otherwise).
   * A failure leaves the stopped zones without a writer: the node then redeploys.
   */
  public Future<Void> reconfigure(ZoneSettings next, Set<Name> changed) {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(
        v -> applyZones(next, changed, Set.of()).<Void>mapEmpty().onComplete(done));
    return done.future();
  }

  /**
   * Like named's {@code rndc reload}: reads again each primary zone's file that changed since it
   * was read (its time, size or file), through {@link #reconfigure}'s path: the served version
   * answers until the new one is swapped in, and stays served if the file has errors. The node's
   * own writes of a file (a dynamic zone's sync) do not count as edits. A zone that has taken
   * dynamic updates (it has a journal, as its writer decides between two updates) is left alone and
   * reported once, as named refuses to reload its dynamic zones: the journal holds changes the file
   * may lack, and the node writes that file itself; zones that follow the cluster's log are never
   * read again. Completes with one line per edited zone, for the reload's report.
   */
  public Future<List<String>> reloadChangedFiles() {
    io.vertx.core.Promise<List<String>> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> reloadChanged().onComplete(done));
    return done.future();
  }

  private Future<List<String>> reloadChanged() {
    ZoneSettings current = running;
    Map<Name, FileStamp> read = Map.copyOf(stamps);
    boolean clustered = shared != null;
    // The files are looked at on a worker: a node of many zones makes as many system calls.
    return loaders
        .executeBlocking(() -> editedFiles(current, read, clustered), false)
        .compose(
            edited ->
                stopFileOnly(edited.keySet())
                    .compose(stopped -> readAgain(current, edited, stopped)));
  }

  /**
   * Reads the stopped zones' files again, through {@link #applyZones}; the edit of every other
   * edited zone (a dynamic one) is recorded as seen, so it is reported once: the node writes that
   * file. The report's lines.
   */
  private Future<List<String>> readAgain(
      ZoneSettings current, Map<Name, FileStamp> edited, Set<Name> stopped) {
    edited.forEach(
        (origin, now) -> {
          if (!stopped.contains(origin)) {
            stamp(origin, now);
          }
        });
    if (stopped.isEmpty()) {
      return Future.succeededFuture(report(current, edited.keySet(), stopped, null));
    }
    return applyZones(current, stopped, stopped)
        .map(loaded -> report(current, edited.keySet(), stopped, loaded));
  }

  /**
   * The writers of the zones whose file was edited, stopped where the zone still comes from its
   * file alone, each deciding between its updates ({@link PrimaryZone#stopIfFileOnly}): the zones
   * stopped, and those without a writer (their file did not load), to be read again.
   */
  private Future<Set<Name>> stopFileOnly(Set<Name> edited) {
    Set<Name> stopped = new LinkedHashSet<>();
    Map<Name, Future<Boolean>> decisions = new LinkedHashMap<>();
    for (Name origin : edited) {
      ManagedZone writer = catalog.managed().get(origin);
      if (writer == null) {
        // Its file did not load (at start or at a reload): nothing runs it to stop.
        stopped.add(origin);
      } else if (writer instanceof PrimaryZone primary) {
        decisions.put(origin, primary.stopIfFileOnly());
      }
    }
    return Future.join(List.copyOf(decisions.values()))
        .transform(
            done -> {
              decisions.forEach(
                  (origin, fileOnly) -> {
                    if (fileOnly.succeeded() && fileOnly.result()) {
                      stopped.add(origin);
                    }
                  });
              return Future.succeededFuture(Set.copyOf(stopped));
            });
  }

  /**
   * The primaries whose file is not as the node last read or wrote it, with its stamp now; none on
   * a cluster, whose zones follow its log.
   */
  private static Map<Name, FileStamp> editedFiles(
      ZoneSettings zones, Map<Name, FileStamp> known, boolean clustered) {
    Map<Name, FileStamp> edited = new LinkedHashMap<>();
    if (clustered) {
      return edited;
    }
    for (ZoneConfig config : zones.zones()) {
      Name origin = PrimaryZone.nameOf(config);
      if (config.type() == ZoneType.PRIMARY && config.file() != null) {
        FileStamp now = FileStamp.of(config.file());
        if (!java.util.Objects.equals(now, known.get(origin))) {
          edited.put(origin, now);
        }
      }
    }
    return edited;
  }

  /** One line per edited zone; {@code loaded}: the stopped zones' loads (null when none was). */
  private static List<String> report(
      ZoneSettings zones, Set<Name> edited, Set<Name> stopped, Loaded loaded) {
    List<String> report = new ArrayList<>();
    for (ZoneConfig config : zones.zones()) {
      Name origin = PrimaryZone.nameOf(config);
      if (!edited.contains(origin)) {
        continue;
      }
      if (!stopped.contains(origin)) {
        report.add(
            config.name()
                + ": a dynamic zone (it has taken updates): its edited file is not read, and the"
                + " node writes over it; change the zone with UPDATE");
      } else if (loaded.failed().contains(config)) {
        report.add(config.name() + ": its file has errors (logged): not reloaded");
      } else {
        report.add(config.name() + " reloaded from its file");
      }
    }
    return report;
  }

  private void stamp(Name origin, FileStamp stamp) {
    if (stamp == null) {
      stamps.remove(origin);
    } else {
      stamps.put(origin, stamp);
    }
  }

  /** {@code stoppedAlready}: zones among {@code changed} whose writer is stopped already. */
  private Future<Loaded> applyZones(
      ZoneSettings next, Set<Name> changed, Set<Name> stoppedAlready) {
    Map<Name, ZoneConfig> wanted = new LinkedHashMap<>();
    next.zones().forEach(config -> wanted.put(PrimaryZone.nameOf(config), config));
    List<Name> leaving = new ArrayList<>();
    for (Name origin : catalog.managed().keySet()) {
      if (!wanted.containsKey(origin) || changed.contains(origin)) {
        leaving.add(origin);
      }
    }
    List<Name> firstLoads = new ArrayList<>();
    List<ZoneConfig> arriving =
        wanted.entrySet().stream()
            .filter(
                zone ->
                    !catalog.managed().containsKey(zone.getKey())
                        || changed.contains(zone.getKey()))
            .map(Map.Entry::getValue)
            .toList();
    List<Future<Void>> stopped = new ArrayList<>();
    for (Name origin : leaving) {
      stopped.add(
          stoppedAlready.contains(origin)
              ? Future.succeededFuture()
              : catalog.managed().get(origin).stop());
    }
    return Future.join(stopped)
        .compose(v -> load(arriving))
        .onFailure(
            failure -> {
              // The stopped writers are gone: never stop them again.
              Map<Name, ManagedZone> running = new HashMap<>(catalog.managed());
              leaving.forEach(running::remove);
              catalog = new ZoneCatalog(catalog.served(), catalog.configured(), running);
            })
        .map(
            loaded -> {
              ServedZones served = catalog.served();
              Map<Name, ManagedZone> managed = new HashMap<>(catalog.managed());
              for (Name origin : leaving) {
                managed.remove(origin);
                if (!wanted.containsKey(origin)) {
                  served.remove(origin);
                  stamps.remove(origin);
                }
              }
              for (ZoneConfig config : arriving) {
                Name origin = PrimaryZone.nameOf(config);
                Zone zone = loaded.zones().get(config);
                Zone before = served.zone(origin);
                if (loaded.failed().contains(config)) {
                  // BIND keeps serving the version it has when a reload fails
                  if (before != null) {
                    LOG.log(
                        System.Logger.Level.WARNING,
                        "zone {0}: the previous version stays served, without updates, until"
                            + " its file loads",
                        config.name());
                  }
                  continue;
                }
                if (zone != null) {
                  served.put(zone);
                } else {
                  served.remove(origin);
                }
                ManagedZone writer = managed(config, served, loaded);
                managed.put(origin, writer);
                stamp(origin, loaded.stamps().get(config));
                writer.start();
                if (before == null && zone != null) {
                  firstLoads.add(origin);
                } else if (before != null && zone != null && before.serial() != zone.serial()) {
                  writer.announce(false);
                }
              }
              catalog = new ZoneCatalog(served, ZoneIndex.of(wanted), managed);
              running = next;
              announceFirstLoads(firstLoads);
              publishGauges();
              registration()
                  .replace(
                      new ZoneStage(catalog, next, NodeMetrics.of(vertx).progress(), transfersOut));
              LOG.log(
                  System.Logger.Level.INFO,
                  "zones reconfigured: {0} stopped, {1} loaded",
                  leaving,
                  arriving.stream().map(ZoneConfig::name).toList());
              return loaded;
            });
  }

  @Override
  protected Future<Void> startMore() {
    catalog.managed().values().forEach(ManagedZone::start);
    List<Name> loadedAtStart = settings.zones().stream().map(PrimaryZone::nameOf).toList();
    if (awaitListeners) {
      listening.future().onComplete(up -> announceFirstLoads(loadedAtStart));
    } else {
      announceFirstLoads(loadedAtStart);
    }
    publishGauges();
    keyLookups = vertx.eventBus().localConsumer(Addresses.ZONE_KEYS, this::lookupKeys);
    syncRequests = vertx.eventBus().localConsumer(Addresses.ZONE_SYNC, this::sync);
    controlRequests = vertx.eventBus().localConsumer(Addresses.ZONE_CONTROL, this::control);
    return keyLookups
        .completion()
        .compose(v -> syncRequests.completion())
        .compose(v -> controlRequests.completion());
  }

  /**
   * The node's listeners are up: the zones loaded at start are announced now (with {@code
   * awaitListeners}). Safe to call more than once.
   */
  public void listenersUp() {
    context.runOnContext(v -> listening.tryComplete());
  }

  /**
   * As named after a zone's first load (at start, or added or first loaded by a reload): each
   * zone's NOTIFY targets are told of the version it serves, so that a secondary learns of a change
   * made while this node was down (its file edited, its journal replayed) now rather than at its
   * next refresh; each NOTIFY in its turn under {@code startup-notify-rate}, in the order given. A
   * zone that serves nothing yet (a secondary before its first transfer) has nothing to announce.
   */
  private void announceFirstLoads(List<Name> origins) {
    for (Name origin : origins) {
      ManagedZone writer = catalog.managed().get(origin);
      if (writer != null && catalog.served().zone(origin) != null) {
        writer.announce(true);
      }
    }
  }

  /**
   * The zone gauges read this verticle's served zones, one pair per configured zone, and its
   * transfers.
   */
  private void publishGauges() {
    ServedZones served = catalog.served();
    ZoneGauges.of(vertx).serve(served::get, catalog.managed().keySet(), transfersIn, transfersOut);
  }

  /**
   * KEY records of a name, for the auth stage's SIG(0) verification; they live in the zone data.
   */
  private void lookupKeys(io.vertx.core.eventbus.Message<String> request) {
    JsonArray keys = new JsonArray();
    try {
      Name name = Name.fromString(request.body(), Name.root);
      Zone zone = catalog.served().get().find(name, Type.KEY);
      if (zone != null) {
        Message answer = ZoneAnswers.answer(zone, name, Type.KEY, new Message());
        for (Record record : answer.getSection(Section.ANSWER)) {
          if (record.getType() == Type.KEY && record.getName().equals(name)) {
            keys.add(Base64.getEncoder().encodeToString(record.toWireCanonical()));
          }
        }
      }
      request.reply(keys);
    } catch (TextParseException e) {
      request.fail(400, "not a name: " + request.body());
    }
  }

  /**
   * {@code vxdns zone-sync [ZONE]}, like {@code rndc sync}: writes one zone (body: its name) or
   * every zone (no {@code zone}) to its file; the reply lists the zones written.
   */
  private void sync(io.vertx.core.eventbus.Message<JsonObject> request) {
    // The control channel sends {"zone": null} for every zone: getString(key, default) gives null
    // for a key that is present with a null value, so the default alone is not enough.
    String asked = request.body() == null ? null : request.body().getString("zone");
    String body = asked == null ? "" : asked.trim();
    List<Future<Void>> writes = new ArrayList<>();
    JsonArray synced = new JsonArray();
    try {
      Name only = body.isEmpty() ? null : Name.fromString(body, Name.root);
      if (only != null && !catalog.managed().containsKey(only)) {
        request.fail(404, "no zone " + only);
        return;
      }
      for (Map.Entry<Name, ManagedZone> zone : catalog.managed().entrySet()) {
        if (only == null || only.equals(zone.getKey())) {
          writes.add(zone.getValue().sync());
          synced.add(zone.getKey().toString());
        }
      }
    } catch (TextParseException e) {
      request.fail(400, "not a zone name: " + body);
      return;
    }
    Future.all(writes)
        .onSuccess(v -> request.reply(synced))
        .onFailure(error -> request.fail(500, error.getMessage()));
  }

  /**
   * {@code vxdns zone-status}, {@code zone-refresh}, {@code zone-retransfer}, {@code zone-notify},
   * {@code zone-freeze} and {@code zone-thaw} (named's {@code rndc zonestatus}, {@code refresh},
   * {@code retransfer}, {@code notify}, {@code freeze}, {@code thaw}) for one zone: the status, or
   * what was done, with named's wording.
   */
  private void control(io.vertx.core.eventbus.Message<JsonObject> request) {
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    // getString(key, default) is null for a key present with a null value.
    String zone = java.util.Objects.requireNonNullElse(body.getString("zone"), "");
    String op = java.util.Objects.requireNonNullElse(body.getString("op"), "");
    Name origin;
    try {
      origin = Name.fromString(zone.trim(), Name.root);
    } catch (TextParseException e) {
      request.fail(400, "not a zone name: " + zone);
      return;
    }
    ManagedZone managed = catalog.managed().get(origin);
    ZoneConfig configured = catalog.configured().get(origin);
    if (managed == null && configured != null) {
      // A primary whose file did not load: its status says so; it has nothing else to do.
      if (op.equals("status")) {
        request.reply(
            ManagedZone.status(configured, catalog.served().zone(origin))
                .put("loaded", false)
                .put("why", "its file did not load (logged); a reload reads it again"));
      } else {
        request.fail(
            409, "zone " + origin + ": its file did not load (logged); a reload reads it again");
      }
      return;
    }
    if (managed == null) {
      request.fail(404, "no zone " + origin);
      return;
    }
    try {
      switch (op) {
        case "status" -> request.reply(managed.status());
        case "refresh" -> {
          managed.refresh();
          request.reply(queued(origin, "zone refresh queued"));
        }
        case "retransfer" -> {
          managed.retransfer();
          request.reply(queued(origin, "zone retransfer queued"));
        }
        case "notify" -> {
          managed.announce(false);
          request.reply(queued(origin, "zone notify queued"));
        }
        case "freeze" -> freeze(origin, primaryOf(managed), request);
        case "thaw" -> thaw(origin, primaryOf(managed), request);
        default -> request.fail(400, "no such zone operation: " + op);
      }
    } catch (UnsupportedOperationException e) {
      request.fail(400, e.getMessage());
    }
  }

  /**
   * {@code vxdns zone-freeze} (named's {@code rndc freeze}): a primary zone stops taking updates
   * and its file gets the served version, for an operator to edit; named's words when it was frozen
   * already.
   */
  private void freeze(
      Name origin, PrimaryZone primary, io.vertx.core.eventbus.Message<JsonObject> request) {
    primary
        .freeze()
        .onSuccess(
            first -> {
              if (first) {
                request.reply(
                    queued(origin, "zone frozen: its file is written; updates are refused"));
              } else {
                request.fail(
                    409,
                    "WARNING: The zone was already frozen. Someone else may be editing it or it may"
                        + " still be re-loading.");
              }
            })
        .onFailure(error -> request.fail(500, error.getMessage()));
  }

  /**
   * {@code vxdns zone-thaw} (named's {@code rndc thaw}): a frozen primary zone's file is read again
   * (the served version answers meanwhile, and stays served if the file has errors) and the new
   * version takes updates; a zone that is not frozen is left as it is.
   */
  private void thaw(
      Name origin, PrimaryZone primary, io.vertx.core.eventbus.Message<JsonObject> request) {
    ZoneSettings current = running;
    primary
        .stopIfFrozen()
        .compose(
            stopped ->
                stopped
                    ? applyZones(current, Set.of(origin), Set.of(origin))
                        .map(loaded -> loaded.failed().isEmpty())
                    : Future.succeededFuture((Boolean) null))
        .onSuccess(
            loaded -> {
              if (loaded == null) {
                request.reply(queued(origin, "the zone was not frozen"));
              } else if (loaded) {
                request.reply(queued(origin, "The zone reload and thaw was successful."));
              } else {
                request.fail(
                    500,
                    "its file has errors (logged): the served version stays, without updates,"
                        + " until the file loads");
              }
            })
        .onFailure(error -> request.fail(500, error.getMessage()));
  }

  /** A freeze or thaw's zone: named's "not primary" (a 400) for a secondary. */
  private static PrimaryZone primaryOf(ManagedZone managed) {
    if (managed instanceof PrimaryZone primary) {
      return primary;
    }
    throw new UnsupportedOperationException("not primary");
  }

  private static JsonObject queued(Name origin, String what) {
    return new JsonObject().put("zone", origin.toString()).put("result", what);
  }

  /**
   * Hands the zones' files over to a successor (hot redeploy): syncs every changing zone to its
   * file and closes its journal and timers, while the stage keeps answering queries from the
   * versions it serves. Until the successor is deployed, updates and transfers are not taken. Safe
   * to call more than once; stop() calls it too.
   */
  public Future<Void> release() {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(
        v -> {
          if (released == null) {
            List<Future<Void>> stopped = new ArrayList<>();
            if (catalog != null) {
              catalog.managed().values().forEach(zone -> stopped.add(zone.stop()));
            }
            released = Future.join(stopped).mapEmpty();
          }
          released.onComplete(done);
        });
    return done.future();
  }

  @Override
  protected Future<Void> stopMore() {
    List<Future<Void>> stopped = new ArrayList<>();
    stopped.add(release());
    if (keyLookups != null) {
      stopped.add(keyLookups.unregister());
    }
    if (syncRequests != null) {
      stopped.add(syncRequests.unregister());
    }
    if (controlRequests != null) {
      stopped.add(controlRequests.unregister());
    }
    return Future.join(stopped)
        .eventually(
            () -> {
              if (forwarder != null) {
                forwarder.close();
              }
              if (nsLookups != null) {
                nsLookups.close();
              }
              return loaders == null ? Future.succeededFuture() : loaders.close();
            })
        .mapEmpty();
  }

  /**
   * How many zone files load at once: one per core, and at least two, so that one slow file (a
   * network mount, a FIFO) does not hold up the others.
   */
  static int loadConcurrency() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Reads the zones' files (and journals), {@link #loadConcurrency} at a time on workers of their
   * own, each load on the node's progress board; completes once every load has ended, failing with
   * the first unexpected error (a primary file with errors is not one: it is listed as failed).
   */
  private Future<Loaded> load(List<ZoneConfig> configs) {
    ProgressBoard board = NodeMetrics.of(vertx).progress();
    List<Future<ZoneLoad>> loads = new ArrayList<>();
    for (ZoneConfig config : configs) {
      // The version served now (null: a first load): what ixfr-from-differences compares the file
      // with. named checks a journal against the file at a zone's first load only.
      Zone served = catalog == null ? null : catalog.served().zone(PrimaryZone.nameOf(config));
      boolean checkJournal = shared == null && served == null;
      loads.add(loaders.executeBlocking(() -> load(config, served, board, checkJournal), false));
    }
    return Future.join(loads)
        .map(
            all -> {
              Map<ZoneConfig, Zone> zones = new LinkedHashMap<>();
              Map<ZoneConfig, PrimaryZone.Loaded> primaries = new HashMap<>();
              Set<ZoneConfig> failed = new java.util.HashSet<>();
              Map<ZoneConfig, FileStamp> stamps = new HashMap<>();
              for (Future<ZoneLoad> each : loads) {
                ZoneLoad load = each.result();
                if (load.stamp() != null) {
                  stamps.put(load.config(), load.stamp());
                }
                if (load.failed()) {
                  failed.add(load.config());
                } else if (load.zone() != null) {
                  zones.put(load.config(), load.zone());
                  if (load.primary() != null) {
                    primaries.put(load.config(), load.primary());
                  }
                }
              }
              return new Loaded(zones, primaries, failed, stamps);
            });
  }

  /**
   * One zone's load: its zone (null for a secondary with nothing saved yet), a primary's writer
   * state, or {@code failed} when a primary's file has errors.
   */
  private record ZoneLoad(
      ZoneConfig config, Zone zone, PrimaryZone.Loaded primary, boolean failed, FileStamp stamp) {}

  private static ZoneLoad load(
      ZoneConfig config, Zone served, ProgressBoard board, boolean checkJournal) throws Exception {
    long started = System.nanoTime();
    Progress progress = board.begin("zone-load", config.name(), -1);
    ZoneLoad load;
    try {
      if (config.type() == ZoneType.PRIMARY) {
        // Taken before the file is read: a change made while it is read shows at the next reload.
        FileStamp stamp = FileStamp.of(config.file());
        try {
          PrimaryZone.Loaded loaded =
              PrimaryZone.readAgain(
                  PrimaryZone.load(config, progress::advanceTo, checkJournal), served, config);
          load = new ZoneLoad(config, loaded.zone(), loaded, false, stamp);
        } catch (ZoneException e) {
          // as named: the zone is not loaded (its names answer SERVFAIL), the others are
          LOG.log(
              System.Logger.Level.ERROR,
              "zone {0}/IN: loading from master file {1} failed:\n{2}\nzone {0}/IN: not loaded"
                  + " due to errors.",
              config.name(),
              config.file(),
              e.getMessage());
          return new ZoneLoad(config, null, null, true, null);
        }
      } else {
        load =
            new ZoneLoad(
                config, SecondaryZone.loadSaved(config, progress::advanceTo), null, false, null);
        if (load.zone() == null) {
          return load;
        }
      }
    } finally {
      board.end(progress);
    }
    Zone zone = load.zone();
    LOG.log(
        System.Logger.Level.INFO,
        "zone {0}: loaded serial {1}, {2} records from {3}{4} in {5} ms",
        config.name(),
        Long.toString(zone.serial()),
        Integer.toString(zone.recordCount()),
        config.file(),
        zone.history().isEmpty() ? "" : " and " + zone.history().size() + " journaled changes",
        (System.nanoTime() - started) / 1_000_000);
    return load;
  }
}
