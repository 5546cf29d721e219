package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import dev.vxdns.message.Addresses;
import dev.vxdns.message.Transport;
import dev.vxdns.verticles.transport.ListenerConfig;
import dev.vxdns.verticles.transport.ProxyMode;
import dev.vxdns.verticles.transport.TlsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reserved {@code tls "ephemeral"}: where it resolves, that it needs no files to parse, that
 * users cannot redefine it.
 */
class EphemeralTlsConfigTest {
  private static final Path EXAMPLES =
      Path.of("../../config/examples").toAbsolutePath().normalize();

  private static JsonObject dotOn(String tls) {
    return new JsonObject(
        "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"port\": 8853, \"transport\": \"dot\", \"tls\": \""
            + tls
            + "\"}]}}");
  }

  @Test
  void resolvesToPemFilesUnderTheConfigDirectoryWithoutNeedingThem(@TempDir Path dir)
      throws Exception {
    NodeConfig config = NodeConfig.parse(dotOn("ephemeral"), dir);
    TlsConfig tls = config.transport().listeners().get(0).tls();
    assertEquals("ephemeral", tls.name());
    assertTrue(tls.isEphemeral());
    Path generated = dir.toAbsolutePath().normalize().resolve("tls/generated");
    assertEquals(generated.resolve("ephemeral.crt"), tls.certFile());
    assertEquals(generated.resolve("ephemeral.key"), tls.keyFile());
    assertFalse(Files.exists(generated), "parsing must neither need nor make the files");
  }

  @Test
  void followsOptionsDirectory(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("work"));
    JsonObject json = dotOn("ephemeral");
    json.getJsonObject("options").put("directory", "work");
    TlsConfig tls = NodeConfig.parse(json, dir).transport().listeners().get(0).tls();
    assertEquals(
        dir.toAbsolutePath().normalize().resolve("work/tls/generated/ephemeral.crt"),
        tls.certFile());
  }

  @Test
  void theLauncherCanPutItElsewhereAndTheVerticlesFollow(@TempDir Path dir) throws Exception {
    Path elsewhere = dir.resolve("persistent/tls/generated");
    Path temporary = dir.resolve("extracted");
    Files.createDirectories(temporary);
    JsonObject json = dotOn("ephemeral");
    TlsConfig launcher =
        NodeConfig.parse(json, temporary, elsewhere).transport().listeners().get(0).tls();
    assertEquals(
        elsewhere.toAbsolutePath().normalize().resolve("ephemeral.key"), launcher.keyFile());

    // The verticles get the launcher's parsed listeners, so they follow it by construction.
    TlsConfig withoutOverride =
        NodeConfig.parse(json, temporary).transport().listeners().get(0).tls();
    assertEquals(
        temporary.toAbsolutePath().normalize().resolve("tls/generated/ephemeral.crt"),
        withoutOverride.certFile());
  }

  @Test
  void userEntriesStillWorkBesideIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mine.crt"), "x");
    Files.writeString(dir.resolve("mine.key"), "x");
    JsonObject json =
        new JsonObject(
            """
        {"tls": {"mine": {"cert-file": "mine.crt", "key-file": "mine.key"}},
         "options": {"listen-on": [
           {"address": "127.0.0.1", "port": 8853, "transport": "dot", "tls": "mine"},
           {"address": "127.0.0.1", "port": 8443, "transport": "doh", "tls": "ephemeral"}]}}""");
    List<ListenerConfig> listeners = NodeConfig.parse(json, dir).transport().listeners();
    assertEquals(
        new TlsConfig(
            "mine",
            dir.toAbsolutePath().normalize().resolve("mine.crt"),
            dir.toAbsolutePath().normalize().resolve("mine.key")),
        listeners.get(0).tls());
    assertFalse(listeners.get(0).tls().isEphemeral());
    assertTrue(listeners.get(1).tls().isEphemeral());
  }

  /**
   * BIND's {@code protocols}: TLS 1.2 and 1.3 by default, as named; only those two; a DoQ listener
   * needs TLS 1.3 (QUIC has no other).
   */
  @Test
  void protocolsNameTheTlsVersionsAListenerTakes(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mine.crt"), "x");
    Files.writeString(dir.resolve("mine.key"), "x");
    assertEquals(
        Set.of("TLSv1.2", "TLSv1.3"),
        NodeConfig.parse(mineOn("dot", null), dir)
            .transport()
            .listeners()
            .get(0)
            .tls()
            .protocols());
    assertEquals(
        Set.of("TLSv1.3"),
        NodeConfig.parse(mineOn("dot", new JsonArray().add("TLSv1.3")), dir)
            .transport()
            .listeners()
            .get(0)
            .tls()
            .protocols());
    ConfigException old =
        assertThrows(
            ConfigException.class,
            () -> NodeConfig.parse(mineOn("dot", new JsonArray().add("TLSv1.1")), dir));
    assertEquals("tls.mine.protocols", old.key());
    assertThrows(
        ConfigException.class, () -> NodeConfig.parse(mineOn("dot", new JsonArray()), dir));
    ConfigException quic =
        assertThrows(
            ConfigException.class,
            () -> NodeConfig.parse(mineOn("doq", new JsonArray().add("TLSv1.2")), dir));
    assertTrue(quic.getMessage().contains("TLS 1.3 only"), quic.getMessage());
  }

  /** A listener of {@code transport} on tls "mine", whose protocols are {@code protocols}. */
  private static JsonObject mineOn(String transport, JsonArray protocols) {
    JsonObject mine = new JsonObject().put("cert-file", "mine.crt").put("key-file", "mine.key");
    if (protocols != null) {
      mine.put("protocols", protocols);
    }
    JsonObject listener =
        new JsonObject()
            .put("address", "127.0.0.1")
            .put("port", 8853)
            .put("transport", transport)
            .put("tls", "mine");
    return new JsonObject()
        .put("tls", new JsonObject().put("mine", mine))
        .put("options", new JsonObject().put("listen-on", new JsonArray().add(listener)));
  }

  /**
   * BIND rejects {@code tls ephemeral { ... };} as reserved; so does vxdns, whatever the case, and
   * before reading the files.
   */
  @ParameterizedTest
  @ValueSource(strings = {"ephemeral", "Ephemeral", "EPHEMERAL"})
  void aUserDefinedEphemeralEntryIsRejectedAsReserved(String name, @TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("c.pem"), "x");
    Files.writeString(dir.resolve("k.pem"), "x");
    JsonObject json =
        dotOn("ephemeral")
            .put(
                "tls",
                new JsonObject()
                    .put(
                        name, new JsonObject().put("cert-file", "c.pem").put("key-file", "k.pem")));
    ConfigException error = assertThrows(ConfigException.class, () -> NodeConfig.parse(json, dir));
    assertEquals("tls." + name, error.key());
    assertTrue(error.getMessage().contains("is reserved"), error.getMessage());
    assertTrue(
        error
            .getMessage()
            .contains(dir.toAbsolutePath().normalize().resolve("tls/generated").toString()),
        error.getMessage());
  }

  @Test
  void aListenerWithoutTlsNeedsNoCertificate(@TempDir Path dir) throws Exception {
    JsonObject json =
        new JsonObject(
            "{\"options\": {\"listen-on\": [{\"address\": \"127.0.0.1\", \"transport\": [\"udp\", \"h2c\"]}]}}");
    for (ListenerConfig listener : NodeConfig.parse(json, dir).transport().listeners()) {
      assertNull(listener.tls(), listener.name());
    }
  }

  /**
   * config/examples/tls.json: the nine listeners, on the ephemeral certificate where TLS applies,
   * with {@code proxy: plain} on DoT, DoH and h2c and {@code proxy: encrypted} on DoT and DoH, and
   * DNS over QUIC without PROXY.
   */
  @Test
  void theTlsExampleIsValid() throws Exception {
    NodeConfig config =
        NodeConfig.parse(new JsonObject(Files.readString(EXAMPLES.resolve("tls.json"))), EXAMPLES);
    List<ListenerConfig> listeners = config.transport().listeners();
    assertEquals(9, listeners.size());
    Object[][] expected = {
      {8853, Transport.DOT, ProxyMode.NONE},
      {8854, Transport.DOT, ProxyMode.ENCRYPTED},
      {8855, Transport.DOT, ProxyMode.PLAIN},
      {8443, Transport.DOH, ProxyMode.NONE},
      {8444, Transport.DOH, ProxyMode.PLAIN},
      {8445, Transport.DOH, ProxyMode.ENCRYPTED},
      {8080, Transport.H2C, ProxyMode.NONE},
      {8081, Transport.H2C, ProxyMode.PLAIN},
      {8856, Transport.DOQ, ProxyMode.NONE}
    };
    for (int i = 0; i < expected.length; i++) {
      ListenerConfig listener = listeners.get(i);
      assertEquals(expected[i][0], listener.port(), listener.name());
      assertSame(expected[i][1], listener.transport(), listener.name());
      assertSame(expected[i][2], listener.proxy(), listener.name());
      assertEquals(InetAddress.getByName("127.0.0.1"), listener.address());
      if (listener.transport().needsTls()) {
        assertEquals(
            TlsConfig.ephemeral(EXAMPLES.resolve("tls/generated")),
            listener.tls(),
            listener.name());
      } else {
        assertNull(listener.tls(), listener.name());
      }
      assertEquals(
          listener.proxy() != ProxyMode.NONE,
          listener.pipeline().get(0).equals(Addresses.PROXY),
          listener.name());
    }
    assertTrue(config.proxy().allowProxy().allows(InetAddress.getByName("127.0.0.5")));
    assertTrue(config.proxy().allowProxy().allows(InetAddress.getByName("::1")));
    assertFalse(config.proxy().allowProxy().allows(InetAddress.getByName("192.0.2.1")));
    assertEquals("whoami.vxdns.", config.zone().whoami().toString());
    assertEquals("example.test.", config.zone().zones().get(0).name());
    assertTrue(Files.isReadable(config.zone().zones().get(0).file()));
  }
}
