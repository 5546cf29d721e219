package dev.vxdns.config.named;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.named.NamedConf.Block;
import dev.vxdns.config.named.NamedConf.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named.conf reader: statements, nested blocks, the three comment styles, strings, include. */
class NamedConfTest {

  @Test
  void readsStatementsBlocksCommentsAndStrings() throws Exception {
    String text =
        String.join(
            "\n",
            "# a shell comment",
            "// a C++ comment",
            "/* a C comment",
            "   over lines { ; } */",
            "options {",
            "  directory \"/var/named\"; // trailing",
            "  listen-on port 53 proxy plain { 127.0.0.1; };",
            "  allow-query { !{ !10/8; any; }; key \"host1-host2.\"; };",
            "};",
            "key \"k\" { algorithm hmac-sha256; secret \"c2VjcmV0\\\"x\"; };",
            "controls { inet 127.0.0.1 port 953 allow { localhost; } keys { \"k\"; }; };",
            "zone \"example.com\" IN { type primary; file \"db.example\"; };");
    Block conf = NamedConf.parse(text, "named.conf", Path.of("."));
    assertEquals(
        List.of("options", "key", "controls", "zone"),
        conf.statements().stream().map(Statement::name).toList());
    Statement options = conf.first("options").orElseThrow();
    assertEquals(5, options.line(), "lines count through every comment style");
    assertEquals("/var/named", options.block().first("directory").orElseThrow().word(1));
    Statement listen = options.block().first("listen-on").orElseThrow();
    assertEquals("53", listen.wordAfter("port"));
    assertEquals("plain", listen.wordAfter("proxy"));
    assertEquals(7, listen.line());
    Statement allow = options.block().first("allow-query").orElseThrow();
    Statement negated = allow.block().statements().get(0);
    assertEquals(List.of("!"), negated.words());
    assertEquals(2, negated.block().statements().size());
    assertEquals(List.of("!", "10/8"), negated.block().statements().get(0).words());
    assertEquals(List.of("key", "host1-host2."), allow.block().statements().get(1).words());
    Statement key = conf.first("key").orElseThrow();
    assertEquals("c2VjcmV0\"x", key.block().first("secret").orElseThrow().word(1), "escapes");
    Statement inet = conf.first("controls").orElseThrow().block().statements().get(0);
    assertNotNull(inet.blockAfter("allow"));
    assertEquals("k", inet.blockAfter("keys").statements().get(0).word(0));
    assertEquals(List.of("zone", "example.com", "IN"), conf.first("zone").orElseThrow().words());
  }

  @Test
  void includeIsReplacedByTheFilesStatementsWhereverItIs(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("keys.conf"), "key \"a\" { algorithm hmac-sha256; secret \"YQ==\"; };\n");
    Files.writeString(dir.resolve("acl.conf"), "10/8;\n192.0.2.0/24;\n");
    Path main =
        Files.writeString(
            dir.resolve("named.conf"),
            "include \"keys.conf\";\nacl nets { include \"acl.conf\"; 198.51.100.1; };\n");
    Block conf = NamedConf.parse(main);
    Statement key = conf.first("key").orElseThrow();
    assertEquals("a", key.word(1));
    assertTrue(key.file().endsWith("keys.conf"), key.file());
    assertEquals(1, key.line());
    List<Statement> nets = conf.first("acl").orElseThrow().block().statements();
    assertEquals(
        List.of("10/8", "192.0.2.0/24", "198.51.100.1"),
        nets.stream().map(s -> s.word(0)).toList());
  }

  @Test
  void errorsNameTheFileAndLine() {
    assertProblem("options {\n  directory \"x\"\n};\n", "named.conf:2: missing ';' before '}'");
    assertProblem(
        "options { directory \"x\"; };\nzone \"a\" {\n", "named.conf:2: '{' is never closed");
    assertProblem("/* never closed\n", "named.conf:1: unterminated /* comment");
    assertProblem("key \"k\n", "named.conf:1: unterminated string");
    assertProblem("options { };\n};\n", "named.conf:2: unexpected '}'");
    assertProblem("acl a { 10/8; }", "named.conf:1: missing ';' at the end of the file");
  }

  private static void assertProblem(String text, String message) {
    NamedConfException e =
        assertThrows(
            NamedConfException.class, () -> NamedConf.parse(text, "named.conf", Path.of(".")));
    assertEquals(message, e.getMessage());
  }
}
