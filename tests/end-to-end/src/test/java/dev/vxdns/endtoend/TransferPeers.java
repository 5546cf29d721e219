package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferIn;

/**
 * What the zone transfer interop tests share: one TSIG key known to vxdns and the peers, the
 * contents of a zone as a server transfers it (dnsjava's AXFR client, TSIG-verified), signed
 * dynamic updates, waiting for a peer, and starting named 9.20.
 */
final class TransferPeers {
  static final String KEY_NAME = SecondaryInteropTest.KEY_NAME;
  static final String KEY_SECRET = SecondaryInteropTest.KEY_SECRET;
  static final String KEY_ARG = "hmac-sha256:" + KEY_NAME + ":" + KEY_SECRET;

  private TransferPeers() {}

  /** Free ports for UDP and TCP, all different. */
  static int[] freePorts(int count) throws Exception {
    List<Integer> ports = new ArrayList<>();
    while (ports.size() < count) {
      int free = TestNode.freePort();
      if (!ports.contains(free)) {
        ports.add(free);
      }
    }
    return ports.stream().mapToInt(Integer::intValue).toArray();
  }

  static TSIG tsig() {
    return new TSIG(TSIG.HMAC_SHA256, KEY_NAME, KEY_SECRET);
  }

  /** The node config's top-level {@code key} object with the shared key. */
  static JsonObject keyConfig() {
    return new JsonObject()
        .put(KEY_NAME, new JsonObject().put("algorithm", "hmac-sha256").put("secret", KEY_SECRET));
  }

  /** A node's secondary zone entry for the primary on 127.0.0.1 at {@code port}, notify no. */
  static JsonObject secondaryOf(int port) {
    JsonObject primary = new JsonObject().put("address", "127.0.0.1").put("port", port);
    return new JsonObject()
        .put("type", "secondary")
        .put("primaries", new JsonArray().add(primary))
        .put("notify", "no");
  }

  /** Sends the server on {@code port} a NOTIFY for {@code zone}, as a primary does (UDP). */
  static void notify(int port, String zone) throws Exception {
    Message notify = Message.newQuery(Record.newRecord(name(zone + "."), Type.SOA, DClass.IN));
    notify.getHeader().setOpcode(Opcode.NOTIFY);
    notify.getHeader().setFlag(Flags.AA);
    notify.getHeader().unsetFlag(Flags.RD);
    DnsClient.udp(port, notify.toWire(), 2000);
  }

  /** A node's primary zone entry for {@code file}, notify no, transferred to anyone. */
  static JsonObject primaryOf(Path file) {
    return new JsonObject()
        .put("file", file.toString())
        .put("notify", "no")
        .put("allow-transfer", new JsonArray().add("any"));
  }

  /** {@link #primaryOf} that takes updates signed with the shared key. */
  static JsonObject updatablePrimaryOf(Path file) {
    return primaryOf(file).put("allow-update", new JsonArray().add("key " + KEY_NAME));
  }

  /**
   * named.conf's statement for a primary {@code zone} read from {@code <zone>.zone} in named's
   * directory (as {@link #writeZone} writes it), with {@code more} inside the braces.
   */
  static String namedPrimary(String zone, String more) {
    return "zone \"" + zone + "\" { type primary; file \"" + zone + ".zone\";" + more + " };\n";
  }

  /** {@link #namedPrimary}'s {@code more} for a zone that takes updates signed with the key. */
  static final String NAMED_ALLOW_UPDATE = " allow-update { key \"" + KEY_NAME + "\"; };";

  /** Writes the test zone {@code zone} (SecondaryInteropTest's records) into {@code dir}. */
  static Path writeZone(Path dir, String zone) throws Exception {
    Path file = dir.resolve(zone + ".zone");
    Files.writeString(file, SecondaryInteropTest.zoneFile(zone));
    return file;
  }

  /**
   * The zone as the server on {@code port} transfers it (AXFR, signed with the shared key and each
   * message verified), as a sorted set of presentation forms: record by record comparable.
   */
  static Set<String> axfr(int port, String zone) throws Exception {
    ZoneTransferIn xfr =
        ZoneTransferIn.newAXFR(
            Name.fromString(zone + "."), new InetSocketAddress("127.0.0.1", port), tsig());
    xfr.setTimeout(Duration.ofSeconds(20));
    xfr.run();
    Set<String> records = new TreeSet<>();
    for (Record record : xfr.getAXFR()) {
      records.add(record.toString());
    }
    return records;
  }

  /**
   * The same over XoT, for a zone whose allow-transfer admits TLS only: kdig's AXFR (opportunistic
   * TLS, the shared key) to the DoT listener on {@code port}, parsed.
   */
  static Set<String> axfrOverTls(int port, String zone) throws Exception {
    String out =
        XfrInteropTest.runAllowingFailure(
            "kdig",
            List.of(
                "@127.0.0.1",
                "-p",
                Integer.toString(port),
                "+tls",
                "+timeout=10",
                "+retry=0",
                "-y",
                KEY_ARG,
                zone + ".",
                "AXFR",
                "+noall",
                "+answer"));
    return SecondaryInteropTest.parseDig(out);
  }

  /** The SOA serial the server on {@code port} answers (UDP), or -1 with any other answer. */
  static long serial(int port, String zone) {
    try {
      Message answer = DnsClient.query(port, zone + ".", Type.SOA, false);
      List<Record> records = answer.getSection(Section.ANSWER);
      if (answer.getRcode() != Rcode.NOERROR || records.isEmpty()) {
        return -1;
      }
      return ((SOARecord) records.get(0)).getSerial();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Sends one signed dynamic update over TCP to {@code port} and checks it was applied. */
  static void update(int port, String zone, Changes changes) throws Exception {
    Message response = signedUpdate(port, zone, changes);
    assertEquals(Rcode.NOERROR, response.getRcode(), "the update was not applied:\n" + response);
  }

  /** Sends the update signed with the test key over TCP; returns the verified response. */
  static Message signedUpdate(int port, String zone, Changes changes) throws Exception {
    Message response = sendUpdate(port, zone, tsig(), changes);
    assertTrue(response.isVerified(), "the update's response is not signed:\n" + response);
    return response;
  }

  /** Sends the update signed with {@code key} over TCP; returns the response, verified or not. */
  static Message sendUpdate(int port, String zone, TSIG key, Changes changes) throws Exception {
    Update update = new Update(Name.fromString(zone + "."));
    changes.apply(update);
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
    resolver.setTCP(true);
    resolver.setTSIGKey(key);
    resolver.setTimeout(Duration.ofSeconds(10));
    return resolver.send(update);
  }

  /** What one update message changes. */
  interface Changes {
    void apply(Update update) throws Exception;
  }

  static Name name(String text) {
    return Name.fromConstantString(text);
  }

  /** Waits up to a minute for {@code condition}; fails with {@code what} and the diagnostics. */
  static void waitFor(String what, Callable<Boolean> condition, Supplier<String> diagnostics)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting for " + what + ":\n" + diagnostics.get());
      }
      Thread.sleep(50);
    }
  }

  /** Waits until the server on {@code port} answers {@code zone}'s SOA with {@code serial}. */
  static void awaitSerial(
      String what, int port, String zone, long serial, Supplier<String> diagnostics)
      throws Exception {
    waitFor(what, () -> serial(port, zone) == serial, diagnostics);
  }

  /** The options block of a named 9.20 that listens on {@code port} (plus {@code more} lines). */
  static String namedOptions(Path dir, int port, String... more) {
    String d = dir.toString();
    List<String> lines =
        new ArrayList<>(
            List.of(
                "options {",
                "  directory \"" + d + "\";",
                "  pid-file \"" + d + "/named.pid\";",
                "  session-keyfile \"" + d + "/session.key\";",
                "  managed-keys-directory \"" + d + "\";",
                "  listen-on port " + port + " { 127.0.0.1; };",
                "  listen-on-v6 { none; };",
                "  recursion no;",
                "  dnssec-validation no;"));
    lines.addAll(List.of(more));
    lines.addAll(
        List.of(
            "};",
            "controls { };",
            "key \"" + KEY_NAME + "\" { algorithm hmac-sha256; secret \"" + KEY_SECRET + "\"; };",
            ""));
    return String.join("\n", lines);
  }

  /** Starts named with {@code conf} (written to dir/named.conf) and waits until it runs. */
  static Peer startNamed(Path dir, String conf) throws Exception {
    Path file = dir.resolve("named.conf");
    Files.writeString(file, conf);
    Peer named = Peer.named(dir, file);
    try {
      named.awaitNamed(List.of());
      return named;
    } catch (AssertionError e) {
      named.close();
      throw e;
    }
  }

  /** Closes each of a test's peers and nodes that was started (null: never started), in order. */
  static void closeAll(AutoCloseable... started) throws Exception {
    for (AutoCloseable resource : started) {
      if (resource != null) {
        resource.close();
      }
    }
  }

  /** A BIND 9.20 tool from the private prefix (usr/bin), its output; fails on a non-zero exit. */
  static String bind920Tool(String tool, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Dig920.prefix().resolve("usr/bin/" + tool).toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LD_LIBRARY_PATH", Dig920.privateLibraries());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), tool + " did not finish");
    assertEquals(0, process.exitValue(), command + " failed:\n" + out);
    return out;
  }
}
