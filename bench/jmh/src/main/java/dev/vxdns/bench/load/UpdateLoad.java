package dev.vxdns.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Update;

/**
 * Signed UPDATE load: each client has its own TCP connection and sends one message, waits for its
 * answer, then sends the next (no pipelining), until the time or message bound. Each message adds
 * {@code --batch} A records at fresh names; only NOERROR answers whose TSIG verifies count, and
 * their names go to {@code --acked} for {@link ZoneCheck}.
 */
final class UpdateLoad {
  private UpdateLoad() {}

  /** What one client saw. */
  private record ClientResult(
      int sent,
      int noError,
      int otherRcode,
      int badTsig,
      String error,
      List<String> acked,
      long[] nanos) {}

  static boolean run(Flags flags) throws Exception {
    InetSocketAddress server = flags.address("server");
    Name zone = flags.zone();
    TSIG key = flags.key();
    int clients = flags.integer("clients", 1);
    int batch = flags.integer("batch", 1);
    long seconds = flags.integer("seconds", 10);
    int maxMessages = flags.integer("max-messages", 1_000_000);
    String tag = flags.string("tag");
    Path ackedFile = Path.of(flags.string("acked"));

    CyclicBarrier start = new CyclicBarrier(clients + 1);
    List<ClientResult> results = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                ClientResult result =
                    client(
                        server, zone, key, tag + "-c" + client, batch, seconds, maxMessages, start);
                synchronized (results) {
                  results.add(result);
                }
              },
              "update-client-" + c);
      threads.add(thread);
      thread.start();
    }
    start.await();
    window[0] = System.nanoTime();
    for (Thread thread : threads) {
      thread.join();
    }
    window[1] = System.nanoTime();

    int sent = 0, noError = 0, other = 0, badTsig = 0;
    List<String> acked = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long[] all = new long[0];
    for (ClientResult r : results) {
      sent += r.sent();
      noError += r.noError();
      other += r.otherRcode();
      badTsig += r.badTsig();
      acked.addAll(r.acked());
      if (r.error() != null) {
        errors.add(r.error());
      }
      long[] joined = Arrays.copyOf(all, all.length + r.nanos().length);
      System.arraycopy(r.nanos(), 0, joined, all.length, r.nanos().length);
      all = joined;
    }
    Files.write(
        ackedFile,
        acked,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Arrays.sort(all);
    double elapsed = (window[1] - window[0]) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "RESULT clients=%d batch=%d seconds=%.3f sent=%d noerror=%d other_rcode=%d bad_tsig=%d"
            + " changes=%d msg_per_s=%.1f changes_per_s=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d%n",
        clients,
        batch,
        elapsed,
        sent,
        noError,
        other,
        badTsig,
        (long) noError * batch,
        noError / elapsed,
        (double) noError * batch / elapsed,
        percentile(all, 0.50) / 1e6,
        percentile(all, 0.99) / 1e6,
        errors.size());
    errors.forEach(e -> System.err.println("client error: " + e));
    return errors.isEmpty() && badTsig == 0;
  }

  private static ClientResult client(
      InetSocketAddress server,
      Name zone,
      TSIG key,
      String prefix,
      int batch,
      long seconds,
      int maxMessages,
      CyclicBarrier start) {
    int sent = 0, noError = 0, other = 0, badTsig = 0;
    List<String> acked = new ArrayList<>();
    long[] nanos = new long[1024];
    String error = null;
    try (DnsTcp connection = new DnsTcp(server, 10_000)) {
      start.await();
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      for (int m = 0; m < maxMessages && System.nanoTime() < deadline; m++) {
        Update update = new Update(zone);
        update.getHeader().setID(ThreadLocalRandom.current().nextInt(0x10000));
        List<String> names = new ArrayList<>(batch);
        for (int j = 0; j < batch; j++) {
          Name name = Name.fromString(prefix + "-m" + m + "-" + j, zone);
          update.add(new ARecord(name, DClass.IN, 300, address(m, j)));
          names.add(name.toString());
        }
        key.apply(update, null);
        byte[] query = update.toWire(65535);
        long began = System.nanoTime();
        connection.send(query);
        byte[] answer = connection.receive();
        long took = System.nanoTime() - began;
        sent++;
        Message response = new Message(answer);
        if (response.getHeader().getID() != update.getHeader().getID()) {
          throw new IOException("answer id does not match the update's");
        }
        if (key.verify(response, answer, update.getTSIG()) != Rcode.NOERROR) {
          badTsig++;
        } else if (response.getRcode() == Rcode.NOERROR) {
          noError++;
          acked.addAll(names);
        } else {
          other++;
        }
        if (sent > nanos.length) {
          nanos = Arrays.copyOf(nanos, nanos.length * 2);
        }
        nanos[sent - 1] = took;
      }
    } catch (Exception e) {
      error = prefix + ": " + e;
    }
    return new ClientResult(
        sent,
        noError,
        other,
        badTsig,
        error,
        acked,
        Arrays.copyOf(nanos, Math.min(sent, nanos.length)));
  }

  private static java.net.InetAddress address(int message, int index) throws IOException {
    return java.net.InetAddress.getByAddress(
        new byte[] {10, (byte) 200, (byte) (message & 0xff), (byte) index});
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
