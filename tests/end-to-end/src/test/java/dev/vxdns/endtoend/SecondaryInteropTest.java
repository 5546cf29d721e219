package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.auth.TsigKey;
import dev.vxdns.secondary.NotifySender;
import dev.vxdns.secondary.Primary;
import dev.vxdns.secondary.TlsTrust;
import dev.vxdns.secondary.TransferClient;
import dev.vxdns.secondary.TransferException;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneDiff;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The secondary's client side (modules/secondary) against BIND 9.20's named as primary: AXFR with
 * and without TSIG, IXFR after nsupdate changed the zone on named, XoT over named's {@code tls
 * ephemeral} listener, SOA serial queries, and NOTIFY to a named secondary zone that requires a
 * key. Every transferred zone is compared record by record with {@code dig axfr} of the same zone.
 */
class SecondaryInteropTest {
  static final String KEY_NAME = "xfr-key.";
  static final String KEY_SECRET = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  static final TsigKey KEY = TsigKey.parse(KEY_NAME, "hmac-sha256", KEY_SECRET);
  static final TsigKey WRONG_KEY =
      TsigKey.parse(KEY_NAME, "hmac-sha256", "d3Jvbmcgc2VjcmV0IHdyb25nIHNlY3JldCEhISE=");

  @TempDir static Path dir;
  static Vertx vertx;
  static Peer named;
  static int port;
  static int tlsPort;
  static int ephemeralPort;
  static TestCertificate certificate;
  static Dig920 dig;

  @BeforeAll
  static void startNamed() throws Exception {
    Peer.requireNamed920();
    dig = Dig920.find();
    port = TestNode.freePort();
    do {
      tlsPort = TestNode.freePort();
      ephemeralPort = TestNode.freePort();
    } while (tlsPort == port || ephemeralPort == port || ephemeralPort == tlsPort);
    certificate = TestCertificate.create(dir.resolve("cert"));
    for (String zone : List.of("open.test", "signed.test", "xot.test")) {
      Files.writeString(dir.resolve(zone + ".zone"), zoneFile(zone));
    }
    // Big enough for named to send the AXFR in many messages, each signed in the TSIG chain.
    Files.writeString(
        dir.resolve("big.test.zone"),
        zoneFile("big.test") + "$GENERATE 1-20000 host$ IN TXT \"padding record $\"\n");
    Path conf = dir.resolve("named.conf");
    Files.writeString(conf, namedConf());
    named = Peer.named(dir, conf);
    named.awaitNamed(List.of());
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (named != null) {
      named.close();
    }
  }

  static String zoneFile(String zone) {
    return String.join(
        "\n",
        "$ORIGIN " + zone + ".",
        "$TTL 300",
        "@ IN SOA ns1 hostmaster 1 3600 600 86400 300",
        "@ IN NS ns1",
        "@ IN NS ns2",
        "@ IN MX 10 mail",
        "ns1 IN A 127.0.0.1",
        "ns2 IN A 127.0.0.2",
        "ns2 IN AAAA ::1",
        "mail IN A 192.0.2.25",
        "www IN A 192.0.2.80",
        "www IN TXT \"hello world\" \"second string\"",
        "alias IN CNAME www",
        "sub IN NS ns.sub",
        "ns.sub IN A 192.0.2.53",
        "_sip._tcp IN SRV 10 20 5060 www",
        "*.wild IN A 192.0.2.99",
        "");
  }

  static String namedConf() {
    String d = dir.toString();
    return String.join(
        "\n",
        "options {",
        "  directory \"" + d + "\";",
        "  pid-file \"" + d + "/named.pid\";",
        "  session-keyfile \"" + d + "/session.key\";",
        "  managed-keys-directory \"" + d + "\";",
        "  listen-on port " + port + " { 127.0.0.1; };",
        "  listen-on port " + tlsPort + " tls local-tls { 127.0.0.1; };",
        "  listen-on port " + ephemeralPort + " tls ephemeral { 127.0.0.1; };",
        "  listen-on-v6 { none; };",
        "  recursion no;",
        "  dnssec-validation no;",
        "  notify no;",
        "};",
        "controls { };",
        "tls local-tls { cert-file \""
            + certificate.cert()
            + "\"; key-file \""
            + certificate.key()
            + "\"; };",
        "key \"" + KEY_NAME + "\" { algorithm hmac-sha256; secret \"" + KEY_SECRET + "\"; };",
        "zone \"open.test\" {",
        "  type primary; file \"" + d + "/open.test.zone\";",
        "  allow-transfer { any; };",
        "};",
        "zone \"signed.test\" {",
        "  type primary; file \"" + d + "/signed.test.zone\";",
        "  allow-transfer { key \"" + KEY_NAME + "\"; };",
        "  allow-update { key \"" + KEY_NAME + "\"; };",
        "};",
        "zone \"big.test\" {",
        "  type primary; file \"" + d + "/big.test.zone\";",
        "  allow-transfer { key \"" + KEY_NAME + "\"; };",
        "};",
        "zone \"xot.test\" {",
        "  type primary; file \"" + d + "/xot.test.zone\";",
        "  allow-transfer transport tls { any; };",
        "};",
        // A secondary zone whose primary is elsewhere: NOTIFY is accepted only with the key.
        "zone \"sec.test\" {",
        "  type secondary; file \"" + d + "/sec.test.db\";",
        "  primaries { 127.0.0.2 port " + port + "; };",
        "  allow-notify { key \"" + KEY_NAME + "\"; };",
        "};",
        "");
  }

  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  TransferClient client() {
    return new TransferClient(vertx, Duration.ofSeconds(10));
  }

  InetSocketAddress plain() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** dig 9.20's AXFR of the zone, parsed, as a sorted set of dnsjava's presentation forms. */
  Set<String> digAxfr(String zone, boolean withKey) throws Exception {
    List<String> args = new ArrayList<>(List.of("-p", String.valueOf(port), "@127.0.0.1"));
    if (withKey) {
      args.addAll(List.of("-y", "hmac-sha256:" + KEY_NAME + ":" + KEY_SECRET));
    }
    args.addAll(List.of(zone, "AXFR", "+nocmd", "+nostats", "+nocomments"));
    return parseDig(runDig(args));
  }

  /** dig's output, through a file: a whole zone would fill a pipe that is read only at the end. */
  static String runDig(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(dig.binary().toString());
    command.addAll(args);
    Path out = Files.createTempFile(dir, "dig", ".out");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    if (dig.libraryPath() != null) {
      builder.environment().put("LD_LIBRARY_PATH", dig.libraryPath());
    }
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "dig did not finish: " + command);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** dig's answer lines as dnsjava's presentation forms, without dig's TSIG lines. */
  static Set<String> parseDig(String out) throws Exception {
    StringBuilder zoneText = new StringBuilder();
    for (String line : out.split("\n")) {
      if (!line.matches(".*\\sANY\\s+TSIG\\s.*")) {
        zoneText.append(line).append('\n');
      }
    }
    Set<String> records = new TreeSet<>();
    try (Master master =
        new Master(
            new ByteArrayInputStream(zoneText.toString().getBytes(StandardCharsets.UTF_8)))) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        records.add(r.toString());
      }
    }
    assertTrue(records.size() > 5, "dig axfr gave too little:\n" + out);
    return records;
  }

  static Set<String> presentation(Zone zone) {
    Set<String> records = new TreeSet<>();
    zone.records().forEach(r -> records.add(r.toString()));
    return records;
  }

  @Test
  void axfrWithoutTsigMatchesDig() throws Exception {
    Name origin = Name.fromString("open.test.");
    Zone zone = await(client().transfer(Primary.tcp(plain(), null), origin, null));
    assertEquals(1, zone.serial());
    assertTrue(zone.history().isEmpty());
    assertEquals(digAxfr("open.test", false), presentation(zone));
  }

  @Test
  void axfrWithTsigMatchesDigAndIsRefusedWithoutOrWithAWrongKey() throws Exception {
    Name origin = Name.fromString("signed.test.");
    Zone zone = await(client().transfer(Primary.tcp(plain(), KEY), origin, null));
    assertEquals(digAxfr("signed.test", true), presentation(zone));

    TransferException unsigned =
        assertThrows(
            TransferException.class,
            () -> await(client().transfer(Primary.tcp(plain(), null), origin, null)));
    assertTrue(unsigned.getMessage().contains("REFUSED"), unsigned.getMessage());
    TransferException wrong =
        assertThrows(
            TransferException.class,
            () -> await(client().transfer(Primary.tcp(plain(), WRONG_KEY), origin, null)));
    assertTrue(wrong.getMessage().contains("BADSIG"), wrong.getMessage());
  }

  @Test
  void aLargeSignedAxfrSpansManyMessagesEachVerified() throws Exception {
    Name origin = Name.fromString("big.test.");
    Zone zone = await(client().transfer(Primary.tcp(plain(), KEY), origin, null));
    assertTrue(zone.recordCount() > 20000, zone.toString());
    assertEquals(digAxfr("big.test", true), presentation(zone));
  }

  @Test
  void ixfrAfterNsupdateAppliesTheDiffAndMatchesDig() throws Exception {
    Name origin = Name.fromString("signed.test.");
    Primary primary = Primary.tcp(plain(), KEY);
    Zone before = await(client().transfer(primary, origin, null));
    long serial = before.serial();
    // Nothing changed yet: the IXFR answer is the single SOA, and the same version comes back.
    assertSame(before, await(client().transfer(primary, origin, before)));

    nsupdate(
        "update add new.signed.test. 300 IN A 192.0.2.77",
        "update delete www.signed.test. TXT",
        "send");
    long after = await(client().soaSerial(primary, origin));
    assertTrue(after > serial, "named did not bump the serial: " + after);

    Zone next = await(client().transfer(primary, origin, before));
    assertNotSame(before, next);
    assertEquals(after, next.serial());
    assertEquals(1, next.history().size(), "not applied as an IXFR diff: " + next.history());
    ZoneDiff diff = next.history().get(0);
    assertEquals(serial, diff.fromSerial());
    assertTrue(
        diff.added().stream().anyMatch(r -> r.getName().toString().equals("new.signed.test.")),
        diff.toString());
    assertTrue(diff.deleted().stream().anyMatch(r -> r.getType() == Type.TXT), diff.toString());
    assertEquals(digAxfr("signed.test", true), presentation(next));
  }

  @Test
  void soaSerialOverUdpAndTls() throws Exception {
    Name origin = Name.fromString("open.test.");
    assertEquals(1L, await(client().soaSerial(Primary.tcp(plain(), null), origin)));
    assertEquals(
        1L,
        await(
            client()
                .soaSerial(
                    Primary.tls(
                        new InetSocketAddress("127.0.0.1", tlsPort),
                        null,
                        TlsTrust.opportunistic()),
                    origin)));
    TransferException notOurs =
        assertThrows(
            TransferException.class,
            () ->
                await(client().soaSerial(Primary.tcp(plain(), null), Name.fromString("nowhere."))));
    assertTrue(notOurs.getMessage().contains("REFUSED"), notOurs.getMessage());
  }

  @Test
  void xotTransfersOverTlsOnlyAndMatchesDig() throws Exception {
    Name origin = Name.fromString("xot.test.");
    Primary tls =
        Primary.tls(new InetSocketAddress("127.0.0.1", tlsPort), null, TlsTrust.opportunistic());
    Zone zone = await(client().transfer(tls, origin, null));
    assertEquals(1, zone.serial());
    // The same zone over plain TCP is refused: allow-transfer says transport tls.
    TransferException overTcp =
        assertThrows(
            TransferException.class,
            () -> await(client().transfer(Primary.tcp(plain(), null), origin, null)));
    assertTrue(overTcp.getMessage().contains("REFUSED"), overTcp.getMessage());
    List<String> args =
        List.of(
            "-p",
            String.valueOf(tlsPort),
            "@127.0.0.1",
            "+tls",
            "xot.test",
            "AXFR",
            "+nocmd",
            "+nostats",
            "+nocomments");
    assertEquals(parseDig(runDig(args)), presentation(zone));

    // Authenticated XoT: the test CA (the self-signed certificate) and its name.
    Primary checked =
        Primary.tls(
            new InetSocketAddress("127.0.0.1", tlsPort),
            null,
            new TlsTrust(certificate.cert().toString(), "localhost"));
    assertEquals(presentation(zone), presentation(await(client().transfer(checked, origin, null))));
    Primary wrongName =
        Primary.tls(
            new InetSocketAddress("127.0.0.1", tlsPort),
            null,
            new TlsTrust(certificate.cert().toString(), "other.example"));
    TransferException mismatch =
        assertThrows(
            TransferException.class, () -> await(client().transfer(wrongName, origin, null)));
    assertTrue(mismatch.getMessage().contains("cannot connect"), mismatch.getMessage());
  }

  /**
   * BIND's {@code tls ephemeral} certificate is an X.509 v1 certificate with an empty subject,
   * which the JDK's certificate parser refuses ("Empty subject DN not allowed in v1 certificate")
   * before any trust decision: XoT to such a primary fails, cleanly. A primary needs a real
   * certificate (a {@code tls} block with cert-file and key-file), as above.
   */
  @Test
  void xotToBindsEphemeralCertificateFailsCleanly() throws Exception {
    Primary ephemeral =
        Primary.tls(
            new InetSocketAddress("127.0.0.1", ephemeralPort), null, TlsTrust.opportunistic());
    TransferException e =
        assertThrows(
            TransferException.class,
            () -> await(client().soaSerial(ephemeral, Name.fromString("open.test."))));
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append(" / ");
    }
    assertTrue(chain.toString().contains("Empty subject DN"), chain.toString());
  }

  @Test
  void xotWithTsig() throws Exception {
    Name origin = Name.fromString("signed.test.");
    Primary tls =
        Primary.tls(new InetSocketAddress("127.0.0.1", tlsPort), KEY, TlsTrust.opportunistic());
    Zone zone = await(client().transfer(tls, origin, null));
    assertEquals(digAxfr("signed.test", true), presentation(zone));
  }

  @Test
  void notifyIsAnsweredWithTheKeyAndRefusedWithout() throws Exception {
    Name zone = Name.fromString("sec.test.");
    SOARecord soa =
        new SOARecord(
            zone,
            org.xbill.DNS.DClass.IN,
            300,
            Name.fromString("ns1.sec.test."),
            Name.fromString("hostmaster.sec.test."),
            42,
            3600,
            600,
            86400,
            300);
    NotifySender sender = new NotifySender(vertx, Duration.ofSeconds(2), 3, Duration.ofSeconds(5));
    await(sender.notify(plain(), zone, soa, KEY));
    named.awaitLog("notify from 127.0.0.1", 10);
    TransferException refused =
        assertThrows(TransferException.class, () -> await(sender.notify(plain(), zone, soa, null)));
    assertTrue(refused.getMessage().contains("REFUSED"), refused.getMessage());
    // A zone named does not serve: named answers with an error (not a timeout), also a failure.
    TransferException unknown =
        assertThrows(
            TransferException.class,
            () -> await(sender.notify(plain(), Name.fromString("nowhere."), soa, KEY)));
    assertTrue(unknown.getMessage().contains(": answered "), unknown.getMessage());
  }

  static void nsupdate(String... commands) throws Exception {
    Path nsupdate = Dig920.prefix().resolve("usr/bin/nsupdate");
    ProcessBuilder builder =
        new ProcessBuilder(nsupdate.toString(), "-y", "hmac-sha256:" + KEY_NAME + ":" + KEY_SECRET)
            .redirectErrorStream(true);
    builder.environment().put("LD_LIBRARY_PATH", Dig920.privateLibraries());
    Process process = builder.start();
    String script =
        "server 127.0.0.1 " + port + "\nzone signed.test.\n" + String.join("\n", commands) + "\n";
    process.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "nsupdate did not finish");
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), "nsupdate failed:\n" + out);
  }
}
