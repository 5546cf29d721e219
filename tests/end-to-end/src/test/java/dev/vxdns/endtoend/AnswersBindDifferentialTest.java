package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import dev.vxdns.zone.text.MasterFileReader;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;

/**
 * The answer algorithm against named 9.20: a generated zone (wildcards, CNAME chains and loops,
 * DNAMEs, delegations with glue and DS, empty non-terminals, MX/SRV/NS targets) and the example
 * zone of the default configuration, served by both, and thousands of questions (every name with a
 * spread of types, names that do not exist, names below cuts, wildcards and DNAMEs, each also asked
 * in a random mix of case) compared section by section through BIND 9.20's dig: rcode, flags,
 * counts and every record with its TTL and spelling.
 *
 * <p>Both run with their defaults, BIND's {@code minimal-responses no-auth-recursive}, and every
 * question is asked twice: without RD, as resolvers ask authoritative servers (positive answers
 * carry the zone's NS RRset and its addresses), and with RD (they do not). ANY is not asked: vxdns
 * answers it with one RRset (RFC 8482), named with all.
 */
class AnswersBindDifferentialTest {
  private static final String[] TYPES = {
    "A", "AAAA", "TXT", "MX", "NS", "SOA", "CNAME", "DNAME", "SRV", "DS", "PTR"
  };
  private static final int HOSTS = 150;
  private static final String[] DIG_OPTIONS = {
    "+nocookie", "+noall", "+answer", "+authority", "+additional", "+comments"
  };

  static Path dir;
  static final Path EXAMPLE_ZONE =
      Path.of("../../config/zones/example.test.zone").toAbsolutePath().normalize();
  static TestNode node;
  static Peer named;
  static int namedPort;

  @BeforeAll
  static void start() throws Exception {
    Peer.requireNamed920();
    dir = Files.createTempDirectory("vxdns-answers-differential");
    Files.writeString(dir.resolve("differential.test.zone"), zone());
    Files.copy(EXAMPLE_ZONE, dir.resolve("example.test.zone"));
    Files.writeString(dir.resolve("random.test.zone"), RANDOM_ZONE.text());
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    JsonObject zones = new JsonObject();
    for (String origin : List.of("differential.test", "example.test", "random.test")) {
      // notify no, in named too: the zones' NS hosts have documentation addresses, off this host
      zones.put(
          origin,
          new JsonObject()
              .put("file", dir.resolve(origin + ".zone").toString())
              .put("notify", "no"));
    }
    config.put("zone", zones);
    node = TestNode.start(config, dir, dir.resolve("generated"));
    namedPort = TestNode.freePort();
    named =
        TransferPeers.startNamed(
            dir,
            TransferPeers.namedOptions(dir, namedPort, "  notify no;")
                + "zone \"differential.test\" { type primary; file \"differential.test.zone\"; };\n"
                + "zone \"example.test\" { type primary; file \"example.test.zone\"; };\n"
                + "zone \"random.test\" { type primary; file \"random.test.zone\"; };\n");
    named.awaitNamed(List.of("differential.test", "example.test", "random.test"));
  }

  @AfterAll
  static void stop() throws Exception {
    TransferPeers.closeAll(named, node);
  }

  /**
   * Mostly lower case; a few names spelled in several ways, whose RRsets named answers each with
   * the spelling of its first record.
   */
  static String zone() {
    StringBuilder zone = new StringBuilder();
    zone.append("$TTL 300\n")
        .append("@ SOA ns1 hostmaster 2026120401 7200 3600 1209600 120\n")
        .append("@ NS ns1\n@ NS ns2\n@ MX 10 mail\n@ A 192.0.2.1\n@ TXT \"apex\"\n")
        .append("ns1 A 192.0.2.53\nns2 600 AAAA 2001:db8::53\n")
        .append("mail A 192.0.2.25\nmail AAAA 2001:db8::25\n")
        .append("_sip._tcp SRV 10 5 5060 sip\nsip A 192.0.2.60\n")
        .append("multi MX 10 host3\nmulti MX 20 mx.example.org.\nmulti MX 30 nothere\n")
        .append("chain1 CNAME chain2\nchain2 CNAME chain3\nchain3 CNAME host1\n")
        .append("out CNAME www.example.org.\ndangling CNAME nothere\n")
        .append("loop1 CNAME loop2\nloop2 CNAME loop1\n")
        .append("tomx CNAME mail\nptr PTR host1\n")
        .append("*.wild A 192.0.2.99\n*.wild TXT \"wild\"\nreal.wild A 192.0.2.98\n")
        .append("*.wildcname CNAME host2\n")
        .append("deep.a.ent A 192.0.2.80\n*.ent A 192.0.2.81\n")
        .append("dn DNAME target\nwww.target A 192.0.2.90\nmail.target MX 5 mail\n")
        .append("dnout DNAME example.org.\n")
        .append("sub NS ns.sub\nsub NS ns.other\nns.sub A 192.0.2.70\nns.sub AAAA 2001:db8::70\n")
        .append("sub DS 12345 8 2 ")
        .append("49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE7AB5C3B5C1B3E13B3B0A3BC7\n")
        .append("ns.other A 192.0.2.71\n")
        .append("ext NS ns.example.net.\n")
        .append("sub2 NS ns.sub\nsub2 NS ns.sub2\nsub2 NS host1\nns.sub2 A 192.0.2.72\n")
        .append("tosub CNAME www.sub\n")
        .append("Mixed A 192.0.2.30\nMIXED AAAA 2001:db8::30\nmixed TXT \"mixed\"\n")
        .append("MiXeD MX 10 Mixed\nDeep.Mixed A 192.0.2.31\ncased CNAME MIXED\n")
        .append("*.WildCase A 192.0.2.32\n");
    for (int i = 1; i <= HOSTS; i++) {
      zone.append("host").append(i).append(" A 192.0.2.").append(100 + i % 100).append('\n');
      if (i % 3 == 0) {
        zone.append("host").append(i).append(" AAAA 2001:db8::").append(i).append('\n');
      }
      if (i % 5 == 0) {
        zone.append("host").append(i).append(" 60 TXT \"host ").append(i).append("\"\n");
      }
    }
    return zone.toString();
  }

  /** Every name of the zone and around it, relative to the origin ("@" for the apex). */
  static List<String> names() {
    List<String> names =
        new ArrayList<>(
            List.of(
                "@",
                "ns1",
                "ns2",
                "mail",
                "_sip._tcp",
                "_tcp",
                "sip",
                "multi",
                "chain1",
                "chain2",
                "chain3",
                "out",
                "dangling",
                "loop1",
                "loop2",
                "tomx",
                "ptr",
                "wild",
                "x.wild",
                "y.x.wild",
                "real.wild",
                "sub.real.wild",
                "x.wildcname",
                "wildcname",
                "ent",
                "a.ent",
                "deep.a.ent",
                "b.ent",
                "x.a.ent",
                "dn",
                "www.dn",
                "mail.dn",
                "nothing.dn",
                "a.b.dn",
                "target",
                "www.target",
                "dnout",
                "www.dnout",
                "sub",
                "ns.sub",
                "www.sub",
                "a.b.sub",
                "sub2",
                "www.sub2",
                "other",
                "ns.other",
                "ext",
                "www.ext",
                "tosub",
                "nothere",
                "mixed",
                "deep.mixed",
                "cased",
                "x.wildcase",
                "nx.nothere"));
    for (int i = 1; i <= HOSTS; i++) {
      names.add("host" + i);
      if (i % 10 == 0) {
        names.add("nx" + i);
        names.add("below.host" + i);
      }
    }
    return names;
  }

  /** Each name with every type, then again in a random mix of case. */
  static List<String> questions(String origin, List<String> names) {
    Random random = new Random(20261204);
    List<String> questions = new ArrayList<>();
    for (String name : names) {
      String absolute = name.equals("@") ? origin : name + "." + origin;
      for (String type : TYPES) {
        questions.add(absolute + " " + type);
        questions.add(mixedCase(absolute, random) + " " + type);
      }
    }
    return questions;
  }

  private static String mixedCase(String name, Random random) {
    StringBuilder mixed = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      mixed.append(
          random.nextBoolean()
              ? String.valueOf(c).toUpperCase(Locale.ROOT)
              : String.valueOf(c).toLowerCase(Locale.ROOT));
    }
    return mixed.toString();
  }

  @Test
  void everyAnswerFromAGeneratedZoneIsNamedsAnswer() throws Exception {
    List<String> questions = questions("differential.test.", names());
    assertTrue(questions.size() >= 2000, "questions: " + questions.size());
    int[] byStatus = compare(questions);
    // The comparison covered every kind of answer, not just one.
    assertTrue(byStatus[0] > 500, "answers with data: " + byStatus[0]);
    assertTrue(byStatus[1] > 200, "NXDOMAIN answers: " + byStatus[1]);
    assertTrue(byStatus[2] > 500, "other answers without data: " + byStatus[2]);
  }

  @Test
  void everyAnswerFromTheExampleZoneIsNamedsAnswer() throws Exception {
    Set<String> names = new LinkedHashSet<>();
    MasterFileReader.read(
        EXAMPLE_ZONE,
        Name.fromString("example.test."),
        DClass.IN,
        (owner, type, dclass, ttl, rdata, file, line) ->
            names.add(MasterFileReader.name(owner).toString()));
    List<String> relative = new ArrayList<>();
    for (String owner : names) {
      String name = owner.substring(0, owner.length() - "example.test.".length());
      relative.add(name.isEmpty() ? "@" : name.substring(0, name.length() - 1));
    }
    relative.addAll(List.of("nothere", "below.www", "x.wild", "a.b.wild"));
    List<String> questions = questions("example.test.", relative);
    int[] byStatus = compare(questions);
    assertTrue(byStatus[0] > 50, "answers with data: " + byStatus[0]);
    assertTrue(byStatus[1] > 20, "NXDOMAIN answers: " + byStatus[1]);
  }

  /** Fixed, so that a difference is a case to replay; -Dvxdns.answers.seed explores others. */
  private static final long RANDOM_SEED = Long.getLong("vxdns.answers.seed", 20261206L);

  static final RandomZone RANDOM_ZONE = RandomZone.draw(new Random(RANDOM_SEED), 70);

  @Test
  void everyAnswerFromARandomZoneIsNamedsAnswer() throws Exception {
    List<String> questions = questions("random.test.", RANDOM_ZONE.names());
    int[] byStatus = compare(questions);
    assertTrue(byStatus[0] > 300, "answers with data: " + byStatus[0]);
    assertTrue(byStatus[1] > 100, "NXDOMAIN answers: " + byStatus[1]);
    assertTrue(byStatus[2] > 300, "other answers without data: " + byStatus[2]);
  }

  /**
   * A zone drawn at random from the shapes an answer turns on, each owner one kind so that BIND
   * loads it: hosts (addresses, TXT, MX and SRV to hosts, names missing and outside), aliases to
   * anything (hosts, aliases, missing names, wildcards, names below DNAMEs and cuts, outside),
   * DNAMEs into the zone and out of it, delegations with glue, DS and occluded data below, and
   * wildcards of either kind; owners are fresh, children of earlier owners or deep below empty
   * non-terminals. Its question names: every owner, a missing name beside and below each.
   */
  record RandomZone(String text, List<String> names) {
    static RandomZone draw(Random random, int owners) {
      StringBuilder zone =
          new StringBuilder(
              "$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 120\n@ NS ns1\n"
                  + "ns1 A 192.0.2.53\n@ A 192.0.2.1\n");
      List<String> hosts = new ArrayList<>(List.of("ns1", "@"));
      List<String> owned = new ArrayList<>(List.of("ns1", "@"));
      // Owners nothing may be put below (DNAME), or only what is then occluded (cuts).
      List<String> dnames = new ArrayList<>();
      List<String> cuts = new ArrayList<>();
      for (int i = 0; i < owners; i++) {
        String owner = owner(random, i, owned, dnames);
        String kind = pick(random, "host", "host", "host", "alias", "alias", "dname", "cut");
        if (owner.startsWith("*") && (kind.equals("dname") || kind.equals("cut"))) {
          kind = "host"; // BIND refuses wildcard NS and DNAME owners
        }
        int ttl = pick(random, 300, 60, 3600);
        switch (kind) {
          case "host" -> {
            zone.append(owner).append(' ').append(ttl).append(" A 192.0.2.").append(i).append('\n');
            if (random.nextBoolean()) {
              zone.append(owner).append(" AAAA 2001:db8::").append(i).append('\n');
            }
            if (random.nextInt(3) == 0) {
              zone.append(owner).append(" TXT \"").append(owner).append("\"\n");
            }
            if (random.nextInt(4) == 0) {
              zone.append(owner).append(" MX 10 ").append(target(random, hosts)).append('\n');
            }
            if (random.nextInt(6) == 0) {
              zone.append(owner).append(" SRV 0 0 53 ").append(target(random, hosts)).append('\n');
            }
            if (!owner.startsWith("*")) {
              hosts.add(owner); // a target (MX, SRV) is a host name for check-names
            }
          }
          case "alias" -> {
            List<String> anything = new ArrayList<>(owned);
            anything.addAll(List.of("missing", "q.w0", "x.q0", "www.example.org."));
            for (String dname : dnames) {
              anything.add("www." + dname);
            }
            for (String cut : cuts) {
              anything.add("www." + cut);
            }
            String to = anything.get(random.nextInt(anything.size()));
            zone.append(owner)
                .append(' ')
                .append(ttl)
                .append(" CNAME ")
                .append(at(to))
                .append('\n');
          }
          case "dname" -> {
            String to =
                random.nextInt(3) == 0
                    ? "example.org."
                    : at(owned.get(random.nextInt(owned.size())));
            zone.append(owner).append(' ').append(ttl).append(" DNAME ").append(to).append('\n');
            dnames.add(owner);
          }
          default -> {
            zone.append(owner).append(" NS ns.").append(owner).append('\n');
            zone.append("ns.")
                .append(owner)
                .append(" A 192.0.2.")
                .append(200 + i % 50)
                .append('\n');
            if (random.nextBoolean()) {
              zone.append(owner).append(" NS ns.example.net.\n");
            }
            if (random.nextBoolean()) {
              zone.append(owner).append(" DS 12345 13 2 ").append("ab".repeat(32)).append('\n');
            }
            if (random.nextInt(3) == 0) {
              zone.append("occluded.").append(owner).append(" TXT \"below a cut\"\n");
            }
            cuts.add(owner);
          }
        }
        owned.add(owner);
      }
      List<String> names = new ArrayList<>();
      for (String owner : owned) {
        String name = owner.replace("*", "q");
        names.add(name);
        names.add(name.equals("@") ? "nx" : "nx." + name);
        if (random.nextBoolean()) {
          names.add(name.equals("@") ? "z" + names.size() : "z" + names.size() + "-" + name);
        }
      }
      for (String cut : cuts) {
        names.addAll(List.of("ns." + cut, "occluded." + cut));
      }
      return new RandomZone(zone.toString(), List.copyOf(new LinkedHashSet<>(names)));
    }

    /**
     * A fresh name, a child of an earlier owner (below a cut too, then occluded; never below a
     * DNAME: RFC 6672 leaves nothing there), a wildcard, or one deep down.
     */
    private static String owner(Random random, int i, List<String> owned, List<String> dnames) {
      String parent = owned.get(random.nextInt(owned.size()));
      String below =
          parent.equals("@") || dnames.contains(parent) ? "" : "." + parent.replace("*.", "w.");
      return switch (random.nextInt(5)) {
        case 0, 1 -> "l" + i;
        case 2 -> "c" + i + below;
        case 3 -> "*." + (random.nextBoolean() ? "w" + i : "w" + i + below);
        default -> "d" + i + ".e" + i + ".f" + i;
      };
    }

    /** A host, a missing name in the zone, or one outside it. */
    private static String target(Random random, List<String> hosts) {
      int choice = random.nextInt(6);
      return choice == 0
          ? "missing"
          : choice == 1 ? "mx.example.org." : at(hosts.get(random.nextInt(hosts.size())));
    }

    private static String at(String relative) {
      return relative.equals("@") ? "random.test." : relative;
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... choices) {
      return choices[random.nextInt(choices.length)];
    }
  }

  /**
   * Asks both servers every question, without RD and with it; fails listing the first differences.
   * The count of named's answers with data, NXDOMAIN and other answers without data (without RD).
   */
  private static int[] compare(List<String> questions) throws Exception {
    int[] byStatus = compare(questions, "+norec");
    compare(questions, "+rec");
    return byStatus;
  }

  private static int[] compare(List<String> questions, String recursion) throws Exception {
    Dig920 dig = Dig920.find();
    String[] options =
        Stream.concat(Stream.of(recursion), Stream.of(DIG_OPTIONS)).toArray(String[]::new);
    List<String> theirs = dig.answers(dir, namedPort, questions, options);
    List<String> ours = dig.answers(dir, node.port, questions, options);
    assertEquals(questions.size(), theirs.size(), "named's answers");
    assertEquals(questions.size(), ours.size(), "vxdns's answers");
    List<String> differences = new ArrayList<>();
    int[] byStatus = new int[3];
    for (int i = 0; i < questions.size(); i++) {
      String answer = theirs.get(i);
      if (!ours.get(i).equals(answer)) {
        differences.add(
            questions.get(i)
                + " "
                + recursion
                + "\n  named:\n"
                + answer
                + "\n  vxdns:\n"
                + ours.get(i));
      }
      byStatus[answer.contains("status: NXDOMAIN") ? 1 : answer.contains("ANSWER: 0,") ? 2 : 0]++;
    }
    assertEquals(
        0,
        differences.size(),
        differences.size()
            + " differences, the first ones:\n"
            + String.join("\n", differences.subList(0, Math.min(20, differences.size()))));
    return byStatus;
  }
}
