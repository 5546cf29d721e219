package dev.vxdns.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Open-loop UDP latency at a fixed rate, for bench/latency.sh: queries from a dnsperf-format file
 * (with EDNS, as dnsperf -e sends them) go out in small bursts every {@code --batch-us}
 * microseconds (default 100: five queries at 50,000 per second) whatever the answers do, so a
 * stalled server meets the same load as a fast one; each query is timed from its send; one
 * unanswered after 1 s counts as lost and as 1 s. {@code --sockets N} (default 1) sends from N
 * ports in turn: a server whose UDP sockets share a port (SO_REUSEPORT) hands each client port to
 * one of them, so one port measures one of its threads, several measure them all.
 *
 * <pre>
 * udp-latency --server H:P --queries FILE --qps N --seconds S [--warmup S] [--batch-us U]
 *             [--sockets N] [--out FILE] [--series FILE]
 * </pre>
 *
 * Prints {@code RESULT n=... answered=... lost=... p50_ms=... p99_ms=... p999_ms=... max_ms=...
 * late_ms=...} ({@code late_ms}: how far behind its schedule the client itself fell at worst, a
 * check on the client), and with {@code --out FILE} every latency in seconds, one per line, sorted;
 * with {@code --series FILE} each query's send time (seconds from the first one measured) and its
 * latency, in send order: when the slow answers come (periodically: a collection, a timer; in
 * bursts; scattered) says what makes the tail. Allocates nothing while it measures (arrays sized up
 * front), so its own collector does not add to the figures.
 */
final class UdpLatency {
  private static final long LOST_NANOS = TimeUnit.SECONDS.toNanos(1);

  private UdpLatency() {}

  static boolean run(Flags flags) throws Exception {
    InetSocketAddress server = flags.address("server");
    List<byte[]> queries = queries(Path.of(flags.string("queries")));
    int qps = flags.integer("qps", 50_000);
    int seconds = flags.integer("seconds", 10);
    // First an unrecorded warm-up at the same rate: the client's own JIT compiles then.
    int warmup = qps * flags.integer("warmup", 2);
    int total = qps * seconds;
    long[] sentAt = new long[warmup + total];
    long[] latency = new long[warmup + total];
    Arrays.fill(latency, -1);
    // A response's ID says which query it answers: IDs wrap every 65,536 queries, more than a
    // second's worth at the rates used, after which an answer counts as lost anyway.
    int[] byId = new int[65_536];
    Arrays.fill(byId, -1);
    long late;
    DatagramChannel[] channels = new DatagramChannel[flags.integer("sockets", 1)];
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < channels.length; i++) {
        channels[i] = DatagramChannel.open();
        channels[i].connect(server);
        channels[i].socket().setReceiveBufferSize(4 << 20);
        channels[i].configureBlocking(false);
        channels[i].register(selector, SelectionKey.OP_READ);
      }
      Thread receiver =
          new Thread(() -> receive(selector, byId, sentAt, latency), "udp-latency-receiver");
      receiver.setDaemon(true);
      receiver.start();
      late =
          send(
              channels, queries, qps, 1000L * flags.integer("batch-us", 100), warmup, sentAt, byId);
      // Wait for the last answers (or their loss).
      LockSupport.parkNanos(LOST_NANOS + TimeUnit.MILLISECONDS.toNanos(100));
      receiver.interrupt();
      receiver.join();
    } finally {
      for (DatagramChannel channel : channels) {
        if (channel != null) {
          channel.close();
        }
      }
    }
    long[] sorted = new long[total];
    int answered = 0;
    for (int i = 0; i < total; i++) {
      long value = latency[warmup + i];
      if (value >= 0 && value < LOST_NANOS) {
        answered++;
        sorted[i] = value;
      } else {
        sorted[i] = LOST_NANOS;
      }
    }
    Arrays.sort(sorted);
    String out = flags.string("out", null);
    if (out != null) {
      StringBuilder lines = new StringBuilder(total * 8);
      for (long value : sorted) {
        lines.append(value / 1e9).append('\n');
      }
      Files.writeString(Path.of(out), lines);
    }
    String series = flags.string("series", null);
    if (series != null) {
      StringBuilder lines = new StringBuilder(total * 20);
      for (int i = 0; i < total; i++) {
        long value = latency[warmup + i];
        lines
            .append((sentAt[warmup + i] - sentAt[warmup]) / 1e9)
            .append(' ')
            .append(value >= 0 && value < LOST_NANOS ? value / 1e9 : LOST_NANOS / 1e9)
            .append('\n');
      }
      Files.writeString(Path.of(series), lines);
    }
    System.out.printf(
        "RESULT n=%d answered=%d lost=%d p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f"
            + " late_ms=%.3f%n",
        total,
        answered,
        total - answered,
        UpdateLoad.percentile(sorted, 0.50) / 1e6,
        UpdateLoad.percentile(sorted, 0.99) / 1e6,
        UpdateLoad.percentile(sorted, 0.999) / 1e6,
        sorted[total - 1] / 1e6,
        late / 1e6);
    return true;
  }

  /**
   * A burst every {@code batchNanos}, each query from the next channel in turn; returns how late
   * the client fell behind at worst once the first {@code warmup} queries were sent. A query the
   * kernel's send buffer has no room for is not sent (the channels do not block): it counts as
   * lost.
   */
  private static long send(
      DatagramChannel[] channels,
      List<byte[]> queries,
      int qps,
      long batchNanos,
      int warmup,
      long[] sentAt,
      int[] byId)
      throws IOException {
    int total = sentAt.length;
    ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
    long late = 0;
    int sent = 0;
    for (long batch = 0; sent < total; batch++) {
      long at = start + batch * batchNanos;
      long now = System.nanoTime();
      if (at > now) {
        LockSupport.parkNanos(at - now);
        now = System.nanoTime();
      }
      if (sent >= warmup) {
        late = Math.max(late, now - at);
      }
      // The queries due by the end of this batch.
      int dueBy = (int) Math.min(total, (batch + 1) * batchNanos * qps / 1_000_000_000L);
      for (; sent < dueBy; sent++) {
        byte[] query = queries.get(sent % queries.size());
        int id = sent & 0xFFFF;
        byId[id] = sent;
        buffer.clear();
        buffer.put(query).flip();
        buffer.put(0, (byte) (id >> 8)).put(1, (byte) id);
        sentAt[sent] = System.nanoTime();
        channels[sent % channels.length].write(buffer);
      }
    }
    return late;
  }

  /** Reads every answer of the channels registered with {@code selector} until interrupted. */
  private static void receive(Selector selector, int[] byId, long[] sentAt, long[] latency) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65_535);
    Consumer<SelectionKey> drain =
        key -> {
          DatagramChannel channel = (DatagramChannel) key.channel();
          while (true) {
            buffer.clear();
            try {
              if (channel.read(buffer) == 0) {
                return;
              }
            } catch (java.net.PortUnreachableException e) {
              // An ICMP error on a connected socket (the server is not up yet, or gone): next.
              continue;
            } catch (IOException closed) {
              // Closed, by the interrupt that ends the run among others: the select loop stops.
              return;
            }
            if (buffer.position() < 2) {
              continue;
            }
            long now = System.nanoTime();
            int id = (buffer.get(0) & 0xFF) << 8 | buffer.get(1) & 0xFF;
            int index = byId[id];
            if (index >= 0 && latency[index] < 0) {
              latency[index] = now - sentAt[index];
            }
          }
        };
    while (!Thread.currentThread().isInterrupted()) {
      try {
        selector.select(drain);
      } catch (IOException | java.nio.channels.ClosedSelectorException closed) {
        return;
      }
    }
  }

  /** The file's "name type" lines as queries with EDNS (1232 octets), as dnsperf -e sends them. */
  private static List<byte[]> queries(Path file) throws IOException {
    List<byte[]> queries = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 2 || fields[0].startsWith(";")) {
        continue;
      }
      Message query =
          Message.newQuery(
              Record.newRecord(
                  Name.fromString(fields[0], Name.root), Type.value(fields[1]), 1 /* IN */));
      query.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
      query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
      queries.add(query.toWire());
    }
    if (queries.isEmpty()) {
      throw new IOException("no queries in " + file);
    }
    return queries;
  }
}
