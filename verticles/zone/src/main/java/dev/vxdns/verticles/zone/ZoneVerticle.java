package dev.vxdns.verticles.zone;

import dev.vxdns.message.Addresses;
import dev.vxdns.message.StageVerticle;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneAnswers;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.ZoneSet;
import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Loads the configured zones (on a worker thread: parsing is disk and CPU heavy) and serves them as
 * the {@link Addresses#ZONE_QUERY} stage; answers {@link Addresses#ZONE_KEYS} lookups for SIG(0).
 *
 * <p>Configured by {@link ZoneSettings}.
 */
public final class ZoneVerticle extends StageVerticle {
  private static final System.Logger LOG = System.getLogger(ZoneVerticle.class.getName());

  private final ZoneSettings settings;
  private MessageConsumer<String> keyLookups;

  public ZoneVerticle(ZoneSettings settings) {
    super(Addresses.ZONE_QUERY, null);
    this.settings = settings;
  }

  @Override
  protected Future<ZoneStage> createStage() {
    return vertx
        .executeBlocking(() -> loadZones(settings.zones()))
        .map(zones -> new ZoneStage(zones, settings.dns().ednsUdpSize(), settings.whoami()));
  }

  @Override
  protected Future<Void> startMore() {
    keyLookups = vertx.eventBus().consumer(Addresses.ZONE_KEYS, this::lookupKeys);
    return keyLookups.completion();
  }

  /**
   * KEY records of a name, for the auth stage's SIG(0) verification; they live in the zone data.
   */
  private void lookupKeys(io.vertx.core.eventbus.Message<String> request) {
    JsonArray keys = new JsonArray();
    try {
      Name name = Name.fromString(request.body(), Name.root);
      ZoneSet zones = ((ZoneStage) registration().current()).zones();
      Zone zone = zones.find(name, Type.KEY);
      if (zone != null) {
        Message answer = new Message();
        ZoneAnswers.answer(zone, name, Type.KEY, answer);
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

  @Override
  protected Future<Void> stopMore() {
    return keyLookups == null ? Future.succeededFuture() : keyLookups.unregister();
  }

  static ZoneSet loadZones(List<ZoneConfig> configs) throws ZoneException {
    List<Zone> zones = new ArrayList<>();
    for (ZoneConfig config : configs) {
      long started = System.nanoTime();
      Name origin;
      try {
        origin = Name.fromString(config.name());
      } catch (TextParseException e) {
        throw new ZoneException("zone " + config.name() + ": " + e.getMessage(), e);
      }
      Zone zone = ZoneFiles.load(config.file(), origin);
      zones.add(zone);
      LOG.log(
          System.Logger.Level.INFO,
          "zone {0}: loaded serial {1}, {2} records from {3} in {4} ms",
          config.name(),
          Long.toString(zone.serial()),
          Integer.toString(zone.recordCount()),
          config.file(),
          (System.nanoTime() - started) / 1_000_000);
    }
    return ZoneSet.of(zones);
  }
}
