package dev.vxdns.zone.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.utils.base16;

/** The directives, the omitted-field rules, the lexer, and the errors with their lines. */
class MasterFileReaderTest {

  static final Name ORIGIN = Name.fromConstantString("example.");

  @TempDir Path dir;

  /** Each record as "owner ttl TYPE hex-rdata (line)". */
  private List<String> read(String text) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("z.zone"), text, java.nio.charset.StandardCharsets.ISO_8859_1);
    List<String> records = new ArrayList<>();
    MasterFileReader.read(
        file,
        ORIGIN,
        1,
        (owner, type, dclass, ttl, rdata, source, line) ->
            records.add(
                MasterFileReader.name(owner)
                    + " "
                    + ttl
                    + " "
                    + RrTypes.typeName(type)
                    + " "
                    + base16.toString(rdata)
                    + " ("
                    + line
                    + ")"));
    return records;
  }

  private List<String> errors(String text) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.zone"), text);
    MasterFileReader.Errors e =
        assertThrows(
            MasterFileReader.Errors.class,
            () -> MasterFileReader.read(file, ORIGIN, 1, (o, t, c, ttl, r, s, l) -> {}));
    return e.errors().stream()
        .map(x -> x.getMessage().replace(dir.toString() + "/", ""))
        .collect(Collectors.toList());
  }

  @Test
  void ownerTtlAndClassMayBeOmittedAndComeInEitherOrder() throws Exception {
    assertEquals(
        List.of(
            "a.example. 300 A 0A000001 (2)",
            "a.example. 300 A 0A000002 (3)",
            "b.example. 60 A 0A000003 (4)",
            "b.example. 70 A 0A000004 (5)",
            "c.example. 300 A 0A000005 (6)"),
        read(
            "$TTL 300\n"
                + "a A 10.0.0.1\n"
                + "  IN A 10.0.0.2\n"
                + "b 60 IN A 10.0.0.3\n"
                + " IN 70 A 10.0.0.4\n"
                + "c A 10.0.0.5\n"));
  }

  @Test
  void withoutTtlDirectiveTheSoaMinimumThenThePreviousTtlApply() throws Exception {
    List<String> records =
        read("@ IN SOA ns hm 1 2 3 4 1h\n" + "a 42 A 10.0.0.1\n" + "b A 10.0.0.2\n");
    assertEquals("example. 3600 SOA", records.get(0).substring(0, 17));
    // BIND: the SOA's MINIMUM becomes the default TTL, which wins over the last explicit TTL
    assertEquals("b.example. 3600 A 0A000002 (3)", records.get(2));
    assertEquals(List.of("bad.zone:1: no TTL specified; zone rejected"), errors("a A 10.0.0.1\n"));
  }

  @Test
  void parenthesesQuotesEscapesAndComments() throws Exception {
    assertEquals(
        List.of(
            "txt.example. 1 TXT 03666F6F08666F6F3B20626172 (2)",
            "txt.example. 1 TXT 0522666F6F220361096202643B (4)",
            "e\\032x.example. 1 A 01020304 (6)"),
        read(
            "$TTL 1\n"
                + "txt TXT ( \"foo\" ; a comment\n"
                + "  \"foo; bar\" )\n"
                + "txt TXT \\\"foo\\\" a\\009b d\\;\n"
                + "; only a comment\n"
                + "e\\ x A 1.2.3.4\n"));
  }

  @Test
  void originAndIncludeRestoreTheOriginAndOwner() throws Exception {
    Files.writeString(
        dir.resolve("sub.inc"), "x A 10.0.0.9\n$ORIGIN other.example.\ny A 10.0.0.8\n");
    assertEquals(
        List.of(
            "a.example. 1 A 0A000001 (2)",
            "x.sub.example. 1 A 0A000009 (1)",
            "y.other.example. 1 A 0A000008 (3)",
            "a.example. 1 A 0A000002 (4)",
            "z.example. 1 A 0A000003 (5)"),
        read(
            "$TTL 1\n"
                + "a A 10.0.0.1\n"
                + "$INCLUDE sub.inc sub\n"
                + "  A 10.0.0.2\n"
                + "z A 10.0.0.3\n"));
    assertEquals(
        List.of("s.x.y.example. 1 A 0A000001 (4)"),
        read("$TTL 1\n$ORIGIN y.example.\n$ORIGIN x\ns A 10.0.0.1\n"));
  }

  @Test
  void generateWithModifiers() throws Exception {
    assertEquals(
        List.of(
            "h1.example. 1 PTR 036830300665786D706C6500 (2)",
            "h3.example. 1 PTR 036830320665786D706C6500 (2)",
            "0a.example. 5 CNAME 01610130076578616D706C6500 (3)",
            "\\$.example. 1 TXT 0124 (4)"),
        read(
            "$TTL 1\n"
                + "$GENERATE 1-3/2 h$ PTR h${-1,2}.exmple.\n"
                + "$GENERATE 10-10 ${0,2,x} 5 IN CNAME ${0,3,n}\n"
                + "$GENERATE 7-7 \\$ TXT $$\n"));
  }

  @Test
  void unknownFormForAnyTypeKnownOrNot() throws Exception {
    assertEquals(
        List.of(
            "a.example. 1 A 0A000001 (2)",
            "a.example. 1 TYPE65000 0102 (3)",
            "a.example. 1 NULL  (4)"),
        read("$TTL 1\n" + "a A \\# 4 0A 000001\n" + "a TYPE65000 \\# 2 0102\n" + "a NULL \\# 0\n"));
  }

  @Test
  void everyErrorIsReportedWithItsLineAndTheGoodRecordsStillParse() throws Exception {
    assertEquals(
        List.of(
            "bad.zone:2: near '300.1.1.1': bad dotted quad",
            "bad.zone:3: unknown RR type 'FOO'",
            "bad.zone:5: near '70000': out of range",
            "bad.zone:6: near 'extra': extra input text",
            "bad.zone:7: class 'CH' != zone class 'IN'",
            "bad.zone:8: unexpected end of input",
            "bad.zone:9: unknown $ directive '$BOGUS'",
            "bad.zone:10: DS record at top of zone (example.)",
            "bad.zone:12: *.w.example: invalid NS owner name (wildcard)",
            "bad.zone:13: *.w.example: invalid NSEC3 owner name (wildcard)",
            "bad.zone:14: unbalanced quotes"),
        errors(
            "$TTL 1\n"
                + "a A 300.1.1.1\n"
                + "b FOO 1\n"
                + "c MX 10 ok\n"
                + "d MX 70000 x\n"
                + "e A 10.0.0.1 extra\n"
                + "f CH A 10.0.0.1\n"
                + "g A \\# 3 0102\n"
                + "$BOGUS\n"
                + "@ DS 1 1 1 0000000000000000000000000000000000000000\n"
                + "h A 10.0.0.1\n"
                + "*.w NS ns1\n"
                + "*.w NSEC3 1 0 0 - 0123456789ABCDEFGHIJKLMNOPQRSTUV A\n"
                + "i TXT \"open\n"));
  }

  @Test
  void unbalancedParenthesesNameTheLineTheyOpened() throws IOException {
    assertEquals(
        List.of("bad.zone:2: unbalanced parentheses"), errors("$TTL 1\na TXT ( \"x\"\n\n"));
    assertEquals(List.of("bad.zone:2: unbalanced parentheses"), errors("$TTL 1\na TXT x )\n"));
  }
}
