package dev.vxdns.verticles.zone;

import dev.vxdns.config.DeploymentConfig;
import dev.vxdns.config.VxdnsConfig;
import dev.vxdns.config.ZoneConfig;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.StageRegistration;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.ZoneSet;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Loads the configured zones (on a worker thread: parsing is disk and CPU heavy) and serves them
 * as the {@link Addresses#ZONE_QUERY} stage.
 *
 * <p>Deployed with a {@code DeploymentConfig}; reads {@code zone}, {@code options.edns-udp-size} and
 * {@code options.whoami}.
 */
public final class ZoneVerticle extends AbstractVerticle {
  private static final System.Logger LOG = System.getLogger(ZoneVerticle.class.getName());

  private StageRegistration registration;

  @Override
  public void start(Promise<Void> started) {
    VxdnsConfig config;
    try {
      config = DeploymentConfig.parse(config());
    } catch (Exception e) {
      started.fail(e);
      return;
    }
    int ednsUdpSize = config.options().ednsUdpSize();
    Name whoami;
    try {
      whoami = config.options().whoami() == null ? null : Name.fromString(config.options().whoami());
    } catch (TextParseException e) {
      started.fail(e);
      return;
    }
    vertx.executeBlocking(() -> loadZones(config.zones()))
        .compose(zones -> StageRegistration.register(vertx, Addresses.ZONE_QUERY, new ZoneStage(zones, ednsUdpSize, whoami)))
        .onSuccess(done -> registration = done)
        .<Void>mapEmpty()
        .onComplete(started);
  }

  @Override
  public void stop(Promise<Void> stopped) {
    if (registration == null) {
      stopped.complete();
    } else {
      registration.unregister().onComplete(stopped);
    }
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
      LOG.log(System.Logger.Level.INFO, "zone {0}: loaded serial {1}, {2} records from {3} in {4} ms",
          config.name(), Long.toString(zone.serial()), Integer.toString(zone.recordCount()), config.file(), (System.nanoTime() - started) / 1_000_000);
    }
    return ZoneSet.of(zones);
  }
}
