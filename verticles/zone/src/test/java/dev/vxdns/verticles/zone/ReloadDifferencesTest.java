package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.Transport;
import dev.vxdns.zone.ZoneDiff;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * {@code ixfr-from-differences} on a primary whose file is edited and read again, as named does it:
 * the change from the served version is journaled before it is served, so a restart (which reads
 * the file and journal as a kill -9 leaves them) still has it for IXFR; a file whose serial is not
 * newer is refused and the served version stays, unless nothing changed.
 */
class ReloadDifferencesTest extends ZoneVerticleCase {
  private static final Name ORIGIN = Name.fromConstantString("diff.test.");

  /** The zone's config; {@code allow-update} is the ACL stage's, so any update is taken here. */
  private ZoneConfig config(boolean ixfrFromDifferences) throws Exception {
    return settings(ixfrFromDifferences).zones().get(0);
  }

  private ZoneSettings settings(boolean ixfrFromDifferences) throws Exception {
    JsonObject entry =
        new JsonObject()
            .put("file", "diff.zone")
            .put("ixfr-from-differences", ixfrFromDifferences ? "yes" : "no");
    JsonObject config = new JsonObject().put("zone", new JsonObject().put("diff.test", entry));
    return ConfigSource.of(config, dir).parse(ZoneSettings.PART);
  }

  private ZoneVerticle deploy(boolean ixfrFromDifferences) throws Exception {
    write(1, "www IN A 192.0.2.80\n");
    ZoneVerticle zones = new ZoneVerticle(settings(ixfrFromDifferences));
    await(vertx.deployVerticle(zones));
    return zones;
  }

  private void write(long serial, String records) throws Exception {
    writeZone("diff.zone", serial, records);
  }

  /** The change history a restart finds in the file and journal (each change as from-to). */
  private List<String> historyAfterRestart(ZoneConfig config) throws Exception {
    PrimaryZone.Loaded loaded = PrimaryZone.load(config);
    try {
      return loaded.zone().history().stream().map(ReloadDifferencesTest::fromTo).toList();
    } finally {
      if (loaded.journal() != null) {
        loaded.journal().close();
      }
    }
  }

  private static String fromTo(ZoneDiff diff) {
    return diff.fromSerial() + "-" + diff.toSerial() + " " + diff.deleted() + " " + diff.added();
  }

  @Test
  void anEditedFilesChangeIsJournaledSoARestartStillHasIt() throws Exception {
    ZoneVerticle zones = deploy(true);
    write(2, "www IN A 192.0.2.81\n");
    assertEquals(List.of("diff.test. reloaded from its file"), await(zones.reloadChangedFiles()));
    String first =
        "1-2 [www.diff.test.\t\t60\tIN\tA\t192.0.2.80] [www.diff.test.\t\t60\tIN\tA\t192.0.2.81]";
    assertEquals(List.of(first), historyAfterRestart(config(true)));
    // The zone is still read again: the journal's changes are all in its file.
    write(3, "www IN A 192.0.2.82\n");
    assertEquals(List.of("diff.test. reloaded from its file"), await(zones.reloadChangedFiles()));
    assertEquals(
        List.of(
            first,
            "2-3 [www.diff.test.\t\t60\tIN\tA\t192.0.2.81] [www.diff.test.\t\t60\tIN\tA\t192.0.2.82]"),
        historyAfterRestart(config(true)));
    assertEquals("192.0.2.82", address("www"));
  }

  /** Positive control for the above: without the option nothing is journaled. */
  @Test
  void withoutTheOptionAReadFileLeavesNoJournal() throws Exception {
    ZoneVerticle zones = deploy(false);
    write(2, "www IN A 192.0.2.81\n");
    assertEquals(List.of("diff.test. reloaded from its file"), await(zones.reloadChangedFiles()));
    assertEquals("192.0.2.81", address("www"));
    assertFalse(Files.exists(config(false).journal()));
    assertEquals(List.of(), historyAfterRestart(config(false)));
  }

  /**
   * named: "ixfr-from-differences: new serial (2) out of range [3 - 2147483650]", and the served
   * version stays; a file touched but not changed is "unchanged", its history kept.
   */
  @Test
  void aChangedFileWithoutANewerSerialIsRefused() throws Exception {
    ZoneVerticle zones = deploy(true);
    write(2, "www IN A 192.0.2.81\n");
    await(zones.reloadChangedFiles());
    write(2, "www IN A 192.0.2.99\n");
    assertEquals(
        List.of("diff.test.: its file has errors (logged): not reloaded"),
        await(zones.reloadChangedFiles()));
    assertEquals("192.0.2.81", address("www"));
    // The file as served, rewritten with the same serial: unchanged, read, the history kept.
    write(2, "www IN A 192.0.2.81\n");
    assertEquals(List.of("diff.test. reloaded from its file"), await(zones.reloadChangedFiles()));
    assertEquals("192.0.2.81", address("www"));
    assertEquals(1, historyAfterRestart(config(true)).size());
  }

  /**
   * A zone with the option that took an update is dynamic until the update is in its file: an edit
   * before that is not read (the journal has a change the file lacks); after a sync it is, and its
   * difference from the served version (the update's record included) is journaled.
   */
  @Test
  void anUpdatedZoneIsReadAgainOnlyOnceItsFileHasTheUpdate() throws Exception {
    ZoneVerticle zones = deploy(true);
    update("added", "192.0.2.7");
    write(5, "www IN A 192.0.2.81\n");
    assertEquals(
        List.of(
            "diff.test.: a dynamic zone (it has taken updates): its edited file is not read, and"
                + " the node writes over it; change the zone with UPDATE"),
        await(zones.reloadChangedFiles()));
    assertEquals("192.0.2.80", address("www"));
    await(vertx.eventBus().request(Addresses.ZONE_SYNC, new JsonObject().put("zone", "diff.test")));
    write(5, "www IN A 192.0.2.81\nadded IN A 192.0.2.7\n");
    assertEquals(List.of("diff.test. reloaded from its file"), await(zones.reloadChangedFiles()));
    assertEquals("192.0.2.81", address("www"));
    List<String> history = historyAfterRestart(config(true));
    assertEquals(2, history.size(), history.toString());
    assertTrue(history.get(0).startsWith("1-2 [] [added.diff.test."), history.toString());
    assertEquals(
        "2-5 [www.diff.test.\t\t60\tIN\tA\t192.0.2.80] [www.diff.test.\t\t60\tIN\tA\t192.0.2.81]",
        history.get(1));
  }

  /**
   * As named (BIND 9.20 logs "journal rollforward failed: journal out of sync with zone" and does
   * not load the zone): a dynamic zone's file edited beyond its journal while the node was down is
   * not loaded, since it may lack the journal's changes. Before, it loaded and every update after
   * failed, the journal not continuing from the file. With the journal moved away, a reload serves
   * the file and updates work again.
   */
  @Test
  void aFileEditedBeyondItsJournalWhileTheNodeWasDownIsNotLoaded() throws Exception {
    deploy(false);
    update("added", "192.0.2.7");
    await(vertx.undeploy(vertx.deploymentIDs().iterator().next()));
    write(5, "www IN A 192.0.2.81\n");
    ZoneVerticle zones = new ZoneVerticle(settings(false));
    await(vertx.deployVerticle(zones));
    assertEquals("SERVFAIL", address("www"));
    JsonObject status = control("diff.test", "status");
    assertEquals(false, status.getBoolean("loaded"), status.encode());
    Files.move(config(false).journal(), dir.resolve("moved.jnl"));
    assertEquals(List.of("diff.test. reloaded from its file"), await(zones.reloadChangedFiles()));
    assertEquals("192.0.2.81", address("www"));
    update("again", "192.0.2.8");
    assertEquals("192.0.2.8", address("again"));
  }

  private void update(String name, String address) throws Exception {
    Update update = new Update(ORIGIN);
    update.add(
        new ARecord(Name.fromString(name, ORIGIN), DClass.IN, 60, InetAddress.getByName(address)));
    assertEquals(Rcode.NOERROR, answer(update, Transport.TCP).getRcode());
  }

  private String address(String name) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString(name, ORIGIN), Type.A, DClass.IN));
    Message answer = answer(query, Transport.UDP);
    List<Record> records = answer.getSection(Section.ANSWER);
    return records.isEmpty() ? Rcode.string(answer.getRcode()) : records.get(0).rdataToString();
  }
}
