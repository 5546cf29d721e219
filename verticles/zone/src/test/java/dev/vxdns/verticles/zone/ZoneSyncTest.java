package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Transport;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * {@code vxdns zone-sync}: the control channel asks {@link Addresses#ZONE_SYNC} with {@code
 * {"zone": null}} for every zone and {@code {"zone": NAME}} for one; both must get a reply, and the
 * zone file must then hold the change an update made.
 */
class ZoneSyncTest extends ZoneVerticleCase {
  private static final Name ORIGIN = Name.fromConstantString("sync.test.");

  private ZoneVerticle deploy() throws Exception {
    writeZone("sync.zone", 1, "");
    JsonObject config =
        new JsonObject()
            .put(
                "zone",
                new JsonObject().put("sync.test", new JsonObject().put("file", "sync.zone")));
    ZoneVerticle zones = new ZoneVerticle(ConfigSource.of(config, dir).parse(ZoneSettings.PART));
    await(vertx.deployVerticle(zones));
    return zones;
  }

  /** Adds added.sync.test through the zone stage (the ACL stage's decision is taken as given). */
  private void update() throws Exception {
    update("added", "192.0.2.7");
  }

  private void update(String name, String address) throws Exception {
    assertEquals(Rcode.NOERROR, await(sendUpdate(name, address)).responseMessage().getRcode());
  }

  /** Sends an update adding NAME A ADDRESS through the zone stage; its answer, once applied. */
  private Future<DnsExchange> sendUpdate(String name, String address) throws Exception {
    Update update = new Update(ORIGIN);
    update.add(
        new ARecord(
            Name.fromString(name, ORIGIN), DClass.IN, 60, java.net.InetAddress.getByName(address)));
    return send(update, Transport.TCP);
  }

  /**
   * An update asked just before a reload of the edited zone file: the writer applies it first, and
   * the reload, deciding between updates, leaves the zone, now dynamic, to its writer and says so.
   * Deciding before the writer had journaled the update, the reload had synced it over the edited
   * file, read that back and reported the zone "reloaded from its file".
   */
  @Test
  void anUpdateAskedJustBeforeAReloadKeepsTheZoneDynamicAndIsNotLost() throws Exception {
    ZoneVerticle zones = deploy();
    writeZone("sync.zone", 5, "edited IN A 192.0.2.9\n");
    Future<DnsExchange> updated = sendUpdate("added", "192.0.2.7");
    List<String> report = await(zones.reloadChangedFiles());
    assertEquals(Rcode.NOERROR, await(updated).responseMessage().getRcode());
    assertEquals(
        List.of(
            "sync.test.: a dynamic zone (it has taken updates): its edited file is not read, and"
                + " the node writes over it; change the zone with UPDATE"),
        report);
    Message soa = ask(ORIGIN, Type.SOA);
    assertEquals(2, ((SOARecord) soa.getSection(Section.ANSWER).get(0)).getSerial(), "1, updated");
    assertEquals(
        1, ask(Name.fromString("added", ORIGIN), Type.A).getSection(Section.ANSWER).size());
    assertEquals(Rcode.NXDOMAIN, ask(Name.fromString("edited", ORIGIN), Type.A).getRcode());
  }

  /** The zone stage's answer to NAME TYPE. */
  private Message ask(Name name, int type) throws Exception {
    return answer(Message.newQuery(Record.newRecord(name, type, DClass.IN)), Transport.UDP);
  }

  @Test
  void syncingEveryZoneRepliesAndWritesTheFile() throws Exception {
    deploy();
    update();
    assertFalse(Files.readString(dir.resolve("sync.zone")).contains("192.0.2.7"));
    Object reply =
        await(
                vertx
                    .eventBus()
                    .request(Addresses.ZONE_SYNC, new JsonObject().put("zone", (String) null)))
            .body();
    assertEquals(new JsonArray().add("sync.test."), reply);
    assertTrue(Files.readString(dir.resolve("sync.zone")).contains("192.0.2.7"));
  }

  /** The node's own writes of a dynamic zone's file are not edits a reload reads or reports. */
  @Test
  void aReloadAfterTheNodeWroteTheFileItselfFindsNothingEdited() throws Exception {
    ZoneVerticle zones = deploy();
    update();
    await(vertx.eventBus().request(Addresses.ZONE_SYNC, new JsonObject().put("zone", "sync.test")));
    assertTrue(Files.readString(dir.resolve("sync.zone")).contains("192.0.2.7"), "written");
    assertEquals(List.of(), await(zones.reloadChangedFiles()));
    // Positive control: an edit after that is one.
    Files.writeString(dir.resolve("sync.zone"), "; edited\n", StandardOpenOption.APPEND);
    assertEquals(1, await(zones.reloadChangedFiles()).size());
  }

  @Test
  void syncingOneZoneRepliesAndAnUnknownOneIs404() throws Exception {
    deploy();
    Object reply =
        await(
                vertx
                    .eventBus()
                    .request(Addresses.ZONE_SYNC, new JsonObject().put("zone", "sync.test")))
            .body();
    assertEquals(new JsonArray().add("sync.test."), reply);
    ExecutionException unknown =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                await(
                    vertx
                        .eventBus()
                        .request(Addresses.ZONE_SYNC, new JsonObject().put("zone", "nope.test"))));
    assertEquals(404, ((ReplyException) unknown.getCause()).failureCode());
  }

  /**
   * The journal of a small zone soon outgrows max-journal-size's default (twice the zone); the
   * changes the file does not have yet must stay in it, or a crash before the next fold loses them
   * and the zone no longer loads.
   */
  @Test
  void aJournalPastItsLimitKeepsTheChangesTheFileLacks() throws Exception {
    deploy();
    for (int i = 0; i < 200; i++) {
      update("n" + i, "10.0.0." + (i % 250));
    }
    // Read the files as a restart after kill -9 would: the verticle never wrote the zone file.
    ZoneConfig config =
        ConfigSource.of(
                new JsonObject()
                    .put(
                        "zone",
                        new JsonObject()
                            .put("sync.test", new JsonObject().put("file", "sync.zone"))),
                dir)
            .parse(ZoneSettings.PART)
            .zones()
            .get(0);
    PrimaryZone.Loaded loaded = PrimaryZone.load(config);
    try {
      assertEquals(201, loaded.zone().serial());
      assertEquals(3 + 200, loaded.zone().recordCount());
    } finally {
      loaded.journal().close();
    }
    // A fold compacts the journal to about the limit again; what it keeps still loads.
    long full = Files.size(config.journal());
    await(vertx.eventBus().request(Addresses.ZONE_SYNC, new JsonObject().put("zone", "sync.test")));
    long folded = Files.size(config.journal());
    assertTrue(folded < full / 2, "the journal: " + full + " bytes, after the fold " + folded);
    PrimaryZone.Loaded again = PrimaryZone.load(config);
    try {
      assertEquals(201, again.zone().serial());
    } finally {
      again.journal().close();
    }
  }
}
