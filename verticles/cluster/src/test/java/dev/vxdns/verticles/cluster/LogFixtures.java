package dev.vxdns.verticles.cluster;

import dev.vxdns.zone.ZoneDiff;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;

/** Changes and log entries of zone dyn.test. for the shared-log tests. */
final class LogFixtures {
  static final Name ORIGIN = Name.fromConstantString("dyn.test.");

  private LogFixtures() {}

  static SOARecord soa(long serial) {
    return new SOARecord(
        ORIGIN,
        DClass.IN,
        300,
        Name.fromConstantString("ns1.dyn.test."),
        Name.fromConstantString("hostmaster.dyn.test."),
        serial,
        3600,
        600,
        86400,
        300);
  }

  /** The change from serial {@code from} to {@code from + 1} that adds {@code label}. */
  static ZoneDiff diff(long from, String label) throws Exception {
    return new ZoneDiff(
        soa(from),
        soa(from + 1),
        List.of(),
        List.of(
            new ARecord(
                Name.fromString(label, ORIGIN),
                DClass.IN,
                300,
                InetAddress.getByName("192.0.2.1"))));
  }

  static ZoneLogState.Entry entry(ZoneDiff diff) {
    byte[] bytes = DiffCodec.encode(diff);
    return new ZoneLogState.Entry(
        diff.fromSerial(), diff.toSerial(), DiffCodec.fingerprint(bytes), bytes);
  }
}
