package dev.vxdns.zone;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * One change of a zone from one version to the next, in RFC 1995's shape: the old SOA, the records
 * deleted, the new SOA, the records added. It is what an update produces, what the journal keeps,
 * what an IXFR sends and what a secondary applies. The SOAs are not in {@code deleted} or {@code
 * added}.
 */
public record ZoneDiff(SOARecord from, SOARecord to, List<Record> deleted, List<Record> added) {
  public ZoneDiff {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    deleted = List.copyOf(deleted);
    added = List.copyOf(added);
  }

  public long fromSerial() {
    return from.getSerial();
  }

  public long toSerial() {
    return to.getSerial();
  }
}
