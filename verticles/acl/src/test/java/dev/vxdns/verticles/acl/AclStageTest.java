package dev.vxdns.verticles.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.vxdns.acl.AclEnvironment;
import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.config.DnsOptions;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Transport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class AclStageTest {
  private static AddressMatchList list(String... elements) throws Exception {
    return AddressMatchList.compile(List.of((Object[]) elements), Map.of(), AclEnvironment.empty());
  }

  private static AclStage stage() throws Exception {
    AccessLists options =
        new AccessLists(
            list("192.0.2.99"),
            list("!192.0.2.66", "any"),
            list("!198.51.100.1", "any"),
            list("none"),
            list("none"),
            list("192.0.2.53"),
            list("192.0.2.0/24"));
    AccessLists openOverrides =
        new AccessLists(null, list("any"), null, list("key k."), list("key k."), null, null);
    AccessLists keyedOverrides =
        new AccessLists(null, list("key k."), list("any"), null, null, null, null);
    AccessLists inherited = new AccessLists(null, null, null, null, null, null, null);
    return new AclStage(
        new AclSettings(
            options,
            Map.of(
                "open.test.",
                openOverrides,
                "keyed.test.",
                keyedOverrides,
                "secondary.test.",
                inherited),
            java.util.Set.of(),
            java.util.Set.of("secondary.test."),
            new DnsOptions(1232, 1232)));
  }

  private static DnsExchange query(String name, String source, String destination, String key)
      throws Exception {
    return query(name, Type.A, Opcode.QUERY, false, source, destination, key);
  }

  private static DnsExchange query(
      String name,
      int type,
      int opcode,
      boolean recursive,
      String source,
      String destination,
      String key)
      throws Exception {
    Message message = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    message.getHeader().setOpcode(opcode);
    if (!recursive) {
      message.getHeader().unsetFlag(Flags.RD);
    }
    byte[] wire = message.toWire();
    DnsExchange exchange =
        DnsExchange.received(
            Transport.UDP,
            "t",
            new InetSocketAddress(source, 1000),
            new InetSocketAddress(destination, 53),
            wire);
    // "?": signed with a key the auth stage does not have (an UPDATE it let through).
    return key.isEmpty()
        ? exchange
        : key.equals("?") ? exchange.withKeyUnknown() : exchange.withKeyName(key);
  }

  /** The verdict names the last option passed and the element that allowed it, made once. */
  @Test
  void theVerdictNamesTheOptionAndTheAllowingElement() throws Exception {
    AclStage stage = stage();
    DnsExchange first = stage.apply(query("www.other.test.", "192.0.2.1", "127.0.0.1", ""));
    DnsExchange second = stage.apply(query("www.other.test.", "192.0.2.2", "127.0.0.1", ""));
    assertEquals("allow-query-on: any", first.verdicts().aclMatch());
    assertSame(first.verdicts().aclMatch(), second.verdicts().aclMatch());
    DnsExchange open = stage.apply(query("www.open.test.", "192.0.2.66", "127.0.0.1", ""));
    assertEquals("allow-query-on: any", open.verdicts().aclMatch());
  }

  @ParameterizedTest(name = "{0} from {1} to {2} key ''{3}'' -> {4}")
  @CsvSource(
      delimiter = '|',
      value = {
        "www.other.test.   | 192.0.2.1  | 127.0.0.1     |    | CONTINUE",
        "www.other.test.   | 192.0.2.66 | 127.0.0.1     |    | REFUSED",
        "www.open.test.    | 192.0.2.66 | 127.0.0.1     |    | CONTINUE",
        "www.keyed.test.   | 192.0.2.1  | 127.0.0.1     |    | REFUSED",
        "keyed.test.       | 192.0.2.1  | 127.0.0.1     | k. | CONTINUE",
        "www.other.test.   | 192.0.2.1  | 198.51.100.1  |    | REFUSED",
        "www.keyed.test.   | 192.0.2.1  | 198.51.100.1  | k. | CONTINUE",
        "www.other.test.   | 192.0.2.99 | 127.0.0.1     |    | DROP",
      })
  void closestZoneOverridesTheOptions(
      String name, String source, String destination, String key, String expected)
      throws Exception {
    DnsExchange result = stage().apply(query(name, source, destination, key == null ? "" : key));
    switch (expected) {
      case "CONTINUE" -> assertFalse(result.isFinished(), result.verdicts().aclMatch());
      case "DROP" -> assertEquals(Outcome.DROP, result.reply().outcome());
      default ->
          assertEquals(
              Rcode.REFUSED, result.responseMessage().getRcode(), result.verdicts().aclMatch());
    }
  }

  /**
   * Transfers, updates, NOTIFY and recursion each have their own list; zones override the first
   * three (a zone without its own inherits the options'). As in BIND, a transfer, an UPDATE and a
   * NOTIFY are judged for a zone's apex only, and allow-notify for a secondary's only: any other
   * goes on to the zone stage, which answers it NOTAUTH (or NOERROR, a NOTIFY for a primary). An
   * UPDATE signed with a key this server lacks ("?") is judged only for a secondary, which may
   * forward it; for a primary BIND fails the signature first (the zone stage's NOTAUTH).
   */
  @ParameterizedTest(name = "{0} {1} {2} from {3} key ''{4}'' -> {5}")
  @CsvSource(
      delimiter = '|',
      value = {
        "secondary.test. | AXFR | QUERY  | 192.0.2.1   |    | REFUSED",
        "open.test.      | AXFR | QUERY  | 192.0.2.1   | k. | CONTINUE",
        "open.test.      | IXFR | QUERY  | 192.0.2.1   |    | REFUSED",
        "www.open.test.  | AXFR | QUERY  | 192.0.2.1   |    | CONTINUE",
        "other.test.     | AXFR | QUERY  | 192.0.2.1   |    | CONTINUE",
        "secondary.test. | SOA  | UPDATE | 192.0.2.1   |    | REFUSED",
        "open.test.      | SOA  | UPDATE | 192.0.2.1   | k. | CONTINUE",
        "open.test.      | SOA  | UPDATE | 192.0.2.1   |    | REFUSED",
        "open.test.      | SOA  | UPDATE | 192.0.2.1   | ?  | CONTINUE",
        "secondary.test. | SOA  | UPDATE | 192.0.2.1   | ?  | REFUSED",
        "www.open.test.  | SOA  | UPDATE | 192.0.2.1   |    | CONTINUE",
        "other.test.     | SOA  | UPDATE | 192.0.2.1   |    | CONTINUE",
        "secondary.test.     | SOA  | NOTIFY | 192.0.2.53  |    | CONTINUE",
        "secondary.test.     | SOA  | NOTIFY | 192.0.2.54  |    | REFUSED",
        "www.secondary.test. | SOA  | NOTIFY | 192.0.2.54  |    | CONTINUE",
        "open.test.          | SOA  | NOTIFY | 192.0.2.54  |    | CONTINUE",
        "other.test.         | SOA  | NOTIFY | 192.0.2.54  |    | CONTINUE",
      })
  void everyKindOfRequestHasItsList(
      String name, String type, String opcode, String source, String key, String expected)
      throws Exception {
    DnsExchange result =
        stage()
            .apply(
                query(
                    name,
                    Type.value(type),
                    Opcode.value(opcode),
                    false,
                    source,
                    "127.0.0.1",
                    key == null ? "" : key));
    if (expected.equals("CONTINUE")) {
      assertFalse(result.isFinished(), result.verdicts().aclMatch());
    } else {
      assertEquals(
          Rcode.REFUSED, result.responseMessage().getRcode(), result.verdicts().aclMatch());
    }
  }

  @ParameterizedTest(name = "recursive query for {0} from {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "www.example.com. | 192.0.2.7    | CONTINUE",
        "www.example.com. | 203.0.113.7  | REFUSED",
        "www.open.test.   | 203.0.113.7  | CONTINUE",
      })
  void allowRecursionOnlyGuardsNamesOutsideTheZones(String name, String source, String expected)
      throws Exception {
    DnsExchange result =
        stage().apply(query(name, Type.A, Opcode.QUERY, true, source, "127.0.0.1", ""));
    assertEquals(expected.equals("CONTINUE"), !result.isFinished(), result.verdicts().aclMatch());
  }

  /**
   * ecs elements see the query's Client-Subnet option; qualified lists see the port and transport.
   */
  @org.junit.jupiter.api.Test
  void ecsPortAndTransportReachTheLists() throws Exception {
    AccessLists options =
        new AccessLists(
            list("none"),
            AddressMatchList.compile(
                List.of(
                    "ecs 198.51.100.0/24",
                    Map.of("port", 5353, "transport", "tcp", "match", List.of("any"))),
                Map.of(),
                AclEnvironment.empty()),
            list("any"),
            list("none"),
            list("none"),
            list("none"),
            list("any"));
    AclStage stage = new AclStage(new AclSettings(options, Map.of(), new DnsOptions(1232, 1232)));
    Message withEcs =
        Message.newQuery(Record.newRecord(Name.fromString("x.test."), Type.A, DClass.IN));
    withEcs.addRecord(
        new org.xbill.DNS.OPTRecord(
            1232,
            0,
            0,
            0,
            List.of(
                new org.xbill.DNS.ClientSubnetOption(
                    24, java.net.InetAddress.getByName("198.51.100.0")))),
        org.xbill.DNS.Section.ADDITIONAL);
    DnsExchange ecs =
        DnsExchange.received(
            Transport.UDP,
            "t",
            new InetSocketAddress("192.0.2.1", 1000),
            new InetSocketAddress("127.0.0.1", 53),
            withEcs.toWire());
    assertFalse(stage.apply(ecs).isFinished(), "the ECS option is inside ecs 198.51.100.0/24");

    byte[] plain =
        Message.newQuery(Record.newRecord(Name.fromString("x.test."), Type.A, DClass.IN)).toWire();
    DnsExchange udp53 =
        DnsExchange.received(
            Transport.UDP,
            "t",
            new InetSocketAddress("192.0.2.1", 1000),
            new InetSocketAddress("127.0.0.1", 53),
            plain);
    assertEquals(
        Rcode.REFUSED, stage.apply(udp53).responseMessage().getRcode(), "no ECS, not tcp/5353");
    DnsExchange tcp5353 =
        DnsExchange.received(
            Transport.TCP,
            "t",
            new InetSocketAddress("192.0.2.1", 1000),
            new InetSocketAddress("127.0.0.1", 5353),
            plain);
    assertFalse(stage.apply(tcp5353).isFinished(), "the port/transport qualified list holds");
  }

  @org.junit.jupiter.api.Test
  void refusalsAreCountedPerOptionAndZone() throws Exception {
    AclStage stage = stage();
    stage.apply(query("www.keyed.test.", "192.0.2.1", "127.0.0.1", ""));
    stage.apply(query("www.keyed.test.", "192.0.2.1", "127.0.0.1", ""));
    stage.apply(query("www.other.test.", "192.0.2.99", "127.0.0.1", ""));
    assertEquals(Map.of("allow-query keyed.test.", 2L, "blackhole", 1L), stage.refusals());
  }

  /**
   * The blackhole stage runs before anything parses the query: even bytes that are no query are
   * dropped (datagrams) or close the connection (streams), counted with the ACL stage's refusals.
   */
  @Test
  void blackholeDropsDatagramsAndClosesStreamsBeforeParsing() throws Exception {
    AclStage stage = stage();
    byte[] garbage = {1, 2, 3};
    for (Transport transport : Transport.values()) {
      DnsExchange exchange =
          DnsExchange.received(
              transport,
              "t",
              new InetSocketAddress("192.0.2.99", 1000),
              new InetSocketAddress("127.0.0.1", 53),
              garbage);
      DnsExchange judged = stage.blackhole().apply(exchange);
      assertEquals(
          transport.isStream() ? Outcome.CLOSE : Outcome.DROP,
          judged.reply().outcome(),
          transport.configName());
      assertEquals(null, judged.request(), "not parsed");
    }
    DnsExchange other = query("www.other.test.", "192.0.2.1", "127.0.0.1", "");
    assertEquals(other, stage.blackhole().apply(other), "other sources pass untouched");
    assertEquals(Map.of("blackhole", (long) Transport.values().length), stage.refusals());
  }

  /**
   * DS lives on the parent side of a zone cut (RFC 4035 3.1.4.1): where both zones are served, the
   * parent answers a DS query for the child's apex, so the parent's lists apply, not the child's.
   */
  @Test
  void dsAtChildApexIsJudgedByTheParentZone() throws Exception {
    AccessLists closed = new AccessLists(null, list("none"), null, null, null, null, null);
    AccessLists inherit = new AccessLists(null, null, null, null, null, null, null);
    AccessLists options =
        new AccessLists(
            list("none"),
            list("any"),
            list("any"),
            list("none"),
            list("none"),
            list("none"),
            list("none"));
    AclStage stage =
        new AclStage(
            new AclSettings(
                options,
                Map.of("parent.test.", inherit, "child.parent.test.", closed),
                new DnsOptions(1232, 1232)));
    String source = "192.0.2.1";
    DnsExchange ds =
        query("child.parent.test.", Type.DS, Opcode.QUERY, false, source, "127.0.0.1", "");
    DnsExchange a =
        query("child.parent.test.", Type.A, Opcode.QUERY, false, source, "127.0.0.1", "");
    // Control: any other type at the child apex is the child's, and the child refuses it.
    assertEquals(Rcode.REFUSED, stage.apply(a).responseMessage().getRcode());
    assertEquals(Outcome.CONTINUE, stage.apply(ds).reply().outcome());
    // Below the apex the child decides again, DS included.
    DnsExchange belowDs =
        query("x.child.parent.test.", Type.DS, Opcode.QUERY, false, source, "127.0.0.1", "");
    assertEquals(Rcode.REFUSED, stage.apply(belowDs).responseMessage().getRcode());
  }
}
