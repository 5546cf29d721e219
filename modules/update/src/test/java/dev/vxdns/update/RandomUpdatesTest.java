package dev.vxdns.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneRules;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Serial;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Thousands of random updates from a small vocabulary, chained: whatever the rcode, a returned diff
 * applies cleanly with Zone.apply, a failure or a no-op returns no diff, a change raises the serial
 * (RFC 1982), and the SOA and at least one apex NS always survive.
 */
class RandomUpdatesTest {

  private static final String[] NAMES = {"@", "www", "alias", "mail", "new", "*.w", "a.b", "ns1"};
  private static final String[] RECORDS = {
    "A 192.0.2.1",
    "A 192.0.2.9",
    "AAAA 2001:db8::1",
    "TXT hello",
    "CNAME www",
    "CNAME alias",
    "MX 10 www",
    "MX 20 nothere",
    "NS ns1",
    "NS ns2",
    "DNAME example.org.",
    "PTR host.example.org.",
    "SOA ns1 hostmaster 999999 7200 3600 1209600 300",
    "DS 1 13 2 " + "ab".repeat(32),
  };
  private static final int[] TYPES = {
    Type.A, Type.AAAA, Type.TXT, Type.CNAME, Type.MX, Type.NS, Type.SOA, Type.ANY, Type.DS
  };
  private static final Set<Integer> RCODES =
      Set.of(
          Rcode.NOERROR,
          Rcode.FORMERR,
          Rcode.NXDOMAIN,
          Rcode.YXDOMAIN,
          Rcode.YXRRSET,
          Rcode.NXRRSET,
          Rcode.REFUSED,
          Rcode.NOTZONE);

  @Test
  void everyDiffAppliesAndTheZoneStaysAZone() throws Exception {
    Random random = new Random(2136);
    Zone zone = Updates.base();
    int changes = 0;
    int failures = 0;
    for (int round = 0; round < 3000; round++) {
      Update update = Updates.update();
      int count = 1 + random.nextInt(4);
      for (int i = 0; i < count; i++) {
        addRandom(update, random);
      }
      Message wire = Updates.wire(update);
      UpdateResult result =
          DynamicUpdate.apply(
              zone,
              wire,
              Updates.UNSIGNED_UDP,
              null,
              SerialUpdateMethod.INCREMENT,
              ZoneRules.BIND_PRIMARY,
              Updates.NOW);
      assertTrue(RCODES.contains(result.rcode()), result.reason() + "\n" + update);
      if (result.rcode() != Rcode.NOERROR) {
        assertNull(result.diff(), result.reason());
        failures++;
        continue;
      }
      if (result.diff() == null) {
        continue;
      }
      assertEquals(zone.serial(), result.diff().fromSerial());
      assertTrue(
          Serial.compare(result.diff().toSerial(), zone.serial()) > 0,
          "serial must go up: " + result.reason());
      try {
        zone = zone.apply(result.diff());
      } catch (ZoneException e) {
        fail("diff does not apply: " + e.getMessage() + "\n" + result.diff() + "\n" + update);
      }
      changes++;
      assertNotNull(zone.soa());
      assertTrue(zone.recordsAt(Updates.ORIGIN).stream().anyMatch(r -> r.getType() == Type.NS));
    }
    assertTrue(changes > 300, "only " + changes + " updates changed the zone");
    assertTrue(failures > 100, "only " + failures + " updates failed");
  }

  private static void addRandom(Update update, Random random) {
    Name name = Updates.name(NAMES[random.nextInt(NAMES.length)]);
    String owner = name.toString();
    switch (random.nextInt(9)) {
      case 0, 1, 2 ->
          update.add(Updates.rr(owner + " " + (60 * (1 + random.nextInt(3))) + " " + pick(random)));
      case 3 -> update.delete(Updates.rr(owner + " 0 " + pick(random)));
      case 4 -> update.delete(name, TYPES[random.nextInt(TYPES.length)]);
      case 5 -> update.delete(name);
      case 6 -> {
        if (random.nextBoolean()) {
          update.present(name);
        } else {
          update.absent(name);
        }
      }
      case 7 -> {
        int type = TYPES[random.nextInt(TYPES.length - 2)];
        if (random.nextBoolean()) {
          update.present(name, type);
        } else {
          update.absent(name, type);
        }
      }
      default -> {
        Record record = Updates.rr(owner + " 0 " + pick(random));
        update.addRecord(
            Record.newRecord(
                record.getName(), record.getType(), DClass.IN, 0, record.rdataToWireCanonical()),
            Section.PREREQ);
      }
    }
  }

  private static String pick(Random random) {
    return RECORDS[random.nextInt(RECORDS.length)];
  }

  @Test
  void emptyRdataInADeleteIsFormErrWhereTheTypeCannotBeEmpty() {
    Update update = Updates.update();
    update.addRecord(Record.newRecord(Updates.name("www"), Type.A, DClass.NONE, 0), Section.UPDATE);
    assertEquals(Rcode.FORMERR, Updates.apply(Updates.base(), update).rcode());
  }
}
