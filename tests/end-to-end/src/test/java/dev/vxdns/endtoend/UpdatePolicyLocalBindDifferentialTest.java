package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * BIND's {@code update-policy local} against named 9.20: each server makes a session key at start
 * and writes it to its {@code session-keyfile}; {@code nsupdate -l -k} that file changes the zone;
 * the same key behind a PROXY v2 header from another host is refused while from 127.0.0.1 it is
 * applied (the policy holds only for this host's addresses); and an update signed with another
 * secret under the session key's name fails. The outcomes are compared server by server.
 */
class UpdatePolicyLocalBindDifferentialTest {
  private static final String ZONE = "local.test";
  private static final Path NSUPDATE = Dig920.prefix().resolve("usr/bin/nsupdate");

  @Test
  void nsupdateMinusLChangesTheZoneFromThisHostOnlyAsNamedDoes(@TempDir Path dir) throws Exception {
    Peer.requireNamed920();
    Requires.that(
        Files.isExecutable(NSUPDATE),
        "BIND 9.20's nsupdate not found (run .ci/install-bind.sh 9.20)");
    int[] ports = TransferPeers.freePorts(4);
    List<String> theirs;
    Path namedDir = Files.createDirectories(dir.resolve("named"));
    TransferPeers.writeZone(namedDir, ZONE);
    String conf =
        TransferPeers.namedOptions(
                namedDir,
                ports[0],
                "  notify no;",
                "  listen-on-v6 port " + ports[0] + " { ::1; };",
                "  listen-on port " + ports[1] + " proxy plain { 127.0.0.1; };",
                "  allow-proxy { 127.0.0.0/8; };")
            + TransferPeers.namedPrimary(ZONE, " update-policy local;");
    try (Peer named = TransferPeers.startNamed(namedDir, conf)) {
      theirs = outcomes(ports[0], ports[1], namedDir.resolve("session.key"));
    }
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    JsonObject config = TestNode.config(ports[2], Delivery.DIRECT);
    config
        .getJsonObject("options")
        .put("session-keyfile", nodeDir.resolve("session.key").toString())
        .put("allow-proxy", new JsonArray().add("127.0.0.0/8"))
        .put(
            "listen-on",
            new JsonArray()
                .add(new JsonObject().put("address", "127.0.0.1").put("port", ports[2]))
                .add(new JsonObject().put("address", "::1").put("port", ports[2]))
                .add(
                    new JsonObject()
                        .put("address", "127.0.0.1")
                        .put("port", ports[3])
                        .put("proxy", "plain")));
    JsonObject zone = TransferPeers.primaryOf(TransferPeers.writeZone(nodeDir, ZONE));
    config.put("zone", new JsonObject().put(ZONE, zone.put("update-policy", "local")));
    List<String> ours;
    try (TestNode node = TestNode.start(config)) {
      ours = outcomes(ports[2], ports[3], nodeDir.resolve("session.key"));
    }
    System.out.printf("UpdatePolicyLocalBindDifferentialTest: named %s, vxdns %s%n", theirs, ours);
    assertEquals(
        List.of(
            "nsupdate -l: applied",
            "from 192.0.2.1: REFUSED",
            "from 127.0.0.1: NOERROR",
            "another secret: NOTAUTH"),
        theirs.stream().map(o -> o.replaceAll(" \\(.*", "")).toList(),
        "named: " + theirs);
    assertEquals(theirs, ours);
  }

  /**
   * What the server on {@code port} (and {@code proxyPort}, PROXY v2) did with: {@code nsupdate -l}
   * signed with the key in {@code keyFile}; that key's update behind a PROXY header from another
   * host, then from 127.0.0.1; an update under the key's name with another secret.
   */
  private static List<String> outcomes(int port, int proxyPort, Path keyFile) throws Exception {
    List<String> outcomes = new ArrayList<>();
    String key = Files.readString(keyFile);
    Matcher secret = Pattern.compile("secret \"([^\"]+)\"").matcher(key);
    assertTrue(secret.find(), keyFile + ": " + key);
    nsupdateLocal(port, keyFile, "update add minus-l." + ZONE + ". 300 A 192.0.2.11");
    outcomes.add(
        "nsupdate -l: "
            + (DnsClient.query(port, "minus-l." + ZONE + ".", Type.A, false).getRcode()
                    == Rcode.NOERROR
                ? "applied"
                : "not applied"));
    TSIG session = new TSIG(TSIG.HMAC_SHA256, "local-ddns.", secret.group(1));
    for (String source : List.of("192.0.2.1", "127.0.0.1")) {
      byte[] answer =
          DnsClient.udp(
              proxyPort,
              ProxyEndToEndTest.proxied(source, 5353, signedUpdate(session, "from-proxy")),
              5000);
      outcomes.add("from " + source + ": " + Rcode.string(new Message(answer).getRcode()));
    }
    TSIG forged =
        new TSIG(TSIG.HMAC_SHA256, "local-ddns.", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    Message forgedAnswer = new Message(DnsClient.udp(port, signedUpdate(forged, "forged"), 5000));
    outcomes.add(
        "another secret: "
            + Rcode.string(forgedAnswer.getRcode())
            + " ("
            + (forgedAnswer.getTSIG() == null ? "no TSIG" : forgedAnswer.getTSIG().getError())
            + ")");
    return outcomes;
  }

  private static byte[] signedUpdate(TSIG key, String label) throws Exception {
    Update update = new Update(TransferPeers.name(ZONE + "."));
    update.add(TransferPeers.name(label + "." + ZONE + "."), Type.A, 300, "192.0.2.12");
    update.getHeader().setID(4242);
    key.apply(update, null);
    return update.toWire(Message.MAXLENGTH);
  }

  /** {@code nsupdate -l -k KEYFILE -p PORT}, which sends to this host's loopback (::1 first). */
  private static void nsupdateLocal(int port, Path keyFile, String... commands) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                NSUPDATE.toString(), "-l", "-k", keyFile.toString(), "-p", String.valueOf(port))
            .redirectErrorStream(true);
    builder.environment().put("LD_LIBRARY_PATH", Dig920.privateLibraries());
    Process process = builder.start();
    String script = "zone " + ZONE + ".\n" + String.join("\n", commands) + "\nsend\n";
    process.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "nsupdate -l did not finish");
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), "nsupdate -l failed:\n" + out);
  }
}
