package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.named.NamedConf;
import dev.vxdns.verticles.transport.EphemeralCertificate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vxdns import-named} on the BIND configuration examples of the seeds (ARM 7.1 and 7.4,
 * ISC's PROXYv2 article; in src/test/resources/named) and on a large real-world-shaped named.conf
 * made here: the JSON it writes, that the node's own validation accepts it, and the lines it lists
 * as not converted (each at its file and line).
 */
class NamedImportTest {
  static final Path NAMED = Path.of("src/test/resources/named").toAbsolutePath();
  static final String ZONE_TEXT =
      "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.1\n";

  @Test
  void armAccessControlListsExample(@TempDir Path dir) throws Exception {
    Path conf = copy("arm-acl.conf", dir);
    Files.createDirectories(dir.resolve("m"));
    Files.writeString(dir.resolve("m/example.com"), ZONE_TEXT.replace("@ SOA", "example.com. SOA"));
    NamedImport.Result result = NamedImport.convert(NamedConf.parse(conf));
    JsonObject config = result.config();
    assertEquals(
        new JsonArray(
            List.of(
                "0.0.0.0/8",
                "192.0.2.0/24",
                "224.0.0.0/3",
                "10.0.0.0/8",
                "172.16.0.0/12",
                "192.168.0.0/16")),
        config.getJsonObject("acl").getJsonArray("bogusnets"));
    JsonObject options = config.getJsonObject("options");
    assertEquals(new JsonArray().add("our-nets"), options.getJsonArray("allow-query"));
    assertEquals(new JsonArray().add("our-nets"), options.getJsonArray("allow-recursion"));
    assertEquals(new JsonArray().add("bogusnets"), options.getJsonArray("blackhole"));
    assertEquals(
        new JsonObject()
            .put("type", "primary")
            .put("file", "m/example.com")
            .put("allow-query", new JsonArray().add("any")),
        config.getJsonObject("zone").getJsonObject("example.com"));
    assertEquals(
        List.of(
            conf
                + ":20: recursion no; dropped: vxdns is authoritative only (no recursion, no validation)",
            conf
                + ":21: dnssec-validation no; dropped: vxdns is authoritative only (no recursion, no validation)",
            "(no listen-on): BIND's default, every IPv4 interface on port 53 over UDP and TCP, written as 0.0.0.0"),
        result.notes());
    validates(config, dir);
  }

  /** BIND's DNS cookie options; a secret per statement, the first making the cookies. */
  @Test
  void cookieOptionsKeepEverySecretInOrder(@TempDir Path dir) throws Exception {
    NamedImport.Result result =
        convert(
            dir,
            "options {",
            "  answer-cookie yes;",
            "  require-server-cookie yes;",
            "  cookie-algorithm siphash24;",
            "  cookie-secret \"ebc7701beabb4a40c57d140eeb6733fa\";",
            "  cookie-secret \"00112233445566778899aabbccddeeff\";",
            "  listen-on port 5300 { 127.0.0.1; };",
            "};",
            "");
    JsonObject options = result.config().getJsonObject("options");
    assertEquals(
        new JsonArray()
            .add("ebc7701beabb4a40c57d140eeb6733fa")
            .add("00112233445566778899aabbccddeeff"),
        options.getJsonArray("cookie-secret"));
    assertEquals("yes", options.getString("require-server-cookie"));
    assertEquals("siphash24", options.getString("cookie-algorithm"));
    assertEquals(List.of(), result.notes());
    validates(result.config(), dir);
  }

  /**
   * minimal-responses, notify-delay, notify primary-only and notify-to-soa carry over as named
   * writes them, and validate; minimal-any is noted (vxdns answers ANY with one RRset whatever it
   * says).
   */
  @Test
  void answerAndNotifyOptionsCarryOver(@TempDir Path dir) throws Exception {
    for (String value : List.of("yes", "no", "no-auth", "no-auth-recursive")) {
      NamedImport.Result result =
          convert(
              dir,
              "options {",
              "  minimal-responses " + value + ";",
              "  minimal-any yes;",
              "  notify-delay 2;",
              "  notify primary-only;",
              "  notify-to-soa yes;",
              "  listen-on port 5300 { 127.0.0.1; };",
              "};",
              "");
      assertEquals(value, result.config().getJsonObject("options").getString("minimal-responses"));
      JsonObject options = result.config().getJsonObject("options");
      assertEquals(2, options.getInteger("notify-delay"));
      assertEquals("primary-only", options.getString("notify"));
      assertEquals("yes", options.getString("notify-to-soa"));
      assertEquals(1, result.notes().size(), result.notes().toString());
      assertTrue(
          result
              .notes()
              .get(0)
              .contains("minimal-any yes; not converted: vxdns answers ANY with one RRset"),
          result.notes().toString());
      validates(result.config(), dir);
    }
  }

  /**
   * A named.conf whose one IN view serves every client (beside a CH view) is converted as if its
   * zones and options were top-level, the view's options over the options statement's; views that
   * tell clients apart are not converted.
   */
  @Test
  void aViewForEveryClientIsConvertedAsTheTopLevel(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.zone"), ZONE_TEXT.replace("@ SOA", "a.test. SOA"));
    String open =
        String.join(
            "\n",
            "options {",
            "  directory \"" + dir + "\";",
            "  listen-on port 5300 { 127.0.0.1; };",
            "  allow-transfer { none; };",
            "  notify yes;",
            "};",
            "view \"chaos\" chaos {",
            "  match-clients { any; };",
            "  zone \"bind\" chaos { type primary; file \"/etc/bind/db.bind\"; };",
            "};",
            "view \"default\" {",
            "  match-clients { any; };",
            "  allow-transfer { 192.0.2.1; };",
            "  notify explicit;",
            "  zone \"a.test\" { type primary; file \"a.zone\"; };",
            "};",
            "");
    NamedImport.Result result = convert(dir, open);
    JsonObject config = result.config();
    assertEquals(List.of("a.test"), List.copyOf(config.getJsonObject("zone").fieldNames()));
    JsonObject options = config.getJsonObject("options");
    assertEquals(new JsonArray().add("192.0.2.1"), options.getJsonArray("allow-transfer"));
    assertEquals("explicit", options.getString("notify"));
    assertEquals(2, result.notes().size(), result.notes().toString());
    assertTrue(
        result.notes().get(0).contains("vxdns serves BIND's CH zones"), result.notes().toString());
    assertTrue(
        result.notes().get(1).contains("converted as the top level"), result.notes().toString());
    validates(config, dir);

    String apart =
        open.replace(
                "view \"default\" {\n  match-clients { any; };",
                "view \"default\" {\n  match-clients { 10/8; };")
            + "view \"other\" { zone \"b.test\" { type primary; file \"b.zone\"; }; };\n";
    NamedImport.Result split = convert(dir, apart);
    assertFalse(split.config().containsKey("zone"), split.config().encodePrettily());
    assertEquals(
        2,
        split.notes().stream().filter(note -> note.contains("views are not supported")).count(),
        split.notes().toString());
  }

  /**
   * Forward zones become forward zones whose pool is their forwarders (each element's port or the
   * list's); forward first, named's default, is noted; without forwarders, or with recursion no
   * (named then forwards nothing), they are not converted.
   */
  @Test
  void forwardZonesForwardToTheirForwarders(@TempDir Path dir) throws Exception {
    String conf =
        String.join(
            "\n",
            "options {",
            "  listen-on port 5300 { 127.0.0.1; };",
            "};",
            "zone \"fwd.test\" { type forward; forward only;"
                + " forwarders { 192.0.2.53; 192.0.2.54 port 5353; }; };",
            "zone \"first.test\" { type forward; forwarders port 5400 { 2001:db8::53; }; };",
            "zone \"none.test\" { type forward; forwarders { }; };",
            "");
    NamedImport.Result result = convert(dir, conf);
    JsonObject config = result.config();
    assertEquals(
        new JsonObject()
            .put("fwd.test", new JsonObject().put("type", "forward").put("pool", "zone fwd.test"))
            .put(
                "first.test",
                new JsonObject().put("type", "forward").put("pool", "zone first.test")),
        config.getJsonObject("zone"));
    JsonObject pools = config.getJsonObject("forward").getJsonObject("pools");
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("address", "192.0.2.53"))
            .add(new JsonObject().put("address", "192.0.2.54").put("port", 5353)),
        pools.getJsonObject("zone fwd.test").getJsonArray("backends"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("address", "2001:db8::53").put("port", 5400)),
        pools.getJsonObject("zone first.test").getJsonArray("backends"));
    assertEquals(2, result.notes().size(), result.notes().toString());
    assertTrue(
        result.notes().get(0).contains(":5: zone \"first.test\""), result.notes().toString());
    assertTrue(result.notes().get(0).contains("forward first: converted as forward only"));
    assertTrue(result.notes().get(1).contains("without forwarders named forwards nothing"));
    validates(config, dir);

    NamedImport.Result off = convert(dir, conf.replace("options {", "options {\n  recursion no;"));
    assertFalse(off.config().containsKey("forward"), off.config().encodePrettily());
    assertEquals(
        3,
        off.notes().stream().filter(note -> note.contains("with recursion no")).count()
            + off.notes().stream().filter(note -> note.contains("without forwarders")).count(),
        off.notes().toString());

    // forward only in the options holds for a zone without its own; TLS forwarders are left out.
    NamedImport.Result inherited =
        convert(
            dir,
            conf.replace("options {", "options {\n  forward only;")
                + "zone \"tls.test\" { type forward; forwarders tls t { 192.0.2.9; }; };\n");
    assertFalse(
        inherited.notes().stream().anyMatch(note -> note.contains("forward first")),
        inherited.notes().toString());
    assertTrue(
        inherited.notes().stream().anyMatch(note -> note.contains("forwarders over TLS")),
        inherited.notes().toString());
    assertFalse(inherited.config().getJsonObject("zone").containsKey("tls.test"));
  }

  /** A tls statement's protocols carry over; its ciphers are noted (the JDK's are used). */
  @Test
  void tlsProtocolsCarryOver(@TempDir Path dir) throws Exception {
    String conf =
        "tls t { cert-file \"c.pem\"; key-file \"k.pem\"; protocols { TLSv1.3; };"
            + " ciphers \"HIGH\"; };\n";
    NamedImport.Result result = convert(dir, conf);
    assertEquals(
        new JsonObject()
            .put("cert-file", "c.pem")
            .put("key-file", "k.pem")
            .put("protocols", new JsonArray().add("TLSv1.3")),
        result.config().getJsonObject("tls").getJsonObject("t"));
    assertTrue(
        result.notes().stream().anyMatch(note -> note.contains("ciphers \"HIGH\"; not converted")),
        result.notes().toString());
  }

  /** Writes {@code lines}, joined by newlines, as named.conf in {@code dir} and converts it. */
  private static NamedImport.Result convert(Path dir, String... lines) throws Exception {
    return NamedImport.convert(
        NamedConf.parse(Files.writeString(dir.resolve("named.conf"), String.join("\n", lines))));
  }

  /** check-names per zone type in options, and a zone's own; the resolver's is dropped. */
  @Test
  void checkNamesAndZoneLimitsCarryOver(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.zone"), "");
    Path conf = dir.resolve("named.conf");
    NamedImport.Result result =
        convert(
            dir,
            "options {",
            "  directory \"" + dir + "\";",
            "  check-names master warn;",
            "  check-names secondary ignore;",
            "  check-names response fail;",
            "  max-records-per-type 500;",
            "  nocookie-udp-size 512;",
            "  max-ixfr-ratio 50%;",
            "  min-transfer-rate-in 10240 10;",
            "  listen-on port 5300 { 127.0.0.1; };",
            "  transfer-source 192.0.2.53;",
            "  notify-source-v6 2001:db8::53 port 5353;",
            "  notify-source 192.0.2.54 port 5353 dscp 7;",
            "};",
            "zone \"a.test\" { type primary; file \"a.zone\"; check-names fail;"
                + " max-types-per-name 0; max-records 5000; notify-source *;"
                + " transfer-source-v6 2001:db8::1; };",
            "");
    JsonObject options = result.config().getJsonObject("options");
    assertEquals(
        new JsonObject().put("primary", "warn").put("secondary", "ignore"),
        options.getJsonObject("check-names"));
    assertEquals(500, options.getInteger("max-records-per-type"));
    assertEquals(512, options.getInteger("nocookie-udp-size"));
    assertEquals("50%", options.getString("max-ixfr-ratio"));
    assertEquals(
        new JsonObject().put("bytes", 10240).put("minutes", 10),
        options.getJsonObject("min-transfer-rate-in"));
    JsonObject zone = result.config().getJsonObject("zone").getJsonObject("a.test");
    assertEquals("fail", zone.getString("check-names"));
    assertEquals(0, zone.getInteger("max-types-per-name"));
    assertEquals(5000, zone.getInteger("max-records"));
    assertEquals("192.0.2.53", options.getString("transfer-source"));
    assertEquals("2001:db8::53", options.getString("notify-source-v6"));
    assertFalse(options.containsKey("notify-source"));
    assertEquals("*", zone.getString("notify-source"));
    assertEquals("2001:db8::1", zone.getString("transfer-source-v6"));
    assertEquals(
        List.of(
            conf
                + ":5: check-names response fail; dropped: vxdns is authoritative only (no"
                + " responses to check)",
            conf
                + ":12: notify-source-v6 2001:db8::53 port 5353; converted without its port"
                + " (deprecated in BIND 9.20): the system chooses it",
            conf
                + ":13: notify-source 192.0.2.54 port 5353 dscp 7; not converted: notify-source"
                + " takes an address or *"),
        result.notes());
    validates(result.config(), dir);
  }

  /**
   * BIND 9.20's remote-servers lists, and the source a primaries or also-notify list gives: the
   * zone's transfer-source and notify-source in vxdns (a list's source overrides the zone's own, as
   * in named), with a note where vxdns applies it more widely.
   */
  @Test
  void serverListsAndTheirSourcesCarryOver(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("named.conf");
    NamedImport.Result result =
        convert(
            dir,
            "remote-servers upstream source 192.0.2.53 { 192.0.2.1; 192.0.2.2 port 5353; };",
            "options {",
            "  directory \"" + dir + "\";",
            "  listen-on port 5300 { 127.0.0.1; };",
            "  also-notify source 192.0.2.54 { 192.0.2.20; };",
            "  notify-source 192.0.2.99;",
            "};",
            "zone \"a.test\" { type secondary; transfer-source 192.0.2.98;"
                + " primaries source-v6 2001:db8::53 { upstream; }; };",
            "zone \"b.test\" { type secondary; primaries { 192.0.2.3; };"
                + " transfer-source 192.0.2.97; };",
            "");
    JsonObject options = result.config().getJsonObject("options");
    assertEquals("192.0.2.54", options.getString("notify-source"), "the list's source wins");
    JsonObject a = result.config().getJsonObject("zone").getJsonObject("a.test");
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("address", "192.0.2.1"))
            .add(new JsonObject().put("address", "192.0.2.2").put("port", 5353)),
        a.getJsonArray("primaries"));
    assertEquals("192.0.2.53", a.getString("transfer-source"), "the named list's source wins");
    assertEquals("2001:db8::53", a.getString("transfer-source-v6"));
    JsonObject b = result.config().getJsonObject("zone").getJsonObject("b.test");
    assertEquals("192.0.2.97", b.getString("transfer-source"));
    assertEquals(
        List.of(
            conf
                + ":5: also-notify source 192.0.2.54 { ... }; its source is the zone's"
                + " notify-source: vxdns sends every NOTIFY of the zone from it, its NS hosts'"
                + " too"),
        result.notes());
    validates(result.config(), dir);
  }

  /**
   * BIND's usual way to sign transfers and NOTIFYs with a peer, a {@code server} statement's key,
   * becomes the key of the primaries and also-notify entries at its address (or in its prefix); an
   * entry's own key wins; the rest of the statement is noted.
   */
  @Test
  void serverKeysBecomeTheKeysOfThatServersEntries(@TempDir Path dir) throws Exception {
    String secret = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    Path conf = dir.resolve("named.conf");
    NamedImport.Result result =
        convert(
            dir,
            "key \"xfer\" { algorithm hmac-sha256; secret \"" + secret + "\"; };",
            "key \"other\" { algorithm hmac-sha256; secret \"" + secret + "\"; };",
            "server 192.0.2.1 { keys { xfer; }; request-ixfr no; };",
            "server 198.51.100.0/24 { keys { other; }; };",
            "options {",
            "  directory \"" + dir + "\";",
            "  listen-on port 5300 { 127.0.0.1; };",
            "};",
            "zone \"a.test\" { type secondary; primaries { 192.0.2.1; 192.0.2.2; 198.51.100.7"
                + " key xfer; }; also-notify { 198.51.100.9; 192.0.2.1 port 5353; }; };",
            "");
    JsonObject a = result.config().getJsonObject("zone").getJsonObject("a.test");
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("address", "192.0.2.1").put("key", "xfer."))
            .add(new JsonObject().put("address", "192.0.2.2"))
            .add(new JsonObject().put("address", "198.51.100.7").put("key", "xfer.")),
        a.getJsonArray("primaries"));
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("address", "198.51.100.9").put("key", "other."))
            .add(
                new JsonObject().put("address", "192.0.2.1").put("port", 5353).put("key", "xfer.")),
        a.getJsonArray("also-notify"));
    assertEquals(
        List.of(
            conf
                + ":3: keys { ... }; (server 192.0.2.1) converted onto the primaries and"
                + " also-notify entries of that address; a NOTIFY to an NS host there is not signed",
            conf + ":3: request-ixfr no; not converted (server 192.0.2.1)",
            conf
                + ":4: keys { ... }; (server 198.51.100.0/24) converted onto the primaries and"
                + " also-notify entries of that address; a NOTIFY to an NS host there is not"
                + " signed"),
        result.notes());
    validates(result.config(), dir);
  }

  /**
   * statistics-channels become vxdns's (Prometheus, noted), named's pid-file is noted (a node
   * beside named must not overwrite it), and masterfile-format text is what vxdns reads anyway
   * (another format is noted).
   */
  @Test
  void statisticsChannelsPidFileAndMasterfileFormat(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.zone"), ZONE_TEXT.replace("@ SOA", "a.test. SOA"));
    Path conf = dir.resolve("named.conf");
    NamedImport.Result result =
        convert(
            dir,
            "statistics-channels {",
            "  inet 127.0.0.1 port 8053 allow { 127.0.0.1; };",
            "  inet * allow { none; };",
            "};",
            "options {",
            "  directory \"" + dir + "\";",
            "  listen-on port 5300 { 127.0.0.1; };",
            "  pid-file \"run/named.pid\";",
            "  masterfile-format text;",
            "};",
            "zone \"a.test\" { type primary; file \"a.zone\"; masterfile-format raw; };",
            "");
    assertEquals(
        new JsonArray()
            .add(
                new JsonObject()
                    .put("address", "127.0.0.1")
                    .put("port", 8053)
                    .put("allow", new JsonArray().add("127.0.0.1")))
            .add(
                new JsonObject()
                    .put("address", "0.0.0.0")
                    .put("port", 80)
                    .put("allow", new JsonArray().add("none"))),
        result.config().getJsonArray("statistics-channels"));
    JsonObject options = result.config().getJsonObject("options");
    assertFalse(options.containsKey("pid-file"), "named's pid file is named's");
    assertFalse(options.containsKey("masterfile-format"));
    String prometheus =
        " converted: vxdns serves Prometheus metrics there (/metrics, /health, /ready), not"
            + " named's XML or JSON statistics";
    assertEquals(
        List.of(
            conf + ":2: inet 127.0.0.1 port 8053 allow { ... };" + prometheus,
            conf + ":3: inet * allow { ... };" + prometheus,
            conf
                + ":8: pid-file \"run/named.pid\"; not converted: named's pid file; set pid-file"
                + " to one of vxdns's own",
            conf
                + ":11: masterfile-format raw; not converted: vxdns reads and writes text master"
                + " files only (named-compilezone -F text converts a raw or map file)"),
        result.notes());
    validates(result.config(), dir);
  }

  /**
   * A port that is no number (a template not filled in) does not stop the conversion: it is written
   * as it is, and the validation names the key, as for any other bad value. Before, the import
   * failed with a NumberFormatException.
   */
  @Test
  void aPortThatIsNoNumberIsLeftForTheValidationToName(@TempDir Path dir) throws Exception {
    JsonObject config =
        convert(
                dir,
                "key k { algorithm hmac-sha256; secret"
                    + " \"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\"; };",
                "controls { inet 127.0.0.1 port @CONTROLPORT@ allow { any; } keys { k; }; };",
                "statistics-channels { inet 127.0.0.1 port @EXTRAPORT1@; };",
                "options { directory \"" + dir + "\"; listen-on port @PORT@ { 127.0.0.1; }; };",
                "zone \"a.test\" { type secondary; primaries { 192.0.2.1 port @PORT@; };"
                    + " also-notify { 192.0.2.2 port @PORT@; }; };",
                "")
            .config();
    assertEquals(
        "@PORT@",
        config
            .getJsonObject("options")
            .getJsonArray("listen-on")
            .getJsonObject(0)
            .getValue("port"));
    assertEquals(
        "@CONTROLPORT@", config.getJsonArray("controls").getJsonObject(0).getValue("port"));
    JsonObject zone = config.getJsonObject("zone").getJsonObject("a.test");
    assertEquals("@PORT@", zone.getJsonArray("primaries").getJsonObject(0).getValue("port"));
    assertEquals("@PORT@", zone.getJsonArray("also-notify").getJsonObject(0).getValue("port"));
    ConfigException invalid =
        assertThrows(ConfigException.class, () -> NodeConfig.parse(config, dir).close());
    assertTrue(invalid.key().endsWith(".port"), invalid.key() + ": " + invalid.getMessage());
  }

  @Test
  void armTsigExampleWithNestedNegations(@TempDir Path dir) throws Exception {
    Path conf = copy("arm-tsig.conf", dir);
    Files.writeString(
        dir.resolve("example.com.zone"), ZONE_TEXT.replace("@ SOA", "example.com. SOA"));
    NamedImport.Result result = NamedImport.convert(NamedConf.parse(conf));
    JsonObject keys = result.config().getJsonObject("key");
    assertEquals(
        new TreeSet<>(List.of("host1-host2.", "example.")), new TreeSet<>(keys.fieldNames()));
    assertEquals("hmac-sha256", keys.getJsonObject("host1-host2.").getString("algorithm"));
    assertEquals(
        "DAopyf1mhCbFVZw7pgmNPBoLUq8wEUT7UuPoLENP2HY=",
        keys.getJsonObject("host1-host2.").getString("secret"));
    JsonObject zone = result.config().getJsonObject("zone").getJsonObject("example.com");
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("!", new JsonArray().add("!10/8").add("any")))
            .add("key example."),
        zone.getJsonArray("allow-query"));
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("!", new JsonArray().add("!localnets").add("any")))
            .add("key host1-host2."),
        zone.getJsonArray("allow-update"));
    assertEquals(2, result.notes().size(), result.notes().toString());
    assertEquals(
        conf
            + ":13: keys { ... }; (server 192.0.2.2) converted onto the primaries and also-notify"
            + " entries of that address; a NOTIFY to an NS host there is not signed",
        result.notes().get(0));
    validates(result.config(), dir);
  }

  @Test
  void proxyV2ArticleListenersWithTlsAndHttp(@TempDir Path dir) throws Exception {
    Path conf = copy("proxyv2.conf", dir);
    EphemeralCertificate.Result made =
        EphemeralCertificate.ensure(
            dev.vxdns.verticles.transport.TlsConfig.ephemeral(dir.resolve("made")));
    Files.createDirectories(dir.resolve("tls"));
    Files.copy(made.certFile(), dir.resolve("tls/cert.pem"));
    Files.copy(made.keyFile(), dir.resolve("tls/key.pem"));
    NamedImport.Result result = NamedImport.convert(NamedConf.parse(conf));
    JsonObject config = result.config();
    assertEquals(
        new JsonObject().put("key-file", "tls/key.pem").put("cert-file", "tls/cert.pem"),
        config.getJsonObject("tls").getJsonObject("local-tls"));
    assertEquals(
        new JsonObject().put("endpoints", new JsonArray().add("/dns-query")),
        config.getJsonObject("http").getJsonObject("local-http-server"));
    JsonArray listeners = config.getJsonObject("options").getJsonArray("listen-on");
    assertEquals(
        new JsonArray()
            .add(
                listener("0.0.0.0", 53)
                    .put("transport", new JsonArray().add("udp").add("tcp"))
                    .put("proxy", "plain"))
            .add(
                listener("0.0.0.0", 853)
                    .put("transport", "dot")
                    .put("tls", "local-tls")
                    .put("proxy", "encrypted"))
            .add(
                listener("0.0.0.0", 443)
                    .put("transport", "doh")
                    .put("tls", "local-tls")
                    .put("http", "local-http-server")
                    .put("proxy", "plain")),
        listeners);
    assertEquals(
        new JsonArray().add("127.0.0.1").add("::1"),
        config.getJsonObject("options").getJsonArray("allow-proxy"));
    assertEquals(
        new JsonArray().add("any"), config.getJsonObject("options").getJsonArray("allow-proxy-on"));
    assertEquals(List.of(), result.notes());
    validates(config, dir);
  }

  private static JsonObject listener(String address, int port) {
    return new JsonObject().put("address", address).put("port", port);
  }

  /**
   * A named.conf shaped like a real server's: included key files, logging, statistics, controls,
   * ACLs, named primaries lists, hint/forward/CH zones, a view, hundreds of zones with their lists
   * and policies. Every statement that cannot be converted is reported at its line, and nothing
   * else; the JSON validates.
   */
  @Test
  void aLargeRealWorldShapedNamedConf(@TempDir Path dir) throws Exception {
    Generated named = Generated.write(dir, 400);
    NamedImport.Result result = NamedImport.convert(NamedConf.parse(named.file()));
    JsonObject config = result.config();
    List<String> unexpected = new ArrayList<>();
    Map<Integer, String> missing = new LinkedHashMap<>(named.expectedNotes());
    for (String note : result.notes()) {
      String prefix = named.file() + ":";
      if (!note.startsWith(prefix)) {
        unexpected.add(note);
        continue;
      }
      int line =
          Integer.parseInt(note.substring(prefix.length(), note.indexOf(':', prefix.length())));
      String expected = missing.remove(line);
      if (expected == null || !note.contains(expected)) {
        unexpected.add(note + " (expected: " + expected + ")");
      }
    }
    assertEquals(List.of(), unexpected, "notes that should not be there");
    assertEquals(Map.of(), missing, "statements that should have been reported");

    assertEquals(named.servedZones(), config.getJsonObject("zone").size());
    assertEquals("none", config.getJsonObject("options").getString("version"));
    assertEquals(21, config.getJsonObject("key").size(), "20 included keys and rndc-key");
    JsonObject secondary = config.getJsonObject("zone").getJsonObject("zone-4.example");
    assertEquals("secondary", secondary.getString("type"));
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("address", "192.0.2.1").put("key", "key-1."))
            .add(new JsonObject().put("address", "192.0.2.2").put("port", 5353))
            .add(new JsonObject().put("address", "198.51.100.1")),
        secondary.getJsonArray("primaries"));
    assertEquals("no", secondary.getString("request-ixfr"));
    assertEquals(60, secondary.getInteger("min-refresh-time"));
    assertEquals(5, secondary.getInteger("max-transfer-idle-in"));
    assertEquals(
        new JsonObject().put("bytes", 20480).put("minutes", 3),
        secondary.getJsonObject("min-transfer-rate-in"));
    JsonObject primary = config.getJsonObject("zone").getJsonObject("zone-3.example");
    assertEquals(
        new JsonArray().add("grant key-3. zonesub ANY"), primary.getJsonArray("update-policy"));
    assertEquals(new JsonArray().add("internal-3"), primary.getJsonArray("allow-transfer"));
    assertEquals("yes", primary.getString("ixfr-from-differences"));
    assertEquals(
        "local",
        config.getJsonObject("zone").getJsonObject("zone-1.example").getString("update-policy"));
    assertEquals(
        new JsonArray().add("10.3.0.0/16").add("!10.3.1.0/24").add("key key-3."),
        config.getJsonObject("acl").getJsonArray("internal-3"));
    JsonObject control = config.getJsonArray("controls").getJsonObject(0);
    assertEquals("rndc-key.", control.getString("key"));
    assertEquals(9530, control.getInteger("port"));
    JsonObject options = config.getJsonObject("options");
    assertEquals(200, options.getInteger("tcp-clients"));
    assertEquals(20, options.getInteger("transfers-out"));
    assertEquals(30, options.getInteger("max-transfer-idle-out"));
    assertEquals("explicit", options.getString("notify"));
    assertEquals(10, options.getJsonObject("rate-limit").getInteger("responses-per-second"));
    assertEquals(
        List.of(
            "5300/[\"udp\",\"tcp\"]",
            "5300/[\"udp\",\"tcp\"]",
            "8853/\"dot\"",
            "8443/\"doh\"",
            "8080/\"h2c\""),
        options.getJsonArray("listen-on").stream()
            .map(
                l ->
                    ((JsonObject) l).getInteger("port")
                        + "/"
                        + io.vertx.core.json.Json.encode(((JsonObject) l).getValue("transport")))
            .toList());
    validates(config, dir);
  }

  @Test
  void theCommandWritesTheFileListsTheNotesAndValidates(@TempDir Path dir) throws Exception {
    Path conf = copy("arm-tsig.conf", dir);
    Path output = dir.resolve("vxdns.json");
    CheckconfTest.Run missingZone =
        CheckconfTest.tool("import-named", conf.toString(), "--output", output.toString());
    assertEquals(1, missingZone.status(), "the zone file is not there yet: " + missingZone.err());
    assertTrue(
        missingZone.err().contains("does not validate here: zone.example.com.file"),
        missingZone.err());
    Files.writeString(
        dir.resolve("example.com.zone"), ZONE_TEXT.replace("@ SOA", "example.com. SOA"));
    CheckconfTest.Run run =
        CheckconfTest.tool("import-named", conf.toString(), "--output", output.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().contains(":13: keys { ... }; (server 192.0.2.2) converted"), run.err());
    assertEquals(
        0, CheckconfTest.tool("checkconf", output.toString()).status(), "checkconf accepts it");
    CheckconfTest.Run broken =
        CheckconfTest.tool("import-named", dir.resolve("nowhere.conf").toString());
    assertEquals(1, broken.status());
    assertTrue(broken.err().contains("cannot read"), broken.err());
  }

  static Path copy(String name, Path dir) throws Exception {
    return Files.copy(NAMED.resolve(name), dir.resolve(name));
  }

  static void validates(JsonObject config, Path dir) throws Exception {
    try (NodeConfig parsed = NodeConfig.parse(config, dir)) {
      assertTrue(parsed.transport().listeners().size() >= 1, "listeners: " + config);
    }
  }

  /**
   * The generated named.conf, where its unconvertible statements are, and how many zones it serves.
   */
  record Generated(Path file, Map<Integer, String> expectedNotes, int servedZones) {
    static Generated write(Path dir, int zones) throws Exception {
      Writer w = new Writer();
      StringBuilder keys = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        keys.append("key \"key-")
            .append(i)
            .append("\" {\n\talgorithm hmac-sha256;\n\tsecret \"")
            .append(
                java.util.Base64.getEncoder()
                    .encodeToString(("secret-of-key-" + i + "-0123456789").getBytes()))
            .append("\";\n};\n");
      }
      Files.writeString(dir.resolve("keys.conf"), keys);
      w.line("// named.conf for ns1.example: generated by NamedImportTest");
      w.line("# shell-style comment");
      w.line("/* a C-style comment");
      w.line("   spanning lines */");
      w.line("include \"keys.conf\";");
      w.line(
          "key \"rndc-key\" { algorithm hmac-sha256; secret \"cm5kYy1rZXktZXhhbXBsZS1vbmx5LXJlcGxhY2UtbWUh\"; };");
      w.line("options {");
      w.line("\tdirectory \".\";");
      w.note("\tpid-file \"named.pid\";", "pid-file");
      w.line("\tversion \"none\";");
      w.note("\trecursion no;", "dropped: vxdns is authoritative only");
      w.note("\tdnssec-validation auto;", "dropped: vxdns is authoritative only");
      w.note("\tallow-query-cache { none; };", "dropped: vxdns is authoritative only");
      w.line("\tallow-recursion { none; };");
      w.line("\tlisten-on port 5300 { 127.0.0.1; };");
      w.line("\tlisten-on-v6 port 5300 { ::1; };");
      w.line("\tlisten-on port 8853 tls ephemeral { 127.0.0.1; };");
      w.line("\tlisten-on port 8443 tls ephemeral http default { 127.0.0.1; };");
      w.line("\tlisten-on port 8080 tls none http default { 127.0.0.1; };");
      w.line("\tnotify explicit;");
      w.line("\talso-notify { 192.0.2.10; 192.0.2.11 port 5353 key key-3; };");
      w.line("\tallow-transfer { none; };");
      w.line("\ttcp-clients 200;");
      w.line("\ttransfers-out 20;");
      w.line("\tmax-transfer-idle-out 30;");
      w.line("\tmax-udp-size 1232;");
      w.line("\tedns-udp-size 1232;");
      w.line("\trate-limit {");
      w.line("\t\tresponses-per-second 10;");
      w.line("\t\twindow 5;");
      w.line("\t\texempt-clients { 127.0.0.1; };");
      w.line("\t};");
      w.note("\tquerylog yes;", "querylog");
      w.line("};");
      w.note("logging {", "logging");
      w.line(
          "\tchannel default_log { file \"named.log\" versions 3 size 5m; severity info; print-time yes; };");
      w.line("\tcategory default { default_log; };");
      w.line("};");
      w.note(
          "statistics-channels { inet 127.0.0.1 port 8053 allow { 127.0.0.1; }; };",
          "vxdns serves Prometheus metrics there");
      w.line("controls {");
      w.line("\tinet 127.0.0.1 port 9530 allow { localhost; } keys { \"rndc-key\"; };");
      w.note("\tunix \"/run/named/ctl\" perm 0600 owner 0 group 0;", "only inet control channels");
      w.line("};");
      for (int i = 0; i < 30; i++) {
        w.line(
            "acl \"internal-"
                + i
                + "\" { 10."
                + i
                + ".0.0/16; !10."
                + i
                + ".1.0/24; key key-"
                + (i % 20)
                + "; };");
      }
      w.line("primaries \"upstream\" { 192.0.2.1 key key-1; 192.0.2.2 port 5353; };");
      w.line("primaries backup { upstream; 198.51.100.1; };");
      w.note("zone \".\" { type hint; file \"root.hints\"; };", "type hint");
      w.line(
          "zone \"localhost\" { type master; file \"localhost.zone\"; allow-update { none; }; };");
      zoneFile(dir, "localhost.zone", "localhost.");
      w.note(
          "zone \"version.bind\" chaos { type primary; file \"version.zone\"; };", "class CHAOS");
      int served = 1;
      for (int i = 0; i < zones; i++) {
        String name = "zone-" + i + ".example";
        if (i % 4 == 0) {
          w.line("zone \"" + name + "\" {");
          w.line("\ttype slave;");
          w.line("\tfile \"" + name + ".copy\";");
          w.line(
              i % 8 == 0 ? "\tprimaries { backup; };" : "\tmasters { upstream; 198.51.100.1; };");
          w.line("\tallow-update-forwarding { key key-" + (i % 20) + "; };");
          w.line("\trequest-ixfr no;");
          w.line("\tmin-refresh-time 60;");
          w.line("\tmax-transfer-idle-in 5;");
          w.line("\tmin-transfer-rate-in 20480 3;");
          w.line("};");
          served++;
        } else if (i % 97 == 5) {
          w.note(
              "zone \"" + name + "\" { type forward; forwarders { 192.0.2.53; }; };",
              "with recursion no, named does not forward it either");
        } else {
          w.line("zone \"" + name + "\" IN {");
          w.line("\ttype primary;");
          w.line("\tfile \"zones/" + name + ".db\";");
          w.line("\tallow-transfer { internal-" + (i % 30) + "; };");
          w.line("\tallow-query { any; };");
          if (i % 50 == 1) {
            w.line("\tupdate-policy local;");
          } else if (i % 2 == 1) {
            w.line("\tupdate-policy { grant key-" + (i % 20) + " zonesub ANY; };");
          }
          if (i % 10 == 3) {
            w.line("\tixfr-from-differences yes;");
          }
          if (i % 10 == 2) {
            w.line("\talso-notify { 192.0.2.20 key key-2; };");
            w.line("\tnotify explicit;");
          }
          if (i % 33 == 2) {
            w.note("\tdnssec-policy default;", "not converted (zone " + name + ")");
          }
          w.line("};");
          zoneFile(dir, "zones/" + name + ".db", name + ".");
          served++;
        }
      }
      w.note("view \"external\" {", "views are not supported");
      w.line("\tmatch-clients { any; };");
      w.line("\tzone \"v.example\" { type primary; file \"v.db\"; };");
      w.line("};");
      Path file = Files.writeString(dir.resolve("named.conf"), w.text);
      return new Generated(file, w.notes, served);
    }

    private static void zoneFile(Path dir, String relative, String origin) throws Exception {
      Path file = dir.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, ZONE_TEXT.replace("@ SOA", origin + " SOA"));
    }
  }

  /** named.conf text, line by line, with where the notes should be. */
  static final class Writer {
    final StringBuilder text = new StringBuilder();
    final Map<Integer, String> notes = new LinkedHashMap<>();
    int lines;

    void line(String line) {
      text.append(line).append('\n');
      lines++;
    }

    void note(String line, String expected) {
      line(line);
      notes.put(lines, expected);
    }
  }
}
