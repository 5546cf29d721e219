import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Update-to-visible latency across a local cluster (bench/cluster.sh runs it with the node jar on
 * the class path, for dnsjava): sends UPDATES TSIG-signed updates over TCP, round-robin to the
 * nodes on 127.0.0.1 ports PORT..., one at a time; after each acknowledgement it polls every other
 * node over UDP (every 0.2 ms) until it answers the new name. Prints the acknowledgement latency
 * and the acknowledged-to-visible-everywhere latency, p50/p99/max.
 *
 * <p>java -cp vxdns.jar bench/ClusterLatency.java UPDATES PORT...
 */
public class ClusterLatency {
  public static void main(String[] args) throws Exception {
    int updates = Integer.parseInt(args[0]);
    List<Integer> ports = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      ports.add(Integer.parseInt(args[i]));
    }
    Name origin = Name.fromString("dyn.test.");
    TSIG tsig =
        new TSIG(
            TSIG.HMAC_SHA256,
            Name.fromString("update-key."),
            new SecretKeySpec(
                Base64.getDecoder().decode("dXBkYXRlLWtleS1leGFtcGxlLW9ubHktcmVwbGFjZSE="),
                "HmacSHA256"));
    String run = Long.toString(System.currentTimeMillis(), 36);
    List<Double> acked = new ArrayList<>();
    List<Double> visible = new ArrayList<>();
    int failed = 0;
    for (int n = 0; n < updates; n++) {
      int target = n % ports.size();
      Name name = Name.fromString("b" + run + "-" + n, origin);
      Update update = new Update(origin);
      update.add(new ARecord(name, DClass.IN, 60, InetAddress.getByName("192.0.2.1")));
      SimpleResolver resolver = resolver(ports.get(target));
      resolver.setTCP(true);
      resolver.setTSIGKey(tsig);
      resolver.setTimeout(Duration.ofSeconds(20));
      long start = System.nanoTime();
      Message response = resolver.send(update);
      long ack = System.nanoTime();
      if (response.getRcode() != Rcode.NOERROR) {
        failed++;
        continue;
      }
      acked.add((ack - start) / 1e6);
      for (int other = 0; other < ports.size(); other++) {
        if (other == target) {
          continue;
        }
        SimpleResolver query = resolver(ports.get(other));
        query.setTimeout(Duration.ofSeconds(2));
        while (true) {
          Message answer = query.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
          if (!answer.getSection(Section.ANSWER).isEmpty()) {
            break;
          }
          if (System.nanoTime() - ack > 10_000_000_000L) {
            throw new IllegalStateException(name + " not visible on port " + ports.get(other));
          }
          Thread.onSpinWait();
        }
      }
      visible.add((System.nanoTime() - ack) / 1e6);
    }
    System.out.printf(
        "updates %d, acknowledged %d, failed %d%n", updates, acked.size(), failed);
    System.out.println("update acknowledged (ms):            " + summary(acked));
    System.out.println("acknowledged to visible on all (ms): " + summary(visible));
  }

  private static SimpleResolver resolver(int port) throws Exception {
    return new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
  }

  private static String summary(List<Double> values) {
    if (values.isEmpty()) {
      return "none";
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return String.format(
        "p50 %.1f  p99 %.1f  max %.1f",
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
        sorted.get(sorted.size() - 1));
  }
}
