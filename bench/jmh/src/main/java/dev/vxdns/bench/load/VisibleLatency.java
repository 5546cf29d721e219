package dev.vxdns.bench.load;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Update-to-visible latency: one signed update (a new A record) to the primary over TCP; from its
 * NOERROR answer, a UDP query for the new name to the secondary every millisecond until the
 * secondary answers it (bounded by {@code --timeout-ms}); then a pause of {@code --gap-ms} before
 * the next update.
 */
final class VisibleLatency {
  private VisibleLatency() {}

  static boolean run(Flags flags) throws Exception {
    InetSocketAddress primary = flags.address("primary");
    InetSocketAddress secondary = flags.address("secondary");
    Name zone = flags.zone();
    TSIG key = flags.key();
    int count = flags.integer("count", 50);
    int gapMillis = flags.integer("gap-ms", 200);
    int timeoutMillis = flags.integer("timeout-ms", 10_000);
    String tag = flags.string("tag");
    List<String> lines = new ArrayList<>();
    long[] latencies = new long[count];
    int visible = 0, timedOut = 0, polls = 0;
    try (DnsTcp connection = new DnsTcp(primary, 10_000);
        DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udp.connect(secondary);
      udp.setSoTimeout(1);
      for (int i = 0; i < count; i++) {
        Name name = Name.fromString(tag + "-" + i, zone);
        Update update = new Update(zone);
        update.add(
            new ARecord(
                name,
                DClass.IN,
                300,
                InetAddress.getByAddress(new byte[] {10, (byte) 201, 0, (byte) i})));
        key.apply(update, null);
        connection.send(update.toWire(65535));
        byte[] answer = connection.receive();
        long acked = System.nanoTime();
        Message response = new Message(answer);
        if (key.verify(response, answer, update.getTSIG()) != Rcode.NOERROR
            || response.getRcode() != Rcode.NOERROR) {
          throw new IOException(
              "update " + i + " not acknowledged: " + Rcode.string(response.getRcode()));
        }
        long deadline = acked + timeoutMillis * 1_000_000L;
        long seen = -1;
        byte[] buffer = new byte[4096];
        while (seen < 0 && System.nanoTime() < deadline) {
          Message query = Message.newQuery(Record.newRecord(name, Type.A, DClass.IN));
          byte[] wire = query.toWire();
          udp.send(new DatagramPacket(wire, wire.length));
          polls++;
          long pollEnds = System.nanoTime() + 1_000_000L;
          // Answers to earlier polls may still arrive: any positive answer for the name counts.
          while (seen < 0 && System.nanoTime() < pollEnds) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
              udp.receive(packet);
            } catch (SocketTimeoutException e) {
              break;
            }
            if (answers(Arrays.copyOf(packet.getData(), packet.getLength()), name)) {
              seen = System.nanoTime();
            }
          }
        }
        if (seen < 0) {
          timedOut++;
          latencies[i] = Long.MAX_VALUE;
          lines.add(i + "\ttimeout");
        } else {
          visible++;
          latencies[i] = seen - acked;
          lines.add(String.format(Locale.ROOT, "%d\t%.3f", i, latencies[i] / 1e6));
        }
        Thread.sleep(gapMillis);
      }
    }
    Files.write(Path.of(flags.string("out")), lines);
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    long[] seenOnly = Arrays.copyOf(sorted, visible);
    System.out.printf(
        Locale.ROOT,
        "RESULT count=%d visible=%d timeout=%d polls=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
            + " mean_ms=%.2f%n",
        count,
        visible,
        timedOut,
        polls,
        visible == count ? UpdateLoad.percentile(sorted, 0.50) / 1e6 : Double.NaN,
        visible == count ? UpdateLoad.percentile(sorted, 0.99) / 1e6 : Double.NaN,
        visible == count ? sorted[count - 1] / 1e6 : Double.NaN,
        Arrays.stream(seenOnly).average().orElse(Double.NaN) / 1e6);
    return timedOut == 0;
  }

  private static boolean answers(byte[] wire, Name name) {
    try {
      Message message = new Message(wire);
      if (message.getRcode() != Rcode.NOERROR) {
        return false;
      }
      for (Record record : message.getSection(Section.ANSWER)) {
        if (record.getType() == Type.A && record.getName().equals(name)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
