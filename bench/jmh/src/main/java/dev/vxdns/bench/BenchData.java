package dev.vxdns.bench;

import dev.vxdns.message.DnsExchange;
import dev.vxdns.message.Transport;
import dev.vxdns.zone.Zone;
import dev.vxdns.zone.ZoneException;
import dev.vxdns.zone.ZoneSet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The in-memory zone and the queries every benchmark uses. The zone has the shape of {@code
 * bench/lib/gen_workload.py}'s: {@code h<i>} A hosts (every 10th with AAAA too), plus the names the
 * query kinds need: {@code www} (A), {@code chain -> alias -> www} (a CNAME chain of two), {@code
 * *.wild} (A, TXT).
 */
public final class BenchData {
  public static final int EDNS_UDP_SIZE = 1232;
  public static final int MAX_UDP_SIZE = 1232;
  public static final Name ORIGIN = name("bench.test.");
  private static final long TTL = 3600;

  /** The four answer kinds of the lookup benchmarks. */
  public enum Kind {
    /** www.bench.test. A: two A records from an exact match. */
    EXISTING("www.bench.test."),
    /** a name that does not exist: NXDOMAIN with the SOA in the authority section. */
    NXDOMAIN("nope-4711.bench.test."),
    /** a name under *.wild: A synthesised from the wildcard. */
    WILDCARD("host-4711.wild.bench.test."),
    /** chain.bench.test. A: chain CNAME alias, alias CNAME www, www A (four answer records). */
    CNAME("chain.bench.test.");

    public final Name qname;

    Kind(String qname) {
      this.qname = BenchData.name(qname);
    }
  }

  public static final InetSocketAddress CLIENT = socket(new byte[] {127, 0, 0, 1}, 40000);
  public static final InetSocketAddress SERVER = socket(new byte[] {127, 0, 0, 1}, 5300);

  private BenchData() {}

  /** A zone of about {@code records} records. */
  public static Zone zone(int records) {
    List<Record> all = new ArrayList<>(records + 16);
    Name ns1 = name("ns1.bench.test.");
    Name ns2 = name("ns2.bench.test.");
    Name mail = name("mail.bench.test.");
    Name www = name("www.bench.test.");
    all.add(
        new SOARecord(
            ORIGIN,
            DClass.IN,
            TTL,
            ns1,
            name("hostmaster.bench.test."),
            2026112301L,
            7200,
            3600,
            1209600,
            300));
    all.add(new NSRecord(ORIGIN, DClass.IN, TTL, ns1));
    all.add(new NSRecord(ORIGIN, DClass.IN, TTL, ns2));
    all.add(new MXRecord(ORIGIN, DClass.IN, TTL, 10, mail));
    all.add(new ARecord(ns1, DClass.IN, TTL, address(192, 0, 2, 53)));
    all.add(new ARecord(ns2, DClass.IN, TTL, address(192, 0, 2, 54)));
    all.add(new ARecord(mail, DClass.IN, TTL, address(192, 0, 2, 25)));
    all.add(new ARecord(www, DClass.IN, TTL, address(192, 0, 2, 10)));
    all.add(new ARecord(www, DClass.IN, TTL, address(192, 0, 2, 11)));
    all.add(new CNAMERecord(name("alias.bench.test."), DClass.IN, TTL, www));
    all.add(new CNAMERecord(name("chain.bench.test."), DClass.IN, TTL, name("alias.bench.test.")));
    Name wild = name("*.wild.bench.test.");
    all.add(new ARecord(wild, DClass.IN, TTL, address(192, 0, 2, 80)));
    all.add(new TXTRecord(wild, DClass.IN, TTL, "wildcard"));
    for (int i = 0; all.size() < records; i++) {
      Name host = name("h" + i + ".bench.test.");
      all.add(
          new ARecord(host, DClass.IN, TTL, address(10, (i >> 16) & 255, (i >> 8) & 255, i & 255)));
      if (i % 10 == 0) {
        byte[] v6 = new byte[16];
        v6[0] = 0x20;
        v6[1] = 0x01;
        v6[2] = 0x0d;
        v6[3] = (byte) 0xb8;
        v6[13] = (byte) (i >> 16);
        v6[14] = (byte) (i >> 8);
        v6[15] = (byte) i;
        all.add(new AAAARecord(host, DClass.IN, TTL, inet(v6)));
      }
    }
    try {
      return Zone.of(ORIGIN, all);
    } catch (ZoneException e) {
      throw new IllegalStateException("benchmark zone: " + e.getMessage(), e);
    }
  }

  public static ZoneSet zones(int records) {
    return ZoneSet.of(List.of(zone(records)));
  }

  /** A query as a resolver sends it: RD set, EDNS with a 1232-byte UDP size. */
  public static Message query(Name qname, int qtype) {
    Message query = Message.newQuery(Record.newRecord(qname, qtype, DClass.IN));
    query.getHeader().setID(0x4711);
    query.addRecord(new OPTRecord(EDNS_UDP_SIZE, 0, 0), Section.ADDITIONAL);
    return query;
  }

  public static byte[] queryBytes(Kind kind) {
    return query(kind.qname, Type.A).toWire();
  }

  /** The exchange a UDP transport builds for these bytes. */
  public static DnsExchange received(byte[] queryBytes) {
    return DnsExchange.received(Transport.UDP, "bench", CLIENT, SERVER, queryBytes);
  }

  static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static InetAddress address(int a, int b, int c, int d) {
    return inet(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }

  private static InetAddress inet(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static InetSocketAddress socket(byte[] raw, int port) {
    return new InetSocketAddress(inet(raw), port);
  }
}
