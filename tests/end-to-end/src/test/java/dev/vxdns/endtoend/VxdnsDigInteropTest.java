package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.client.Dig;
import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code vxdns dig} against a real node on every transport (UDP, TCP, DoT, DoH with POST and GET,
 * h2c), without PROXY, with a PROXY header in each mode the listener takes (addresses given, and
 * LOCAL), with and without TSIG, each query also sent by BIND 9.20's dig: the same status, flags,
 * answer and authority sections, the same TSIG verdict, and for {@code whoami} the same addresses
 * the node believed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VxdnsDigInteropTest {
  private static final String KEY = "dig-key.";
  private static final String SECRET = "ZGlnLWtleS1zZWNyZXQtZm9yLXRoZS10ZXN0cy0wMQ==";
  private static final String PROXY_ADDRESSES = "192.0.2.44#4444-198.51.100.53#5353";

  /** A listener and the dig options that reach it. */
  record Target(String name, int port, List<String> transportOptions, String proxy) {
    @Override
    public String toString() {
      return name;
    }
  }

  private Dig920 bind;
  private TestNode node;
  private Path certificate;
  private final List<Target> targets = new ArrayList<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    bind = Dig920.find();
    TestCertificate tls = TestCertificate.create(dir);
    certificate = tls.cert();
    int do53 = TestNode.freePort();
    int do53Proxy = TestNode.freePort();
    JsonArray listenOn = new JsonArray();
    listenOn.add(listener(do53, new JsonArray().add("udp").add("tcp"), null));
    listenOn.add(listener(do53Proxy, new JsonArray().add("udp").add("tcp"), "plain"));
    targets.add(new Target("udp", do53, List.of(), null));
    targets.add(new Target("tcp", do53, List.of("+tcp"), null));
    targets.add(new Target("udp +proxy", do53Proxy, List.of(), "+proxy"));
    targets.add(new Target("tcp +proxy", do53Proxy, List.of("+tcp"), "+proxy"));
    for (String mode : new String[] {null, "plain", "encrypted"}) {
      int dot = TestNode.freePort();
      int doh = TestNode.freePort();
      listenOn.add(listener(dot, "dot", mode).put("tls", TestCertificate.TLS_NAME));
      listenOn.add(listener(doh, "doh", mode).put("tls", TestCertificate.TLS_NAME));
      String proxy = mode == null ? null : mode.equals("plain") ? "+proxy-plain" : "+proxy";
      String suffix = proxy == null ? "" : " " + proxy;
      targets.add(new Target("dot" + suffix, dot, List.of("+tls"), proxy));
      targets.add(new Target("doh post" + suffix, doh, List.of("+https"), proxy));
      targets.add(new Target("doh get" + suffix, doh, List.of("+https-get"), proxy));
    }
    int h2c = TestNode.freePort();
    int h2cProxy = TestNode.freePort();
    listenOn.add(listener(h2c, "h2c", null));
    listenOn.add(listener(h2cProxy, "h2c", "plain"));
    targets.add(new Target("h2c post", h2c, List.of("+http-plain"), null));
    targets.add(new Target("h2c get", h2c, List.of("+http-plain-get"), null));
    targets.add(new Target("h2c post +proxy", h2cProxy, List.of("+http-plain"), "+proxy"));
    JsonObject config = TestNode.config(do53, Delivery.DIRECT);
    config.put("tls", tls.tlsConfig());
    config.put(
        "key",
        new JsonObject()
            .put(KEY, new JsonObject().put("algorithm", "hmac-sha256").put("secret", SECRET)));
    config
        .getJsonObject("options")
        .put("listen-on", listenOn)
        .put("allow-proxy", new JsonArray().add("127.0.0.0/8"))
        .put("whoami", "whoami.vxdns.");
    // big.test answers only queries whose EDNS Client Subnet lies in 10/8: +subnet must reach it
    config
        .getJsonObject("zone")
        .getJsonObject("big.test")
        .put("allow-query", new JsonArray().add("ecs 10.0.0.0/8"));
    node = TestNode.start(config);
  }

  private static JsonObject listener(int port, Object transport, String proxy) {
    JsonObject listener = TestNode.listener(port, transport);
    return proxy == null ? listener : listener.put("proxy", proxy);
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  Stream<Arguments> everyTransportAndMode() {
    return targets.stream().map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyTransportAndMode")
  void answersAsBind920DigDoes(Target target) throws Exception {
    List<String> base =
        new ArrayList<>(List.of("@127.0.0.1", "-p", Integer.toString(target.port())));
    base.addAll(target.transportOptions());
    if (target.proxy() != null) {
      base.add(target.proxy() + "=" + PROXY_ADDRESSES);
    }
    base.addAll(List.of("+tries=1", "+time=5"));
    // an answer, a CNAME chain, NXDOMAIN (signed), and whoami: what the node believed
    compare(with(base, "www.example.test", "A"), "NOERROR", true);
    compare(with(base, "chain.example.test", "A"), "NOERROR", true);
    compare(
        with(base, "-y", "hmac-sha256:" + KEY + ":" + SECRET, "nx.example.test", "A"),
        "NXDOMAIN",
        true);
    Summary whoami = compare(with(base, "-c", "CH", "-t", "TXT", "whoami.vxdns"), "NOERROR", true);
    if (target.proxy() != null) {
      assertTrue(
          whoami.answer().contains("\"source 192.0.2.44#4444\""),
          "the node saw the PROXY header's source: " + whoami.answer());
      // LOCAL: dig's +proxy without addresses; the node answers for the real client
      List<String> local = new ArrayList<>(base);
      local.remove(target.proxy() + "=" + PROXY_ADDRESSES);
      local.add(target.proxy());
      compare(with(local, "www.example.test", "A"), "NOERROR", true);
    } else {
      assertTrue(whoami.answer().contains("proxy no"), whoami.answer());
    }
  }

  @Test
  void refusalsEcsAndBadKeysAsBindDigSees() throws Exception {
    List<String> base =
        List.of("@127.0.0.1", "-p", Integer.toString(node.port), "+tries=1", "+time=5");
    compare(with(base, "example.org", "A"), "REFUSED", true);
    compare(
        with(base, "+tcp", "-y", "hmac-sha256:" + KEY + ":" + SECRET, "example.org", "A"),
        "REFUSED",
        true);
    // ECS: the node's allow-query sees the subnet both digs send
    compare(with(base, "+subnet=10.1.0.0/16", "big.test", "SOA"), "NOERROR", true);
    compare(with(base, "+tcp", "+subnet=10.1.0.0/16", "big.test", "SOA"), "NOERROR", true);
    compare(with(base, "+subnet=192.0.2.0/24", "big.test", "SOA"), "REFUSED", true);
    // an unknown key: NOTAUTH/BADKEY, and an unsigned answer that neither dig can verify
    Summary badKey =
        compare(
            with(base, "-y", "hmac-sha256:unknown-key.:" + SECRET, "www.example.test", "A"),
            "NOTAUTH",
            false);
    assertFalse(badKey.verified(), badKey.output());
  }

  @Test
  void verifiesTheServerCertificateWithTlsCaAndHostname() throws Exception {
    Target dot = targets.stream().filter(t -> t.name().equals("dot")).findFirst().orElseThrow();
    List<String> base =
        List.of("@127.0.0.1", "-p", Integer.toString(dot.port()), "+tls", "+tries=1");
    compare(
        with(base, "+tls-ca=" + certificate, "+tls-hostname=localhost", "www.example.test", "A"),
        "NOERROR",
        true);
    // a name the certificate does not carry: both refuse the server (positive control above)
    String vxdns =
        vxdnsDig(
            with(
                base,
                "+tls-ca=" + certificate,
                "+tls-hostname=wrong.example",
                "www.example.test",
                "A"));
    String bindOutput =
        bind.run(
            with(
                base,
                "+tls-ca=" + certificate,
                "+tls-hostname=wrong.example",
                "www.example.test",
                "A"));
    assertFalse(vxdns.contains("->>HEADER<<-"), vxdns);
    assertFalse(bindOutput.contains("->>HEADER<<-"), bindOutput);
  }

  /** What the two digs printed, compared on what must be the same. */
  record Summary(
      String status,
      String flags,
      String answer,
      String authority,
      boolean verified,
      String output) {}

  private Summary compare(List<String> args, String status, boolean signatureOk) throws Exception {
    String theirs = bind.run(args);
    String ours = vxdnsDig(args);
    Summary bindSummary = summary(theirs);
    Summary vxdnsSummary = summary(ours);
    String context = args + "\n--- BIND 9.20 dig:\n" + theirs + "\n--- vxdns dig:\n" + ours;
    assertEquals(status, bindSummary.status(), context);
    assertEquals(bindSummary.status(), vxdnsSummary.status(), context);
    assertEquals(bindSummary.flags(), vxdnsSummary.flags(), context);
    assertEquals(bindSummary.answer(), vxdnsSummary.answer(), context);
    assertEquals(bindSummary.authority(), vxdnsSummary.authority(), context);
    if (args.contains("-y")) {
      assertEquals(signatureOk, bindSummary.verified(), context);
      assertEquals(bindSummary.verified(), vxdnsSummary.verified(), context);
    }
    return vxdnsSummary;
  }

  private static String vxdnsDig(List<String> args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    new Dig(out, out).run(args);
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+),");
  private static final Pattern FLAGS = Pattern.compile(";; flags:([a-z ]*);");

  static Summary summary(String output) {
    Matcher status = STATUS.matcher(output);
    Matcher flags = FLAGS.matcher(output);
    return new Summary(
        status.find() ? status.group(1) : "(none)",
        flags.find() ? flags.group(1).trim() : "(none)",
        section(output, "ANSWER"),
        section(output, "AUTHORITY"),
        output.contains(";; TSIG PSEUDOSECTION:") && !output.contains("Couldn't verify"),
        output);
  }

  /**
   * A section's records, whitespace collapsed, the PROXY peer's port left out (it is the real one).
   */
  static String section(String output, String name) {
    int start = output.indexOf(";; " + name + " SECTION:\n");
    if (start < 0) {
      return "";
    }
    int end = output.indexOf("\n\n", start);
    return output
        .substring(start, end < 0 ? output.length() : end)
        .replaceAll("[ \\t]+", " ")
        .replaceAll("(via|source) 127\\.0\\.0\\.1#[0-9]+", "$1 127.0.0.1");
  }

  private static List<String> with(List<String> base, String... more) {
    List<String> args = new ArrayList<>(base);
    args.addAll(List.of(more));
    return args;
  }
}
