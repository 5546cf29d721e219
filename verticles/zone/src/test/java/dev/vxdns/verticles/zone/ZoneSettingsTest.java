package dev.vxdns.verticles.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.config.ConfigException;
import dev.vxdns.config.ConfigSource;
import dev.vxdns.secondary.SourceAddresses;
import dev.vxdns.secondary.TransferLimits;
import dev.vxdns.verticles.zone.ZoneConfig.NotifyMode;
import dev.vxdns.zone.MinimalResponses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each zone inherits from {@code options} and overrides: BIND's {@code max-transfer-time-in},
 * {@code max-transfer-idle-in} and {@code min-transfer-rate-in} (BIND's defaults, what {@code
 * options} sets for every zone, a zone's own), {@code ixfr-from-differences}, which {@code options}
 * may set for one type of zone, and the source addresses of NOTIFYs and transfers.
 */
class ZoneSettingsTest {
  @Test
  void eachZoneTakesItsOwnTheOptionsOrBindsDefaults(@TempDir Path dir) throws Exception {
    Map<String, TransferLimits> bind = limits(dir, new JsonObject());
    TransferLimits.MinRate bindRate = new TransferLimits.MinRate(10240, Duration.ofMinutes(5));
    assertEquals(
        TransferLimits.defaults()
            .withTimes(Duration.ofMinutes(120), Duration.ofMinutes(60))
            .withMinRate(bindRate),
        bind.get("inherits.test."),
        "BIND 9.20's 120 and 60 minutes, 10240 bytes in 5 minutes");
    assertEquals(bindRate, bind.get("own.test.").minRate());
    assertEquals(Duration.ofMinutes(120), bind.get("own.test.").maxTransferTime());
    assertEquals(Duration.ofMinutes(7), bind.get("own.test.").maxIdleTime(), "the zone's own");

    Map<String, TransferLimits> set =
        limits(
            dir,
            new JsonObject()
                .put("max-transfer-time-in", 30)
                .put("max-transfer-idle-in", 2)
                .put("min-transfer-rate-in", new JsonObject().put("bytes", 100).put("minutes", 3)));
    TransferLimits.MinRate setRate = new TransferLimits.MinRate(100, Duration.ofMinutes(3));
    assertEquals(setRate, set.get("inherits.test.").minRate());
    assertEquals(setRate, set.get("own.test.").minRate());
    assertEquals(Duration.ofMinutes(30), set.get("inherits.test.").maxTransferTime());
    assertEquals(Duration.ofMinutes(2), set.get("inherits.test.").maxIdleTime());
    assertEquals(Duration.ofMinutes(30), set.get("own.test.").maxTransferTime(), "inherited");
    assertEquals(Duration.ofMinutes(7), set.get("own.test.").maxIdleTime(), "the zone's own");
  }

  /** Each secondary zone's limits under {@code options}; own.test sets max-transfer-idle-in 7. */
  private static Map<String, TransferLimits> limits(Path dir, JsonObject options) throws Exception {
    JsonObject zones =
        new JsonObject()
            .put("inherits.test", secondary())
            .put("own.test", secondary().put("max-transfer-idle-in", 7));
    return zones(dir, options, zones).values().stream()
        .collect(Collectors.toMap(ZoneConfig::name, ZoneConfig::transferLimits));
  }

  @Test
  void ixfrFromDifferencesInTheOptionsMayNameOneTypeOfZone(@TempDir Path dir) throws Exception {
    JsonObject zones =
        new JsonObject()
            .put("primary.test", primary(dir))
            .put("secondary.test", secondary())
            .put("off.test", secondary().put("ixfr-from-differences", "no"));
    Map<String, Boolean> expected = new java.util.TreeMap<>();
    for (String[] row :
        new String[][] {
          {"no", "false", "false"},
          {"yes", "true", "true"},
          {"primary", "true", "false"},
          {"master", "true", "false"},
          {"secondary", "false", "true"},
          {"slave", "false", "true"},
        }) {
      JsonObject options = new JsonObject().put("ixfr-from-differences", row[0]);
      Map<String, Boolean> on =
          zones(dir, options, zones).values().stream()
              .collect(Collectors.toMap(ZoneConfig::name, ZoneConfig::ixfrFromDifferences));
      expected.put("primary.test.", Boolean.parseBoolean(row[1]));
      expected.put("secondary.test.", Boolean.parseBoolean(row[2]));
      expected.put("off.test.", false);
      assertEquals(expected, new java.util.TreeMap<>(on), "options " + row[0]);
    }
  }

  /**
   * BIND's transfer-source and notify-source (and their -v6): the system's choice by default, the
   * options' for every zone, a zone's own, and {@code "*"} in a zone undoing the options'.
   */
  @Test
  void sourceAddressesComeFromTheOptionsOrTheZone(@TempDir Path dir) throws Exception {
    JsonObject zones =
        new JsonObject()
            .put("inherits.test", secondary())
            .put(
                "own.test",
                secondary().put("transfer-source", "127.0.0.3").put("notify-source-v6", "::1"))
            .put("system.test", secondary().put("transfer-source", "*").put("notify-source", "*"));
    Map<String, ZoneConfig> bind = zones(dir, new JsonObject(), zones);
    assertEquals(SourceAddresses.ANY, bind.get("inherits.test.").transferSource());
    assertEquals(SourceAddresses.ANY, bind.get("inherits.test.").notifySource());
    assertEquals(sources("127.0.0.3", null), bind.get("own.test.").transferSource());
    assertEquals(sources(null, "::1"), bind.get("own.test.").notifySource());

    JsonObject options =
        new JsonObject()
            .put("transfer-source", "127.0.0.2")
            .put("transfer-source-v6", "::1")
            .put("notify-source", "127.0.0.4");
    Map<String, ZoneConfig> set = zones(dir, options, zones);
    assertEquals(sources("127.0.0.2", "::1"), set.get("inherits.test.").transferSource());
    assertEquals(sources("127.0.0.4", null), set.get("inherits.test.").notifySource());
    assertEquals(sources("127.0.0.3", "::1"), set.get("own.test.").transferSource());
    assertEquals(sources("127.0.0.4", "::1"), set.get("own.test.").notifySource());
    assertEquals(sources(null, "::1"), set.get("system.test.").transferSource());
    assertEquals(SourceAddresses.ANY, set.get("system.test.").notifySource());
  }

  /**
   * notify primary-only (or master-only) is yes for a primary zone and no for a secondary one, as
   * named reads it; notify-to-soa is off by default, from the options or the zone.
   */
  @Test
  void primaryOnlyNotifiesForPrimaryZonesAndNotifyToSoaIsInherited(@TempDir Path dir)
      throws Exception {
    JsonObject zones =
        new JsonObject()
            .put("primary.test", primary(dir))
            .put("secondary.test", secondary())
            .put("own.test", secondary().put("notify", "yes").put("notify-to-soa", false));
    Map<String, ZoneConfig> set =
        zones(
            dir, new JsonObject().put("notify", "primary-only").put("notify-to-soa", true), zones);
    assertEquals(NotifyMode.YES, set.get("primary.test.").notifyMode());
    assertEquals(NotifyMode.NO, set.get("secondary.test.").notifyMode());
    assertEquals(NotifyMode.YES, set.get("own.test.").notifyMode());
    assertTrue(set.get("primary.test.").notifyToSoa());
    assertFalse(set.get("own.test.").notifyToSoa());
    Map<String, ZoneConfig> older =
        zones(dir, new JsonObject().put("notify", "master-only"), zones);
    assertEquals(NotifyMode.NO, older.get("secondary.test.").notifyMode());
    assertFalse(older.get("primary.test.").notifyToSoa());
  }

  /** BIND's notify-delay: 5 s by default, from the options or the zone; negative is refused. */
  @Test
  void notifyDelayComesFromTheOptionsOrTheZone(@TempDir Path dir) throws Exception {
    JsonObject zones =
        new JsonObject()
            .put("inherits.test", secondary())
            .put("own.test", secondary().put("notify-delay", 0));
    Map<String, ZoneConfig> bind = zones(dir, new JsonObject(), zones);
    assertEquals(Duration.ofSeconds(5), bind.get("inherits.test.").notifyDelay());
    assertEquals(Duration.ZERO, bind.get("own.test.").notifyDelay());
    Map<String, ZoneConfig> set = zones(dir, new JsonObject().put("notify-delay", 30), zones);
    assertEquals(Duration.ofSeconds(30), set.get("inherits.test.").notifyDelay());
    assertEquals(Duration.ZERO, set.get("own.test.").notifyDelay());
    ConfigException bad =
        assertThrows(
            ConfigException.class,
            () -> zones(dir, new JsonObject().put("notify-delay", -1), zones));
    assertTrue(bad.getMessage().contains("options.notify-delay"), bad.getMessage());
  }

  /** BIND's default no-auth-recursive; its words and booleans; a bad value names the key. */
  @Test
  void minimalResponsesIsBindsOption(@TempDir Path dir) throws Exception {
    assertEquals(MinimalResponses.NO_AUTH_RECURSIVE, minimalResponses(dir, new JsonObject()));
    assertEquals(
        MinimalResponses.NO_AUTH,
        minimalResponses(dir, new JsonObject().put("minimal-responses", "no-auth")));
    assertEquals(
        MinimalResponses.YES,
        minimalResponses(dir, new JsonObject().put("minimal-responses", true)));
    assertEquals(
        MinimalResponses.NO,
        minimalResponses(dir, new JsonObject().put("minimal-responses", "no")));
    ConfigException bad =
        assertThrows(
            ConfigException.class,
            () -> minimalResponses(dir, new JsonObject().put("minimal-responses", "some")));
    assertTrue(bad.getMessage().contains("options.minimal-responses"), bad.getMessage());
  }

  private static MinimalResponses minimalResponses(Path dir, JsonObject options) throws Exception {
    JsonObject config = new JsonObject().put("options", options).put("zone", new JsonObject());
    return ConfigSource.of(config, dir).parse(ZoneSettings.PART).minimalResponses();
  }

  /** A primary zone entry of a small file in {@code dir}. */
  private static JsonObject primary(Path dir) throws Exception {
    Path file = dir.resolve("p.zone");
    java.nio.file.Files.writeString(
        file, "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.1\n");
    return new JsonObject().put("file", file.toString());
  }

  /** A secondary zone entry of a primary at 192.0.2.1. */
  private static JsonObject secondary() {
    return new JsonObject()
        .put("type", "secondary")
        .put("primaries", new JsonArray().add(new JsonObject().put("address", "192.0.2.1")));
  }

  private static SourceAddresses sources(String v4, String v6) throws Exception {
    return new SourceAddresses(
        v4 == null ? null : (Inet4Address) InetAddress.getByName(v4),
        v6 == null ? null : (Inet6Address) InetAddress.getByName(v6));
  }

  private static Map<String, ZoneConfig> zones(Path dir, JsonObject options, JsonObject zones)
      throws Exception {
    JsonObject config = new JsonObject().put("options", options).put("zone", zones);
    return ConfigSource.of(config, dir).parse(ZoneSettings.PART).zones().stream()
        .collect(Collectors.toMap(ZoneConfig::name, zone -> zone));
  }
}
