package dev.vxdns.verticles.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmSizingTest {
  private static final long GIB = 1L << 30;

  @Test
  void smallZonesGetTheSerialCollectorAndASmallHeapThatMayGrow() {
    assertEquals(serial(32, 48, 512), JvmSizing.flags(300_000, 24 * GIB));
  }

  @Test
  void aMillionRecordsStartWithRoomForAReloadOnTheSerialCollectorWithALargerYoungGeneration() {
    // 26 MB of master file: a 1M-record zone, about 66 MiB of heap once loaded; a reload holds it
    // twice, beside the young generation and the node's own 32 MiB.
    long octets = 26_000_000;
    long zone = (long) (octets * JvmSizing.HEAP_PER_ZONE_OCTET);
    long initial = JvmSizing.LOADING_YOUNG + JvmSizing.BASE_LIVE + 2 * zone;
    assertEquals(serial(48, initial >> 20, 512), JvmSizing.flags(octets, 24 * GIB));
    // Just under 64 MiB of zones: the small nodes' 32 MiB.
    assertEquals(serial(32, 48, 512), JvmSizing.flags(24_000_000, 24 * GIB));
  }

  @Test
  void largeZonesGetG1AndAHeapStartingAtTheirLiveSizeWithRoomForAReload() {
    // 150 MB of master files: some 6M records, about 390 MiB of heap once loaded.
    long octets = 150_000_000;
    long live = (long) (octets * JvmSizing.HEAP_PER_ZONE_OCTET) + JvmSizing.BASE_LIVE;
    assertEquals(
        List.of(
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Xms" + (live >> 20) + "m",
            "-Xmx" + (3 * live >> 20) + "m"),
        JvmSizing.flags(octets, 24 * GIB));
  }

  @Test
  void theHeapNeverExceedsThreeQuartersOfTheMachine() {
    assertEquals(
        List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-Xms3072m", "-Xmx3072m"),
        JvmSizing.flags(2_000_000_000L, 4 * GIB));
  }

  @Test
  void theZoneFilesOfTheConfigAreSummedRelativeToItsFolder(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("zones"));
    Files.write(dir.resolve("zones/a.zone"), new byte[1000]);
    Files.write(dir.resolve("b.zone"), new byte[234]);
    Path config = dir.resolve("vxdns.json");
    Files.writeString(
        config,
        """
        {"zone": {
          "a.test": {"type": "primary", "file": "zones/a.zone"},
          "b.test": {"file": "b.zone"},
          "c.test": {"type": "secondary", "file": "not-transferred-yet.zone", "primaries": []},
          "d.test": {"type": "secondary", "primaries": []}
        }}
        """);
    assertEquals(1234, JvmSizing.octets(JvmSizing.zoneFiles(config)));
  }

  @Test
  void aConfigItCannotReadCountsAsNoZones(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{ not json");
    assertEquals(0, JvmSizing.octets(JvmSizing.zoneFiles(broken)));
    assertEquals(0, JvmSizing.octets(JvmSizing.zoneFiles(dir.resolve("missing.json"))));
    Files.writeString(broken, "{\"zone\": [\"a list\"]}");
    assertEquals(0, JvmSizing.octets(JvmSizing.zoneFiles(broken)));
  }

  /** The serial collector's flags, the zone slabs pretenured, with these sizes in MiB. */
  private static List<String> serial(long young, long initial, long max) {
    return List.of(
        "-XX:+UseSerialGC",
        "-XX:PretenureSizeThreshold=512k",
        "-Xmn" + young + "m",
        "-Xms" + initial + "m",
        "-Xmx" + max + "m");
  }
}
