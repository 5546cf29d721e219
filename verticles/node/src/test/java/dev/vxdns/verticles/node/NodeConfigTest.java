package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.Delivery;
import dev.vxdns.message.Transport;
import dev.vxdns.verticles.acl.AccessLists;
import dev.vxdns.verticles.proxy.ProxySettings;
import dev.vxdns.verticles.transport.ListenerConfig;
import dev.vxdns.verticles.transport.ProxyMode;
import dev.vxdns.verticles.transport.TcpOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeConfigTest {
  private static final Path REPOSITORY_CONFIG = Path.of("../../config");

  @Test
  void theShippedDefaultConfigIsValid() throws Exception {
    JsonObject json = new JsonObject(Files.readString(REPOSITORY_CONFIG.resolve("vxdns.json")));
    NodeConfig config = NodeConfig.parse(json, REPOSITORY_CONFIG);
    List<ListenerConfig> listeners = config.transport().listeners();
    assertEquals(2, listeners.size());
    assertEquals(Transport.UDP, listeners.get(0).transport());
    assertEquals(Transport.TCP, listeners.get(1).transport());
    assertEquals(5300, listeners.get(0).port());
    assertEquals("127.0.0.1:5300", listeners.get(0).name());
    assertEquals(
        List.of(Addresses.BLACKHOLE, Addresses.AUTH, Addresses.ACL, Addresses.ZONE_QUERY),
        listeners.get(0).pipeline());
    assertEquals(Delivery.DIRECT, config.transport().delivery());
    assertEquals(1232, config.transport().dns().maxUdpSize());
    assertEquals("example.test.", config.zone().zones().get(0).name());
    assertTrue(Files.isReadable(config.zone().zones().get(0).file()));
  }

  @Test
  void appliesBindDefaultsAndUnits(@TempDir Path dir) throws Exception {
    NodeConfig config =
        NodeConfig.parse(
            new JsonObject(
                """
        {"options": {"listen-on": [{"address": "::1", "port": 53, "transport": "tcp"}],
                     "tcp-idle-timeout": 50, "pipeline": {"delivery": "eventbus"}}}"""),
            dir);
    TcpOptions tcp = config.transport().tcp();
    assertEquals(5_000, tcp.idleTimeoutMillis());
    assertEquals(30_000, tcp.initialTimeoutMillis());
    assertEquals(150, tcp.clients());
    assertEquals(300, tcp.httpListenerClients());
    assertEquals(100, tcp.httpStreamsPerConnection());
    assertEquals(1024, config.transport().udpMaxInflight());
    assertEquals(64 << 20, config.transport().httpMaxBufferedBytes());
    assertEquals("[0:0:0:0:0:0:0:1]:53", config.transport().listeners().get(0).name());
    assertEquals(Delivery.EVENTBUS, config.transport().delivery());
    assertTrue(config.zone().zones().isEmpty());
  }

  /** Every invalid document fails with the key that is wrong and what is wrong with it. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"optons\": {}}                                                           | optons                       | unknown key",
        "{\"options\": {}}                                                          | options.listen-on            | at least one listener",
        "{\"options\": {\"listen-on\": [{\"port\": 53}]}}                           | options.listen-on[0].address | is required",
        "{\"options\": {\"listen-on\": [{\"address\": \"localhost\"}]}}             | options.listen-on[0].address | not an IPv4 or IPv6 address",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"port\": 70000}]}} | options.listen-on[0].port | between 0 and 65535",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"port\": \"53\"}]}} | options.listen-on[0].port | whole number",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"transport\": \"quic\"}]}} | options.listen-on[0].transport | unknown transport 'quic'",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"transport\": \"doh\"}]}} | options.listen-on[0].tls | naming an entry of the top-level tls object",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"port\": 53}, {\"address\": \"127.0.0.1\", \"port\": 53}]}} | options.listen-on[1].transport | configured twice",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"port\": 5300}, {\"address\": \"127.0.0.1\", \"port\": 5300, \"transport\": \"h2c\"}]}} | options.listen-on[1].transport | h2c on 127.0.0.1:5300 would share its TCP port with tcp",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"max-udp-size\": 100}} | options.max-udp-size | between 512 and 4096",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"pipeline\": {\"delivery\": \"carrier-pigeon\"}}} | options.pipeline.delivery | unknown delivery",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"ex ample\": {\"file\": \"x\"}}} | zone.ex ample | not a valid zone name",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {}}} | zone.a.test.file | is required",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"file\": \"missing.zone\"}}} | zone.a.test.file | cannot read",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"file\": \"x\"}}} | zone.a.test.primaries | a secondary zone needs primaries",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"stub\", \"file\": \"x\"}}} | zone.a.test.type | must be primary, secondary or forward",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\", \"transport\": \"quic\"}]}}} | zone.a.test.primaries[0].transport | must be tcp or tls",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\", \"key\": \"nokey.\"}]}}} | zone.a.test.primaries[0].key | no key named nokey.",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\"}], \"allow-update\": [\"any\"]}}} | zone.a.test.allow-update | not allowed in a secondary zone",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\"}], \"update-policy\": [\"grant k. zonesub ANY\"]}}} | zone.a.test.update-policy | only for type primary",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"serial-update-method\": \"weekly\"}} | options.serial-update-method | weekly",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"max-journal-size\": \"huge\"}} | options.max-journal-size | huge",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"notify\": \"maybe\"}} | options.notify | must be yes, explicit, primary-only or no",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"max-records-per-type\": -1}} | options.max-records-per-type | between 0 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"max-ixfr-ratio\": \"0%\"}} | options.max-ixfr-ratio | must be unlimited or a percentage",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"min-refresh-time\": 600, \"max-refresh-time\": 300}} | options.max-refresh-time | is below min-refresh-time (600)",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\"}], \"min-retry-time\": 0}}} | zone.a.test.min-retry-time | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"ixfr-from-differences\": \"sometimes\"}} | options.ixfr-from-differences | must be yes, no, primary or secondary",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"max-transfer-time-in\": 0}} | options.max-transfer-time-in | between 1 and 40320",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"min-transfer-rate-in\": {\"bytes\": 0, \"minutes\": 5}}} | options.min-transfer-rate-in.bytes | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"min-transfer-rate-in\": {\"bytes\": 10240}}} | options.min-transfer-rate-in.minutes | is required",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"min-transfer-rate-in\": 10240}} | options.min-transfer-rate-in | must be an object",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\"}], \"max-transfer-idle-in\": 40321}}} | zone.a.test.max-transfer-idle-in | between 1 and 40320",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"transfer-source\": \"::1\"}} | options.transfer-source | must be an IPv4 address or *, not ::1",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"notify-source-v6\": \"127.0.0.1\"}} | options.notify-source-v6 | must be an IPv6 address or *, not 127.0.0.1",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"notify-source\": \"ns1.example\"}} | options.notify-source | is not an IPv4 or IPv6 address",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"transfer-source\": \"0.0.0.0\"}} | options.transfer-source | must be one of this host",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\"}], \"transfer-source-v6\": \"224.0.0.1\"}}} | zone.a.test.transfer-source-v6 | must be an IPv6 address or *, not 224.0.0.1",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"transfers-per-ns\": 0}} | options.transfers-per-ns | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"serial-query-rate\": 0}} | options.serial-query-rate | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"notify-rate\": -1}} | options.notify-rate | between 0 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"startup-notify-rate\": \"fast\"}} | options.startup-notify-rate | must be",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"max-transfer-idle-out\": 0}} | options.max-transfer-idle-out | between 1 and 40320",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"request-ixfr\": \"maybe\"}} | options.request-ixfr | must be true, false",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\"}], \"max-records\": \"many\"}}} | zone.a.test.max-records | must be a whole number",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"check-names\": {\"primary\": \"strict\"}}} | options.check-names.primary | must be fail, warn or ignore, not strict",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"check-names\": {\"response\": \"fail\"}}} | options.check-names.response | unknown key",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"check-names\": \"fail\"}} | options.check-names | must be an object",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"type\": \"secondary\", \"primaries\": [{\"address\": \"127.0.0.1\"}], \"check-names\": \"loud\"}}} | zone.a.test.check-names | must be fail, warn or ignore",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"also-notify\": [{\"address\": \"127.0.0.1\", \"port\": 0}]}} | options.also-notify[0].port | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"also-notify\": [\"ns.example\"]}} | options.also-notify[0].address | not an IPv4 or IPv6 address",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"proxy\": \"encrypted\"}]}} | options.listen-on[0].proxy | need a TLS transport",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"transport\": \"h2c\", \"proxy\": \"encrypted\"}]}} | options.listen-on[0].proxy | h2c takes proxy plain",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"proxy\": \"yes\"}]}} | options.listen-on[0].proxy | must be plain or encrypted",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"transport\": \"doq\", \"tls\": \"ephemeral\", \"proxy\": \"plain\"}]}} | options.listen-on[0].proxy | PROXY v2 has no QUIC binding",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"transport\": \"doq\"}]}} | options.listen-on[0].tls | doq needs \"tls\"",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"doq-streams-per-connection\": 0}} | options.doq-streams-per-connection | between 1 and 65535",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"proxy\": \"plain\", \"pipeline\": [\"vxdns.zone.query\"]}]}} | options.listen-on[0].pipeline | must run vxdns.proxy first",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"allow-proxy\": [\"10.1.2.3/8\"]}} | options.allow-proxy | host bits set",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"allow-proxy-on\": [\"nosuchacl\"]}} | options.allow-proxy-on | undefined acl",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"allow-proxy\": 5}} | options.allow-proxy | array of address-match elements",
        "{\"acl\": {\"a\": [\"b\"], \"b\": [\"a\"]}, \"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}} | acl.a | cyclic",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"whoami\": \"bad..name\"}} | options.whoami | not a domain name",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"proxy-max-header-size\": 8}} | options.proxy-max-header-size | between 16 and 65551",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"http-listener-clients\": 0}} | options.http-listener-clients | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"http-streams-per-connection\": 0}} | options.http-streams-per-connection | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"http-max-buffered-bytes\": 1024}} | options.http-max-buffered-bytes | between 65535 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"udp-max-inflight\": 0}} | options.udp-max-inflight | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"key\": {\"k.\": {\"algorithm\": \"hmac-sha3\", \"secret\": \"AA==\"}}} | key.k..algorithm | k.",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"key\": {\"k.\": {\"algorithm\": \"hmac-sha256\", \"secret\": \"!!\"}}} | key.k..secret | k.",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"tkey-dhkey\": {\"name\": \"dh.\"}}} | options.tkey-dhkey | needs tkey-domain",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"sig0-rate-limit\": 0}} | options.sig0-rate-limit | between 1 and",
        "{\"controls\": [{\"port\": 953}], \"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}} | controls[0].address | is required",
        "{\"controls\": [{\"address\": \"127.0.0.1\"}], \"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}} | controls[0].key | controls needs key",
        "{\"controls\": [{\"address\": \"127.0.0.1\", \"key\": \"nope\"}], \"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}} | controls[0].key | no key nope",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"tkey-domain\": \"t.\", \"tkey-max-keys\": 0}} | options.tkey-max-keys | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"tkey-domain\": \"t.\", \"tkey-max-keys-per-client\": 0}} | options.tkey-max-keys-per-client | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"allow-query\": [\"geoip country US\"]}} | options.allow-query | GeoIP",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"geoip-directory\": \"nowhere\"}} | options.geoip-directory | nowhere",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": 5}} | options.rate-limit | must be an object",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"qps-scale\": 5}}} | options.rate-limit.qps-scale | unknown key",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"responses-per-second\": 1001}}} | options.rate-limit.responses-per-second | between 0 and 1000",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"nxdomains-per-second\": -1}}} | options.rate-limit.nxdomains-per-second | between 0 and 1000",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"window\": 0}}} | options.rate-limit.window | between 1 and 3600",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"slip\": 11}}} | options.rate-limit.slip | between 0 and 10",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"ipv4-prefix-length\": 33}}} | options.rate-limit.ipv4-prefix-length | between 0 and 32",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"ipv6-prefix-length\": 129}}} | options.rate-limit.ipv6-prefix-length | between 0 and 128",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"max-table-size\": 0}}} | options.rate-limit.max-table-size | between 1 and",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"log-only\": \"maybe\"}}} | options.rate-limit.log-only | must be true, false",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"rate-limit\": {\"exempt-clients\": [\"nosuchacl\"]}}} | options.rate-limit.exempt-clients | undefined acl",
      })
  void rejectsInvalidDocumentsNamingTheKey(
      String json, String key, String problem, @TempDir Path dir) {
    ConfigException error =
        assertThrows(ConfigException.class, () -> NodeConfig.parse(new JsonObject(json), dir));
    assertEquals(key, error.key(), error.getMessage());
    assertTrue(error.getMessage().contains(problem), error.getMessage());
  }

  @Test
  void rateLimitTakesBindDefaultsAndPutsItsStageBeforeAuth(@TempDir Path dir) throws Exception {
    NodeConfig config =
        NodeConfig.parse(
            new JsonObject(
                """
        {"options": {"listen-on": [{"address": "127.0.0.1", "proxy": "plain"}],
                     "rate-limit": {"responses-per-second": 5, "errors-per-second": 2,
                                    "exempt-clients": ["192.0.2.0/24"], "log-only": "yes"}}}"""),
            dir);
    assertEquals(
        List.of(
            Addresses.PROXY,
            Addresses.BLACKHOLE,
            Addresses.RRL,
            Addresses.AUTH,
            Addresses.ACL,
            Addresses.ZONE_QUERY),
        config.transport().listeners().get(0).pipeline());
    assertTrue(config.rrl().enabled());
    assertEquals(5, config.rrl().responsesPerSecond());
    assertEquals(5, config.rrl().nxdomainsPerSecond());
    assertEquals(2, config.rrl().errorsPerSecond());
    assertEquals(0, config.rrl().allPerSecond());
    assertEquals(15, config.rrl().window());
    assertEquals(2, config.rrl().slip());
    assertEquals(24, config.rrl().ipv4PrefixLength());
    assertEquals(56, config.rrl().ipv6PrefixLength());
    assertEquals(20_000, config.rrl().maxTableSize());
    assertTrue(config.rrl().logOnly());
    assertTrue(config.rrl().exemptClients().allows(java.net.InetAddress.getByName("192.0.2.9")));
  }

  @Test
  void aControlKeyFileOthersCanReadIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rndc.key");
    Files.writeString(
        file,
        "{\"key\": {\"rndc-key\": {\"algorithm\": \"hmac-sha256\", \"secret\":"
            + " \"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\"}}}");
    JsonObject json =
        new JsonObject(
            "{\"controls\": [{\"address\": \"127.0.0.1\", \"key\": \"rndc-key\", \"key-file\":"
                + " \"rndc.key\"}], \"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}}");
    Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    ConfigException error = assertThrows(ConfigException.class, () -> NodeConfig.parse(json, dir));
    assertEquals("controls[0].key-file", error.key(), error.getMessage());
    assertTrue(error.getMessage().contains("chmod 600"), error.getMessage());
    Files.setPosixFilePermissions(
        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    try (NodeConfig config = NodeConfig.parse(json, dir)) {
      assertEquals("rndc-key.", config.admin().controls().get(0).key().name().toString());
    }
  }

  @Test
  void theProxyExampleConfigIsValidAndPutsTheProxyStageFirst() throws Exception {
    Path examples = REPOSITORY_CONFIG.resolve("examples");
    NodeConfig config =
        NodeConfig.parse(
            new JsonObject(Files.readString(examples.resolve("proxy.json"))), examples);
    List<ListenerConfig> listeners = config.transport().listeners();
    assertEquals(4, listeners.size());
    assertEquals(ProxyMode.NONE, listeners.get(0).proxy());
    assertEquals(ProxyMode.PLAIN, listeners.get(2).proxy());
    assertEquals(
        List.of(
            Addresses.PROXY,
            Addresses.BLACKHOLE,
            Addresses.AUTH,
            Addresses.ACL,
            Addresses.ZONE_QUERY),
        listeners.get(2).pipeline());
    assertTrue(config.proxy().allowProxy().allows(java.net.InetAddress.getByName("127.0.0.9")));
    assertFalse(config.proxy().allowProxy().allows(java.net.InetAddress.getByName("192.0.2.1")));
    assertEquals("whoami.vxdns.", config.zone().whoami().toString());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"proxy.json", "tsig.json", "acl.json", "rate-limit.json", "extension.json"})
  void everyShippedExampleIsValid(String example) throws Exception {
    Path examples = REPOSITORY_CONFIG.resolve("examples");
    NodeConfig config =
        NodeConfig.parse(new JsonObject(Files.readString(examples.resolve(example))), examples);
    assertFalse(config.zone().zones().isEmpty());
  }

  @Test
  void namedAclsAreCompiledEvenWhenUnreferenced(@TempDir Path dir) throws Exception {
    NodeConfig config =
        NodeConfig.parse(
            new JsonObject(
                """
        {"acl": {"internal": ["!bogus", "10/8"], "bogus": ["192.0.2.0/24"], "unused": ["!internal", "any"]},
         "options": {"listen-on": [{"address": "127.0.0.1"}], "allow-query": ["internal"]}}"""),
            dir);
    assertEquals(java.util.Set.of("internal", "bogus", "unused"), config.namedAcls().keySet());
    java.net.InetAddress bogus = java.net.InetAddress.getByName("192.0.2.1");
    java.net.InetAddress inside = java.net.InetAddress.getByName("10.1.2.3");
    assertFalse(config.namedAcls().get("internal").allows(bogus));
    assertTrue(config.namedAcls().get("internal").allows(inside));
    assertTrue(config.namedAcls().get("bogus").allows(bogus));
    assertFalse(config.namedAcls().get("unused").allows(inside));
    assertEquals(
        "denied by '!internal' -> '10/8'",
        config
            .namedAcls()
            .get("unused")
            .evaluate(dev.vxdns.acl.MatchContext.of(inside))
            .toString());
    ConfigException error =
        assertThrows(
            ConfigException.class,
            () ->
                NodeConfig.parse(
                    new JsonObject(
                        """
        {"acl": {"ok": ["10/8"], "unused": ["nope"]}, "options": {"listen-on": [{"address": "127.0.0.1"}]}}"""),
                    dir));
    assertEquals("acl.unused", error.key());
    assertEquals("acl.unused: undefined acl 'nope'", error.getMessage());
  }

  @Test
  void bindsDefaultsForTheAccessLists(@TempDir Path dir) throws Exception {
    AccessLists access =
        NodeConfig.parse(
                new JsonObject("{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}}"),
                dir)
            .acl()
            .options();
    java.net.InetAddress client = java.net.InetAddress.getByName("192.0.2.1");
    assertTrue(access.allowQuery().allows(client));
    assertFalse(
        access.allowTransfer().allows(client), "BIND 9.20: allow-transfer defaults to none");
    assertFalse(access.allowUpdate().allows(client));
    assertFalse(access.allowNotify().allows(client));
    assertFalse(access.blackhole().allows(client));
    assertTrue(
        access.allowRecursion().allows(java.net.InetAddress.getByName("127.0.0.1")), "localhost");
  }

  @Test
  void bindsProxyDefaultsAllowNoOneOnAnyInterface(@TempDir Path dir) throws Exception {
    ProxySettings options =
        NodeConfig.parse(
                new JsonObject("{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}}"),
                dir)
            .proxy();
    assertFalse(options.allowProxy().allows(java.net.InetAddress.getByName("127.0.0.1")));
    assertTrue(options.allowProxyOn().allows(java.net.InetAddress.getByName("127.0.0.1")));
    assertEquals(512, options.maxHeaderSize());
  }

  @Test
  void theNodeKeepsTheDocumentAndResolvesFilesInItsFolder(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.zone"), "");
    JsonObject json =
        new JsonObject(
            "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]},"
                + " \"zone\": {\"a.test\": {\"file\": \"a.zone\"}}}");
    NodeConfig config = NodeConfig.parse(json, dir);
    assertEquals(json, config.source());
    assertEquals(
        dir.toAbsolutePath().normalize().resolve("a.zone"), config.zone().zones().get(0).file());
  }

  /**
   * Each part claims its own keys; a key that no part claims is refused wherever it is, naming
   * every key that is known there, whichever part owns it.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"allow-querry\": []}} | options.allow-querry | allow-query, allow-query-on, allow-recursion, allow-transfer",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"allow-querry\": []}} | options.allow-querry | tcp-clients",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"allow-querry\": []}} | options.allow-querry | proxy-max-header-size",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}], \"allow-querry\": []}} | options.allow-querry | sig0-workers",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"file\": \"x\", \"allow-updat\": []}}} | zone.a.test.allow-updat | allow-update, allow-update-forwarding, also-notify, check-integrity, check-names, file",
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"keys\": {}} | keys | acl, cluster, controls, extensions, forward, http, key, options, querylog, statistics-channels, tls, zone",
      })
  void aKeyNoPartClaimsIsRefusedWithEveryKnownKey(
      String json, String key, String known, @TempDir Path dir) {
    ConfigException error =
        assertThrows(ConfigException.class, () -> NodeConfig.parse(new JsonObject(json), dir));
    assertEquals(key, error.key(), error.getMessage());
    assertTrue(error.getMessage().contains("unknown key (known here: "), error.getMessage());
    assertTrue(error.getMessage().contains(known), error.getMessage());
  }

  /** update-policy is checked at load, with BIND's grammar; what vxdns cannot do is named. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"update-policy\": [\"grant k. krb5-self . ANY\"] | krb5-self",
        "\"update-policy\": [\"grant k. zonesub ANY\"], \"allow-update\": [\"any\"] | cannot be used together with allow-update",
        "\"update-policy\": [\"local\"] | a policy of its own",
        "\"update-policy\": \"nobody\" | is not grant or deny",
        "\"update-policy\": [\"permit k. zonesub ANY\"] | permit",
      })
  void rejectsBadUpdatePolicies(String zoneKeys, String problem, @TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("a.zone"), "@ 300 IN SOA ns. h. 1 3600 600 86400 300\n@ 300 IN NS ns.\n");
    String json =
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}, \"zone\": {\"a.test\": {\"file\": \"a.zone\", "
            + zoneKeys
            + "}}}";
    ConfigException error =
        assertThrows(ConfigException.class, () -> NodeConfig.parse(new JsonObject(json), dir));
    assertEquals("zone.a.test.update-policy", error.key(), error.getMessage());
    assertTrue(error.getMessage().contains(problem), error.getMessage());
  }
}
