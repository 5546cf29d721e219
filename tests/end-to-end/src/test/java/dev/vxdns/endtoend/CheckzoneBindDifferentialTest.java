package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vxdns checkzone} and {@code checkconf -z} against BIND 9.20's named-checkzone and
 * named-checkconf -z on the same files: the same verdict for each zone (loaded, with the same
 * serial, or not loaded) and the same exit status, and what is left out (records outside the zone)
 * warned about in named's words. The messages of errors differ in wording and are not compared.
 */
class CheckzoneBindDifferentialTest {

  private static final String HEAD =
      "$TTL 3600\n@ IN SOA ns1 hostmaster 7 3600 600 86400 300\nns1 IN A 192.0.2.1\n";

  /** Zone texts relative to their origin, by case: some load in both, the others in neither. */
  private static final Map<String, String> ZONES = new LinkedHashMap<>();

  static {
    ZONES.put("good", HEAD + "@ IN NS ns1\nwww IN A 192.0.2.2\n");
    ZONES.put(
        "outside",
        HEAD
            + "@ IN NS ns1\n"
            + "www.example.org. IN A 192.0.2.9\n"
            + "\tIN TXT \"same owner, no second warning\"\n"
            + "www IN A 192.0.2.2\n");
    ZONES.put("bad-address", HEAD + "@ IN NS ns1\nwww IN A 300.1.1.1\n");
    ZONES.put("missing-include", HEAD + "@ IN NS ns1\n$INCLUDE /nonexistent/vxdns.zone\n");
    ZONES.put("cname-and-other", HEAD + "@ IN NS ns1\nw IN CNAME ns1\nw IN A 192.0.2.2\n");
    ZONES.put("no-ns", HEAD);
    ZONES.put("wildcard-ns", HEAD + "@ IN NS ns1\n*.w IN NS ns1\n");
    ZONES.put("ns-without-address", HEAD + "@ IN NS ns1\n@ IN NS ns2\nns2 IN TXT \"x\"\n");
    ZONES.put("ns-cname", HEAD + "@ IN NS ns1\n@ IN NS ns2\nns2 IN CNAME ns1\n");
    ZONES.put("ns-below-dname", HEAD + "@ IN NS ns1\n@ IN NS ns.d\nd IN DNAME example.org.\n");
    // Loads: the target is glue below a delegation.
    ZONES.put(
        "ns-below-cut",
        HEAD + "@ IN NS ns1\n@ IN NS ns.sub\nsub IN NS ns.sub\nns.sub IN A 192.0.2.7\n");
    // check-integrity: a DS only at a delegation; not looked at below a cut or a DNAME.
    String ds = " IN DS 12345 8 2 " + "0123456789ABCDEF".repeat(4) + "\n";
    String cut = "@ IN NS ns1\nsub IN NS ns.example.org.\n";
    String dname = "@ IN NS ns1\nd IN DNAME example.org.\n";
    ZONES.put("ds-away-from-cut", HEAD + cut + "www" + ds);
    ZONES.put("ds-at-dname", HEAD + dname + "d" + ds);
    ZONES.put("ds-at-wildcard", HEAD + cut + "*.w" + ds);
    ZONES.put("ds-at-cut", HEAD + cut + "sub" + ds);
    ZONES.put("ds-below-cut", HEAD + cut + "x.sub" + ds);
    ZONES.put("ds-below-dname", HEAD + dname + "x.d" + ds);
    // check-names: named-checkzone warns and loads, named (and checkconf -z) refuses a primary.
    ZONES.put("bad-owner", HEAD + "@ IN NS ns1\nunder_score IN A 192.0.2.3\n");
    // Loads with a warning: the SOA's minimum is the TTL.
    ZONES.put(
        "no-ttl", "@ IN SOA ns1 hostmaster 7 3600 600 86400 300\n@ IN NS ns1\nns1 A 1.2.3.4\n");
  }

  @Test
  void checkzoneGivesNamedCheckzonesVerdictForEachFile(@TempDir Path dir) throws Exception {
    Path named = requireNamedTool("named-checkzone");
    List<String> differences = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    for (Map.Entry<String, String> zone : ZONES.entrySet()) {
      String origin = zone.getKey() + ".test";
      Path file = Files.writeString(dir.resolve(zone.getKey() + ".zone"), zone.getValue());
      Commands.Run theirs = Commands.run(List.of(named.toString(), origin, file.toString()));
      Commands.Run ours =
          Commands.run(List.of(Commands.VXDNS.toString(), "checkzone", origin, file.toString()));
      if (theirs.status() != ours.status() || !verdicts(theirs).equals(verdicts(ours))) {
        differences.add(
            zone.getKey() + "\n  named:\n" + theirs.out() + "\n  vxdns:\n" + ours.out());
      }
      if (theirs.status() == 0) {
        loaded.add(zone.getKey());
      }
    }
    assertTrue(differences.isEmpty(), String.join("\n", differences));
    assertEquals(
        List.of(
            "good",
            "outside",
            "ns-below-cut",
            "ds-at-cut",
            "ds-below-cut",
            "ds-below-dname",
            "bad-owner",
            "no-ttl"),
        loaded,
        "positive control: these load");
    Commands.Run outside =
        Commands.run(
            List.of(
                Commands.VXDNS.toString(),
                "checkzone",
                "outside.test",
                dir.resolve("outside.zone").toString()));
    assertEquals(
        List.of(dir.resolve("outside.zone") + ":5: ignoring out-of-zone data (www.example.org)"),
        outside.out().lines().filter(line -> line.contains("out-of-zone")).toList(),
        outside.out());
  }

  @Test
  void checkconfWithZLoadsEveryPrimaryAsNamedCheckconfDoes(@TempDir Path dir) throws Exception {
    Path named = requireNamedTool("named-checkconf");
    StringBuilder namedConf = new StringBuilder("options { directory \"" + dir + "\"; };\n");
    JsonObject zones = new JsonObject();
    for (Map.Entry<String, String> zone : ZONES.entrySet()) {
      String origin = zone.getKey() + ".test";
      Path file = Files.writeString(dir.resolve(zone.getKey() + ".zone"), zone.getValue());
      namedConf.append(
          "zone \"" + origin + "\" { type primary; file \"" + file + "\"; notify no; };\n");
      zones.put(origin, new JsonObject().put("file", file.toString()).put("notify", "no"));
    }
    Path conf = Files.writeString(dir.resolve("named.conf"), namedConf.toString());
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT).put("zone", zones);
    Path json = Files.writeString(dir.resolve("vxdns.json"), config.encodePrettily());

    Commands.Run theirs = Commands.run(List.of(named.toString(), "-z", conf.toString()));
    Commands.Run ours =
        Commands.run(List.of(Commands.VXDNS.toString(), "checkconf", "-z", json.toString()));
    assertEquals(1, theirs.status(), theirs.out());
    assertEquals(theirs.status(), ours.status(), ours.out());
    assertEquals(
        verdicts(theirs), verdicts(ours), "named:\n" + theirs.out() + "\nvxdns:\n" + ours.out());
    assertEquals(ZONES.size(), verdicts(ours).size(), ours.out());
  }

  /** The per-zone verdict lines, in order of zone name: "zone X/IN: loaded serial N" or not. */
  private static List<String> verdicts(Commands.Run run) {
    return run.out()
        .lines()
        .filter(
            line -> line.matches("zone \\S+/IN: (loaded serial \\d+|not loaded due to errors\\.)"))
        .sorted()
        .collect(Collectors.toList());
  }

  private static Path requireNamedTool(String tool) {
    Path path = Dig920.prefix().resolve("usr/bin").resolve(tool);
    Requires.that(
        Files.isExecutable(path),
        "BIND 9.20's " + tool + " not found (run .ci/install-bind.sh 9.20)");
    return path;
  }
}
