package dev.vxdns.bench.load;

import java.util.Arrays;

/**
 * Client side of bench/updates.sh (signed dynamic updates, AXFR timing, acknowledged changes
 * checked by AXFR, update-to-visible latency on a secondary) and bench/latency.sh (query latency at
 * a fixed rate). One command per run:
 *
 * <pre>
 * updates  --server H:P --zone Z --key NAME:SECRET --clients N --batch K --seconds S
 *          --max-messages M --tag T --acked FILE
 * verify   --server H:P --zone Z --acked FILE...(comma separated)
 * axfr     --server H:P --zone Z --repeat R
 * latency  --primary H:P --secondary H:P --zone Z --key NAME:SECRET --count N --gap-ms G
 *          --timeout-ms T --tag T --out FILE
 * udp-latency --server H:P --queries FILE --qps N --seconds S [--warmup S] [--sockets N] [--out FILE]
 *             [--series FILE]
 * </pre>
 *
 * Every command prints one {@code RESULT key=value ...} line for the script.
 */
public final class LoadMain {
  private LoadMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: LoadMain updates|verify|axfr|latency|udp-latency --flag value ...");
      System.exit(2);
    }
    Flags flags = Flags.parse(args, 1);
    boolean ok =
        switch (args[0]) {
          case "updates" -> UpdateLoad.run(flags);
          case "verify" -> ZoneCheck.run(flags);
          case "axfr" -> AxfrDrain.run(flags);
          case "latency" -> VisibleLatency.run(flags);
          case "udp-latency" -> UdpLatency.run(flags);
          default -> throw new IllegalArgumentException("unknown command " + Arrays.toString(args));
        };
    System.exit(ok ? 0 : 1);
  }
}
