package dev.vxdns.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneRules;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** Test helpers: zones and UPDATE messages from master-file text, and the zone after an update. */
final class Updates {

  static final Name ORIGIN = Name.fromConstantString("example.test.");
  static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  static final UpdateIdentity UNSIGNED_UDP =
      new UpdateIdentity(null, InetAddress.getLoopbackAddress(), false);

  static final String BASE =
      "$TTL 3600\n"
          + "@ IN SOA ns1 hostmaster 10 7200 3600 1209600 300\n"
          + "@ IN NS ns1\n"
          + "@ IN NS ns2\n"
          + "ns1 IN A 192.0.2.53\n"
          + "ns2 IN A 192.0.2.54\n"
          + "www IN A 192.0.2.1\n"
          + "www IN A 192.0.2.2\n"
          + "alias IN CNAME www\n"
          + "mail IN MX 10 www\n";

  private Updates() {}

  static Zone zone(String text) {
    try {
      return Zone.of(ORIGIN, records(text));
    } catch (ZoneException e) {
      throw new IllegalStateException(e);
    }
  }

  static Zone base() {
    return zone(BASE);
  }

  static List<Record> records(String text) {
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), ORIGIN)) {
      Record record;
      while ((record = master.nextRecord()) != null) {
        records.add(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /** One record from master-file text relative to example.test., e.g. "www 300 A 192.0.2.9". */
  static Record rr(String text) {
    return records("$TTL 3600\n" + text + "\n").get(0);
  }

  static Name name(String relative) {
    try {
      return Name.fromString(relative, ORIGIN);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fresh UPDATE for example.test. */
  static Update update() {
    return new Update(ORIGIN);
  }

  /** The message as a server receives it: written to the wire and parsed again. */
  static Message wire(Message message) {
    try {
      return new Message(message.toWire());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static UpdateResult apply(Zone zone, Message update) {
    return DynamicUpdate.apply(
        zone,
        wire(update),
        UNSIGNED_UDP,
        null,
        SerialUpdateMethod.INCREMENT,
        ZoneRules.BIND_PRIMARY,
        NOW);
  }

  /** Applies the update, expects NOERROR with a change, and returns the zone after it. */
  static Zone applied(Zone zone, Message update) {
    UpdateResult result = apply(zone, update);
    assertEquals(Rcode.NOERROR, result.rcode(), result.reason());
    assertNotNull(result.diff(), "expected a change: " + result.reason());
    try {
      return zone.apply(result.diff());
    } catch (ZoneException e) {
      throw new AssertionError("the diff does not apply: " + e.getMessage(), e);
    }
  }

  /** The zone's RRset as sorted "TTL TYPE RDATA" lines, so assertions read like a zone file. */
  static List<String> rrset(Zone zone, String relative, int type) {
    TreeSet<String> lines = new TreeSet<>();
    for (Record record : zone.recordsAt(name(relative))) {
      if (record.getType() == type) {
        lines.add(record.getTTL() + " " + Type.string(type) + " " + record.rdataToString());
      }
    }
    return List.copyOf(lines);
  }

  /** An update RR of class ANY or NONE carrying the given TTL, which RFC 2136 forbids. */
  static Record withTtl(Name name, int type, int dclass, long ttl) {
    return Record.newRecord(name, type, dclass, ttl);
  }

  static String rcode(UpdateResult result) {
    return Rcode.string(result.rcode());
  }

  static int in() {
    return DClass.IN;
  }
}
