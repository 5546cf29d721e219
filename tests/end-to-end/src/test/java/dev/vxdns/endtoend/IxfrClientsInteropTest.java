package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

/**
 * dig (Debian's 9.18 and BIND 9.20's) and kdig asking a vxdns primary for {@code axfr} and {@code
 * ixfr=SERIAL} after three dynamic updates: the IXFR answers are the RFC 1995 incremental sequences
 * from the zone's journal-backed history, record by record and in order (new SOA, then per change
 * old SOA, deleted, new SOA, added, then the new SOA), over TCP and XoT, signed with the key and
 * unsigned; and the same after the node restarted, the history replayed from the journal.
 */
class IxfrClientsInteropTest {
  private static final String ZONE = "ixfr.test";
  private static final Name ORIGIN = TransferPeers.name(ZONE + ".");

  private static Name at(String label) {
    return TransferPeers.name(label + "." + ZONE + ".");
  }

  private static SOARecord soa(long serial) {
    return new SOARecord(
        ORIGIN, DClass.IN, 300, at("ns1"), at("hostmaster"), serial, 3600, 600, 86400, 300);
  }

  private static final Record NEW_A = address("new", "192.0.2.77");
  private static final Record OLD_MAIL = address("mail", "192.0.2.25");
  private static final Record NEW_MAIL = address("mail", "192.0.2.26");
  private static final Record NEW_AAAA;
  private static final Record OLD_TXT;

  static {
    try {
      NEW_AAAA =
          new AAAARecord(at("new2"), DClass.IN, 300, java.net.InetAddress.getByName("2001:db8::2"));
      OLD_TXT = new TXTRecord(at("www"), DClass.IN, 300, List.of("hello world", "second string"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Record address(String label, String address) {
    try {
      return new ARecord(at(label), DClass.IN, 300, java.net.InetAddress.getByName(address));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The RFC 1995 answer to IXFR from {@code from} once the zone is at serial 4. */
  private static List<String> incrementalFrom(long from) {
    List<List<Record>> diffs =
        List.of(
            List.of(soa(1), OLD_TXT, soa(2), NEW_A),
            List.of(soa(2), OLD_MAIL, soa(3), NEW_MAIL),
            List.of(soa(3), soa(4), NEW_AAAA));
    List<String> expected = new ArrayList<>();
    expected.add(soa(4).toString());
    for (List<Record> diff : diffs.subList((int) from - 1, diffs.size())) {
      diff.forEach(r -> expected.add(r.toString()));
    }
    expected.add(soa(4).toString());
    return expected;
  }

  /** The zone at serial 4: the file's records with the three updates applied. */
  private static Set<String> zoneAt4() throws Exception {
    Set<String> records = new TreeSet<>(records(SecondaryInteropTest.zoneFile(ZONE)));
    for (Record gone : List.of(soa(1), OLD_TXT, OLD_MAIL)) {
      assertTrue(records.remove(gone.toString()), gone + " not in " + records);
    }
    for (Record added : List.of(soa(4), NEW_A, NEW_MAIL, NEW_AAAA)) {
      records.add(added.toString());
    }
    return records;
  }

  /** A client's output as records, in order, without its comments and TSIG lines. */
  private static List<String> records(String output) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String line : output.split("\n")) {
      if (!line.matches(".*\\sANY\\s+TSIG\\s.*")) {
        text.append(line).append('\n');
      }
    }
    List<String> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)))) {
      Record r;
      while ((r = master.nextRecord()) != null) {
        records.add(r.toString());
      }
    }
    return records;
  }

  private static List<String> args(int port, String... more) {
    List<String> args = new ArrayList<>(List.of("@127.0.0.1", "-p", Integer.toString(port)));
    args.addAll(List.of(more));
    return args;
  }

  private static String debianDig(int port, String... more) throws Exception {
    List<String> all = args(port, "+time=10", "+tries=1", "+nocmd", "+nostats");
    all.addAll(List.of(more));
    return DigInteropTest.run("dig", all);
  }

  private static String kdig(int port, String... more) throws Exception {
    List<String> all = args(port, "+timeout=10", "+retry=0", "+noall", "+answer");
    all.addAll(List.of(more));
    return DigInteropTest.run("kdig", all);
  }

  private static String dig920(Dig920 dig, int port, String... more) throws Exception {
    List<String> all = args(port, "+time=10", "+tries=1", "+nocmd", "+nostats", "+tls");
    all.addAll(List.of(more));
    return dig.run(all);
  }

  @Test
  void digAndKdigGetTheIncrementalSequencesOverTcpAndXotAlsoAfterARestart(@TempDir Path dir)
      throws Exception {
    Peer.assumeInstalled("dig", "dnsutils");
    Peer.assumeInstalled("kdig", "knot-dnsutils");
    Dig920 dig = Dig920.find();
    int[] ports = TransferPeers.freePorts(2);
    int port = ports[0];
    int dotPort = ports[1];
    JsonObject config = TestNode.config(port, Delivery.DIRECT);
    config.put("key", TransferPeers.keyConfig());
    TestNode.listen(config, TestNode.listener(dotPort, "dot").put("tls", "ephemeral"));
    config.put(
        "zone",
        new JsonObject()
            .put(
                ZONE,
                new JsonObject()
                    .put("file", TransferPeers.writeZone(dir, ZONE).toString())
                    .put("update-policy", new JsonArray().add("grant xfr-key. zonesub ANY"))
                    .put("allow-transfer", new JsonArray().add("127.0.0.1"))
                    .put("notify", "no")));
    Path generated = dir.resolve("generated");
    try (TestNode node = TestNode.start(config, dir, generated)) {
      TransferPeers.update(
          port,
          ZONE,
          u -> {
            u.add(NEW_A);
            u.delete(OLD_TXT);
          });
      TransferPeers.update(
          port,
          ZONE,
          u -> {
            u.delete(OLD_MAIL);
            u.add(NEW_MAIL);
          });
      TransferPeers.update(port, ZONE, u -> u.add(NEW_AAAA));
      assertEquals(4, TransferPeers.serial(port, ZONE));

      String signed = debianDig(port, "-y", TransferPeers.KEY_ARG, ZONE, "ixfr=1");
      assertEquals(incrementalFrom(1), records(signed), signed);
      assertFalse(signed.contains("failed"), signed);
      String unsigned = debianDig(port, ZONE, "ixfr=2");
      assertEquals(incrementalFrom(2), records(unsigned), unsigned);
      String kdigSigned = kdig(port, "-y", TransferPeers.KEY_ARG, ZONE, "IXFR=1");
      assertEquals(incrementalFrom(1), records(kdigSigned), kdigSigned);
      String kdigTls = kdig(dotPort, "+tls", ZONE, "IXFR=3");
      assertEquals(incrementalFrom(3), records(kdigTls), kdigTls);
      String dig920Tls = dig920(dig, dotPort, "-y", TransferPeers.KEY_ARG, ZONE, "ixfr=2");
      assertEquals(incrementalFrom(2), records(dig920Tls), dig920Tls);
      // Up to date: the SOA alone. Older than the history: the whole zone, AXFR style.
      assertEquals(List.of(soa(4).toString()), records(debianDig(port, ZONE, "ixfr=4")));
      Set<String> zone = zoneAt4();
      String older = debianDig(port, ZONE, "ixfr=0");
      assertEquals(zone, new TreeSet<>(records(older)), older);

      String axfr = debianDig(port, "-y", TransferPeers.KEY_ARG, ZONE, "axfr");
      assertEquals(zone, new TreeSet<>(records(axfr)), axfr);
      String kdigAxfr = kdig(dotPort, "+tls", "-y", TransferPeers.KEY_ARG, ZONE, "AXFR");
      assertEquals(zone, new TreeSet<>(records(kdigAxfr)), kdigAxfr);
    }

    // A new node on the same files: the history comes back from the journal.
    try (TestNode node = TestNode.start(config, dir, generated)) {
      assertEquals(4, TransferPeers.serial(port, ZONE));
      String signed = debianDig(port, "-y", TransferPeers.KEY_ARG, ZONE, "ixfr=1");
      assertEquals(incrementalFrom(1), records(signed), signed);
      String kdigTls = kdig(dotPort, "+tls", "-y", TransferPeers.KEY_ARG, ZONE, "IXFR=2");
      assertEquals(incrementalFrom(2), records(kdigTls), kdigTls);
      String dig920Tls = dig920(dig, dotPort, ZONE, "ixfr=3");
      assertEquals(incrementalFrom(3), records(dig920Tls), dig920Tls);
      String axfr = dig920(dig, dotPort, "-y", TransferPeers.KEY_ARG, ZONE, "axfr");
      assertEquals(zoneAt4(), new TreeSet<>(records(axfr)), axfr);
    }
  }
}
