package dev.vxdns.verticles.node;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JVM flags {@code bin/vxdns} starts a node with when {@code VXDNS_JAVA_OPTS} is not set: the
 * heap and the collector sized from the zones the configuration serves, so that a node with a few
 * small zones costs little memory and one with millions of records has room to load and reload
 * them.
 *
 * <p>Run as its own small JVM before the node's ({@code java -cp vxdns.jar ...JvmSizing [node
 * arguments]}); it prints the flags on one line. It reads only the configuration file's {@code
 * zone} section (a file it cannot read yields the defaults for no zones: the node itself then
 * reports what is wrong).
 */
public final class JvmSizing {

  /**
   * Live heap per octet of master file, measured on a generated zone (README, "Memory"): a
   * 1M-record, 26 MB file holds 66 MiB of heap once loaded in the compact zone store; a little more
   * here for zones with longer names and RDATA than its.
   */
  static final double HEAP_PER_ZONE_OCTET = 2.7;

  /** What a node holds besides its zones: Vert.x, Netty's pools, caches, the metrics registry. */
  static final long BASE_LIVE = 32L << 20;

  /** Up to this much zone data the serial collector's pauses stay short; beyond it, G1. */
  static final long SERIAL_LIMIT = 256L << 20;

  static final long MIN_MAX_HEAP = 512L << 20;

  /**
   * The young generation of a node with small zones. The query path's garbage fills it, and each
   * young collection holds answers up for about half a millisecond: at 50,000 queries a second
   * (about 1.1 KB each) 32 MiB means one every 0.45 s. In two runs of {@code bench/latency.sh}
   * (eight rounds each) the UDP p99 was 0.99x and 0.87x named's with 32 MiB, 1.17x and 1.11x with
   * 16 MiB, for 11 to 25 MiB more RSS (README, "Memory").
   */
  static final long YOUNG = 32L << 20;

  /** What the old generation starts with beside a young generation: the node's own live data. */
  static final long MIN_OLD = 16L << 20;

  /**
   * The young generation of a node with zones from {@link #SMALL_ZONES} up: a load's young
   * collections copy the nodes it has just made, and a larger young generation makes fewer of them
   * (bench/zoneload.sh's 1M records answered 0.15 s sooner than with 16 MiB), for RSS that is small
   * beside such zones.
   */
  static final long LOADING_YOUNG = 48L << 20;

  /** Zones below this much heap start on {@link #SMALL_HEAP}, grown when needed. */
  static final long SMALL_ZONES = 64L << 20;

  static final long SMALL_HEAP = 48L << 20;

  /** Arrays from this size up start in the old generation: the zone store's slabs. */
  static final String PRETENURE_SIZE = "512k";

  private JvmSizing() {}

  /**
   * The flags for zones of {@code zoneOctets} octets of master files, on a machine of {@code ram}.
   */
  static List<String> flags(long zoneOctets, long ram) {
    long zones = zoneHeap(zoneOctets);
    long live = BASE_LIVE + zones;
    // Room for one zone's new version next to the serving one (a reload, a transfer) and for the
    // collector to work; never more than three quarters of the machine.
    long maxHeap = Math.min(Math.max(MIN_MAX_HEAP, 3 * live), usable(ram));
    // A small node starts small (the heap grows when it needs to). Larger zones start with room
    // for what a load makes: on the serial collector, the young generation and the zones twice
    // (a reload builds the new version beside the served one), since each step the heap grows by
    // is a full collection that stops answering (1M records: two of 70 ms while each reload
    // loaded, which took 0.54-0.59 s instead of 0.41-0.43 s; one still follows the swap, README
    // "Memory"); G1 grows its heap without stopping.
    long initialHeap;
    if (zones < SMALL_ZONES) {
      initialHeap = SMALL_HEAP;
    } else if (zones <= SERIAL_LIMIT) {
      initialHeap = LOADING_YOUNG + BASE_LIVE + 2 * zones;
    } else {
      initialHeap = live;
    }
    initialHeap = Math.min(initialHeap, maxHeap);
    List<String> flags = new ArrayList<>();
    if (zones <= SERIAL_LIMIT) {
      flags.add("-XX:+UseSerialGC");
      // Zone data lives in slabs of a megabyte (modules/zone's Slabs): allocated straight into the
      // old generation, the young collections of a load or a reload have none of it to copy.
      flags.add("-XX:PretenureSizeThreshold=" + PRETENURE_SIZE);
      long young = zones < SMALL_ZONES ? YOUNG : LOADING_YOUNG;
      flags.add("-Xmn" + mebibytes(Math.min(young, initialHeap - MIN_OLD)) + "m");
    } else {
      // G1 sizes its young generation itself to meet the pause goal.
      flags.add("-XX:+UseG1GC");
      flags.add("-XX:MaxGCPauseMillis=20");
    }
    flags.add("-Xms" + mebibytes(initialHeap) + "m");
    flags.add("-Xmx" + mebibytes(maxHeap) + "m");
    return flags;
  }

  /** The most heap a node takes of a machine of {@code ram}: three quarters. */
  private static long usable(long ram) {
    return ram / 4 * 3;
  }

  /** The heap that zones of {@code zoneOctets} octets of master files hold once loaded. */
  private static long zoneHeap(long zoneOctets) {
    return (long) (zoneOctets * HEAP_PER_ZONE_OCTET);
  }

  /** The total size of those of {@code files} that exist ({@link #zoneFiles}: the zones'). */
  static long octets(List<Path> files) {
    long octets = 0;
    for (Path file : files) {
      try {
        octets += Files.isRegularFile(file) ? Files.size(file) : 0;
      } catch (IOException gone) {
        // Removed meanwhile: no zone to size for.
      }
    }
    return octets;
  }

  /**
   * The master files the configuration's zones name, as absolute paths, whether they exist yet or
   * not (a secondary's before its first transfer). Read with Jackson's streaming parser: Vert.x's
   * {@code JsonObject} sets its codec up first, about 30 ms of this JVM's 0.1 s.
   */
  static List<Path> zoneFiles(Path configFile) {
    Path directory = configFile.toAbsolutePath().getParent();
    List<Path> files = new ArrayList<>();
    try (JsonParser json = new JsonFactory().createParser(configFile.toFile())) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return files;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        boolean zones = json.currentName().equals("zone");
        if (json.nextToken() == JsonToken.START_OBJECT && zones) {
          addZoneFiles(json, directory, files);
        } else {
          json.skipChildren();
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      files.clear();
    }
    return files;
  }

  /** The zones of the {@code zone} object {@code json} is at: each one's {@code file} there. */
  private static void addZoneFiles(JsonParser json, Path directory, List<Path> files)
      throws IOException {
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        json.skipChildren();
        continue;
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        boolean file = json.currentName().equals("file");
        if (json.nextToken() == JsonToken.VALUE_STRING && file) {
          files.add(directory.resolve(json.getText()).normalize());
        } else {
          json.skipChildren();
        }
      }
    }
  }

  private static long mebibytes(long octets) {
    return Math.max(1, octets >> 20);
  }

  private static long physicalMemory() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize()
        : 4L << 30;
  }

  /**
   * Prints the flags for the node arguments given (only {@code --config FILE} matters) on the first
   * line, then the files they were sized from, one per line: the configuration file and its zones'
   * master files ({@code bin/vxdns} keeps the flags while none of them changes).
   */
  public static void main(String[] args) {
    Path config = null;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--config")) {
        config = Path.of(args[i + 1]).toAbsolutePath().normalize();
      }
    }
    List<Path> files = config == null ? List.of() : zoneFiles(config);
    long octets = octets(files);
    long ram = physicalMemory();
    System.out.println(String.join(" ", flags(octets, ram)));
    if (config != null) {
      System.out.println(config);
      files.forEach(System.out::println);
    }
    System.err.printf(
        Locale.ROOT, "vxdns: JVM sized for %.1f MiB of zone files%n", octets / 1048576.0);
    long live = BASE_LIVE + zoneHeap(octets);
    if (live > usable(ram)) {
      System.err.printf(
          Locale.ROOT,
          "vxdns: the zones need about %d MiB of heap, more than three quarters of this machine's"
              + " %d MiB: the node may run out of memory%n",
          mebibytes(live),
          mebibytes(ram));
    }
  }
}
