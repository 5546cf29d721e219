package dev.vxdns.zone.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Names read straight to wire form, checked against dnsjava's {@code Name.fromString}. */
class NameTextTest {

  private static final Name ORIGIN = Name.fromConstantString("Example.COM.");

  @Test
  void readsNamesAsDnsjavaDoes() throws Exception {
    List<String> names =
        new ArrayList<>(
            List.of(
                "www",
                "WwW.Sub",
                "host.example.net.",
                "@",
                ".",
                "*",
                "*.w",
                "a\\.b",
                "\\065bc",
                "\\000.x",
                "\\255",
                "\\\\",
                "a\\ b",
                "@x",
                "x.@",
                "a.b.c.d.e.f.g.h.",
                "0-9_x"));
    String label63 = "a".repeat(63);
    names.add(label63);
    names.add(label63 + "." + label63 + "." + label63 + ".");
    names.add((label63 + ".").repeat(3) + "a".repeat(61) + "."); // 255 octets, absolute
    names.add((label63 + ".").repeat(3) + "a".repeat(49)); // 255 octets once the origin is added
    for (String name : names) {
      assertSameAsDnsjava(name);
    }
  }

  @Test
  void rejectsWhatDnsjavaRejectsWithBindsWords() {
    String label63 = "a".repeat(63);
    List<String[]> cases =
        List.of(
            new String[] {"a..b", "empty label"},
            new String[] {".a", "empty label"},
            new String[] {"a..", "empty label"},
            new String[] {"", "empty label"},
            new String[] {label63 + "a", "label too long"},
            new String[] {"x." + label63 + "b.y", "label too long"},
            new String[] {(label63 + ".").repeat(4), "name too long"},
            new String[] {(label63 + ".").repeat(3) + "a".repeat(50), "name too long"},
            new String[] {"a\\", "bad escape"},
            new String[] {"a\\25", "bad escape"},
            new String[] {"a\\2x5", "bad escape"},
            new String[] {"\\256", "bad escape"},
            new String[] {"\\999.b", "bad escape"});
    for (String[] c : cases) {
      assertEquals(c[1], problem(c[0]), c[0]);
      assertTrue(dnsjavaRejects(c[0]), "dnsjava accepts " + c[0]);
    }
  }

  /**
   * Random names over an alphabet of the characters that matter (dots, escapes, digits, case), some
   * long enough to pass every limit: each read as dnsjava reads it, or rejected by both.
   */
  @Test
  void randomNamesAreReadAsDnsjavaReadsThem() throws Exception {
    Random random = new Random(20261204);
    String alphabet = "aZ09.\\\\.-*@_ ";
    int accepted = 0;
    int rejected = 0;
    for (int n = 0; n < 20_000; n++) {
      int length = random.nextInt(n % 10 == 0 ? 300 : 20) + 1;
      StringBuilder name = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        name.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (assertSameAsDnsjava(name.toString())) {
        accepted++;
      } else {
        rejected++;
      }
    }
    // Both outcomes are exercised, not only one of them.
    assertTrue(accepted > 1000, "accepted " + accepted);
    assertTrue(rejected > 1000, "rejected " + rejected);
  }

  @Test
  void theOriginItselfIsNotCopied() throws Exception {
    byte[] origin = ORIGIN.toWire();
    assertSame(origin, NameText.parse("@", origin));
  }

  @Test
  void namesAreEqualWhateverTheirCase() throws Exception {
    byte[] origin = ORIGIN.toWire();
    assertTrue(NameText.same(NameText.parse("WWW", origin), NameText.parse("www", origin)));
    assertFalse(NameText.same(NameText.parse("www", origin), NameText.parse("wwx", origin)));
    assertFalse(NameText.same(NameText.parse("www", origin), NameText.parse("ww", origin)));
  }

  /** Whether dnsjava accepted it (and then so did we, with the same octets). */
  private static boolean assertSameAsDnsjava(String text) throws Exception {
    Name expected;
    try {
      expected = Name.fromString(text, ORIGIN);
    } catch (TextParseException e) {
      // The words the parser used to make of dnsjava's messages, as BIND words them.
      String message = e.getMessage();
      String word =
          message.contains("empty label")
              ? "empty label"
              : message.contains("label too long")
                  ? "label too long"
                  : message.contains("too long") ? "name too long" : "bad escape";
      assertEquals(word, problem(text), text);
      return false;
    }
    assertArrayEquals(expected.toWire(), NameText.parse(text, ORIGIN.toWire()), text);
    return true;
  }

  private static String problem(String text) {
    try {
      NameText.parse(text, ORIGIN.toWire());
    } catch (NameText.Problem e) {
      return e.getMessage();
    }
    return fail("accepted '" + text + "'");
  }

  private static boolean dnsjavaRejects(String text) {
    try {
      Name.fromString(text, ORIGIN);
      return false;
    } catch (TextParseException e) {
      return true;
    }
  }
}
