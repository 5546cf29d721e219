package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.text.MasterFileReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * Our master-file parser against BIND 9.20's (named-compilezone to its raw format): the same files
 * give the same RRsets, record for record, wire RDATA and TTL; and BIND's own presentation test
 * cases (tests/dns/rdata_test.c at v9.20.23, vendored) are accepted and rejected as BIND accepts
 * and rejects them in a zone file.
 */
class ZoneFileBindDifferentialTest {

  static final Path BIND_DATA = Path.of("../../modules/zone/src/test/resources/bind");
  static final Path GENZONE = BIND_DATA.resolve("genzone.zone");

  @TempDir Path dir;

  private void sameAsBind(Path file, String origin, int atLeast) throws Exception {
    BindZoneCompiler.Result bind = BindZoneCompiler.find().compile(file, origin);
    assertTrue(bind.loaded(), () -> "BIND did not load " + file + ":\n" + bind.output());
    Map<String, BindZoneCompiler.RrSet> ours = BindZoneCompiler.ours(file, Name.fromString(origin));
    assertEquals(List.of(), BindZoneCompiler.differences(bind.rrsets(), ours));
    int records = bind.rrsets().values().stream().mapToInt(r -> r.rdata().size()).sum();
    assertTrue(records >= atLeast, "BIND read " + records + " records from " + file);
  }

  @Test
  void genzoneZoneLoadsAsBindLoadsItEveryRecord() throws Exception {
    // the vendored zone is what BIND's script generates
    Process sh =
        new ProcessBuilder("sh", BIND_DATA.resolve("genzone.sh").toString(), "1")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String generated = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(sh.waitFor(30, TimeUnit.SECONDS));
    assertEquals(Files.readString(GENZONE), generated);

    sameAsBind(GENZONE, "example.", 183);
    // and the zone engine takes all of it
    Zone zone = ZoneFiles.load(GENZONE, Name.fromString("example."));
    assertEquals(1397051952L, zone.serial());
  }

  @Test
  void theShippedAndTestZonesLoadAsBindLoadsThem() throws Exception {
    sameAsBind(Path.of("../../config/zones/example.test.zone"), "example.test.", 30);
    // (zones/include/main.zone is not compared: a nested $INCLUDE path is relative to the
    // including file's folder here, to named's working directory in BIND)
    sameAsBind(
        Path.of("../../modules/zone/src/test/resources/zones/example.test.zone"),
        "example.test.",
        30);
  }

  @Test
  void directivesAndOmittedFieldsAsBindReadsThem() throws Exception {
    Files.writeString(
        dir.resolve("part.inc"),
        "inc1 A 192.0.2.1\n$ORIGIN deeper.example.\ninc2 3h A 192.0.2.2\n  TXT inherited\n");
    Path file =
        Files.writeString(
            dir.resolve("directives.zone"),
            String.join(
                "\n",
                "$TTL 1h30m",
                "@ IN SOA ns1 host\\.master ( 1 2h 3W 4d",
                "            5 ) ; a comment",
                "  NS ns1",
                "ns1 A 192.0.2.53",
                "a 300 IN A 192.0.2.1",
                "  IN 60 A 192.0.2.2",
                "b IN 2d TXT \"quoted ; string\" unquoted\\;semicolon \\\"q\\\" \"\\065\\\\\"",
                "c TXT ( one",
                "        two ) three",
                "e\\.dot\\032space A 192.0.2.3",
                "f MX 10 @",
                "$INCLUDE part.inc sub",
                "  A 192.0.2.4",
                "$GENERATE 1-20/3 gen$ A 198.51.100.$",
                "$GENERATE 0-3 ${10,4,d}.pad CNAME ${0,3,x}-${1,0,X}-${8,5,o}",
                "$GENERATE 250-255 ${0,0,n} 120 IN PTR ${0,6,N}example.net.",
                "$GENERATE 1-2 $$.lit\\$ TXT \"$ and $$\"",
                "$ORIGIN sub2",
                "g A 192.0.2.5",
                "@ TXT at-origin",
                ""));
    sameAsBind(file, "example.", 30);
  }

  /** One presentation case from BIND's rdata_test.c. */
  record Case(String type, String text, boolean bindExpectsValid) {}

  /** The cases of rdata_test.c: TEXT_VALID* and TEXT_INVALID, with the type each is tested for. */
  static List<Case> bindCases() throws Exception {
    String source = Files.readString(BIND_DATA.resolve("rdata_test.c"));
    List<Case> cases = new ArrayList<>();
    Matcher function = Pattern.compile("\nISC_RUN_TEST_IMPL\\((\\w+)\\) \\{").matcher(source);
    List<int[]> bodies = new ArrayList<>();
    List<String> names = new ArrayList<>();
    while (function.find()) {
      bodies.add(new int[] {function.end(), 0});
      names.add(function.group(1));
    }
    for (int i = 0; i < bodies.size(); i++) {
      int end = i + 1 < bodies.size() ? bodies.get(i + 1)[0] : source.length();
      String body = source.substring(bodies.get(i)[0], end);
      List<String> types = new ArrayList<>();
      Matcher call =
          Pattern.compile("check_rdata\\(text_ok,[^;]*?dns_rdataclass_in,\\s*dns_rdatatype_(\\w+)")
              .matcher(body);
      while (call.find()) {
        types.add(call.group(1));
      }
      if (types.isEmpty()) {
        types.add(names.get(i));
      }
      Matcher text =
          Pattern.compile(
                  "TEXT_(VALID|VALID_CHANGED|VALID_LOOP|VALID_LOOPCHG|INVALID)\\((?:\\d+,\\s*)?((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*)+)")
              .matcher(body);
      while (text.find()) {
        String literal = cString(text.group(2));
        for (String type : types) {
          cases.add(
              new Case(
                  type.toUpperCase(Locale.ROOT).replace('_', '-'),
                  literal,
                  !text.group(1).equals("INVALID")));
        }
      }
    }
    return cases;
  }

  /** Adjacent C string literals, concatenated and unescaped. */
  private static String cString(String literals) {
    StringBuilder out = new StringBuilder();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(literals);
    while (m.find()) {
      String s = m.group(1);
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\') {
          char e = s.charAt(++i);
          out.append(e == 'n' ? '\n' : e == 't' ? '\t' : e);
        } else {
          out.append(c);
        }
      }
    }
    return out.toString();
  }

  @Test
  void bindsOwnPresentationCasesAreAcceptedAndRejectedAsBindDoes() throws Exception {
    List<Case> cases = bindCases();
    assertTrue(cases.size() >= 300, "cases found in rdata_test.c: " + cases.size());
    BindZoneCompiler bind = BindZoneCompiler.find();
    Name origin = Name.fromString("example.");
    List<String> mismatches = new ArrayList<>();
    int accepted = 0;
    int rejected = 0;
    // BIND compiles each case in a process of its own: two at a time, one per core.
    Map<Integer, Path> files = new java.util.LinkedHashMap<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      if (c.text().contains("\n")) {
        continue; // a lexer-level case, not one line of a zone file
      }
      files.put(
          i,
          Files.writeString(
              dir.resolve("case" + i + ".zone"),
              "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"
                  + "case IN "
                  + c.type()
                  + " "
                  + c.text()
                  + "\n",
              StandardCharsets.ISO_8859_1));
    }
    Map<Integer, java.util.concurrent.Future<BindZoneCompiler.Result>> compiled =
        new java.util.LinkedHashMap<>();
    java.util.concurrent.ExecutorService compilers =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      files.forEach(
          (i, file) -> compiled.put(i, compilers.submit(() -> bind.compile(file, "example."))));
    } finally {
      compilers.shutdown();
    }
    for (Map.Entry<Integer, Path> entry : files.entrySet()) {
      Case c = cases.get(entry.getKey());
      Path file = entry.getValue();
      BindZoneCompiler.Result result = compiled.get(entry.getKey()).get(2, TimeUnit.MINUTES);
      String ourError = null;
      Map<String, BindZoneCompiler.RrSet> ours = null;
      try {
        ours = BindZoneCompiler.ours(file, origin);
      } catch (MasterFileReader.Errors e) {
        ourError = e.getMessage();
      }
      String what = c.type() + " " + c.text();
      if (result.loaded()) {
        accepted++;
        if (ourError != null) {
          mismatches.add("BIND accepts, we reject: " + what + " (" + ourError + ")");
        } else {
          BindZoneCompiler.differences(result.rrsets(), ours)
              .forEach(d -> mismatches.add("differs: " + what + ": " + d));
        }
      } else {
        rejected++;
        if (ourError == null) {
          mismatches.add("BIND rejects, we accept: " + what + " (" + result.output().trim() + ")");
        }
      }
    }
    assertEquals(List.of(), mismatches, String.join("\n", mismatches));
    assertTrue(accepted > 100 && rejected > 50, accepted + " accepted, " + rejected + " rejected");
  }
}
