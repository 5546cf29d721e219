package dev.vxdns.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Times an AXFR over TCP from the query to the closing SOA. The records are walked on the wire
 * (owner name skipped, type read, RDATA skipped) rather than parsed, so the client, which runs on
 * the other core, costs little next to the server; it counts records and stops at the second SOA.
 */
final class AxfrDrain {
  private AxfrDrain() {}

  static boolean run(Flags flags) throws Exception {
    InetSocketAddress server = flags.address("server");
    Name zone = flags.zone();
    int repeat = flags.integer("repeat", 3);
    boolean ok = true;
    for (int i = 1; i <= repeat; i++) {
      long began = System.nanoTime();
      long[] counts = drain(server, zone);
      double seconds = (System.nanoTime() - began) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "RESULT run=%d seconds=%.3f records=%d messages=%d bytes=%d%n",
          i,
          seconds,
          counts[0],
          counts[1],
          counts[2]);
    }
    return ok;
  }

  /** Records (both SOAs included), messages, bytes. */
  private static long[] drain(InetSocketAddress server, Name zone) throws IOException {
    Message query = Message.newQuery(Record.newRecord(zone, Type.AXFR, org.xbill.DNS.DClass.IN));
    long records = 0, messages = 0, bytes = 0;
    int soas = 0;
    try (DnsTcp connection = new DnsTcp(server, 60_000)) {
      connection.send(query.toWire());
      while (soas < 2) {
        byte[] m = connection.receive();
        messages++;
        bytes += m.length;
        int id = u16(m, 0);
        int rcode = m[3] & 0x0f;
        if (id != query.getHeader().getID() || rcode != Rcode.NOERROR) {
          throw new IOException("AXFR answer id " + id + " rcode " + Rcode.string(rcode));
        }
        int questions = u16(m, 4);
        int answers = u16(m, 6);
        int at = 12;
        for (int q = 0; q < questions; q++) {
          at = skipName(m, at) + 4;
        }
        for (int a = 0; a < answers; a++) {
          at = skipName(m, at);
          if (u16(m, at) == Type.SOA) {
            soas++;
          }
          at += 10 + u16(m, at + 8);
          records++;
        }
        if (messages == 1 && soas == 0) {
          throw new IOException("AXFR does not start with the SOA");
        }
      }
    }
    return new long[] {records, messages, bytes};
  }

  private static int skipName(byte[] m, int at) {
    while (true) {
      int length = m[at] & 0xff;
      if ((length & 0xc0) == 0xc0) {
        return at + 2;
      }
      if (length == 0) {
        return at + 1;
      }
      at += length + 1;
    }
  }

  private static int u16(byte[] m, int at) {
    return ((m[at] & 0xff) << 8) | (m[at + 1] & 0xff);
  }
}
