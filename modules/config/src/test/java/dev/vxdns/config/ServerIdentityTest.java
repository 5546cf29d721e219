package dev.vxdns.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** BIND's version, hostname and server-id options, and the built-in CH zones they answer in. */
class ServerIdentityTest {
  @TempDir Path dir;

  private ServerIdentity parse(JsonObject options) throws ConfigException {
    return ConfigSource.of(new JsonObject().put("options", options), dir)
        .parse(ServerIdentity.PART);
  }

  private static String machine() throws Exception {
    return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
  }

  @Test
  void bindsDefaults() throws Exception {
    ServerIdentity identity = parse(new JsonObject());
    assertEquals("vxdns " + BuildVersion.VERSION, identity.version());
    assertEquals(machine(), identity.hostname());
    assertNull(identity.serverId(), "no NSID and no id.server unless asked for, as BIND");
  }

  @Test
  void noneHidesAndHostnameIsTheMachines() throws Exception {
    ServerIdentity hidden =
        parse(
            new JsonObject()
                .put("version", "none")
                .put("hostname", "NONE")
                .put("server-id", "hostname"));
    assertNull(hidden.version());
    assertNull(hidden.hostname());
    assertEquals(machine(), hidden.serverId());
    ServerIdentity named =
        parse(new JsonObject().put("version", "x").put("server-id", "ns1.anycast.example"));
    assertEquals("x", named.version());
    assertEquals("ns1.anycast.example", named.serverId());
    assertEquals("x", named.textOf(Name.fromConstantString("version.bind.")));
    assertEquals("ns1.anycast.example", named.textOf(Name.fromConstantString("id.server.")));
    assertNull(named.textOf(Name.fromConstantString("authors.bind.")));
  }

  @Test
  void aTextHoldsAt255Octets() throws Exception {
    assertEquals(255, parse(new JsonObject().put("version", "v".repeat(255))).version().length());
    ConfigException e =
        assertThrows(
            ConfigException.class, () -> parse(new JsonObject().put("server-id", "é".repeat(128))));
    assertTrue(e.getMessage().contains("options.server-id"), e.getMessage());
  }

  @Test
  void namesAtOrBelowTheBuiltInZonesAreTheirs() {
    assertEquals(
        Name.fromConstantString("version.bind."),
        ServerIdentity.chaosZoneOf(Name.fromConstantString("VERSION.bind.")));
    assertEquals(
        Name.fromConstantString("id.server."),
        ServerIdentity.chaosZoneOf(Name.fromConstantString("a.b.id.server.")));
    assertNull(ServerIdentity.chaosZoneOf(Name.fromConstantString("bind.")));
    assertNull(ServerIdentity.chaosZoneOf(Name.fromConstantString("version.server.")));
  }
}
