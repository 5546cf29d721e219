package dev.vxdns.verticles.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vxdns.acl.AclEnvironment;
import dev.vxdns.acl.AddressMatchList;
import dev.vxdns.config.AccessLists;
import dev.vxdns.config.ZoneConfig;
import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Transport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class AclStageTest {
  private static AddressMatchList list(String... elements) throws Exception {
    return AddressMatchList.compile(List.of((Object[]) elements), Map.of(), AclEnvironment.empty());
  }

  private static AclStage stage() throws Exception {
    AccessLists options = new AccessLists(list("192.0.2.99"), list("!192.0.2.66", "any"), list("!198.51.100.1", "any"));
    ZoneConfig open = new ZoneConfig("open.test.", "primary", Path.of("x"), list("any"), null);
    ZoneConfig keyed = new ZoneConfig("keyed.test.", "primary", Path.of("x"), list("key k."), list("any"));
    return new AclStage(options, List.of(open, keyed), 1232);
  }

  private static DnsExchange query(String name, String source, String destination, String key) throws Exception {
    byte[] wire = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)).toWire();
    DnsExchange exchange = DnsExchange.received(Transport.UDP, "t", new InetSocketAddress(source, 1000),
        new InetSocketAddress(destination, 53), wire);
    return key.isEmpty() ? exchange : exchange.withKeyName(key);
  }

  @ParameterizedTest(name = "{0} from {1} to {2} key ''{3}'' -> {4}")
  @CsvSource(delimiter = '|', value = {
      "www.other.test.   | 192.0.2.1  | 127.0.0.1     |    | CONTINUE",
      "www.other.test.   | 192.0.2.66 | 127.0.0.1     |    | REFUSED",
      "www.open.test.    | 192.0.2.66 | 127.0.0.1     |    | CONTINUE",
      "www.keyed.test.   | 192.0.2.1  | 127.0.0.1     |    | REFUSED",
      "keyed.test.       | 192.0.2.1  | 127.0.0.1     | k. | CONTINUE",
      "www.other.test.   | 192.0.2.1  | 198.51.100.1  |    | REFUSED",
      "www.keyed.test.   | 192.0.2.1  | 198.51.100.1  | k. | CONTINUE",
      "www.other.test.   | 192.0.2.99 | 127.0.0.1     |    | DROP",
  })
  void closestZoneOverridesTheOptions(String name, String source, String destination, String key, String expected) throws Exception {
    DnsExchange result = stage().apply(query(name, source, destination, key == null ? "" : key));
    switch (expected) {
      case "CONTINUE" -> assertFalse(result.isFinished(), result.aclMatch());
      case "DROP" -> assertEquals(Outcome.DROP, result.outcome());
      default -> assertEquals(Rcode.REFUSED, result.response().getRcode(), result.aclMatch());
    }
  }
}
