package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of the access lists against BIND named 9.20 (the system's /usr/sbin/named): for
 * each configuration of a table (first match, negation, BIND's short forms, named ACLs, the ARM's
 * nested negation, a key element, per-zone overrides, blackhole, allow-query-on on the PROXY
 * destination, localhost/localnets/none), one named and one vxdns node are configured alike, both
 * with a PROXY v2 listener on 127.0.0.1, and kdig sends the same queries to both with spoofed
 * client (and destination) addresses in its {@code +proxy} header, IPv4, IPv6 and IPv4-mapped. Both
 * servers must reach the same decision for every query: the same answer (NOERROR or NXDOMAIN),
 * REFUSED (with or without EDE 18), or no answer at all.
 *
 * <p>Every disagreement is reported with the configuration (as named.conf and as vxdns JSON), the
 * query and both outcomes. Loopback only, free ports, named in the foreground ({@code -g}) with its
 * files in the test's temp dir, no control channel, always stopped. Skips with a message when named
 * 9.20+ or kdig is missing (.ci/run installs bind9 and knot-dnsutils).
 */
class AclEquivalenceInteropTest {
  static final String KEY_NAME = "example.";
  static final String KEY_SECRET = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

  /** The PROXY header's default destinations (allow-query-on sees them). */
  static final String DST4 = "198.51.100.53";

  static final String DST6 = "2001:db8:53::53";

  /** The zones both servers serve, and a query into each. */
  static final List<String> ZONES = List.of("acl.test", "other.test", "sub.acl.test");

  static final String WWW_ACL = "www.acl.test."; // NOERROR
  static final String NOPE_OTHER = "nope.other.test."; // NXDOMAIN
  static final String WWW_SUB = "www.sub.acl.test."; // NOERROR, in the child zone

  /** Spoofed client addresses, inside and outside the lists below. */
  static final List<String> SOURCES =
      List.of(
          "10.0.0.1",
          "10.1.2.3",
          "10.2.0.1",
          "11.0.0.1",
          "127.0.0.1",
          "172.16.0.1",
          "172.31.255.254",
          "172.32.0.1",
          "192.0.2.1",
          "192.0.2.66",
          "192.0.2.255",
          "192.0.3.1",
          "198.51.100.7",
          "203.0.113.9",
          "::1",
          "2001:db8::1",
          "2001:db8:bad::1",
          "2001:db8:ffff::1",
          "2001:db9::1",
          "fd00::1",
          "::ffff:192.0.2.1",
          "::ffff:10.1.2.3",
          "::ffff:192.0.2.66");

  static final String NO_ANSWER = "no answer";
  static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");

  // ---------------------------------------------------------------------------------------------
  // The table

  /** One query: the PROXY header's source and destination, the name, signed with the key or not. */
  record Probe(String source, String destination, String qname, boolean signed) {
    static Probe of(String source, String qname) {
      return new Probe(source, source.contains(":") ? DST6 : DST4, qname, false);
    }

    /**
     * An IPv4-mapped IPv6 address in the header (see {@link #ipv4MappedAddressesInProxyHeaders}).
     */
    boolean mapped() {
      return source.startsWith("::ffff:") || destination.startsWith("::ffff:");
    }

    String proxyArgument() {
      return "+proxy=" + source + "#5353-" + destination + "#53";
    }

    @Override
    public String toString() {
      return source
          + "#5353 -> "
          + destination
          + "#53 "
          + qname
          + " A"
          + (signed ? " (TSIG " + KEY_NAME + ")" : "");
    }
  }

  /** One configuration, written once as JSON-style lists and rendered for both servers. */
  static final class Scenario {
    final String name;
    final Map<String, List<Object>> acls = new LinkedHashMap<>();
    final Map<String, List<Object>> options = new LinkedHashMap<>();
    final Map<String, Map<String, List<Object>>> zones = new LinkedHashMap<>();
    final List<Probe> probes = new ArrayList<>();

    Scenario(String name) {
      this.name = name;
    }

    Scenario acl(String acl, Object... elements) {
      acls.put(acl, List.of(elements));
      return this;
    }

    Scenario option(String option, Object... elements) {
      options.put(option, List.of(elements));
      return this;
    }

    Scenario zone(String zone, String option, Object... elements) {
      zones.computeIfAbsent(zone, z -> new LinkedHashMap<>()).put(option, List.of(elements));
      return this;
    }

    /** Every source in {@link #SOURCES} and {@code extra}, asking each of {@code qnames}. */
    Scenario probes(List<String> extra, String... qnames) {
      Set<String> sources = new LinkedHashSet<>(SOURCES);
      sources.addAll(extra);
      for (String qname : qnames) {
        for (String source : sources) {
          probes.add(Probe.of(source, qname));
        }
      }
      return this;
    }

    Scenario probe(Probe probe) {
      probes.add(probe);
      return this;
    }

    /** The same configuration with only the probes that pass {@code filter}. */
    Scenario only(Predicate<Probe> filter) {
      Scenario copy = new Scenario(name);
      copy.acls.putAll(acls);
      copy.options.putAll(options);
      copy.zones.putAll(zones);
      probes.stream().filter(filter).forEach(copy.probes::add);
      return copy;
    }

    /** The ACL part of named.conf (acl statements, options lines, zone lines). */
    String bindText() {
      StringBuilder b = new StringBuilder();
      acls.forEach(
          (n, l) -> b.append("acl ").append(n).append(' ').append(bindList(l)).append(";\n"));
      options.forEach(
          (o, l) ->
              b.append("options { ").append(o).append(' ').append(bindList(l)).append("; };\n"));
      zones.forEach(
          (z, opts) ->
              opts.forEach(
                  (o, l) ->
                      b.append("zone \"")
                          .append(z)
                          .append("\" { ")
                          .append(o)
                          .append(' ')
                          .append(bindList(l))
                          .append("; };\n")));
      return b.toString();
    }

    /** The ACL part of the vxdns config. */
    String jsonText() {
      JsonObject j = new JsonObject();
      if (!acls.isEmpty()) {
        j.put("acl", new JsonObject(new LinkedHashMap<>(acls)));
      }
      j.put("options", new JsonObject(new LinkedHashMap<>(options)));
      if (!zones.isEmpty()) {
        JsonObject z = new JsonObject();
        zones.forEach((zone, opts) -> z.put(zone, new JsonObject(new LinkedHashMap<>(opts))));
        j.put("zone", z);
      }
      return new JsonObject(j.encode()).encode();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** A nested list: BIND's {@code { ... }}. */
  static List<Object> list(Object... elements) {
    return List.of(elements);
  }

  /** A negated nested list: BIND's {@code !{ ... }}. */
  static Map<String, Object> not(Object... elements) {
    return Map.of("!", List.of(elements));
  }

  static List<Scenario> scenarios(List<String> hostAddresses) {
    List<Scenario> s = new ArrayList<>();
    s.add(
        new Scenario("first match wins over a later, more specific element")
            .option(
                "allow-query",
                "192.0.2.0/24",
                "!192.0.2.66",
                "!10.0.0.0/8",
                "10.1.2.3",
                "2001:db8::/32",
                "!2001:db8:ffff::/48",
                "172.16.0.1")
            .probes(List.of(), WWW_ACL));
    s.add(
        new Scenario("negated elements, then !none")
            .option(
                "allow-query",
                "!192.0.2.66",
                "!2001:db8:bad::/48",
                "!172.16.0.0/12",
                "!::1",
                "!none")
            .probes(List.of(), WWW_ACL));
    s.add(
        new Scenario("BIND's IPv4 short forms")
            .option(
                "allow-query",
                "!10.1/16",
                "10/8",
                "172.16/12",
                "192.0.2/24",
                "!2001:db8:ffff::/48",
                "2001:db8::/32")
            .probes(List.of("10.1.255.255", "10.255.255.255", "172.15.255.255"), WWW_ACL));
    s.add(
        new Scenario("named acls, nested and negated")
            .acl("bogus", "10/8", "172.16/12")
            .acl("inner", "!192.0.2.66", "192.0.2.0/24")
            .acl("trusted", "inner", "2001:db8::/32", "127.0.0.1")
            .option(
                "allow-query",
                "!bogus",
                "trusted",
                "!2001:db9::/32",
                list("!203.0.113.9", "203.0.113.0/24"),
                "fd00::/8")
            .probes(List.of("203.0.113.10"), WWW_ACL));
    s.add(
        new Scenario("the ARM's nested negation !{ !10/8; any; }")
            .option("allow-query", not("!10/8", "any"), "10.1/16", "192.0.2.0/24", "2001:db8::/32")
            .probes(List.of(), WWW_ACL));
    Scenario key =
        new Scenario("the ARM's example !{ !10/8; any; }; key example.;")
            .option("allow-query", not("!10/8", "any"), "key " + KEY_NAME);
    for (String source :
        List.of(
            "10.1.2.3",
            "10.0.0.1",
            "192.0.2.1",
            "127.0.0.1",
            "2001:db8::1",
            "::1",
            "::ffff:10.1.2.3",
            "::ffff:192.0.2.1")) {
      for (boolean signed : List.of(false, true)) {
        key.probe(new Probe(source, source.contains(":") ? DST6 : DST4, WWW_ACL, signed));
      }
    }
    s.add(key);
    s.add(
        new Scenario("per-zone allow-query overrides the options'")
            .option("allow-query", "192.0.2.0/24", "2001:db8::/32")
            .zone("other.test", "allow-query", "!192.0.2.0/24", "any")
            .zone("sub.acl.test", "allow-query", "!192.0.2.1", "10/8", "192.0.2.0/24")
            .probes(List.of(), WWW_ACL, NOPE_OTHER, WWW_SUB));
    s.add(
        new Scenario("blackhole before allow-query, and before a zone's allow-query")
            .option("blackhole", "!10.1/16", "10/8", "192.0.2.66", "2001:db8:bad::/48")
            .option("allow-query", "!192.0.2.0/24", "any")
            .zone("other.test", "allow-query", "any")
            .probes(List.of(), WWW_ACL, NOPE_OTHER));
    Scenario on =
        new Scenario("allow-query-on sees the PROXY header's destination")
            .option("allow-query", "!192.0.2.66", "any")
            .option(
                "allow-query-on",
                "198.51.100.53",
                "!2001:db8:53::bad",
                "2001:db8:53::/64",
                "127.0.0.1")
            .zone("other.test", "allow-query-on", "!198.51.100.53", "any");
    for (String qname : List.of(WWW_ACL, NOPE_OTHER)) {
      for (String source : List.of("192.0.2.1", "192.0.2.66", "10.0.0.1")) {
        for (String destination :
            List.of("198.51.100.53", "198.51.100.54", "127.0.0.1", "10.0.0.1")) {
          on.probe(new Probe(source, destination, qname, false));
        }
      }
      for (String source : List.of("2001:db8::1", "::1", "::ffff:192.0.2.66")) {
        for (String destination :
            List.of(
                "2001:db8:53::53",
                "2001:db8:53::bad",
                "2001:db8:54::53",
                "::1",
                "::ffff:198.51.100.53")) {
          on.probe(new Probe(source, destination, qname, false));
        }
      }
    }
    s.add(on);
    s.add(
        new Scenario("localhost, localnets and none")
            .option("allow-query", "!localhost", "localnets", "198.51.100.0/24")
            .zone("other.test", "allow-query", "none")
            .zone("sub.acl.test", "allow-query", "localhost", "!localnets", "any")
            .probes(hostAddresses, WWW_ACL, NOPE_OTHER, WWW_SUB));
    return s;
  }

  /**
   * This host's addresses (not link-local), one neighbour inside each interface's network and one
   * just outside it, for localhost and localnets.
   */
  static List<String> hostAddresses() throws Exception {
    Set<String> out = new LinkedHashSet<>(List.of("127.0.0.2", "127.255.255.254", "128.0.0.1"));
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nif.isUp() || nif.isLoopback()) {
        continue;
      }
      for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
        InetAddress a = ia.getAddress();
        if (a.isLinkLocalAddress() || a.isMulticastAddress()) {
          continue;
        }
        byte[] bytes = a.getAddress();
        int bits = bytes.length * 8;
        int length = ia.getNetworkPrefixLength();
        out.add(text(bytes));
        if (length < bits) {
          byte[] inside = bytes.clone();
          inside[inside.length - 1] ^= 1;
          out.add(text(inside));
        }
        if (length > 0 && length <= bits) {
          byte[] outside = bytes.clone();
          outside[(length - 1) / 8] ^= (byte) (0x80 >>> ((length - 1) % 8));
          out.add(text(outside));
        }
      }
    }
    return new ArrayList<>(out).subList(0, Math.min(out.size(), 15));
  }

  static String text(byte[] address) throws Exception {
    String s = InetAddress.getByAddress(address).getHostAddress();
    int scope = s.indexOf('%');
    return scope < 0 ? s : s.substring(0, scope);
  }

  // ---------------------------------------------------------------------------------------------
  // The test

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void namedAndVxdnsReachTheSameDecisionForEveryConfigurationAndSource(@TempDir Path dir)
      throws Exception {
    assumeTools();
    List<Scenario> scenarios = new ArrayList<>();
    for (Scenario s : scenarios(hostAddresses())) {
      scenarios.add(s.only(p -> !p.mapped()));
    }
    List<String> failures = run(dir, scenarios, true);
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " configuration(s) with disagreements between named and vxdns:\n"
              + String.join("\n", failures));
    }
  }

  /**
   * The same table with IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) in the PROXY header,
   * plus elements written as mapped prefixes. BIND 9.20 matches a mapped address as IPv6 unless
   * {@code match-mapped-addresses yes;} is set (default no: lib/dns/acl.c converts the client
   * address only when {@code env->match_mapped}), and never rewrites an element: {@code
   * ::ffff:192.0.2.0/120} matches the mapped client ::ffff:192.0.2.1 and not the IPv4 client
   * 192.0.2.1. vxdns did otherwise until this test caught it (it matched mapped clients as IPv4 and
   * rewrote mapped elements); modules/acl now follows BIND's default.
   */
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void ipv4MappedAddressesInProxyHeaders(@TempDir Path dir) throws Exception {
    assumeTools();
    List<Scenario> scenarios = new ArrayList<>();
    for (Scenario s : scenarios(List.of())) {
      Scenario mapped = s.only(Probe::mapped);
      if (!mapped.probes.isEmpty()) {
        scenarios.add(mapped);
      }
    }
    Scenario elements =
        new Scenario("elements written as IPv4-mapped prefixes")
            .option(
                "allow-query", "!::ffff:192.0.2.66", "::ffff:192.0.2.0/120", "::ffff:0.0.0.0/96")
            .zone("other.test", "allow-query", "!::ffff:10.0.0.0/104", "10/8");
    for (String qname : List.of(WWW_ACL, NOPE_OTHER)) {
      for (String source :
          List.of(
              "192.0.2.1",
              "192.0.2.66",
              "10.1.2.3",
              "203.0.113.9",
              "::ffff:192.0.2.1",
              "::ffff:192.0.2.66",
              "::ffff:10.1.2.3",
              "::ffff:203.0.113.9")) {
        elements.probe(Probe.of(source, qname));
      }
    }
    scenarios.add(elements);
    List<String> failures = run(dir, scenarios, false);
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " configuration(s) with disagreements between named and vxdns:\n"
              + String.join("\n", failures));
    }
  }

  static void assumeTools() throws Exception {
    Requires.that(
        new File(Peer.NAMED).canExecute(),
        Peer.NAMED + " is not installed (.ci/install-bind.sh 9.20, or Debian's bind9 9.20+)");
    Peer.assumeInstalled("kdig", "knot-dnsutils");
    ProcessBuilder versionCommand = new ProcessBuilder(Peer.NAMED, "-v").redirectErrorStream(true);
    versionCommand.environment().putAll(Peer.NAMED_ENVIRONMENT);
    Process v = versionCommand.start();
    assertTrue(v.waitFor(10, TimeUnit.SECONDS), "named -v did not finish");
    String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    Matcher m = Pattern.compile("BIND 9\\.(\\d+)").matcher(version);
    Requires.that(
        m.find() && Integer.parseInt(m.group(1)) >= 20,
        Peer.NAMED + " is not BIND 9.20 or later (PROXY listeners): " + version);
  }

  /** Runs the scenarios one after the other; the disagreements, described. */
  static List<String> run(Path dir, List<Scenario> scenarios, boolean sanity) throws Exception {
    writeZones(dir);
    List<String> failures = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long total = System.nanoTime();
    try {
      int index = 0;
      for (Scenario scenario : scenarios) {
        long start = System.nanoTime();
        Path sdir = Files.createDirectories(dir.resolve("scenario" + (++index)));
        List<String[]> outcomes = runScenario(dir, sdir, scenario, pool);
        List<String> disagreements = new ArrayList<>();
        int answered = 0;
        int denied = 0;
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < scenario.probes.size(); i++) {
          String named = outcomes.get(i)[0];
          String vxdns = outcomes.get(i)[1];
          boolean same = named.equals(vxdns);
          if (named.equals("NOERROR") || named.equals("NXDOMAIN")) {
            answered++;
          } else if (named.startsWith("REFUSED") || named.equals(NO_ANSWER)) {
            denied++;
          }
          table.append(
              String.format(
                  "    %-5s %-60s named: %-18s vxdns: %s%n",
                  same ? "same" : "DIFF", scenario.probes.get(i), named, vxdns));
          if (!same) {
            disagreements.add(
                "    " + scenario.probes.get(i) + ": named " + named + ", vxdns " + vxdns);
          }
        }
        System.out.printf(
            "[%s] %d queries, %d disagreement(s), %d ms%n%s",
            scenario.name,
            scenario.probes.size(),
            disagreements.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
            table);
        if (sanity && (answered == 0 || denied == 0)) {
          disagreements.add(
              "    sanity: named answered "
                  + answered
                  + " and denied "
                  + denied
                  + " queries; every configuration is meant to do both (is the setup broken?)");
        }
        if (!disagreements.isEmpty()) {
          failures.add(
              "["
                  + scenario.name
                  + "]\n  named.conf:\n    "
                  + scenario.bindText().strip().replace("\n", "\n    ")
                  + "\n  vxdns: "
                  + scenario.jsonText()
                  + "\n"
                  + String.join("\n", disagreements));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    System.out.printf(
        "%d configurations in %d ms%n",
        scenarios.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - total));
    return failures;
  }

  static void writeZones(Path dir) throws Exception {
    for (String zone : ZONES) {
      Files.writeString(
          dir.resolve(zone + ".zone"),
          String.join(
              "\n",
              "$ORIGIN " + zone + ".",
              "$TTL 300",
              "@ IN SOA ns hostmaster 1 3600 600 86400 300",
              "@ IN NS ns",
              "ns IN A 127.0.0.1",
              "www IN A 192.0.2.80",
              ""));
    }
  }

  /**
   * Starts named and vxdns for one scenario, sends every probe to both; {named, vxdns} per probe.
   */
  static List<String[]> runScenario(Path zones, Path sdir, Scenario scenario, ExecutorService pool)
      throws Exception {
    int namedPort = TestNode.freePort();
    int vxdnsPort;
    do {
      vxdnsPort = TestNode.freePort();
    } while (vxdnsPort == namedPort);
    Path conf = sdir.resolve("named.conf");
    Files.writeString(conf, namedConf(zones, sdir, namedPort, scenario));
    try (Peer named = Peer.named(sdir, conf)) {
      TestNode vxdns;
      try {
        vxdns = TestNode.start(vxdnsConfig(zones, vxdnsPort, scenario));
      } catch (Exception e) {
        throw new AssertionError(
            "[" + scenario.name + "] vxdns did not start with " + scenario.jsonText(), e);
      }
      try (vxdns) {
        awaitRunning(named, scenario);
        List<Future<String>> namedOutcomes = new ArrayList<>();
        List<Future<String>> vxdnsOutcomes = new ArrayList<>();
        for (Probe probe : scenario.probes) {
          namedOutcomes.add(pool.submit(() -> kdig(namedPort, probe)));
          int port = vxdnsPort;
          vxdnsOutcomes.add(pool.submit(() -> kdig(port, probe)));
        }
        List<String[]> outcomes = new ArrayList<>();
        for (int i = 0; i < scenario.probes.size(); i++) {
          outcomes.add(
              new String[] {
                namedOutcomes.get(i).get(30, TimeUnit.SECONDS),
                vxdnsOutcomes.get(i).get(30, TimeUnit.SECONDS)
              });
        }
        assertTrue(
            named.alive(),
            "[" + scenario.name + "] named exited during the queries:\n" + named.log());
        return outcomes;
      }
    }
  }

  /** Waits for named to serve the zones; a failure names the scenario. */
  static void awaitRunning(Peer named, Scenario scenario) throws Exception {
    try {
      named.awaitNamed(ZONES);
    } catch (AssertionError e) {
      throw new AssertionError("[" + scenario.name + "] " + e.getMessage(), e);
    }
  }

  static String namedConf(Path zones, Path sdir, int port, Scenario scenario) {
    String d = sdir.toString();
    StringBuilder b = new StringBuilder();
    b.append("options {\n")
        .append("  directory \"")
        .append(d)
        .append("\";\n")
        .append("  pid-file \"")
        .append(d)
        .append("/named.pid\";\n")
        .append("  session-keyfile \"")
        .append(d)
        .append("/session.key\";\n")
        .append("  managed-keys-directory \"")
        .append(d)
        .append("\";\n")
        .append("  dump-file \"")
        .append(d)
        .append("/named_dump.db\";\n")
        .append("  statistics-file \"")
        .append(d)
        .append("/named.stats\";\n")
        .append("  memstatistics-file \"")
        .append(d)
        .append("/named.memstats\";\n")
        .append("  listen-on port ")
        .append(port)
        .append(" proxy plain { 127.0.0.1; };\n")
        .append("  listen-on-v6 { none; };\n")
        .append("  allow-proxy { 127.0.0.1; };\n")
        .append("  recursion no;\n")
        .append("  dnssec-validation no;\n")
        .append("  notify no;\n");
    scenario.options.forEach(
        (o, l) -> b.append("  ").append(o).append(' ').append(bindList(l)).append(";\n"));
    b.append("};\n")
        .append("controls { };\n")
        .append("key \"")
        .append(KEY_NAME)
        .append("\" { algorithm hmac-sha256; secret \"")
        .append(KEY_SECRET)
        .append("\"; };\n");
    scenario.acls.forEach(
        (n, l) -> b.append("acl ").append(n).append(' ').append(bindList(l)).append(";\n"));
    for (String zone : ZONES) {
      b.append("zone \"")
          .append(zone)
          .append("\" {\n  type primary;\n  file \"")
          .append(zones.resolve(zone + ".zone"))
          .append("\";\n");
      scenario
          .zones
          .getOrDefault(zone, Map.of())
          .forEach(
              (o, l) -> b.append("  ").append(o).append(' ').append(bindList(l)).append(";\n"));
      b.append("};\n");
    }
    return b.toString();
  }

  static String bindList(List<?> list) {
    StringBuilder b = new StringBuilder("{ ");
    for (Object e : list) {
      b.append(bindElement(e)).append("; ");
    }
    return b.append('}').toString();
  }

  static String bindElement(Object e) {
    if (e instanceof List<?> l) {
      return bindList(l);
    }
    if (e instanceof Map<?, ?> m) {
      return "!" + bindList((List<?>) m.get("!"));
    }
    String s = (String) e;
    if (s.startsWith("key ")) {
      return "key \"" + s.substring(4) + "\"";
    }
    return s;
  }

  static JsonObject vxdnsConfig(Path zones, int port, Scenario scenario) {
    JsonObject options =
        new JsonObject()
            .put(
                "listen-on", new JsonArray().add(TestNode.do53Listener(port).put("proxy", "plain")))
            .put("allow-proxy", new JsonArray().add("127.0.0.1"));
    scenario.options.forEach(options::put);
    JsonObject zoneConfig = new JsonObject();
    for (String zone : ZONES) {
      JsonObject z =
          new JsonObject()
              .put("type", "primary")
              .put("file", zones.resolve(zone + ".zone").toString());
      scenario.zones.getOrDefault(zone, Map.of()).forEach(z::put);
      zoneConfig.put(zone, z);
    }
    JsonObject config =
        new JsonObject()
            .put(
                "key",
                new JsonObject()
                    .put(
                        KEY_NAME,
                        new JsonObject().put("algorithm", "hmac-sha256").put("secret", KEY_SECRET)))
            .put("options", options)
            .put("zone", zoneConfig);
    if (!scenario.acls.isEmpty()) {
      config.put("acl", new JsonObject(new LinkedHashMap<>(scenario.acls)));
    }
    return new JsonObject(config.encode()); // nested java.util lists become plain JSON
  }

  /**
   * One UDP query with kdig; its outcome: the RCODE (with EDE 18 or not for REFUSED) or no answer.
   */
  static String kdig(int port, Probe probe) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Peer.path("kdig"),
                "@127.0.0.1",
                "-p",
                Integer.toString(port),
                probe.proxyArgument(),
                "+notcp",
                "+edns",
                "+norec",
                "+timeout=1",
                "+retry=0"));
    if (probe.signed()) {
      command.addAll(List.of("-y", "hmac-sha256:" + KEY_NAME + ":" + KEY_SECRET));
    }
    command.addAll(List.of(probe.qname(), "A"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      return "error: kdig did not finish";
    }
    return outcome(new String(out, StandardCharsets.UTF_8));
  }

  static String outcome(String output) {
    Matcher m = STATUS.matcher(output);
    if (m.find()) {
      String rcode = m.group(1);
      if (rcode.equals("REFUSED")) {
        return output.contains("EDE: 18") ? "REFUSED (EDE 18)" : "REFUSED (no EDE 18)";
      }
      return rcode;
    }
    if (output.contains("timeout") || output.contains("failed to query")) {
      return NO_ANSWER;
    }
    return "error: " + output.strip().replace('\n', ' ');
  }
}
