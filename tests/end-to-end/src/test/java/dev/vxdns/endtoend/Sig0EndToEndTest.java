package dev.vxdns.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vxdns.message.Delivery;
import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIG0;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * SIG(0) (RFC 2931) through a whole node: the signer's KEY lives in a served zone, a signed query
 * is verified and its signer reaches later stages (whoami shows it), and a flood of bad signatures
 * is bounded so that ordinary queries keep being answered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Sig0EndToEndTest {
  private TestNode node;
  private KeyPair keyPair;
  private KEYRecord key;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    keyPair = generator.generateKeyPair();
    key =
        new KEYRecord(
            Name.fromString("client.sig0.test."),
            DClass.IN,
            300,
            KEYRecord.Flags.USER,
            KEYRecord.Protocol.DNSSEC,
            DNSSEC.Algorithm.ECDSAP256SHA256,
            keyPair.getPublic());
    Path zone = dir.resolve("sig0.test.zone");
    Files.writeString(
        zone,
        String.join(
            "\n",
            "$ORIGIN sig0.test.",
            "$TTL 300",
            "@ IN SOA ns.sig0.test. admin.sig0.test. 1 3600 600 86400 60",
            "@ IN NS ns.sig0.test.",
            "ns IN A 192.0.2.1",
            key.toString(),
            ""));
    JsonObject config = TestNode.config(TestNode.freePort(), Delivery.DIRECT);
    config
        .getJsonObject("zone")
        .put(
            "sig0.test",
            new JsonObject()
                .put("file", zone.toString())
                .put(
                    "allow-query",
                    new io.vertx.core.json.JsonArray().add("key client.sig0.test.")));
    config.getJsonObject("options").put("whoami", "whoami.vxdns.").put("sig0-rate-limit", 50);
    node = TestNode.start(config);
  }

  @AfterAll
  void stop() throws Exception {
    node.close();
  }

  private Message whoamiSigned(KEYRecord with) throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("whoami.vxdns."), Type.TXT, DClass.CH));
    SIG0.signMessage(query, with, keyPair.getPrivate(), null);
    byte[] reply = node.udpRaw(query.toWire(), 3000);
    assertNotNull(reply, "a SIG(0)-signed query within the limits is answered");
    return new Message(reply);
  }

  private static List<String> txt(Message response) {
    return response.getSection(Section.ANSWER).stream()
        .map(r -> String.join("", ((TXTRecord) r).getStrings()))
        .collect(Collectors.toList());
  }

  @Test
  void aVerifiedSignerBecomesTheKeyIdentity() throws Exception {
    Message response = whoamiSigned(key);
    assertEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(txt(response).contains("key client.sig0.test."), txt(response).toString());
  }

  @Test
  void theSignerReachesTheAclStage() throws Exception {
    Message signed =
        Message.newQuery(Record.newRecord(Name.fromString("sig0.test."), Type.SOA, DClass.IN));
    SIG0.signMessage(signed, key, keyPair.getPrivate(), null);
    assertEquals(
        Rcode.NOERROR,
        new Message(node.udpRaw(signed.toWire(), 3000)).getRcode(),
        "allow-query { key client.sig0.test.; } lets the SIG(0) signer in");
    Message unsigned =
        Message.newQuery(Record.newRecord(Name.fromString("sig0.test."), Type.SOA, DClass.IN));
    assertEquals(Rcode.REFUSED, new Message(node.udpRaw(unsigned.toWire(), 3000)).getRcode());
  }

  @Test
  void aSignatureByAKeyNotInTheZoneIsRejected() throws Exception {
    KEYRecord stranger =
        new KEYRecord(
            Name.fromString("stranger.sig0.test."),
            DClass.IN,
            300,
            KEYRecord.Flags.USER,
            KEYRecord.Protocol.DNSSEC,
            DNSSEC.Algorithm.ECDSAP256SHA256,
            keyPair.getPublic());
    Message response = whoamiSigned(stranger);
    assertNotEquals(Rcode.NOERROR, response.getRcode());
    assertTrue(response.getSection(Section.ANSWER).isEmpty());
  }

  @Test
  void aTamperedMessageIsRejected() throws Exception {
    Message query =
        Message.newQuery(Record.newRecord(Name.fromString("whoami.vxdns."), Type.TXT, DClass.CH));
    SIG0.signMessage(query, key, keyPair.getPrivate(), null);
    byte[] wire = query.toWire();
    wire[wire.length - 1] ^= 0x01; // the last byte of the signature
    Message response = new Message(node.udpRaw(wire, 3000));
    assertNotEquals(Rcode.NOERROR, response.getRcode());
  }

  @Test
  void aFloodOfBadSignaturesLeavesOrdinaryQueriesAnswered() throws Exception {
    Message bad =
        Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN));
    SIG0.signMessage(bad, key, keyPair.getPrivate(), null);
    byte[] flood = bad.toWire();
    flood[flood.length - 1] ^= 0x01;
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger sent = new AtomicInteger();
    Thread attacker =
        new Thread(
            () -> {
              try (DatagramSocket socket =
                  new DatagramSocket(new InetSocketAddress("127.0.0.9", 0))) {
                DatagramPacket packet =
                    new DatagramPacket(
                        flood, flood.length, InetAddress.getLoopbackAddress(), node.port);
                long deadline = System.nanoTime() + 10_000_000_000L;
                // About 10,000 signatures a second: unbounded, verifying them would need more CPU
                // than the machine has. (An unpaced blast of any packet would overflow the socket
                // buffer instead, a different problem that no amount of SIG(0) care solves.)
                while (flooding.get() && sent.get() < 100_000 && System.nanoTime() < deadline) {
                  for (int burst = 0; burst < 50; burst++) {
                    socket.send(packet);
                  }
                  sent.addAndGet(50);
                  java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "sig0-flood");
    attacker.start();
    try {
      Thread.sleep(200);
      // Over TCP: the flood may overflow the UDP socket's buffer on a busy machine, which says
      // nothing about SIG(0); what matters is that verification does not starve the event loops.
      for (int i = 0; i < 50; i++) {
        assertEquals(
            Rcode.NOERROR,
            node.query("www.example.test.", Type.A, true).getRcode(),
            "query " + i + " during the flood");
      }
    } finally {
      flooding.set(false);
      attacker.join(15_000);
    }
    assertTrue(sent.get() > 1000, "the flood was real: " + sent.get() + " packets");
    JsonObject counters =
        (JsonObject)
            node.vertx
                .eventBus()
                .request(dev.vxdns.message.Addresses.STATS_AUTH, "")
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, java.util.concurrent.TimeUnit.SECONDS)
                .body();
    long admitted = counters.getLong("sig0-admitted");
    long seconds = 12;
    assertTrue(
        admitted <= 50 * seconds + 10,
        "at most sig0-rate-limit (50/s) per source were verified: " + counters.encode());
    assertTrue(
        counters.getLong("sig0-turned-away") > sent.get() / 2,
        "the rest was turned away unverified: " + counters.encode());
    assertEquals(
        Rcode.NOERROR,
        whoamiSigned(key).getRcode(),
        "a well-signed client from another address still verifies");
  }
}
