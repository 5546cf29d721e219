package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vxdns.auth.DhGroup;
import dev.vxdns.auth.DhKey;
import dev.vxdns.auth.DhPublicValue;
import dev.vxdns.auth.TkeyClient;
import dev.vxdns.auth.TkeyException;
import dev.vxdns.auth.TsigAlgorithm;
import dev.vxdns.auth.TsigKey;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TKEYRecord;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * Our TKEY Diffie-Hellman client (modules/auth) against BIND named 9.18, the last release with
 * TKEY-DH: negotiate a key, use it for a signed query (NOERROR, the answer's TSIG verifies), delete
 * it (TKEY mode 5), and check that BIND no longer knows it. Several negotiations with fresh client
 * keys, some chosen so that the shared DH value has a leading zero octet: that is where a padded
 * and an unpadded shared value derive different secrets (1 in 256 random keys).
 *
 * <p>named 9.18 is taken from {@code ${VXDNS_BIND918:-/opt/vxdns/bind918}} (.ci/install-bind918.sh
 * unpacks Debian bookworm's packages there); the test skips with a message when it is missing.
 * Loopback only, a free port, no control channel, always stopped.
 */
class Bind918TkeyInteropTest {
  static final int NEGOTIATIONS = 20;

  /** Negotiations whose client key is chosen so that the shared DH value is one octet short. */
  static final int SHORT_SHARED_VALUES = 5;

  static final Name SIGNER = name("tkey-signer.vxdns.");
  static final Name SERVER_DH = name("server-dh.vxdns.");
  static final Name CLIENT_DH = name("client-dh.vxdns.");
  static final Name TKEY_DOMAIN = name("tkey.test.");
  static final Name ZONE = name("interop.test.");
  static final Name WWW = name("www.interop.test.");

  private static final SecureRandom random = new SecureRandom();
  private static Path prefix;
  private static Path dir;
  private static Process named;
  private static Path log;
  private static int port;
  private static TsigKey signer;
  private static DhKey serverDh;

  static Name name(String s) {
    return Name.fromConstantString(s);
  }

  static Path prefix() {
    String p = System.getenv("VXDNS_BIND918");
    return Path.of(p == null || p.isBlank() ? "/opt/vxdns/bind918" : p);
  }

  static String libraryPath(Path root) throws IOException {
    Path lib = root.resolve("usr/lib");
    try (Stream<Path> dirs = Files.list(lib)) {
      return dirs.filter(d -> d.getFileName().toString().endsWith("-linux-gnu"))
          .findFirst()
          .orElse(lib)
          .toString();
    }
  }

  /** Runs a tool of the private prefix to completion (bounded); its output. */
  static String runTool(List<String> command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("LD_LIBRARY_PATH", libraryPath(prefix));
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      fail(command + " did not finish in 60 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.exitValue() == 0, command + " failed: " + out);
    return out;
  }

  @BeforeAll
  static void startNamed() throws Exception {
    prefix = prefix();
    File binary = prefix.resolve("usr/sbin/named").toFile();
    if (!binary.canExecute()) {
      return; // the test skips, with the message of assumeNamed918
    }
    dir = Files.createTempDirectory("vxdns-bind918-tkey");

    // The server's DH key, made by BIND's own dnssec-keygen; we also load its private half, to
    // know each negotiation's shared value in advance.
    String base =
        runTool(
                List.of(
                    prefix.resolve("usr/bin/dnssec-keygen").toString(),
                    "-a",
                    "DH",
                    "-b",
                    "1024",
                    "-n",
                    "HOST",
                    "-K",
                    dir.toString(),
                    SERVER_DH.toString()))
            .trim();
    Matcher m =
        Pattern.compile("K" + Pattern.quote(SERVER_DH.toString()) + "\\+002\\+(\\d+)")
            .matcher(base);
    assertTrue(m.find(), "dnssec-keygen printed no key file name: " + base);
    int keyId = Integer.parseInt(m.group(1));
    serverDh =
        DhKey.fromBindPrivateKey(
            SERVER_DH,
            Files.readString(dir.resolve(m.group() + ".private"), StandardCharsets.US_ASCII));

    byte[] secret = new byte[32];
    random.nextBytes(secret);
    signer = TsigKey.of(SIGNER, TsigAlgorithm.HMAC_SHA256, secret);

    Files.writeString(
        dir.resolve("interop.test.zone"),
        String.join(
            "\n",
            "$TTL 300",
            "@ IN SOA ns.interop.test. hostmaster.interop.test. 1 3600 600 86400 300",
            "@ IN NS ns.interop.test.",
            "ns IN A 127.0.0.1",
            "www IN A 192.0.2.80",
            ""));
    port = TestNode.freePort();
    String d = dir.toString();
    Path conf = dir.resolve("named.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "options {",
            "  directory \"" + d + "\";",
            "  pid-file \"" + d + "/named.pid\";",
            "  lock-file \"" + d + "/named.lock\";",
            "  session-keyfile \"" + d + "/session.key\";",
            "  managed-keys-directory \"" + d + "\";",
            "  dump-file \"" + d + "/named_dump.db\";",
            "  statistics-file \"" + d + "/named.stats\";",
            "  memstatistics-file \"" + d + "/named.memstats\";",
            "  listen-on port " + port + " { 127.0.0.1; };",
            "  listen-on-v6 { none; };",
            "  recursion no;",
            "  dnssec-validation no;",
            "  notify no;",
            "  tkey-dhkey \"" + SERVER_DH + "\" " + keyId + ";",
            "  tkey-domain \"" + TKEY_DOMAIN + "\";",
            "};",
            "controls { };",
            "key \""
                + SIGNER
                + "\" { algorithm hmac-sha256; secret \""
                + signer.secretBase64()
                + "\"; };",
            "zone \"" + ZONE + "\" { type primary; file \"interop.test.zone\"; };",
            ""));

    log = dir.resolve("named.log");
    ProcessBuilder pb =
        new ProcessBuilder(binary.toString(), "-g", "-c", conf.toString(), "-n", "1")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("LD_LIBRARY_PATH", libraryPath(prefix));
    named = pb.start();

    // Ready when it answers the zone's SOA; bounded.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (!named.isAlive()) {
        fail("named 9.18 exited (" + named.exitValue() + "):\n" + namedLog());
      }
      try {
        Message r =
            resolver(null).send(Message.newQuery(Record.newRecord(ZONE, Type.SOA, DClass.IN)));
        if (r.getRcode() == Rcode.NOERROR) {
          break;
        }
      } catch (IOException notYet) {
        // retry
      }
      if (System.nanoTime() > deadline) {
        fail("named 9.18 did not answer within 30 s:\n" + namedLog());
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void stopNamed() throws Exception {
    if (named != null) {
      named.destroy();
      if (!named.waitFor(10, TimeUnit.SECONDS)) {
        named.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  static String namedLog() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  static SimpleResolver resolver(TsigKey key) throws Exception {
    SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    r.setTimeout(Duration.ofSeconds(3));
    if (key != null) {
      r.setTSIGKey(key.toDnsjava());
    }
    return r;
  }

  /** A client key whose shared value with the server's has a leading zero octet (or not). */
  static DhKey clientKey(boolean shortSharedValue) {
    int full = (serverDh.publicValue().prime().bitLength() + 7) / 8;
    for (int attempt = 0; attempt < 20_000; attempt++) {
      DhKey k = DhKey.generate(CLIENT_DH, DhGroup.MODP1024, random);
      if (!shortSharedValue || serverDh.agree(k.publicValue()).length < full) {
        return k;
      }
    }
    throw new IllegalStateException("no client key with a short shared value in 20000 tries");
  }

  /** Skips the calling test, with a message, when the private BIND 9.18 is not installed. */
  static void assumeNamed918() {
    Path binary = prefix().resolve("usr/sbin/named");
    Requires.that(
        Files.isExecutable(binary),
        "BIND 9.18 named not found at "
            + binary
            + " (set VXDNS_BIND918 or run"
            + " .ci/install-bind918.sh; the system's 9.20 has no TKEY Diffie-Hellman)");
  }

  @Test
  void negotiatesUsesAndDeletesKeysWithNamed918() throws Exception {
    assumeNamed918();
    List<String> failures = new ArrayList<>();
    List<String> done = new ArrayList<>();
    int full = (serverDh.publicValue().prime().bitLength() + 7) / 8;
    for (int i = 0; i < NEGOTIATIONS; i++) {
      boolean forceShort = i % (NEGOTIATIONS / SHORT_SHARED_VALUES) == 1;
      DhKey client = clientKey(forceShort);
      int sharedLength = serverDh.agree(client.publicValue()).length;
      // Every fifth negotiation lets named pick the name (QNAME "." gives random hex digits).
      Name qname = i % 5 == 4 ? Name.root : name("n" + i + ".");
      String what =
          "negotiation "
              + i
              + " (qname "
              + qname
              + ", shared DH value "
              + sharedLength
              + " of "
              + full
              + " octets"
              + (forceShort ? ", chosen short" : "")
              + ")";
      try {
        done.add(negotiateUseDelete(client, qname) + " " + what);
      } catch (AssertionError | TkeyException e) {
        failures.add(what + ": " + e.getMessage());
      }
    }
    System.out.println("TKEY-DH with named 9.18:\n  " + String.join("\n  ", done));
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " of "
              + NEGOTIATIONS
              + " negotiations failed:\n  "
              + String.join("\n  ", failures)
              + "\nnamed log:\n"
              + namedLog());
    }
  }

  /** One whole round; returns the negotiated key's name. */
  String negotiateUseDelete(DhKey client, Name qname) throws Exception {
    TkeyClient tkey = new TkeyClient(client, random, Clock.systemUTC());
    TkeyClient.DhQuery query = tkey.buildDhQuery(qname, Duration.ofHours(1));
    Message response = resolver(signer).send(query.message());
    check(
        response.isSigned() && response.isVerified(),
        "TKEY response not verified with "
            + SIGNER
            + " (rcode "
            + Rcode.string(response.getRcode())
            + ")\n"
            + response);
    TsigKey negotiated = tkey.processDhResponse(query, response);
    check(negotiated.name().subdomain(TKEY_DOMAIN), "key name " + negotiated.name());

    // Use it: a query signed with the negotiated key.
    Message answer =
        resolver(negotiated).send(Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN)));
    if (answer.getRcode() != Rcode.NOERROR) {
      fail(
          "query signed with "
              + negotiated
              + " got "
              + Rcode.string(answer.getRcode())
              + tsigError(answer)
              + diagnosePadding(query, response, negotiated)
              + "\n"
              + answer);
    }
    check(
        answer.isSigned() && answer.isVerified(),
        "answer signed with " + negotiated.name() + " does not verify\n" + answer);
    check(answer.getHeader().getFlag(Flags.AA), "answer not authoritative\n" + answer);
    List<Record> a = answer.getSection(Section.ANSWER);
    check(
        a.size() == 1
            && a.get(0) instanceof ARecord
            && ((ARecord) a.get(0)).getAddress().getHostAddress().equals("192.0.2.80"),
        "wrong answer\n" + answer);

    // Control: when the shared value is short, the secret derived from it padded to the prime's
    // length differs, and named must reject it (else the short cases would prove nothing).
    int full = (serverDh.publicValue().prime().bitLength() + 7) / 8;
    byte[] shared = serverDh.agree(client.publicValue());
    if (shared.length < full) {
      Message padded =
          resolver(paddedVariant(query, response, negotiated))
              .send(Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN)));
      check(
          padded.getRcode() == Rcode.NOTAUTH
              && padded.getTSIG() != null
              && padded.getTSIG().getError() == Rcode.BADSIG,
          "named accepted the secret derived from the padded shared value too: "
              + Rcode.string(padded.getRcode())
              + tsigError(padded));
    }

    // Delete it, signed with itself (its identity is its creator, the signer key).
    Message deleted = resolver(negotiated).send(TkeyClient.buildDeleteQuery(negotiated));
    check(deleted.isSigned() && deleted.isVerified(), "deletion response not verified\n" + deleted);
    TkeyClient.checkDeleteResponse(deleted);

    // Gone: BIND no longer knows the key (NOTAUTH, TSIG error BADKEY, unsigned).
    Message after =
        resolver(negotiated).send(Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN)));
    check(
        after.getRcode() == Rcode.NOTAUTH
            && after.getTSIG() != null
            && after.getTSIG().getError() == Rcode.BADKEY,
        "deleted key still usable: " + Rcode.string(after.getRcode()) + tsigError(after));
    return negotiated.name().toString();
  }

  static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  static String tsigError(Message m) {
    TSIGRecord t = m.getTSIG();
    return t == null ? " (no TSIG)" : " (TSIG error " + Rcode.TSIGstring(t.getError()) + ")";
  }

  /** The query's and the response's TKEY records. */
  static TKEYRecord[] tkeys(TkeyClient.DhQuery query, Message response) {
    TKEYRecord[] t = new TKEYRecord[2];
    for (Record r : query.message().getSection(Section.ADDITIONAL)) {
      if (r instanceof TKEYRecord) {
        t[0] = (TKEYRecord) r;
      }
    }
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r instanceof TKEYRecord) {
        t[1] = (TKEYRecord) r;
      }
    }
    check(t[0] != null && t[1] != null, "TKEY records missing");
    return t;
  }

  /** The shared value as the server computes it (we hold its private key), unpadded. */
  static byte[] serverShared(Message response) {
    for (Record r : response.getSection(Section.ANSWER)) {
      if (r.getType() == Type.KEY && r.getName().equals(CLIENT_DH)) {
        return serverDh.agree(DhPublicValue.fromKeyRecord((KEYRecord) r));
      }
    }
    throw new AssertionError("client KEY not echoed");
  }

  /** The key {@code ours} would be if the shared value were padded to the prime's length. */
  static TsigKey paddedVariant(TkeyClient.DhQuery query, Message response, TsigKey ours) {
    TKEYRecord[] t = tkeys(query, response);
    byte[] unpadded = serverShared(response);
    byte[] padded = new byte[(serverDh.publicValue().prime().bitLength() + 7) / 8];
    System.arraycopy(unpadded, 0, padded, padded.length - unpadded.length, unpadded.length);
    return TsigKey.negotiated(
        ours.name(),
        TsigAlgorithm.HMAC_MD5,
        derive(padded, t[0].getKey(), t[1].getKey()),
        ours.expires().orElseThrow(),
        null);
  }

  /**
   * When named rejects the negotiated key, tells whether named's secret is the one derived from the
   * shared value padded to the prime's length: then named (OpenSSL) pads and we do not.
   */
  static String diagnosePadding(TkeyClient.DhQuery query, Message response, TsigKey ours) {
    try {
      TKEYRecord[] t = tkeys(query, response);
      byte[] unpadded = serverShared(response);
      int full = (serverDh.publicValue().prime().bitLength() + 7) / 8;
      boolean oursIsUnpadded =
          MessageDigest.isEqual(ours.secret(), derive(unpadded, t[0].getKey(), t[1].getKey()));
      Message r =
          resolver(paddedVariant(query, response, ours))
              .send(Message.newQuery(Record.newRecord(WWW, Type.A, DClass.IN)));
      boolean namedPads = r.getRcode() == Rcode.NOERROR && r.isVerified();
      return " [shared value "
          + unpadded.length
          + "/"
          + full
          + " octets; our secret "
          + (oursIsUnpadded ? "= unpadded derivation" : "!= unpadded derivation")
          + "; named accepts the padded derivation (named pads, we do not): "
          + namedPads
          + "]";
    } catch (Exception | AssertionError e) {
      return " [padding diagnosis failed: " + e + "]";
    }
  }

  /** RFC 2930 / BIND 9.18 compute_secret, written independently of TkeyDh. */
  static byte[] derive(byte[] dh, byte[] queryNonce, byte[] serverNonce) {
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    md5.update(queryNonce);
    md5.update(dh);
    byte[] d1 = md5.digest();
    md5.update(serverNonce);
    md5.update(dh);
    byte[] d2 = md5.digest();
    byte[] d = Arrays.copyOf(d1, 32);
    System.arraycopy(d2, 0, d, 16, 16);
    byte[] secret = dh.length > 32 ? dh.clone() : d;
    byte[] other = dh.length > 32 ? d : dh;
    for (int i = 0; i < other.length; i++) {
      secret[i] ^= other[i];
    }
    return secret;
  }
}
