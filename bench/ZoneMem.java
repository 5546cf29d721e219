import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneFiles;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xbill.DNS.Name;

/**
 * Loads one zone file with {@code ZoneFiles.load} and prints the load time, the heap the loaded
 * zone retains (heap used after full GCs, minus the same before loading) and the process's peak
 * RSS. Run by bench/zonemem.sh; uses only the public API, so it runs against older trees too.
 *
 * <pre>java -cp CLASSPATH bench/ZoneMem.java FILE ORIGIN</pre>
 */
public class ZoneMem {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Name origin = Name.fromString(args[1]);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long baseline = usedAfterGc(memory);
    long start = System.nanoTime();
    Zone zone = ZoneFiles.load(file, origin);
    double seconds = (System.nanoTime() - start) / 1e9;
    long retained = usedAfterGc(memory) - baseline;
    System.out.printf(
        "records %d load_s %.1f retained_heap_mib %.0f bytes_per_record %.0f peak_rss_mib %s%n",
        zone.recordCount(),
        seconds,
        retained / 1048576.0,
        (double) retained / zone.recordCount(),
        peakRssMib());
    Reference.reachabilityFence(zone);
  }

  private static long usedAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** VmHWM from /proc/self/status, in MiB. */
  private static String peakRssMib() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return String.valueOf(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
      }
    }
    return "?";
  }
}
