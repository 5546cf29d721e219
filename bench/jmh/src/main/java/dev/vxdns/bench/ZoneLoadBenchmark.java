package dev.vxdns.bench;

import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneFiles;
import dev.vxdns.zone.ZoneRules;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.Name;

/**
 * A zone file loaded again in a warm JVM, as a reload is: read in one pass, or in segments side by
 * side ({@code ZoneFiles.load} with a segment count). 200,000 hosts with an A record each and an
 * AAAA for one in ten, as {@code bench/lib/gen_workload.py} writes them (about 5 MB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgs = {"-XX:+UseSerialGC", "-Xmn48m", "-Xms512m", "-Xmx512m"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class ZoneLoadBenchmark {
  private static final Name ORIGIN = Name.fromConstantString("bench.test.");
  private static final int HOSTS = 200_000;

  @Param({"1", "2"})
  public int segments;

  private Path file;

  @Setup
  public void write() throws Exception {
    file = Files.createTempFile("vxdns-zoneload", ".zone");
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write("$ORIGIN bench.test.\n$TTL 3600\n");
      out.write("@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ IN NS ns1\n");
      out.write("ns1 IN A 192.0.2.53\n");
      for (int i = 0; i < HOSTS; i++) {
        out.write(
            "h" + i + "\tIN A 10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255) + "\n");
        if (i % 10 == 0) {
          out.write("h" + i + "\tIN AAAA 2001:db8::" + hex(i >> 16) + ":" + hex(i & 0xffff) + "\n");
        }
      }
    }
    int records = load().recordCount();
    if (records != HOSTS + HOSTS / 10 + 3) {
      throw new IllegalStateException("the zone has " + records + " records");
    }
  }

  private static String hex(int value) {
    return Integer.toHexString(value);
  }

  @TearDown
  public void delete() throws IOException {
    Files.deleteIfExists(file);
  }

  @Benchmark
  public Zone load() throws dev.vxdns.zone.ZoneException {
    return ZoneFiles.load(file, ORIGIN, ZoneRules.NONE, records -> {}, segments, warning -> {});
  }
}
