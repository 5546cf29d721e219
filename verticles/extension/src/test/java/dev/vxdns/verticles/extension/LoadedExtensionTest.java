package dev.vxdns.verticles.extension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Outcome;
import dev.vxdns.message.Transport;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedExtensionTest {
  private static final String DROPPING_STAGE = exchangeSource("drop");

  /** A stage class {@code ext.Dropping} that finishes every exchange with {@code method()}. */
  static String exchangeSource(String method) {
    return """
        package ext;
        public class Dropping implements dev.vxdns.message.Stage {
          public io.vertx.core.Future<dev.vxdns.message.DnsExchange> handle(
              dev.vxdns.message.DnsExchange exchange) {
            return io.vertx.core.Future.succeededFuture(exchange.METHOD());
          }
        }
        """
        .replace("METHOD", method);
  }

  static DnsExchange exchange() {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", 5300);
    return DnsExchange.received(Transport.UDP, "test", address, address, new byte[12]);
  }

  @Test
  void aJarsManifestNamesItsStageAndEachLoadHasItsOwnClassLoader(@TempDir Path dir)
      throws Exception {
    Path jar = jar(dir, "drop", DROPPING_STAGE, "ext.Dropping", false);
    ExtensionFile file = ExtensionFile.of(jar);
    LoadedExtension first = LoadedExtension.load(file, dir.resolve("snapshots"));
    LoadedExtension second = LoadedExtension.load(file, dir.resolve("snapshots"));
    try {
      assertEquals("vxdns.ext.drop", file.address());
      DnsExchange handled = first.stage().handle(exchange()).result();
      assertEquals(Outcome.DROP, handled.reply().outcome());
      assertNotSame(first.stage().getClass(), second.stage().getClass());
      // Loaded from a copy: the file itself may be overwritten while this version serves.
      assertTrue(Files.exists(first.snapshot()));
    } finally {
      first.release();
      second.release();
    }
    assertTrue(Files.notExists(first.snapshot()));
  }

  @Test
  void aJarMayListItsStageAsAService(@TempDir Path dir) throws Exception {
    Path jar = jar(dir, "service", DROPPING_STAGE, "ext.Dropping", true);
    LoadedExtension loaded = LoadedExtension.load(ExtensionFile.of(jar), dir.resolve("s"));
    assertEquals(Outcome.DROP, loaded.stage().handle(exchange()).result().reply().outcome());
    loaded.release();
  }

  @Test
  void aJarWithoutAStageIsRefusedWithAReason(@TempDir Path dir) throws Exception {
    Path jar = jar(dir, "empty", DROPPING_STAGE, null, false);
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoadedExtension.load(ExtensionFile.of(jar), dir.resolve("s")));
    assertTrue(e.getMessage().contains("Vxdns-Stage"), e.getMessage());
  }

  @Test
  void aGroovyScriptMayEndInAClosure(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("closure.groovy");
    Files.writeString(script, "{ exchange -> exchange.drop() }");
    LoadedExtension loaded = LoadedExtension.load(ExtensionFile.of(script), dir);
    assertEquals(Outcome.DROP, loaded.stage().handle(exchange()).result().reply().outcome());
    loaded.release();
  }

  @Test
  void aGroovyScriptOfSomethingElseIsRefused(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("number.groovy");
    Files.writeString(script, "42");
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LoadedExtension.load(ExtensionFile.of(script), dir));
    assertTrue(e.getMessage().contains("not a dev.vxdns.message.Stage"), e.getMessage());
  }

  @Test
  void onlyGroovyAndJarFilesWithStageNamesAreExtensions(@TempDir Path dir) throws Exception {
    for (String name : List.of("notes.txt", "bad name.groovy", ".groovy", "README")) {
      Path file = Files.writeString(dir.resolve(name), "x");
      assertEquals(null, ExtensionFile.of(file), name);
    }
    Files.createDirectory(dir.resolve("folder.groovy"));
    assertEquals(null, ExtensionFile.of(dir.resolve("folder.groovy")));
  }

  /** Compiles {@code source} and packs it into {@code NAME.jar}, naming the stage as asked. */
  static Path jar(Path dir, String name, String source, String stageClass, boolean asService)
      throws Exception {
    Path sources = Files.createDirectories(dir.resolve("src-" + name + "/ext"));
    Path classes = Files.createDirectories(dir.resolve("classes-" + name));
    Path javaFile = Files.writeString(sources.resolve("Dropping.java"), source);
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    int status =
        compiler.run(
            null,
            null,
            null,
            "-cp",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            javaFile.toString());
    assertEquals(0, status);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (stageClass != null && !asService) {
      manifest.getMainAttributes().putValue(LoadedExtension.MANIFEST_STAGE, stageClass);
    }
    Path jar = dir.resolve(name + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.putNextEntry(new JarEntry("ext/Dropping.class"));
      out.write(Files.readAllBytes(classes.resolve("ext/Dropping.class")));
      if (asService) {
        out.putNextEntry(new JarEntry("META-INF/services/dev.vxdns.message.Stage"));
        OutputStream body = out;
        body.write((stageClass + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return jar;
  }
}
