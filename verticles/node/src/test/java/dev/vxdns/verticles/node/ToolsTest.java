package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.DhGroup;
import dev.vxdns.auth.DhKey;
import dev.vxdns.auth.TkeyClient;
import dev.vxdns.auth.TsigKey;
import dev.vxdns.auth.TsigKeys;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * tsig-keygen, and tsig-list / tsig-delete against a running node's control channel (the node run
 * by the launcher as its own JVM).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ToolsTest {
  static final String KEY_256 = "host1-host2.";
  static final String SECRET_256 =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  static final String KEY_512 = "transfer.";
  static final String SECRET_512 =
      Base64.getEncoder()
          .encodeToString(
              "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210".getBytes());

  static final String CONTROL_KEY = "rndc-key.";

  private NodeProcess node;
  private int port;
  private int controlPort;
  private Path configFile;

  @BeforeAll
  void start() throws Exception {
    controlPort = LauncherConfig.freePort();
    port = LauncherConfig.freePort();
    JsonObject config = LauncherConfig.config(port);
    config.put(
        "key",
        new JsonObject()
            .put(
                KEY_256, new JsonObject().put("algorithm", "hmac-sha256").put("secret", SECRET_256))
            .put(
                KEY_512,
                new JsonObject().put("algorithm", "hmac-sha512").put("secret", SECRET_512)));
    config.getJsonObject("options").put("tkey-domain", "tkey.test.");
    Path dir = Files.createTempDirectory("vxdns-tools");
    List<String> keygen =
        run("tsig-keygen", "--file", dir.resolve("rndc.key").toString(), "rndc-key");
    assertEquals("0", keygen.get(0), keygen.get(2));
    config.put(
        "controls",
        new JsonArray()
            .add(
                new JsonObject()
                    .put("address", "127.0.0.1")
                    .put("port", controlPort)
                    .put("key", CONTROL_KEY)
                    .put("key-file", "rndc.key")));
    configFile = dir.resolve("vxdns.json");
    Files.writeString(configFile, config.encodePrettily());
    node = NodeProcess.launch("--config", configFile.toString());
    assertTrue(node.awaitStarted(30), node.output());
  }

  @AfterAll
  void stop() throws Exception {
    node.terminate();
    node.awaitExit(30);
    node.close();
  }

  /** An SOA query for example.test signed with {@code key}, over UDP, without EDNS. */
  private Message signedQuery(TSIG key) throws Exception {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    resolver.setTCP(false);
    resolver.setEDNS(-1);
    resolver.setIgnoreTruncation(true);
    resolver.setTimeout(Duration.ofSeconds(3));
    resolver.setTSIGKey(key);
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN)));
  }

  /** Runs a subcommand: its exit status, then what it printed on stdout and stderr. */
  private static List<String> run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        new Tools(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .run(List.of(args));
    return List.of(
        Integer.toString(status),
        out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void checkzoneSaysWhatNamedCheckzoneSays(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    // the shipped zone: loaded, with its serial, and OK (exit 0)
    assertEquals(
        List.of("0", "zone example.test/IN: loaded serial 2026112301\nOK\n", ""),
        run("checkzone", "example.test", "../../config/zones/example.test.zone"));
    // every error with its file and line, then the summary, exit 1
    Path bad =
        Files.writeString(
            dir.resolve("bad.zone"),
            "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 300.1.1.1\nx FOO 1\n");
    List<String> result = run("checkzone", "example.test.", bad.toString());
    assertEquals("1", result.get(0));
    assertEquals(
        bad
            + ":4: near '300.1.1.1': bad dotted quad\n"
            + bad
            + ":5: unknown RR type 'FOO'\n"
            + "zone example.test/IN: loading from master file "
            + bad
            + " failed: "
            + bad
            + ":4: near '300.1.1.1': bad dotted quad\n"
            + "zone example.test/IN: not loaded due to errors.\n",
        result.get(1));
    // a zone check, not a syntax error
    Path noSoa = Files.writeString(dir.resolve("nosoa.zone"), "$TTL 300\n@ NS ns\n");
    List<String> missing = run("checkzone", "example.test", noSoa.toString());
    assertEquals("1", missing.get(0));
    assertTrue(missing.get(1).contains("has no SOA record"), missing.get(1));
    assertEquals(List.of("2"), run("checkzone", "example.test").subList(0, 1));
  }

  @Test
  void keygenPrintsAKeyTheConfigAcceptsInBothForms() throws Exception {
    List<String> result = run("tsig-keygen", "-a", "hmac-sha512", "ddns-key.example.");
    assertEquals("0", result.get(0));
    String json =
        result.get(1).lines().filter(line -> line.startsWith("{")).findFirst().orElseThrow();
    TsigKey key = TsigKeys.parseConfig(new JsonObject(json).getJsonObject("key").getMap()).get(0);
    assertEquals("ddns-key.example.", key.name().toString());
    assertEquals(64, key.secret().length, "as long as the SHA-512 output, as tsig-keygen does");
    assertTrue(result.get(1).contains("key \"ddns-key.example\" {"), result.get(1));
    assertTrue(result.get(1).contains("algorithm hmac-sha512;"), result.get(1));
  }

  @Test
  void keygenDefaultsAreBinds() {
    String out = run("tsig-keygen").get(1);
    assertTrue(out.contains("key \"tsig-key\" {") && out.contains("algorithm hmac-sha256;"), out);
  }

  private static TSIG dnsjavaKey(String name, String algorithm, String secret) throws Exception {
    return TsigKey.parse(name, algorithm, secret).toDnsjava();
  }

  /** Negotiates a TKEY (Diffie-Hellman) key with the node, signed with the configured KEY_256. */
  private TsigKey negotiate(String qname) throws Exception {
    java.security.SecureRandom random = new java.security.SecureRandom();
    TkeyClient client =
        new TkeyClient(
            DhKey.generate(Name.fromString("client-dh."), DhGroup.MODP1024, random),
            random,
            Clock.systemUTC());
    TkeyClient.DhQuery query = client.buildDhQuery(Name.fromString(qname), Duration.ofMinutes(10));
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    resolver.setTCP(true);
    resolver.setTimeout(Duration.ofSeconds(5));
    resolver.setTSIGKey(dnsjavaKey(KEY_256, "hmac-sha256", SECRET_256));
    return client.processDhResponse(query, resolver.send(query.message()));
  }

  @Test
  void listAndDeleteTalkToTheControlChannel() throws Exception {
    String config = configFile.toString();
    List<String> listed = run("tsig-list", "--config", config);
    assertEquals("0", listed.get(0), listed.get(2));
    assertTrue(listed.get(1).contains(KEY_256 + " hmac-sha256 config"), listed.get(1));
    assertTrue(listed.get(1).contains(KEY_512 + " hmac-sha512 config"), listed.get(1));
    assertTrue(!listed.get(1).contains(SECRET_256), "secrets never leave the node");

    TsigKey negotiated = negotiate("session1.");
    assertTrue(
        run("tsig-list", "--config", config).get(1).contains(negotiated.name() + " hmac-md5 tkey"));
    assertEquals(
        Rcode.NOERROR, signedQuery(negotiated.toDnsjava()).getRcode(), "the TKEY key works");
    List<String> deleted = run("tsig-delete", negotiated.name().toString(), "--config", config);
    assertEquals("0", deleted.get(0), deleted.get(2));
    Message refused = signedQuery(negotiated.toDnsjava());
    assertEquals(Rcode.BADKEY, refused.getTSIG().getError(), "a deleted key no longer verifies");

    List<String> again = run("tsig-delete", negotiated.name().toString(), "--config", config);
    assertEquals("1", again.get(0));
    assertTrue(again.get(2).contains("404"), again.get(2));
  }

  @Test
  void aConfiguredKeyCannotBeDeleted() throws Exception {
    List<String> refused = run("tsig-delete", "transfer", "--config", configFile.toString());
    assertEquals("1", refused.get(0), refused.get(1));
    assertTrue(
        refused.get(2).contains("403") && refused.get(2).contains("only TKEY keys"),
        refused.get(2));
    Message answer = signedQuery(dnsjavaKey(KEY_512, "hmac-sha512", SECRET_512));
    assertEquals(Rcode.NOERROR, answer.getRcode(), "the configured key keeps working");
    assertTrue(answer.isVerified());
    assertTrue(run("tsig-list", "--config", configFile.toString()).get(1).contains(KEY_512));
  }

  @Test
  void anUnsignedRequestIsRefused() {
    List<String> unsigned = run("tsig-list", "--server", "127.0.0.1:" + controlPort);
    assertEquals("1", unsigned.get(0));
    assertTrue(unsigned.get(2).contains("401"), unsigned.get(2));
    List<String> signed =
        run("tsig-list", "--config", configFile.toString(), "--server", "127.0.0.1:" + controlPort);
    assertEquals("0", signed.get(0), signed.get(2));
  }

  @Test
  void keygenWritesAKeyFileOnlyItsOwnerReads(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("control.key");
    assertEquals("0", run("tsig-keygen", "--file", file.toString(), "control").get(0));
    assertEquals(
        "rw-------",
        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    TsigKey key =
        TsigKeys.parseConfig(new JsonObject(Files.readString(file)).getJsonObject("key").getMap())
            .get(0);
    assertEquals("control.", key.name().toString());
    assertEquals("1", run("tsig-keygen", "--file", file.toString()).get(0), "never overwrites");
  }

  /**
   * acl-check on the shipped config/examples/acl.json: the decision and the element that made it.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} key={2}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "updaters                     | 127.0.0.1    | host1-host2. | updaters: allowed by 'key host1-host2.'",
        "updaters                     | 127.0.0.1    |              | updaters: no match (treated as denied)",
        "updaters                     | 203.0.113.9  | host1-host2. | updaters: denied by '!{ !internal; any; }' -> 'any'",
        "blackhole                    | 10.1.2.3     |              | blackhole: allowed by 'bogusnets' -> '10/8'",
        "allow-query                  | 203.0.113.66 |              | allow-query: denied by '!203.0.113.66'",
        "zone/example.test/allow-query | 198.51.100.7 |             | zone/example.test/allow-query: allowed by 'internal' -> '198.51.100.0/24'",
        "zone/example.test/allow-query | 192.0.2.9    |             | zone/example.test/allow-query: no match (treated as denied)",
      })
  void aclCheckExplainsTheDecision(String acl, String source, String key, String expected) {
    String config = java.nio.file.Path.of("../../config/examples/acl.json").toString();
    List<String> result =
        key == null
            ? run("acl-check", "--config", config, "--acl", acl, "--source", source)
            : run("acl-check", "--config", config, "--acl", acl, "--source", source, "--key", key);
    assertEquals("0", result.get(0), result.get(2));
    assertEquals(expected, result.get(1).strip());
  }

  @Test
  void aclCheckTakesEcsPortAndTransport(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path config = dir.resolve("ecs.json");
    java.nio.file.Files.writeString(
        config,
        "{\"acl\": {\"clients\": [\"ecs 198.51.100.0/24\","
            + " {\"port\": 853, \"transport\": \"tls\", \"match\": [\"any\"]}]},"
            + " \"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\"}]}}");
    String file = config.toString();
    assertEquals(
        "clients: allowed by 'ecs 198.51.100.0/24'",
        run(
                "acl-check",
                "--config",
                file,
                "--acl",
                "clients",
                "--source",
                "192.0.2.1",
                "--ecs",
                "198.51.100.0/25")
            .get(1)
            .strip());
    assertEquals(
        "clients: no match (treated as denied)",
        run(
                "acl-check",
                "--config",
                file,
                "--acl",
                "clients",
                "--source",
                "192.0.2.1",
                "--ecs",
                "198.51.0.0/16")
            .get(1)
            .strip());
    assertTrue(
        run(
                "acl-check",
                "--config",
                file,
                "--acl",
                "clients",
                "--source",
                "192.0.2.1",
                "--port",
                "853",
                "--transport",
                "dot")
            .get(1)
            .startsWith("clients: allowed by"));
    assertEquals(
        "2",
        run(
                "acl-check",
                "--config",
                file,
                "--acl",
                "clients",
                "--source",
                "192.0.2.1",
                "--port",
                "x")
            .get(0));
  }

  @Test
  void aclCheckRejectsUnknownListsAndBadAddresses() {
    String config = java.nio.file.Path.of("../../config/examples/acl.json").toString();
    assertEquals(
        "2", run("acl-check", "--config", config, "--acl", "nope", "--source", "1.2.3.4").get(0));
    assertEquals(
        "2",
        run("acl-check", "--config", config, "--acl", "internal", "--source", "example.com")
            .get(0));
    assertEquals("2", run("acl-check", "--config", config, "--acl", "internal").get(0));
  }

  /**
   * A read-only request whose connection is closed under it, as a reload that replaces the admin
   * verticle closes it (over HTTP/2, a GOAWAY the JDK's client fails the request with), is sent
   * again and answered; a change is not sent twice.
   */
  @Test
  void aReadIsTriedAgainWhenItsConnectionIsCutAndAChangeIsNot() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      for (String[] tool : new String[][] {{"deployments", "2", "0"}, {"zone-sync", "1", "1"}}) {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server =
            vertx
                .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                .requestHandler(
                    request -> {
                      if (requests.incrementAndGet() == 1) {
                        request.connection().close();
                      } else {
                        request.response().end("[]");
                      }
                    })
                .listen()
                .await();
        List<String> result = run(tool[0], "--server", "127.0.0.1:" + server.actualPort());
        server.close().await();
        assertEquals(tool[1], Integer.toString(requests.get()), tool[0] + " " + result);
        assertEquals(tool[2], result.get(0), tool[0] + " " + result);
      }
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aMissingControlChannelIsReportedClearly() {
    List<String> result = run("tsig-list", "--server", "127.0.0.1:1");
    assertEquals("1", result.get(0));
    assertTrue(result.get(2).contains("no control channel at 127.0.0.1:1"), result.get(2));
    assertEquals(
        "2", run("tsig-delete", "--server", "127.0.0.1:1").get(0), "no name is a usage error");
  }
}
