package dev.vxdns.bench.load;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.ZoneTransferIn;

/** Transfers the zone (AXFR) and checks that every acknowledged name holds an A record. */
final class ZoneCheck {
  private ZoneCheck() {}

  static boolean run(Flags flags) throws Exception {
    InetSocketAddress server = flags.address("server");
    Name zone = flags.zone();
    ZoneTransferIn transfer = ZoneTransferIn.newAXFR(zone, server, null);
    transfer.setTimeout(java.time.Duration.ofSeconds(120));
    transfer.run();
    Set<String> names = new HashSet<>();
    long records = 0;
    for (Record record : transfer.getAXFR()) {
      records++;
      if (record.getType() == Type.A) {
        names.add(record.getName().toString());
      }
    }
    long acked = 0, missing = 0;
    String firstMissing = "-";
    for (String file : flags.string("acked").split(",")) {
      for (String name : Files.readAllLines(Path.of(file))) {
        acked++;
        if (!names.contains(name)) {
          if (missing++ == 0) {
            firstMissing = name;
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT zone_records=%d acked=%d missing=%d first_missing=%s%n",
        records,
        acked,
        missing,
        firstMissing);
    return missing == 0 && acked > 0;
  }
}
