package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigSource;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.Transport;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
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
 * {@code vxdns zone-freeze} and {@code zone-thaw}, named's {@code rndc freeze} and {@code thaw},
 * the way to edit a dynamic zone's file by hand: a freeze writes the served version to the file and
 * refuses updates (REFUSED, as named), a thaw reads the edited file and takes updates again, which
 * a restart finds journaled after the edited version.
 */
class FreezeThawTest extends ZoneVerticleCase {
  private static final Name ORIGIN = Name.fromConstantString("dyn.test.");

  private ZoneSettings settings() throws Exception {
    JsonObject config =
        new JsonObject()
            .put(
                "zone", new JsonObject().put("dyn.test", new JsonObject().put("file", "dyn.zone")));
    return ConfigSource.of(config, dir).parse(ZoneSettings.PART);
  }

  private void write(long serial, String records) throws Exception {
    writeZone("dyn.zone", serial, records);
  }

  private JsonObject control(String op) throws Exception {
    return control("dyn.test", op);
  }

  private int update(String name, String address) throws Exception {
    Update update = new Update(ORIGIN);
    update.add(
        new ARecord(Name.fromString(name, ORIGIN), DClass.IN, 60, InetAddress.getByName(address)));
    return answer(update, Transport.TCP).getRcode();
  }

  private long serial() throws Exception {
    Message soa =
        answer(Message.newQuery(Record.newRecord(ORIGIN, Type.SOA, DClass.IN)), Transport.UDP);
    return ((SOARecord) soa.getSection(Section.ANSWER).get(0)).getSerial();
  }

  @Test
  void aFrozenZoneRefusesUpdatesAndAThawReadsItsEditedFile() throws Exception {
    write(1, "www IN A 192.0.2.80\n");
    await(vertx.deployVerticle(new ZoneVerticle(settings())));
    assertEquals(Rcode.NOERROR, update("added", "192.0.2.7"));

    assertEquals(
        "zone frozen: its file is written; updates are refused",
        control("freeze").getString("result"));
    assertTrue(Files.readString(dir.resolve("dyn.zone")).contains("192.0.2.7"), "the file has it");
    assertEquals(Rcode.REFUSED, update("refused", "192.0.2.8"));
    assertEquals(true, control("status").getBoolean("frozen"));
    ExecutionException again = assertThrows(ExecutionException.class, () -> control("freeze"));
    assertEquals(409, ((ReplyException) again.getCause()).failureCode());

    write(5, "www IN A 192.0.2.85\nadded IN A 192.0.2.7\nedited IN A 192.0.2.9\n");
    assertEquals("The zone reload and thaw was successful.", control("thaw").getString("result"));
    assertEquals(5, serial());
    assertEquals(false, control("status").getBoolean("frozen"));
    // The journal started afresh at the edited version: the next change is journaled after it.
    assertEquals(Rcode.NOERROR, update("later", "192.0.2.10"));
    assertEquals(6, serial());
    assertEquals("the zone was not frozen", control("thaw").getString("result"));

    // A restart (the files as a kill -9 leaves them) has the edit and the update after it.
    PrimaryZone.Loaded loaded = PrimaryZone.load(settings().zones().get(0), records -> {}, true);
    try {
      assertEquals(6, loaded.zone().serial());
      for (String name : List.of("www", "edited", "later")) {
        assertEquals(
            1,
            loaded.zone().recordsAt(Name.fromString(name, ORIGIN)).size(),
            name + " in " + loaded.zone().records());
      }
    } finally {
      loaded.journal().close();
    }
  }

  /** A request without an operation, with an unknown one, or for a zone not served: the code. */
  @Test
  void badControlRequestsGetTheirCodes() throws Exception {
    write(1, "www IN A 192.0.2.80\n");
    await(vertx.deployVerticle(new ZoneVerticle(settings())));
    for (Object[] row :
        new Object[][] {
          {new JsonObject().put("zone", "dyn.test"), 400},
          {new JsonObject().put("zone", "dyn.test").put("op", (String) null), 400},
          {new JsonObject().put("zone", "dyn.test").put("op", "explode"), 400},
          {new JsonObject().put("zone", "nope.test").put("op", "status"), 404},
          {new JsonObject().put("zone", "a..b").put("op", "status"), 400},
          {new JsonObject(), 400}
        }) {
      ExecutionException failed =
          assertThrows(
              ExecutionException.class,
              () -> await(vertx.eventBus().request(Addresses.ZONE_CONTROL, row[0])));
      assertEquals(row[1], ((ReplyException) failed.getCause()).failureCode(), row[0].toString());
    }
    // The positive control: the same address answers a good request.
    assertEquals("dyn.test.", control("status").getString("name"));
  }
}
